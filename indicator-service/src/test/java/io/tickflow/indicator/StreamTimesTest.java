package io.tickflow.indicator;

import io.tickflow.model.Json;
import io.tickflow.model.Tick;
import io.tickflow.model.TickSanity;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Instant;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The poll thread's stamps: per partition, the max timestamp of the records that pass the gate, this one included. */
class StreamTimesTest {
    private static final Instant T0 = Instant.parse("2024-06-02T12:00:00Z");
    private final StreamTimes times = new StreamTimes();
    private final TickGate gate = new TickGate(TickSanity.DEFAULT);

    private LaneProcessor.Work admit(final int partition, final String key, final String value) {
        return gate.admit(new ConsumerRecord<>(Rig.TICKS, partition, 0L,
                key == null ? null : key.getBytes(StandardCharsets.UTF_8),
                value == null ? null : value.getBytes(StandardCharsets.UTF_8)), 0L, times);
    }

    private LaneProcessor.Work tick(final int partition, final String stock, final long second, final double price) {
        return admit(partition, stock, new String(Json.encodeTick(Tick.of(stock, T0.plusSeconds(second), price, 1)),
                StandardCharsets.UTF_8));
    }

    @Test
    void shouldStampEachRecordWithItsPartitionsMaxTimestampSoFarIncludingItself() {
        assertEquals(T0.plusSeconds(10).toEpochMilli(), tick(0, "A", 10, 100).streamTime());
        assertEquals(T0.plusSeconds(10).toEpochMilli(), tick(0, "B", 4, 100).streamTime(), "older: time stays");
        assertEquals(T0.plusSeconds(12).toEpochMilli(), tick(0, "B", 12, 100).streamTime());
        assertEquals(T0.plusSeconds(3).toEpochMilli(), tick(1, "C", 3, 100).streamTime(), "per partition");
        assertTrue(times.touched(0) && times.touched(1));
        times.clearTouched();
        assertFalse(times.touched(0));
        times.reset(0, StreamTimes.NONE);
        assertEquals(T0.plusSeconds(1).toEpochMilli(), tick(0, "A", 1, 100).streamTime(), "after a reset");
    }

    @Test
    void shouldNotMoveStreamTimeWhenTheGateRejectsTheRecord() {
        tick(0, "A", 10, 100);
        final long before = times.of(0);
        final LaneProcessor.Work mismatch = admit(0, "B", new String(Json.encodeTick(Tick.of("A",
                T0.plusSeconds(500), 100, 1)), StandardCharsets.UTF_8));
        assertEquals("key_mismatch", mismatch.code());
        assertEquals("price_out_of_range", tick(0, "A", 600, 1e12).code());
        assertEquals("malformed", admit(0, "A", "{\"stock_id\":").code());
        assertEquals("no_key", admit(0, null, "{}").code());
        final LaneProcessor.Work noValue = admit(0, "A", null);
        assertEquals("malformed", noValue.code());
        assertNull(noValue.tick());
        assertEquals(before, times.of(0));
        assertEquals(before, noValue.streamTime(), "a rejected record carries the time unchanged");
    }

    @Test
    void shouldMoveAPartitionQuietForBarIdleCloseByTheWallTimeSinceItLastMoved() {
        final long idle = 10_000_000_000L;
        tick(0, "A", 10, 100);
        tick(1, "B", 20, 100);
        times.clearTouched();
        assertFalse(times.advanceIdle(0L, idle), "the first check starts the quiet clocks");
        tick(1, "B", 25, 100); // partition 1 moves: its clock restarts at the next check
        assertFalse(times.advanceIdle(5_000_000_000L, idle));
        times.clearTouched();
        assertTrue(times.advanceIdle(10_500_000_000L, idle));
        assertEquals(T0.plusSeconds(10).toEpochMilli() + 10_500, times.of(0), "event time at the wall clock's pace");
        assertTrue(times.touched(0), "broadcast like a tick's advance");
        assertEquals(T0.plusSeconds(25).toEpochMilli(), times.of(1), "quiet for 5.5 s only");
        assertFalse(times.touched(1));
        assertTrue(times.advanceIdle(20_000_000_000L, idle));
        assertEquals(T0.plusSeconds(10).toEpochMilli() + 10_500, times.of(0), "its quiet time counts anew");
        assertEquals(T0.plusSeconds(25).toEpochMilli() + 15_000, times.of(1), "quiet since the check at 5 s");
        assertTrue(times.advanceIdle(20_500_000_000L, idle));
        assertEquals(T0.plusSeconds(10).toEpochMilli() + 20_500, times.of(0));
    }

    @Test
    void shouldCountQuietTimeAnewAfterAResetOrARestartAndNeverMoveAPartitionWithoutTicks() {
        final long idle = 10_000_000_000L;
        tick(0, "A", 10, 100);
        times.reset(2, StreamTimes.NONE);
        times.advanceIdle(0L, idle);
        times.restartIdleClocks(); // e.g. fetching paused behind a backlog
        assertFalse(times.advanceIdle(30_000_000_000L, idle));
        times.reset(0, T0.plusSeconds(10).toEpochMilli()); // a restore
        assertFalse(times.advanceIdle(45_000_000_000L, idle));
        assertFalse(times.advanceIdle(54_000_000_000L, idle));
        assertTrue(times.advanceIdle(55_000_000_000L, idle));
        assertEquals(T0.plusSeconds(20).toEpochMilli(), times.of(0));
        assertEquals(StreamTimes.NONE, times.of(2), "no tick yet: nothing to move from");
    }
}
