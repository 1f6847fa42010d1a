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
}
