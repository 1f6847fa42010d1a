package io.tickflow.delivery;

import io.prometheus.metrics.model.registry.PrometheusRegistry;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The outbound budget against a socket that writes only when told to. */
class OutboxTest {
    private final DeliveryMetrics metrics = new DeliveryMetrics(new PrometheusRegistry());
    private final FakeSocket socket = new FakeSocket();
    private final List<Outbox> scheduled = new ArrayList<>();

    private Outbox outbox(final int highWater, final int limit, final int batchMax) {
        return new Outbox(socket, metrics, highWater, limit, 2, batchMax, scheduled::add);
    }

    private static Result result(final String stock, final long seq) {
        return Result.parse(TestResults.result(stock, seq, 1.0, ""));
    }

    @Test
    void shouldWriteStraightThroughWhenSocketHasRoom() {
        final Outbox o = outbox(10_000, 20_000, 1);
        o.deliver(result("A", 1).update());
        o.deliver(result("A", 2).update());
        assertEquals(2, socket.sent.size());
        assertTrue(scheduled.isEmpty());
    }

    @Test
    void shouldQueueThenDrainInOrderWhenSocketWindowIsFull() {
        final Outbox o = outbox(10_000, 20_000, 1);
        for (int seq = 1; seq <= 5; seq++) {
            o.deliver(result("A", seq).update());
        }
        assertEquals(2, socket.sent.size());
        assertEquals(1, scheduled.size());
        socket.writeAll();
        assertFalse(o.drain()); // two more fit, one still waits
        socket.writeAll();
        assertTrue(o.drain());
        socket.writeAll();
        assertEquals(5, socket.written.size());
        for (int i = 0; i < 5; i++) {
            assertTrue(socket.written.get(i).contains("\"seq\":" + (i + 1)));
        }
    }

    @Test
    void shouldKeepTheWindowClosedUntilTheSocketHasWrittenEverythingWhenItWritesPartly() {
        final Outbox o = outbox(10_000, 20_000, 1);
        for (int seq = 1; seq <= 3; seq++) {
            o.deliver(result("A", seq).update());
        }
        assertEquals(2, socket.sent.size());
        socket.writeOne(); // one frame still buffered: our count cannot tell how many, so the window stays full
        assertFalse(o.drain());
        assertEquals(2, socket.sent.size());
        socket.writeAll(); // nothing buffered: the count starts again
        assertTrue(o.drain());
        assertEquals(3, socket.sent.size());
    }

    @Test
    void shouldConflateToLatestPerStockWhenPastHighWater() {
        final Outbox o = outbox(600, 100_000, 1);
        for (int seq = 1; seq <= 40; seq++) {
            o.deliver(result("A", seq).update());
            o.deliver(result("B", seq).update());
        }
        assertTrue((long) metrics.conflations.get() > 0);
        for (int i = 0; i < 100 && !o.drain(); i++) {
            socket.writeAll();
        }
        socket.writeAll();
        final String lastA = socket.written.stream().filter(s -> s.contains("\"A\"")).reduce((a, b) -> b).orElseThrow();
        assertTrue(lastA.contains("\"conflated\":true") && lastA.contains("\"seq\":40"), lastA);
        assertTrue(socket.written.size() < 80, "conflated updates were dropped");
    }

    @Test
    void shouldSend407AndCloseWhenPastHardLimit() {
        final Outbox o = outbox(1_024, 4_096, 1);
        for (int s = 0; s < 100; s++) {
            o.deliver(result("S" + s, 1).update());
        }
        assertTrue(o.isClosed());
        assertEquals(1008, socket.closeCode);
        assertTrue(socket.sent.get(socket.sent.size() - 1).contains("\"code\":407"));
        assertEquals(1, (long) metrics.slowClientCloses.get());
        final int sent = socket.sent.size();
        o.deliver(result("S0", 2).update());
        assertEquals(sent, socket.sent.size(), "nothing more after the close");
    }

