package io.tickflow.ingest;

import io.tickflow.model.Tick;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SimulatorTest {
    private static final Instant START = Instant.parse("2024-06-03T13:30:00Z");

    @Test
    void shouldSendTheMarketSequenceUntilCountWhenLimited() throws Exception {
        final List<Tick> sent = new ArrayList<>();
        final Simulator simulator = new Simulator(new SimulatorOptions(5, 100_000, 9, 2_000, null, null),
                sent::add, Clock.fixed(START, ZoneOffset.UTC));
        simulator.run();
        assertEquals(2_000, simulator.sent());
        final SimulatedMarket expected = new SimulatedMarket(5, 100_000, 9, START);
        for (Tick t : sent) {
            assertEquals(expected.next(), t);
        }
        assertTrue(simulator.awaitFinished(Duration.ZERO));
        assertTrue(simulator.achievedRate() > 0);
    }

    @Test
    void shouldStopItsThreadWhenClosed() throws Exception {
        final List<Tick> sent = new ArrayList<>();
        final Simulator simulator = new Simulator(SimulatorOptions.of(3, 1_000, 1), t -> {
            synchronized (sent) {
                sent.add(t);
            }
        }, Clock.systemUTC()).start();
        final long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (simulator.sent() < 10 && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }
        simulator.close();
        assertTrue(simulator.awaitFinished(Duration.ofSeconds(5)));
        final long after = simulator.sent();
        assertTrue(after >= 10, "sent " + after);
        synchronized (sent) {
            assertEquals(after, sent.size());
        }
    }
}
