<?php

namespace Tests\Laravel;

use App\Services\Booking\BookingRepository;
use Illuminate\Foundation\Console\VendorPublishCommand;
use Illuminate\Support\ServiceProvider;

/** test only: what the app's AppServiceProvider would bind, and artisan's vendor:publish. */
class TestAppServiceProvider extends ServiceProvider
{
    public function register(): void
    {
        $this->app->bind(BookingRepository::class, SqliteBookingRepository::class);
    }

    public function boot(): void
    {
        if ($this->app->runningInConsole()) {
            $this->commands([VendorPublishCommand::class]);
        }
    }
}
