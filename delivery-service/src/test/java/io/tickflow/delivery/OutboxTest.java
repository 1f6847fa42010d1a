package io.tickflow.delivery;

import io.prometheus.metrics.model.registry.PrometheusRegistry;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The outbound budget against a socket that writes only when told to, and a clock that moves only when told to. */
class OutboxTest {
    /** One result update of a single-digit seq, in bytes: windows below are whole numbers of these. */
    private static final int UPDATE = result("A", 1).update().size();

    private final DeliveryMetrics metrics = new DeliveryMetrics(new PrometheusRegistry());
    private final FakeSocket socket = new FakeSocket();
    private final List<Outbox> scheduled = new ArrayList<>();
    private long nowNanos = 1_000_000_000L;

    /** A socket window of two updates. */
    private Outbox outbox(final int highWater, final int limit, final int batchMax) {
        return new Outbox(socket, metrics, highWater, limit, 2 * UPDATE, Duration.ZERO, batchMax, scheduled::add,
                () -> nowNanos);
    }

    private static Result result(final String stock, final long seq) {
        return Result.parse(TestResults.result(stock, seq, 1.0, ""));
    }

    /** Lets the socket write everything and drains until nothing waits for it. */
    private void flush(final Outbox o) {
        for (int i = 0; i < 10_000; i++) {
            socket.writeAll();
            if (o.drain() != Outbox.Waiting.SOCKET) {
                socket.writeAll();
                return;
            }
        }
        throw new AssertionError("the outbox never drained");
    }

