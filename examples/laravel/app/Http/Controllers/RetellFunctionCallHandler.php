<?php

namespace App\Http\Controllers;

use App\Services\Booking\BookingRepository;
use Carbon\CarbonImmutable;
use Illuminate\Http\JsonResponse;
use Illuminate\Http\Request;
use Illuminate\Routing\Controller;
use InvalidArgumentException;
use Slotlock\Laravel\SlotLocking;
use Throwable;

/**
 * Example: the app's own Retell handler, with its two booking functions
 * wrapped by slotlock/laravel's SlotLocking. Only the marked lines are
 * slotlock's; the app's other functions stay as they are.
 *
 * check_availability locks the slot it offers to this call (owner = the
 * Retell call id) and hands the agent a lock_key; start_booking books only
 * a slot this call holds, or, without lock_key, a free slot it locks first.
 */
class RetellFunctionCallHandler extends Controller
{
    public function __construct(
        private BookingRepository $bookings,
        private SlotLocking $locking,                                  // slotlock
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
                // ... the app's other functions ...
                default => ['success' => false, 'error' => "unknown function $name"],
            };
        } catch (InvalidArgumentException $e) {
            $result = ['success' => false, 'error' => $e->getMessage()];
        }

        return new JsonResponse($result);
    }

    public function checkAvailability(array $args, string $callId): array
    {
        [$companyId, $serviceId, $start] = $this->slot($args);
        $result = $this->bookings->availability($companyId, $serviceId, $start);
        // slotlock: adds lock_key when it holds the slot for this call, or says slot_locked / slot_booked
        $result = $this->locking->check($result, $companyId, $serviceId, $start, $callId);

        $result['success'] = true;
        $result['message'] = match (true) {
            !empty($result['available']) => isset($result['lock_key'])
                ? 'The slot is free and held for this caller. Pass lock_key to start_booking.' : 'The slot is free.',
            ($result['reason'] ?? null) === 'slot_locked' => 'Another caller is booking this slot right now. Offer an alternative time.',
            ($result['reason'] ?? null) === 'slot_booked' => 'This slot was just booked. Offer an alternative time.',
            default => 'The slot is not available.',
        };

        return $result;
    }

    public function startBooking(array $args, string $callId): array
    {
        [$companyId, $serviceId, $start] = $this->slot($args);
        $customer = (array) ($args['customer'] ?? []);
        $lockKey = isset($args['lock_key']) && is_scalar($args['lock_key']) ? (string) $args['lock_key'] : null;
        try {
            // slotlock: runs the closure only for a slot this call holds (or a free one it locks first)
            $r = $this->locking->startBooking($lockKey, $callId, $companyId, $serviceId, $start,
                fn () => $this->bookings->book($companyId, $serviceId, $start, $customer, $callId));
        } catch (Throwable $e) {
            report($e);

            return ['success' => false, 'reason' => 'booking_failed', 'message' => 'The appointment could not be booked.'];
        }

        return match ($r['reason']) {
            'already_booked' => ['success' => true, 'already_booked' => true, 'booking_id' => $r['booking_id'],
                'message' => 'This appointment is already booked.'],
            'slot_locked', 'slot_booked' => ['success' => false, 'reason' => $r['reason'], 'retry_after' => $r['retry_after'],
                'message' => 'Another caller is booking this slot. Offer an alternative time.'],
            'invalid_lock_key', 'lock_key_mismatch' => ['success' => false, 'reason' => $r['reason'],
                'message' => 'Call check_availability for this slot again.'],
            default => ['success' => true, 'booking_id' => $r['booking_id'], 'datetime' => $start->format('Y-m-d H:i'),
                'message' => 'The appointment is booked.'],
        };
    }

    /** [companyId, serviceId, start] from the function call's args. */
    private function slot(array $args): array
    {
        foreach (['company_id', 'service_id'] as $name) {
            if (!isset($args[$name]) || !is_scalar($args[$name]) || $args[$name] === '') {
                throw new InvalidArgumentException("missing $name");
            }
        }
        $when = $args['datetime'] ?? null;
        if (!is_string($when) || $when === '') {
            throw new InvalidArgumentException('missing datetime');
        }
        try {
            $start = CarbonImmutable::parse($when, config('app.timezone'));
        } catch (Throwable $e) {
            throw new InvalidArgumentException("datetime \"$when\" is not a time");
        }
        $id = fn ($v) => is_int($v) || ctype_digit((string) $v) ? (int) $v : (string) $v;

        return [$id($args['company_id']), $id($args['service_id']), $start];
    }
}
