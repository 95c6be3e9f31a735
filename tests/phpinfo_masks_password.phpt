--TEST--
phpinfo()/php --ri show the version, hiredis and the INI values, with the DSN password masked
--EXTENSIONS--
slotlock
--INI--
slotlock.dsn=redis://user:secretpw@127.0.0.1:6379
--FILE--
<?php
ob_start();
phpinfo(INFO_MODULES);
$info = ob_get_clean();

var_dump(str_contains($info, 'slotlock'));
var_dump(stripos($info, 'hiredis') !== false);
var_dump(str_contains($info, 'slotlock.dsn'));
var_dump(str_contains($info, 'slotlock.ttl'));
var_dump(str_contains($info, 'slotlock.prefix'));
var_dump(str_contains($info, 'secretpw'));
var_dump(is_string(phpversion('slotlock')) && phpversion('slotlock') !== '');
var_dump(str_contains($info, phpversion('slotlock')));

/* php --ri slotlock prints the same module info */
$r = new ReflectionExtension('slotlock');
ob_start();
$r->info();
$ri = ob_get_clean();
var_dump(str_contains($ri, 'slotlock.dsn'), str_contains($ri, 'secretpw'));
?>
--EXPECT--
bool(true)
bool(true)
bool(true)
bool(true)
bool(true)
bool(false)
bool(true)
bool(true)
bool(true)
bool(false)