    private static long seq(final String frame) {
        final int at = frame.indexOf("\"seq\":") + 6;
        int end = at;
        while (Character.isDigit(frame.charAt(end))) {
            end++;
        }
        return Long.parseLong(frame.substring(at, end));
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
    void shouldDropWhatWaitsAndTakeNothingMoreOnceDiscarded() {
        final Outbox o = outbox(10_000, 20_000, 1);
        for (int seq = 1; seq <= 4; seq++) {
            o.deliver(result("A", seq).update());
        }
        o.discard();
        o.deliver(result("A", 5).update());
        socket.writeAll();
        assertEquals(Outbox.Waiting.NOTHING, o.drain(), "the drainer forgets it");
        assertEquals(List.of(1L, 2L), socket.written.stream().map(OutboxTest::seq).toList());
    }

    @Test
    void shouldKeepOnlyTheLatestUpdateOfAStockMarkedConflatedWhileTheSocketIsFull() {
        final Outbox o = outbox(10_000, 20_000, 1);
        for (int seq = 1; seq <= 6; seq++) {
            o.deliver(result("A", seq).update());
        }
        assertEquals(2, socket.sent.size(), "the window holds two updates");
        assertEquals(1, scheduled.size());
        assertEquals(3, (long) metrics.conflations.get(), "3, 4 and 5 were replaced while waiting");
        flush(o);
        assertEquals(3, socket.written.size());
        assertEquals(List.of(1L, 2L, 6L), socket.written.stream().map(OutboxTest::seq).toList());
        assertTrue(socket.written.get(2).contains("\"conflated\":true"), socket.written.get(2));
        assertFalse(socket.written.get(0).contains("conflated"));
    }

    @Test
    void shouldSendAWaitingUpdateUnmarkedWhenNothingReplacedIt() {
        final Outbox o = outbox(10_000, 20_000, 1);
        o.deliver(result("A", 1).update());
        o.deliver(result("A", 2).update());
        o.deliver(result("B", 1).update());
        flush(o);
        assertEquals(3, socket.written.size());
        assertTrue(socket.written.get(2).contains("\"B\"") && !socket.written.get(2).contains("conflated"));
    }

    @Test
    void shouldNeverLetTheSocketHoldMoreThanItsWindowPlusOneFrameWhateverTheLoad() {
        final int window = 3 * UPDATE;
        final Outbox o = new Outbox(socket, metrics, 10_000, 1 << 20, window, Duration.ZERO, 8, scheduled::add,
                () -> nowNanos);
        final Map<String, Long> latest = new HashMap<>();
        for (int seq = 1; seq <= 2_000; seq++) {
            for (int s = 0; s < 20; s++) {
                o.deliver(result("S" + s, seq).update());
                latest.put("S" + s, (long) seq);
                final int held = socket.heldBytes();
                assertTrue(held < window + 8 * (UPDATE + 4), "socket holds " + held + " bytes: more than the"
                        + " window and one batch of 8");
            }
            if (seq % 7 == 0) { // a client reading a little now and then
                socket.writeOne();
                o.drain();
            }
        }
        assertTrue(socket.sent.size() < 2_000, "a slow reader is sent the latest values, not every update: "
                + socket.sent.size() + " frames");
        flush(o);
        final Map<String, Long> lastSeen = new HashMap<>();
        for (String frame : socket.written) {
            for (String part : frame.split("\\{\"type\"")) {
                if (part.contains("stock_id")) {
                    final String stock = part.substring(part.indexOf("\"stock_id\":\"") + 12).split("\"")[0];
                    lastSeen.put(stock, seq(part));
                }
            }
        }
        assertEquals(latest, lastSeen, "every stock's latest value arrived once the client read again");
    }

    @Test
    void shouldOpenTheWindowByWhatTheSocketHasWritten() {
        final Outbox o = outbox(10_000, 20_000, 1);
        for (int seq = 1; seq <= 3; seq++) {
            o.deliver(result("S" + seq, 1).update());
        }
        assertEquals(2, socket.sent.size());
        socket.writeOne(); // room for one more frame
        assertEquals(Outbox.Waiting.NOTHING, o.drain());
        assertEquals(3, socket.sent.size());
    }

    @Test
    void shouldSendQueuedRepliesBeforeUpdatesThatWaitedBehindThem() {
        final Outbox o = outbox(10_000, 20_000, 1);
        o.deliver(result("A", 1).update());
        o.deliver(result("A", 2).update());
        o.deliver(Messages.heartbeat(1));
        o.deliver(result("A", 3).update());
        flush(o);
        assertTrue(socket.written.get(2).contains("heartbeat"));
        assertEquals(3, seq(socket.written.get(3)));
    }

    @Test
    void shouldReplayEveryUpdateInOrderUpToTheHighWaterMarkThenConflate() {
        final Outbox o = outbox(20 * UPDATE, 1 << 20, 1);
        for (int seq = 1; seq <= 9; seq++) {
            o.replay(result("A", seq).update());
        }
        flush(o);
        assertEquals(List.of(1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L), socket.written.stream().map(OutboxTest::seq).toList(),
                "a replay under the mark is not conflated");
        socket.sent.clear();
        socket.written.clear();
        for (int seq = 10; seq <= 100; seq++) {
            o.replay(result("A", seq).update());
        }
        flush(o);
        final List<Long> seqs = socket.written.stream().map(OutboxTest::seq).toList();
        assertTrue(seqs.size() < 91, "past the mark the replay conflates");
        assertEquals(100L, seqs.get(seqs.size() - 1));
        for (int i = 1; i < seqs.size(); i++) {
            assertTrue(seqs.get(i) > seqs.get(i - 1), seqs::toString);
        }
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
    void shouldHandTheSocketNothingWhileItsOldestFrameHasWaitedTheWindowAgeAndSendTheLatestOnceItWrites() {
        final Outbox o = new Outbox(socket, metrics, 100_000, 200_000, 100 * UPDATE, Duration.ofMillis(50), 1,
                scheduled::add, () -> nowNanos);
        o.deliver(result("A", 1).update());
        nowNanos += Duration.ofMillis(49).toNanos();
        o.deliver(result("B", 1).update());
        assertEquals(2, socket.sent.size(), "the oldest frame held is younger than the window age");
        nowNanos += Duration.ofMillis(1).toNanos();
        for (int seq = 2; seq <= 4; seq++) {
            o.deliver(result("A", seq).update());
        }
        assertEquals(2, socket.sent.size(), "a stale socket gets nothing more, though its window has room");
        flush(o);
        assertEquals(List.of(1L, 1L, 4L), socket.written.stream().map(OutboxTest::seq).toList());
        assertTrue(socket.written.get(2).contains("\"conflated\":true"), socket.written.get(2));
    }

    @Test
    void shouldLeaveAConflatedBatchsUpdatesToTheDrainerAsOneArrayFrameEvenWhenTheSocketHasRoom() {
        final Outbox o = outbox(100_000, 200_000, 10);
        o.deliverSoon(result("A", 1).update());
        o.deliverSoon(result("B", 1).update());
        o.deliverSoon(result("A", 2).conflated());
        assertTrue(socket.sent.isEmpty(), "nothing written on the feed thread");
        assertEquals(List.of(o), scheduled);
        flush(o);
        assertEquals(1, socket.written.size());
        final String batch = socket.written.get(0);
        assertTrue(batch.startsWith("[") && batch.contains("\"B\"") && batch.endsWith("]"), batch);
        assertEquals(2, batch.split("\"type\":\"update\"").length - 1, "A's second replaced its first: " + batch);
    }

    @Test
    void shouldSendAloneWhileTheSocketKeepsUpAndBatchWhatWaitedBehindItWhenBatching() {
        final Outbox o = outbox(100_000, 200_000, 10);
        o.deliver(result("A", 1).update());
        o.deliver(result("A", 2).update());
        assertEquals(2, socket.sent.size(), "a socket with room gets each update at once, alone");
        assertTrue(socket.sent.get(0).startsWith("{\"type\":\"update\""));
        o.deliver(result("A", 3).update()); // the window is full: these wait
        o.deliver(result("B", 3).update());
        o.deliver(Messages.heartbeat(1));
        o.deliver(result("C", 3).update());
        flush(o);
        assertEquals(4, socket.written.size());
        assertTrue(socket.written.get(2).startsWith("{\"type\":\"heartbeat\""), "queued frames go first, alone");
        final String batch = socket.written.get(3);
        assertTrue(batch.startsWith("[{\"type\":\"update\"") && batch.contains("\"A\"") && batch.contains("\"B\"")
                && batch.contains("\"C\"") && batch.endsWith("}]"), batch);
    }

    @Test
    void shouldHoldUpdatesOfAThrottledStockAndSendTheLatestWhenThePeriodEnds() {
        final Outbox o = outbox(100_000, 200_000, 1);
        o.throttle(List.of("A"), 100);
        o.deliver(result("A", 1).update());
        assertEquals(1, socket.sent.size(), "the first update after a quiet period goes at once");
        nowNanos += 10_000_000;
        o.deliver(result("A", 2).update());
        o.deliver(result("B", 1).update());
        socket.writeAll();
        nowNanos += 40_000_000;
        o.deliver(result("A", 3).update());
        assertEquals(2, socket.sent.size(), "A is held, B is not throttled");
        nowNanos += 49_000_000; // 99 ms after A 1
        assertEquals(Outbox.Waiting.THROTTLE, o.drain());
        assertEquals(2, socket.sent.size());
        nowNanos += 1_000_000;
        assertEquals(Outbox.Waiting.NOTHING, o.drain());
        assertEquals(3, socket.sent.size());
        assertEquals(3, seq(socket.sent.get(2)));
        assertTrue(socket.sent.get(2).contains("\"conflated\":true"), "A 2 was skipped");
        nowNanos += 20_000_000;
        o.deliver(result("A", 4).update());
        nowNanos += 79_000_000;
        o.drain();
        assertEquals(3, socket.sent.size(), "still the period that started with the trailing A 3");
        nowNanos += 1_000_000;
        o.drain();
        assertEquals(4, seq(socket.sent.get(3)));
        assertFalse(socket.sent.get(3).contains("conflated"), "nothing was skipped");
    }

    @Test
    void shouldThrottleEveryStockThroughTheWildcardUnlessSubscribedByNameWithout() {
        final Outbox o = outbox(100_000, 200_000, 1);
        o.throttle(List.of("*"), 1_000);
        o.throttle(List.of("B"), 0);
        for (int seq = 1; seq <= 3; seq++) {
            o.deliver(result("A", seq).update());
            o.deliver(result("B", seq).update());
            socket.writeAll();
        }
        assertEquals(List.of(1L, 1L, 2L, 3L), socket.sent.stream().map(OutboxTest::seq).toList());
        o.unthrottle(List.of("*"));
        o.deliver(result("A", 4).update());
        assertEquals(4, seq(socket.sent.get(socket.sent.size() - 1)), "unsubscribing * lifts its throttle");
    }

    @Test
    void shouldForgetHeldUpdatesOfAStockNoLongerSubscribed() {
        final Outbox o = outbox(100_000, 200_000, 1);
        o.throttle(List.of("A"), 100);
        o.deliver(result("A", 1).update());
        o.deliver(result("A", 2).update());
        o.retain(key -> false);
        o.unthrottle(List.of("A"));
        nowNanos += 200_000_000;
        assertEquals(Outbox.Waiting.NOTHING, o.drain());
        assertEquals(1, socket.sent.size());
    }

    private static Bar bar(final byte[] json) {
        return Bar.parse(json);
    }

    @Test
    void shouldConflateFormingBarsButKeepEveryFinalBarWhileTheSocketIsFull() {
        final Outbox o = outbox(600, 1_000_000, 1);
        for (int minute = 1; minute <= 20; minute++) {
            for (int trades = 1; trades <= 5; trades++) {
                o.deliver(bar(TestBars.forming("A", minute, trades)).live());
            }
            o.deliver(bar(TestBars.fin("A", minute)).live());
        }
        o.deliver(bar(TestBars.forming("A", 21, 1)).live());
        assertTrue((long) metrics.conflations.get() > 0);
        flush(o);
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

    /** Frames stay "in the socket" until written. */
    private static final class FakeSocket implements Outbox.Socket {
        final List<String> sent = new ArrayList<>();
        final List<String> written = new ArrayList<>();
        int closeCode;

        @Override
        public void send(final byte[] utf8) {
            sent.add(new String(utf8, StandardCharsets.UTF_8));
        }

        @Override
        public int heldFrames() {
            return sent.size() - written.size();
        }

        @Override
        public void close(final int code, final String reason) {
            closeCode = code;
        }

        int heldBytes() {
            int bytes = 0;
            for (int i = written.size(); i < sent.size(); i++) {
                bytes += sent.get(i).length();
            }
            return bytes;
        }

        void writeOne() {
            if (written.size() < sent.size()) {
                written.add(sent.get(written.size()));
            }
        }

        void writeAll() {
            written.addAll(sent.subList(written.size(), sent.size()));
        }
    }
}
