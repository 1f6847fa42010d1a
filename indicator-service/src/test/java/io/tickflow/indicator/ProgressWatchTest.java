package io.tickflow.indicator;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ProgressWatchTest {
    private final AtomicLong nanos = new AtomicLong(-1_000L);
    private final ProgressWatch watch = new ProgressWatch(nanos::get, Duration.ofSeconds(30));

    @Test
    void shouldProgressWhenIdleHoweverLongNothingWasCommitted() {
        nanos.addAndGet(Duration.ofHours(5).toNanos());
        assertTrue(watch.progressing());
    }

    @Test
    void shouldStopProgressingWhenWorkWaitsTheTimeoutWithoutACommit() {
        watch.waiting();
        nanos.addAndGet(Duration.ofSeconds(20).toNanos());
        watch.waiting(); // still the same wait: counted from its start
        nanos.addAndGet(Duration.ofSeconds(10).toNanos() - 1);
        assertTrue(watch.progressing());
        nanos.addAndGet(1);
        assertFalse(watch.progressing());
        watch.committed();
        assertTrue(watch.progressing());
    }
}
