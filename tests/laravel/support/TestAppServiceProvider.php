<?php

namespace Tests\Laravel;

use App\Services\Booking\BookingRepository;
use Illuminate\Support\ServiceProvider;

/** test only: what the app's AppServiceProvider would bind. */
class TestAppServiceProvider extends ServiceProvider
{
    public function register(): void
    {
        $this->app->bind(BookingRepository::class, SqliteBookingRepository::class);
    }
}
