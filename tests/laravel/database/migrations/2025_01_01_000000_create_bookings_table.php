<?php

use Illuminate\Database\Migrations\Migration;
use Illuminate\Database\Schema\Blueprint;
use Illuminate\Support\Facades\Schema;

// test only: the appointments the booking repository writes. No unique index
// on the slot, as in the calendars slotlock protects: a double booking is a
// second row, which the race tests count (a unique index would hide it).
return new class extends Migration
{
    public function up(): void
    {
        Schema::create('bookings', function (Blueprint $table) {
            $table->id();
            $table->string('company_id', 64);
            $table->string('service_id', 64);
            $table->dateTime('starts_at');
            $table->string('customer_name')->nullable();
            $table->string('call_id', 128);
            $table->timestamps();
            $table->index(['company_id', 'service_id', 'starts_at']);
        });
    }

    public function down(): void
    {
        Schema::dropIfExists('bookings');
    }
};
