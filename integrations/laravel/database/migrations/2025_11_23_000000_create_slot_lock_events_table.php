<?php

use Illuminate\Database\Migrations\Migration;
use Illuminate\Database\Schema\Blueprint;
use Illuminate\Support\Facades\Schema;

/*
 * One row per slot lock event (SLOT_LOCK_DB_LOG=true): acquired, reacquired,
 * relocked, conflict, released, extended, lost, committed, error. No owner
 * token (call id) is stored.
 *
 *   conflicts per hour:
 *     SELECT strftime('%Y-%m-%d %H', created_at) h, count(*) FROM slot_lock_events
 *     WHERE event = 'conflict' GROUP BY h;
 */
return new class extends Migration
{
    public function up(): void
    {
        Schema::create('slot_lock_events', function (Blueprint $table) {
            $table->id();
            $table->string('event', 32);
            $table->text('lock_key')->nullable();          // compound locks: keys joined by ","
            $table->string('company_id', 64)->nullable();  // read from the (first) key
            $table->string('service_id', 64)->nullable();
            $table->string('resource_id', 64)->nullable();
            $table->char('slot', 12)->nullable();          // YmdHi of the key
            $table->unsignedBigInteger('fence')->nullable();
            $table->unsignedInteger('ttl_ms')->nullable();
            $table->string('reason', 64)->nullable();
            $table->timestamp('created_at')->nullable();

            $table->index(['event', 'created_at']);
            $table->index(['company_id', 'created_at']);
        });
    }

    public function down(): void
    {
        Schema::dropIfExists('slot_lock_events');
    }
};
