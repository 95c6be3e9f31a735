<?php

/*
 * slotlock polyfill: the exception classes of the extension (slotlock.stub.php).
 */

class SlotLockException extends RuntimeException
{
}

/** Redis unreachable, timed out, or refused our credentials. */
class SlotLockConnectionException extends SlotLockException
{
}

/** A command did not answer within the timeout. */
class SlotLockTimeoutException extends SlotLockConnectionException
{
}
