package io.tickflow.indicator;

import io.tickflow.indicator.bars.BarCloser;
import io.tickflow.indicator.bars.BarListener;
import io.tickflow.indicator.bars.BarSpec;
import io.tickflow.indicator.bars.StockBars;
import io.tickflow.indicator.ta.EngineSpec;
import io.tickflow.model.BarEncoder;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

import static io.tickflow.indicator.ProcessingGuarantee.EXACTLY_ONCE;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Bars through the processor's production object graph ({@link Rig}: 2 lanes, MockConsumer/MockProducer): the
 * poll thread's stream-time stamps, the advance broadcast to a quiet lane, dirty-on-final, late ticks, the state record
 * v3 and the restore of stream time.
 */
class BarsWiringTest {
    private static final BarSpec SPEC = BarSpec.parse("1m,5m", ZoneId.of("UTC"), 2_000, 250, "sma:2,atr:2");
    private static final Instant T0 = Instant.parse("2024-06-02T12:00:00Z");

    /** One tick of the test feed. */
    private record T(String stock, long millis, double price, double volume) {
    }

    /** Two stock ids on lane 0 and one on lane 1 of a 2-lane rig (the lane is the key's hash mod 2). */
    private static String[] stocks() {
        final List<String> even = new ArrayList<>();
        final List<String> odd = new ArrayList<>();
        for (char c = 'A'; c <= 'Z' && (even.size() < 2 || odd.isEmpty()); c++) {
            final String id = "S" + c;
            (Math.floorMod(Arrays.hashCode(id.getBytes(StandardCharsets.UTF_8)), 2) == 0 ? even : odd).add(id);
        }
        return new String[] {even.get(0), even.get(1), odd.get(0)};
    }

    /** A feed over 7 minutes: busy, quiet and late stocks, ticks out of order inside the grace, and late ones. */
    private static List<T> feed() {
        final String[] s = stocks();
        final List<T> feed = new ArrayList<>();
        long t = T0.toEpochMilli();
        for (int i = 0; i < 400; i++) {
            t += 1_000 + (i * 37 % 11) * 100;
            final String stock = i % 5 == 0 ? s[1] : (i % 2 == 0 ? s[0] : s[2]);
            final double price = 100 + 5 * Math.sin(i * 0.3) + (i % 7) * 0.25;
            long ts = t;
            if (i % 13 == 0) ts = t - 1_500; // out of order, inside the grace
            if (i % 61 == 60) ts = t - 90_000; // late for 1m (and sometimes 5m)
            feed.add(new T(stock, ts, price, 10 + i % 4));
        }
        return feed;
    }

    private static void append(final Rig rig, final List<T> ticks) {
        for (T t : ticks) rig.tick(0, t.stock(), Instant.ofEpochMilli(t.millis()), t.price(), t.volume());
    }

    /**
     * The bar documents one single closer (one lane) makes of the feed, per stock, sending forming updates after every
     * tick without a throttle: the finals of any run, and every forming update a run can send.
     */
    private static Map<String, List<String>> reference(final List<T> feed, final int[] lateTicks) {
        final BarSpec everyTick = new BarSpec(SPEC.intervals(), SPEC.graceMillis(), 0L, SPEC.indicators());
        final BarEncoder encoder = new BarEncoder(SPEC.indicators().outputKeys(), SPEC.indicators().outputParts());
        final Map<String, List<String>> out = new HashMap<>();
        final Map<String, StockBars> bars = new HashMap<>();
        final BarCloser closer = new BarCloser();
        final BarListener listener = (series, bar, fin, seq, ind) ->
                out.computeIfAbsent(series.stockId(), k -> new ArrayList<>()).add(new String(encoder.encode(
                        series.stockId(), series.interval().name(), bar, fin, seq, ind), StandardCharsets.UTF_8));
        for (T t : feed) {
            final StockBars b = bars.computeIfAbsent(t.stock(), everyTick::newStockBars);
            final int late = closer.onTick(b, t.millis(), t.price(), t.volume(), listener);
            closer.sendForming(listener);
            if (late != 0) lateTicks[0]++;
        }
        return out;
    }

    private static boolean isFinal(final String bar) {
        return bar.contains("\"final\":true");
    }

