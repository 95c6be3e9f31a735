<?php

/*
 * slotlock polyfill, twin of src/sl_common.h: the result codes of the core (an exception's
 * code is the code negated) and the exception each one becomes.
 */

namespace SlotLock\Polyfill;

/** @internal */
final class Status
{
    public const ARG = 1;
    public const CONNECT = 2;
    public const TIMEOUT = 3;
    public const IO = 4;
    public const AUTH = 5;
    public const REPLY = 6;
    public const PROTOCOL = 7;

    /** The name of each code in 'error' events. */
    public const REASONS = ['ok', 'argument', 'connect', 'timeout', 'io', 'auth', 'reply', 'protocol', 'memory', 'fork'];

    public static function error(int $code, string $msg): \SlotLockException
    {
        return match ($code) {
            self::TIMEOUT => new \SlotLockTimeoutException($msg, $code),
            self::CONNECT, self::IO, self::AUTH => new \SlotLockConnectionException($msg, $code),
            default => new \SlotLockException($msg, $code),
        };
    }

    /** %g of C's printf, for the few numbers in messages. */
    public static function g(float $v): string
    {
        return rtrim(rtrim(sprintf('%.6F', $v), '0'), '.');
    }
}