    @Test
    void shouldSendAloneWhileTheSocketKeepsUpAndBatchWhatWaitedBehindItWhenBatching() {
        final Outbox o = outbox(100_000, 200_000, 10);
        o.deliver(result("A", 1).update());
        o.deliver(result("A", 2).update());
        assertEquals(2, socket.sent.size(), "a socket with room gets each update at once, alone");
        assertTrue(socket.sent.get(0).startsWith("{\"type\":\"update\""));
        o.deliver(result("A", 3).update()); // the window (2) is full: these wait
        o.deliver(result("A", 4).update());
        o.deliver(Messages.heartbeat(1));
        o.deliver(result("A", 5).update());
        assertEquals(2, socket.sent.size());
        socket.writeAll();
        o.drain();
        socket.writeAll();
        assertTrue(o.drain());
        socket.writeAll();
        assertEquals(5, socket.written.size());
        final String batch = socket.written.get(2);
        assertTrue(batch.startsWith("[{\"type\":\"update\"") && batch.contains("\"seq\":3")
                && batch.contains("\"seq\":4"), batch);
        assertTrue(socket.written.get(3).startsWith("{\"type\":\"heartbeat\""), "control frames are never batched");
        assertTrue(socket.written.get(4).startsWith("[{\"type\":\"update\""));
    }

    private static Bar bar(final byte[] json) {
        return Bar.parse(json);
    }

    @Test
    void shouldConflateFormingBarsButKeepEveryFinalBarWhenPastHighWater() {
        final Outbox o = outbox(600, 1_000_000, 1);
        for (int minute = 1; minute <= 20; minute++) {
            for (int trades = 1; trades <= 5; trades++) {
                o.deliver(bar(TestBars.forming("A", minute, trades)).live());
            }
            o.deliver(bar(TestBars.fin("A", minute)).live());
        }
        o.deliver(bar(TestBars.forming("A", 21, 1)).live());
        assertTrue((long) metrics.conflations.get() > 0);
        for (int i = 0; i < 1_000 && !o.drain(); i++) {
            socket.writeAll();
        }
        socket.writeAll();
        final List<String> finals = socket.written.stream().filter(f -> f.contains("\"final\":true")).toList();
        assertEquals(20, finals.size(), "no final bar is conflated");
        for (int i = 0; i < 20; i++) {
            assertTrue(finals.get(i).contains("\"seq\":" + (i + 1) + ","), finals.get(i));
        }
        final String last = socket.written.get(socket.written.size() - 1);
        assertTrue(last.contains("\"final\":false") && last.contains("12:21:00Z"), "the latest forming bar last");
        long lastFinalAt = -1;
        for (int i = 0; i < socket.written.size(); i++) {
            final String f = socket.written.get(i);
            if (f.contains("\"final\":true")) {
                lastFinalAt = i;
            } else if (f.contains("\"conflated\":true") && f.contains("12:20:00Z")) {
                throw new AssertionError("a conflated forming bar followed its own final bar at " + i + " > "
                        + lastFinalAt);
            }
        }
    }

    @Test
    void shouldSend407RatherThanDropAFinalBarWhenPastHardLimit() {
        final Outbox o = outbox(1_024, 4_096, 1);
        for (int seq = 1; seq <= 20 && !o.isClosed(); seq++) {
            o.deliver(bar(TestBars.fin("A", seq)).live());
        }
        assertTrue(o.isClosed());
        assertTrue(socket.sent.get(socket.sent.size() - 1).contains("\"code\":407"));
    }

    /** Frames stay "in the socket" until {@link #writeAll()}. */
    private static final class FakeSocket implements Outbox.Socket {
        final List<String> sent = new ArrayList<>();
        final List<String> written = new ArrayList<>();
        int closeCode;

        @Override
        public void send(final byte[] utf8) {
            sent.add(new String(utf8, StandardCharsets.UTF_8));
        }

        @Override
        public boolean hasBufferedData() {
            return sent.size() > written.size();
        }

        @Override
        public void close(final int code, final String reason) {
            closeCode = code;
        }

        void writeOne() {
            written.add(sent.get(written.size()));
        }

        void writeAll() {
            written.addAll(sent.subList(written.size(), sent.size()));
        }
    }
}
