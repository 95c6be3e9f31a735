--TEST--
SlotLock properties are readonly and no dynamic properties can be added
--EXTENSIONS--
slotlock
--SKIPIF--
<?php require __DIR__ . '/skipif.inc'; ?>
--FILE--
<?php
require __DIR__ . '/config.inc';

$lock = slotlock_test_service()->acquire(1, 31, '2030-11-24 14:00', 'o');
$attempts = [
    'key' => fn () => $lock->key = 'x',
    'keys' => fn () => $lock->keys[] = 'x',
    'owner' => fn () => $lock->owner = 'thief',
    'fence' => fn () => $lock->fence++,
    'expiresAt' => fn () => $lock->expiresAt = new DateTimeImmutable(),
    'candidate' => fn () => $lock->candidate = 1,
    'unset owner' => function () use ($lock) { unset($lock->owner); },
    'dynamic' => fn () => $lock->extra = 1,
];
foreach ($attempts as $label => $fn) {
    try {
        $fn();
        echo "$label: modified\n";
    } catch (Error $e) {
        echo "$label: ", get_class($e), "\n";
    }
}
var_dump($lock->owner, $lock->keys === [$lock->key]);

$rc = new ReflectionClass(SlotLock::class);
var_dump($rc->isFinal());
foreach ($rc->getProperties() as $p) {
    echo $p->getName(), ' ', $p->isReadOnly() ? 'readonly' : 'writable', ' ', $p->isPublic() ? 'public' : 'hidden', ' ', $p->getType(), "\n";
}
?>
--CLEAN--
<?php
require __DIR__ . '/config.inc';
slotlock_test_clean();
?>
--EXPECT--
key: Error
keys: Error
owner: Error
fence: Error
expiresAt: Error
candidate: Error
unset owner: Error
dynamic: Error
string(1) "o"
bool(true)
bool(true)
key readonly public string
keys readonly public array
owner readonly public string
fence readonly public ?int
expiresAt readonly public DateTimeImmutable
candidate readonly public ?int
