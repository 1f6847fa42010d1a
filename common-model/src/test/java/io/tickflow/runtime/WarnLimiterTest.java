package io.tickflow.runtime;

import org.junit.jupiter.api.Test;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;

class WarnLimiterTest {

    @Test
    void shouldPermitOneWarningPerIntervalAndCountTheSuppressedWhenCalledOften() {
        final AtomicLong now = new AtomicLong(1_000);
        final WarnLimiter limiter = new WarnLimiter(1, TimeUnit.SECONDS, now::get);

        assertEquals(0, limiter.tryAcquire(), "the first one is logged");
        assertEquals(-1, limiter.tryAcquire());
        now.addAndGet(TimeUnit.MILLISECONDS.toNanos(999));
        assertEquals(-1, limiter.tryAcquire());
        now.addAndGet(TimeUnit.MILLISECONDS.toNanos(1));
        assertEquals(2, limiter.tryAcquire(), "one interval later, with the two suppressed since");
        assertEquals(-1, limiter.tryAcquire());
    }
}
