<?php

namespace Tests\Laravel;

use App\Services\Booking\BookingRepository;
use DateTimeImmutable;
use DateTimeInterface;
use DateTimeZone;
use Illuminate\Support\Facades\DB;
use RuntimeException;

/**
 * test only: a calendar in the sqlite "bookings" table. A customer named
 * "FAIL" makes book() throw, as a failed calendar sync would.
 */
class SqliteBookingRepository implements BookingRepository
{
    public function availability(int|string $companyId, int|string $serviceId, DateTimeInterface $start): array
    {
        $taken = DB::table('bookings')
            ->where('company_id', (string) $companyId)
            ->where('service_id', (string) $serviceId)
            ->where('starts_at', self::utc($start))
            ->exists();

        return $taken
            ? ['available' => false, 'reason' => 'calendar_booked']
            : ['available' => true, 'duration_minutes' => 30];
    }

    public function book(int|string $companyId, int|string $serviceId, DateTimeInterface $start, array $customer, string $callId): string
    {
        if (($customer['name'] ?? null) === 'FAIL') {
            throw new RuntimeException('calendar sync failed');
        }
        $id = DB::table('bookings')->insertGetId([
            'company_id' => (string) $companyId,
            'service_id' => (string) $serviceId,
            'starts_at' => self::utc($start),
            'customer_name' => $customer['name'] ?? null,
            'call_id' => $callId,
            'created_at' => now(),
            'updated_at' => now(),
        ]);

        return 'BK-' . $id;
    }

    private static function utc(DateTimeInterface $t): string
    {
        return DateTimeImmutable::createFromInterface($t)->setTimezone(new DateTimeZone('UTC'))->format('Y-m-d H:i:s');
    }
}
