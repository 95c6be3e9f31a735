<?php

namespace App\Services\Booking;

use DateTimeInterface;

/**
 * Where RetellFunctionCallHandler reads availability from and writes bookings
 * to (in the app: the calendar sync + appointments table behind it).
 */
interface BookingRepository
{
    /**
     * Is the slot free in the calendar? At least ['available' => bool]; any
     * other entries (alternatives, staff, duration) are passed on to the agent.
     */
    public function availability(int|string $companyId, int|string $serviceId, DateTimeInterface $start): array;

    /**
     * Writes the booking and returns its id. Throws when it cannot (the slot
     * was taken in the calendar, validation, the database).
     *
     * @param array{name?: string, phone?: string, email?: string} $customer
     */
    public function book(int|string $companyId, int|string $serviceId, DateTimeInterface $start, array $customer, string $callId): string;
}