    /**
     * {@code got} has the reference's final bars (its last ones, when {@code suffix}: a run restarted mid-feed), and
     * each of its forming updates is one of the reference's, in the reference's order per interval: conflation
     * decides which forming updates go out, never their content.
     */
    private static void assertSameFinalsAndFormingFrom(final List<String> reference, final List<String> got,
                                                       final boolean suffix, final String what) {
        final List<String> expectedFinals = reference.stream().filter(BarsWiringTest::isFinal).toList();
        final List<String> finals = got.stream().filter(BarsWiringTest::isFinal).toList();
        assertFalse(finals.isEmpty(), what);
        assertEquals(suffix ? expectedFinals.subList(expectedFinals.size() - finals.size(), expectedFinals.size())
                : expectedFinals, finals, what + ": final bars");
        for (String interval : List.of("\"interval\":\"1m\"", "\"interval\":\"5m\"")) {
            final List<String> forming = reference.stream().filter(b -> !isFinal(b) && b.contains(interval)).toList();
            int at = 0;
            for (String update : got) {
                if (isFinal(update) || !update.contains(interval)) continue;
                while (at < forming.size() && !forming.get(at).equals(update)) at++;
                assertTrue(at < forming.size(), what + ": a forming update the reference never made, or out of "
                        + "order: " + update);
            }
        }
        assertTrue(got.stream().anyMatch(b -> !isFinal(b)), what + ": forming updates are sent");
    }

    private static Rig rig(final List<ProducerRecord<byte[], byte[]>> changelog) {
        return new Rig(EXACTLY_ONCE, EngineSpec.DEFAULT, changelog, Optional.of(SPEC));
    }

    @Test
    void shouldMakeTheSameFinalBarsAsOneCloserWhateverTheLanesAndTheBatching() throws Exception {
        final List<T> feed = feed();
        final int[] late = new int[1];
        final Map<String, List<String>> expected = reference(feed, late);
        assertTrue(late[0] > 0, "the feed has late ticks");
        for (int batch : new int[] {1, 7, 400}) {
            try (Rig rig = rig(List.of())) {
                rig.assign(0);
                for (int from = 0; from < feed.size(); from += batch) {
                    append(rig, feed.subList(from, Math.min(feed.size(), from + batch)));
                    rig.step();
                    if (from % 50 == 0) rig.commitTurn();
                }
                rig.commitTurn();
                for (String stock : stocks()) {
                    assertSameFinalsAndFormingFrom(expected.get(stock), rig.bars(stock), false,
                            stock + " in batches of " + batch);
                }
                assertEquals(late[0], rig.deadLetterCodes().stream().filter("late"::equals).count());
                assertEquals(feed.size(), stocks().length == 3 ? countResults(rig) : -1,
                        "a late tick is still a tick: every one has a result");
            }
        }
    }

    private static long countResults(final Rig rig) {
        long n = 0;
        for (String s : stocks()) n += rig.results(s).size();
        return n;
    }

    @Test
    void shouldCloseAQuietLanesBarAndWriteItsStockStateWhenAnotherLanesTickMovesStreamTime() throws Exception {
        final String quiet = stocks()[0]; // lane 0
        final String busy = stocks()[2]; // lane 1
        try (Rig rig = rig(List.of())) {
            rig.assign(0);
            rig.tick(0, quiet, T0.plusSeconds(10), 100, 5);
            rig.step();
            rig.commitTurn();
            assertEquals(1, stateRecordsOf(rig, quiet).size());
            assertTrue(rig.bars(quiet).stream().noneMatch(b -> b.contains("\"final\":true")));
            rig.tick(0, busy, T0.plusSeconds(62), 101, 5); // 12:01:02 = end 12:01:00 + grace: the 1m bar is final
            rig.step();
            rig.commitTurn(); // the lanes' barrier: everything handed over is done and committed
            final List<String> quietBars = rig.bars(quiet);
            assertTrue(quietBars.get(quietBars.size() - 1).startsWith("{\"stock_id\":\"" + quiet
                    + "\",\"interval\":\"1m\",\"start\":\"2024-06-02T12:00:00Z\",\"end\":\"2024-06-02T12:01:00Z\","
                    + "\"open\":100,\"high\":100,\"low\":100,\"close\":100,\"volume\":5,\"trades\":1,\"vwap\":100.0,"
                    + "\"final\":true,\"seq\":1,"), quietBars.toString());
            final List<ProducerRecord<byte[], byte[]>> states = stateRecordsOf(rig, quiet);
            assertEquals(2, states.size(), "its bar became final on another stock's tick: a new state record");
            assertEquals(2, stateRecordsOf(rig, quiet + "#bars").size(),
                    "its bar engines' record with its first record (a new stock) and in the commit that closed the bar");
            final StockBars restored = restoredBars(rig.stateRecords(), quiet);
            assertEquals(1L, restored.series(0).seq(), "the record holds the bar as final");
            assertEquals(T0.plusSeconds(62).toEpochMilli(), restored.maxTimestamp(),
                    "with the stream time that made it final");
        }
    }

