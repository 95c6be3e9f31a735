<?php

namespace Tests\Laravel;

use Illuminate\Foundation\Console\Kernel;

/** The test app's app/Console/Kernel.php: no commands of its own; slotlock:status comes from the provider. */
class ConsoleKernel extends Kernel
{
    protected $commands = [];

    protected function commands()
    {
    }
}
