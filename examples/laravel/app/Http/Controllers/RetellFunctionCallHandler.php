<?php

namespace App\Http\Controllers;

use App\Services\Booking\BookingRepository;
use AvailabilityWithLock;
use Carbon\CarbonImmutable;
use Illuminate\Http\JsonResponse;
use Illuminate\Http\Request;
use Illuminate\Routing\Controller;
use Illuminate\Support\Facades\Log;
use InvalidArgumentException;
use SlotLockService;
use Throwable;

/**
 * Excerpt: the Retell function calls that book a slot, with slot locks.
 *
 * check_availability locks the slot it offers to this call (owner = the
 * Retell call id) and hands the agent a lock_key; start_booking passes the
 * lock_key back, is refused while another call holds the slot, writes the
 * booking, and then marks the slot booked (a retried start_booking gets the
 * same booking back instead of a second one).
 *
 * Route (routes/api.php):
 *   Route::post('/retell/function-call', [RetellFunctionCallHandler::class, 'handle']);
 */
class RetellFunctionCallHandler extends Controller
{
    public function __construct(
        private AvailabilityWithLock $availabilityWithLock,
        private SlotLockService $slotLocks,
        private BookingRepository $bookings,
    ) {
    }

    /** POST body: {"name": "...", "args": {...}, "call": {"call_id": "..."}} */
    public function handle(Request $request): JsonResponse
    {
        $name = (string) $request->input('name', '');
        $args = (array) $request->input('args', []);
        $callId = (string) $request->input('call.call_id', '');
        if ($callId === '') {
            return new JsonResponse(['success' => false, 'error' => 'missing call.call_id'], 400);
        }

        try {
            $result = match ($name) {
                'check_availability' => $this->checkAvailability($args, $callId),
                'start_booking' => $this->startBooking($args, $callId),
                default => ['success' => false, 'error' => "unknown function $name"],
            };
        } catch (InvalidArgumentException $e) {
            $result = ['success' => false, 'error' => $e->getMessage()];
        }

        return new JsonResponse($result);
    }

    /** check_availability: the calendar's answer, with the offered slot locked for this call. */
    public function checkAvailability(array $args, string $callId): array
    {
        [$companyId, $serviceId, $start] = $this->slot($args);

        $availability = $this->bookings->availability($companyId, $serviceId, $start);

        // available: adds lock_key, lock_expires_at, lock_ttl, fence.
        // held by another call: available false, reason slot_locked / slot_booked, retry_after.
        // FEATURE_SLOT_LOCKING=false: $availability unchanged.
        $result = $this->availabilityWithLock->check($availability, $companyId, $serviceId, $start, $callId);

        $result['success'] = true;
        $result['datetime'] = $start->format('Y-m-d H:i');
        if (!empty($result['available'])) {
            $result['message'] = isset($result['lock_key'])
                ? 'The slot is free and held for this caller. Pass lock_key to start_booking.'
                : 'The slot is free.';
        } elseif (($result['reason'] ?? null) === 'slot_locked') {
            $result['message'] = 'Another caller is booking this slot right now. Offer an alternative time.';
        } elseif (($result['reason'] ?? null) === 'slot_booked') {
            $result['message'] = 'This slot was just booked. Offer an alternative time.';
        } else {
            $result['message'] = 'The slot is not available.';
        }

        return $result;
    }

    /** start_booking: refused while another call holds the slot; marks the slot booked after. */
    public function startBooking(array $args, string $callId): array
    {
        [$companyId, $serviceId, $start] = $this->slot($args);
        $lockKey = isset($args['lock_key']) && $args['lock_key'] !== '' ? (string) $args['lock_key'] : null;

        // The lock must be the one of the slot being booked: an agent that
        // mixes up two offers would otherwise book one slot under another's lock.
        if ($lockKey !== null && $lockKey !== $this->slotLocks->key($companyId, $serviceId, $start)) {
            return [
                'success' => false,
                'reason' => 'lock_key_mismatch',
                'message' => 'The lock_key belongs to another slot. Call check_availability for this slot first.',
            ];
        }

        // ok: locked (this call holds it), relocked (its hold had expired, the
        // slot was still free), no_lock_key (an older prompt), disabled.
        $gate = $this->availabilityWithLock->beginBooking($lockKey, $callId);
        if (!$gate['ok']) {
            switch ($gate['reason']) {
                case 'already_booked':
                    // a retried start_booking: the booking made the first time
                    return [
                        'success' => true,
                        'already_booked' => true,
                        'booking_id' => $gate['booking_id'],
                        'message' => 'This appointment is already booked.',
                    ];
                case 'slot_locked':
                case 'slot_booked':
                    return [
                        'success' => false,
                        'reason' => $gate['reason'],
                        'retry_after' => $gate['retry_after'] ?? null,
                        'message' => $gate['reason'] === 'slot_locked'
                            ? 'Another caller is booking this slot right now. Offer an alternative time.'
                            : 'This slot was just booked by another caller. Offer an alternative time.',
                    ];
                default: // invalid_lock_key
                    return [
                        'success' => false,
                        'reason' => $gate['reason'],
                        'message' => 'Call check_availability for this slot again.',
                    ];
            }
        }

        try {
            $bookingId = $this->bookings->book($companyId, $serviceId, $start, (array) ($args['customer'] ?? []), $callId);
        } catch (Throwable $e) {
            try {
                $this->availabilityWithLock->finishBooking($lockKey, $callId, false); // frees the slot
            } finally {
                Log::error('start_booking failed', ['error' => $e->getMessage(), 'company_id' => $companyId]);
            }

            return [
                'success' => false,
                'reason' => 'booking_failed',
                'message' => 'The appointment could not be booked.',
            ];
        }

        // the hold becomes a booked marker that carries the booking id
        $this->availabilityWithLock->finishBooking($lockKey, $callId, true, $bookingId);

        return [
            'success' => true,
            'booking_id' => $bookingId,
            'datetime' => $start->format('Y-m-d H:i'),
            'message' => 'The appointment is booked.',
        ];
    }

    /** [companyId, serviceId, start] from the function call's args. */
    private function slot(array $args): array
    {
        foreach (['company_id', 'service_id'] as $name) {
            if (!isset($args[$name]) || !is_scalar($args[$name]) || $args[$name] === '') {
                throw new InvalidArgumentException("missing $name");
            }
        }
        $when = $args['datetime'] ?? (isset($args['date'], $args['time']) ? $args['date'] . ' ' . $args['time'] : null);
        if (!is_string($when) || $when === '') {
            throw new InvalidArgumentException('missing datetime');
        }
        try {
            $start = CarbonImmutable::parse($when, config('app.timezone'));
        } catch (Throwable $e) {
            throw new InvalidArgumentException("datetime \"$when\" is not a time");
        }

        return [$this->id($args['company_id']), $this->id($args['service_id']), $start];
    }

    private function id(int|string|float|bool $value): int|string
    {
        return is_int($value) || ctype_digit((string) $value) ? (int) $value : (string) $value;
    }
}