    private static final Duration IDLE = Duration.ofSeconds(10);

    /** One turn after {@code wall} more of the rig's wall clock, then a turn that commits what it did. */
    private static void quietFor(final Rig rig, final Duration wall) throws InterruptedException {
        rig.nanos.addAndGet(wall.toNanos());
        rig.step();
        rig.commitTurn();
    }

    private static long finals(final List<String> bars, final String interval) {
        return bars.stream().filter(b -> isFinal(b) && b.contains("\"interval\":\"" + interval + "\"")).count();
    }

    @Test
    void shouldCloseAQuietPartitionsBarAfterBarIdleCloseAndGraceThenSendALateTickToTheDlqAlsoAfterARestart()
            throws Exception {
        final String quiet = stocks()[0];
        final List<ProducerRecord<byte[], byte[]>> changelog;
        final long committed;
        try (Rig first = new Rig(EXACTLY_ONCE, EngineSpec.DEFAULT, List.of(), Optional.of(SPEC), IDLE)) {
            first.assign(0);
            first.tick(0, quiet, T0.plusSeconds(50), 100, 5); // 12:00:50; its 1m bar is final at 12:01:02
            first.step();
            first.commitTurn();
            quietFor(first, IDLE); // stream time ≈ 12:01:00: inside the grace, nothing closes
            assertEquals(0, finals(first.bars(quiet), "1m"), first.bars(quiet).toString());
            quietFor(first, IDLE); // ≈ 12:01:10, past 12:01:02
            assertEquals(1, finals(first.bars(quiet), "1m"), "closed by the idle advance, once");
            assertEquals(0, finals(first.bars(quiet), "5m"), "the 5m bar is final at 12:05:02");
            first.tick(0, quiet, T0.plusSeconds(55), 101, 5); // for the bar already sent final
            first.step();
            first.commitTurn();
            assertEquals(List.of("late"), first.deadLetterCodes());
            assertEquals(1, finals(first.bars(quiet), "1m"));
            changelog = first.stateRecords();
            committed = first.committedByTransaction(0);
        }
        assertEquals(2L, committed);
        try (Rig second = rig(changelog)) { // BAR_IDLE_CLOSE off: what it restores must still hold the bar final
            second.consumer.commitSync(Map.of(Rig.tp(0), new OffsetAndMetadata(committed)));
            second.tick(0, quiet, T0.plusSeconds(50), 100, 5);
            second.tick(0, quiet, T0.plusSeconds(55), 101, 5);
            second.tick(0, quiet, T0.plusSeconds(58), 102, 5); // 12:00:58 < restored stream time - grace
            second.assign(0);
            second.step();
            second.commitTurn();
            assertEquals(List.of("late"), second.deadLetterCodes(), "not a tick reopening a final bar");
            assertEquals(0, finals(second.bars(quiet), "1m"), "no second final");
        }
    }

    @Test
    void shouldNeverCloseByTheWallClockWithoutBarIdleClose() throws Exception {
        final String quiet = stocks()[0];
        try (Rig rig = rig(List.of())) {
            rig.assign(0);
            rig.tick(0, quiet, T0.plusSeconds(50), 100, 5);
            rig.step();
            rig.commitTurn();
            for (int i = 0; i < 5; i++) quietFor(rig, Duration.ofMinutes(10));
            assertFalse(rig.bars(quiet).isEmpty(), "the forming bar went out");
            assertTrue(rig.bars(quiet).stream().noneMatch(BarsWiringTest::isFinal), rig.bars(quiet).toString());
        }
    }

    /** A stock's bars as a restore from this changelog rebuilds them. */
    private static StockBars restoredBars(final List<ProducerRecord<byte[], byte[]>> changelog, final String stock) {
        final StateStore.Fold fold = new StateStore.Fold(
                changelog.stream().map(ProducerRecord::partition).collect(Collectors.toSet()));
        changelog.forEach(r -> fold.add(r.partition(), r.key(), r.value()));
        final StateStore.Saved saved = fold.states().get(stock);
        final StockBars bars = SPEC.newStockBars(stock);
        bars.restore(saved.barsSnapshot(), saved.barEnginesSnapshot());
        return bars;
    }

