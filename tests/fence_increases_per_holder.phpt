--TEST--
The fence strictly increases for every new holder of a slot
--EXTENSIONS--
slotlock
redis
--SKIPIF--
<?php require __DIR__ . '/skipif.inc'; ?>
--FILE--
<?php
require __DIR__ . '/config.inc';

$svc = slotlock_test_service(['fencing' => true]);
$fences = [];
for ($i = 0; $i < 5; $i++) {
    $lock = $svc->acquire(1, 31, '2030-11-24 14:00', "holder$i");
    $fences[] = $lock->fence;
    /* the holder's own re-acquire is not a new holder */
    if ($svc->acquire(1, 31, '2030-11-24 14:00', "holder$i")->fence !== $lock->fence) {
        echo "re-acquire changed the fence\n";
    }
    $svc->release($lock, "holder$i");
}
$sorted = $fences;
sort($sorted);
var_dump($sorted === $fences && count(array_unique($fences)) === 5);

/* a new holder on another slot of the prefix also gets a bigger fence */
$other = $svc->acquire(2, 99, '2030-11-24 14:00', 'x');
var_dump($other->fence > end($fences));

/* and the counter is the one in Redis, outside the slot pattern <prefix>:* */
var_dump((int) slotlock_test_redis()->get(slotlock_test_prefix() . '#fence') === $other->fence);
?>
--CLEAN--
<?php
require __DIR__ . '/config.inc';
slotlock_test_clean();
?>
--EXPECT--
bool(true)
bool(true)
bool(true)