    private static List<ProducerRecord<byte[], byte[]>> stateRecordsOf(final Rig rig, final String stock) {
        return rig.stateRecords().stream()
                .filter(r -> Arrays.equals(r.key(), stock.getBytes(StandardCharsets.UTF_8))).toList();
    }

    @Test
    void shouldContinueBarsAndStreamTimeFromTheChangelogAsIfNeverInterrupted() throws Exception {
        final List<T> feed = feed();
        final Map<String, List<String>> expected = reference(feed, new int[1]);
        final List<ProducerRecord<byte[], byte[]>> changelog;
        final long committed;
        try (Rig first = rig(List.of())) {
            first.assign(0);
            append(first, feed.subList(0, 173));
            first.step();
            first.commitTurn();
            // the next ticks are polled but never committed: a crash redoes them
            append(first, feed.subList(173, 230));
            first.step();
            changelog = first.stateRecords();
            committed = first.committedByTransaction(0);
        } // what the changelog holds is what committed; the second instance starts from it

        assertEquals(173L, committed);
        try (Rig second = rig(changelog)) {
            second.consumer.commitSync(Map.of(Rig.tp(0), new OffsetAndMetadata(committed)));
            append(second, feed);
            second.assign(0);
            second.step();
            second.commitTurn();
            for (String s : stocks()) {
                // the second instance writes what follows the committed point, the same final bars to the end
                assertSameFinalsAndFormingFrom(expected.get(s), second.bars(s), true, s);
            }
        }
    }

    @Test
    void shouldRestoreTheStreamTimeThatAJumpRefusedTickMoved() throws Exception {
        final String a = stocks()[0];
        final String b = stocks()[2];
        final List<ProducerRecord<byte[], byte[]>> changelog;
        try (Rig first = rig(List.of())) {
            first.assign(0);
            first.tick(0, a, T0.plusSeconds(10), 100, 5);
            first.tick(0, a, T0.plusSeconds(70), 1000, 5); // refused by the jump rule, after the stamp
            first.step();
            first.commitTurn();
            assertEquals(List.of("price_jump"), first.deadLetterCodes());
            changelog = first.stateRecords();
        }
        final StockBars restored = restoredBars(changelog, a);
        assertEquals(T0.plusSeconds(70).toEpochMilli(), restored.maxTimestamp(), "kept in the stock's bar state");
        try (Rig second = rig(changelog)) {
            second.consumer.commitSync(Map.of(Rig.tp(0), new OffsetAndMetadata(2)));
            second.tick(0, a, T0.plusSeconds(10), 100, 5);
            second.tick(0, a, T0.plusSeconds(70), 1000, 5);
            second.tick(0, b, T0.plusSeconds(30), 100, 5); // its 1m bar ended at 12:01 + 2 s grace < 12:01:10
            second.assign(0);
            second.step();
            second.commitTurn();
            assertEquals(List.of("late"), second.deadLetterCodes(), "the restored stream time is 12:01:10");
        }
    }

    @Test
    void shouldPairAStocksRecordWithItsLatestBarEnginesRecordAndForgetBothAtItsTombstones() {
        final StockState s = new StockState("AAPL", EngineSpec.parse("sma:2").newEngine(), SPEC.newStockBars("AAPL"));
        final BarCloser closer = new BarCloser();
        closer.onTick(s.bars, T0.toEpochMilli(), 100, 5, (series, bar, fin, seq, ind) -> { });
        s.sourcePartition = 1;
        final StateStore store = TestLanes.stateStore();
        final ProducerRecord<byte[], byte[]> before = store.barEnginesRecord(s);
        closer.onTick(s.bars, T0.plusSeconds(70).toEpochMilli(), 101, 5, (series, bar, fin, seq, ind) -> { });
        final ProducerRecord<byte[], byte[]> engines = store.barEnginesRecord(s);
        assertEquals("AAPL#bars", new String(engines.key(), StandardCharsets.UTF_8));
        assertEquals(1, engines.partition(), "beside the stock record, in its source partition");
        final StateStore.Fold fold = new StateStore.Fold(Set.of(1));
        for (ProducerRecord<byte[], byte[]> r : List.of(before, engines, store.record(s))) {
            fold.add(r.partition(), r.key(), r.value());
        }
        final StateStore.Saved saved = fold.states().get("AAPL");
        assertArrayEquals(s.bars.enginesSnapshot(), saved.barEnginesSnapshot(), "the latest engines record");
        final StockBars restored = SPEC.newStockBars("AAPL");
        restored.restore(saved.barsSnapshot(), saved.barEnginesSnapshot());
        assertEquals(1L, restored.series(0).seq());

        final List<ProducerRecord<byte[], byte[]>> tombstones = store.tombstones(s);
        assertEquals(List.of("AAPL", "AAPL#bars"), tombstones.stream()
                .map(r -> new String(r.key(), StandardCharsets.UTF_8)).toList());
        tombstones.forEach(r -> fold.add(r.partition(), r.key(), r.value()));
        assertTrue(fold.states().isEmpty(), fold.states().toString());
    }

    @Test
    void shouldKeepTheBarEnginesInsideTheStockRecordWithAtLeastOnceWhoseTwoRecordsWouldNotCommitTogether()
            throws Exception {
        final String stock = stocks()[0];
        try (Rig rig = new Rig(ProcessingGuarantee.AT_LEAST_ONCE, EngineSpec.DEFAULT, List.of(), Optional.of(SPEC),
                Duration.ZERO)) {
            rig.assign(0);
            rig.tick(0, stock, T0.plusSeconds(10), 100, 5);
            rig.tick(0, stock, T0.plusSeconds(70), 101, 5); // its 1m bar becomes final
            rig.step();
            rig.commitTurn();
            assertTrue(stateRecordsOf(rig, stock + "#bars").isEmpty());
            final List<ProducerRecord<byte[], byte[]>> states = stateRecordsOf(rig, stock);
            final StateStore.Saved saved = StateStore.decode(states.get(states.size() - 1).key(),
                    states.get(states.size() - 1).value());
            assertTrue(StockBars.holdsEngines(saved.barsSnapshot()));
            final StockBars restored = restoredBars(rig.stateRecords(), stock); // throws on a mismatch
            assertEquals(1L, restored.series(0).seq(), "the engines came along with the builders");
        }
    }

    @Test
    void shouldRoundTripStateRecordVersion3AndReadVersions1And2WithoutBars() {
        final StockState s = new StockState("AAPL", EngineSpec.parse("sma:2").newEngine(), SPEC.newStockBars("AAPL"));
        new BarCloser().onTick(s.bars, T0.toEpochMilli(), 100, 5, (series, bar, fin, seq, ind) -> { });
        s.seq = 7;
        s.sourcePartition = 2;
        s.sourceOffset = 41;
        s.lastEpochSecond = T0.getEpochSecond();
        s.anchor.last = 100;
        final ProducerRecord<byte[], byte[]> record = TestLanes.stateStore().record(s);
        assertEquals(3, record.value()[0], "version 3");
        final StateStore.Saved saved = StateStore.decode(record.key(), record.value());
        assertArrayEquals(s.bars.snapshot(), saved.barsSnapshot());
        assertArrayEquals(s.engine.snapshot(), saved.snapshot());
        assertEquals(7L, saved.seq());
        assertEquals(41L, saved.sourceOffset());

        final byte[] engine = s.engine.snapshot();
        final ByteBuffer v2 = ByteBuffer.allocate(1 + 4 + 8 + 8 + 8 + 4 + 8 + 8 + 4 + 4 + engine.length);
        v2.put((byte) 2).putInt(2).putLong(41).putLong(7).putLong(T0.getEpochSecond()).putInt(0)
                .putDouble(100).putDouble(Double.NaN).putInt(0).putInt(engine.length).put(engine);
        final StateStore.Saved fromV2 = StateStore.decode(record.key(), v2.array());
        assertEquals(0, fromV2.barsSnapshot().length, "a version 2 stock starts its bars fresh");
        assertEquals(100.0, fromV2.lastPrice());
        final ByteBuffer v1 = ByteBuffer.allocate(1 + 4 + 8 + 8 + 8 + 4 + 4 + engine.length);
        v1.put((byte) 1).putInt(2).putLong(41).putLong(7).putLong(T0.getEpochSecond()).putInt(0)
                .putInt(engine.length).put(engine);
        final StateStore.Saved fromV1 = StateStore.decode(record.key(), v1.array());
        assertEquals(0, fromV1.barsSnapshot().length);
        assertTrue(Double.isNaN(fromV1.lastPrice()));
        assertArrayEquals(engine, fromV1.snapshot());
    }
}
