package io.tickflow.delivery;

import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.tickflow.model.Json;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The history: its memory bound (per stock and in total), redo de-duplication, seq regressions, and the fan-out held
 * back while the feed is behind.
 */
class StockBookTest {
    private final DeliveryMetrics metrics = new DeliveryMetrics(new PrometheusRegistry());
    private final StockBook book = new StockBook(10, 20, 6, Duration.ofHours(1), metrics);

    private void publish(final String stock, final int results) {
        final long from = book.history(stock, Integer.MAX_VALUE).size() == 0
                ? 1 : book.latestResult(stock).seq() + 1;
        for (long seq = from; seq < from + results; seq++) {
            book.accept(TestResults.result(stock, seq));
        }
    }

    @Test
    void shouldShareTheHistoryBudgetAmongStocksAndKeepTheNewestOfEach() {
        publish("A", 12);
        assertEquals(10, book.history("A", 100).size(), "one stock: HISTORY_SIZE bounds it");

        for (String stock : new String[] {"B", "C", "D"}) {
            publish(stock, 10);
        }
        assertEquals(5, book.history("D", 100).size(), "four stocks share 20 results");
        publish("A", 1); // a stock trims to its share with its next result
        assertEquals(5, book.history("A", 100).size());
        assertEquals(13, book.latestResult("A").seq());
        assertEquals(9, Result.parse(book.history("A", 100).get(0)).seq(), "the oldest kept: 13 - 5 + 1");
    }

    /** A result of another tick under a seq already seen: the indicator's numbering restarted. */
    private static byte[] restarted(final long seq) {
        return new String(TestResults.result("A", seq), StandardCharsets.UTF_8)
                .replaceFirst("\"ingest_us\":[0-9]+", "\"ingest_us\":" + (7_000_000L + seq))
                .getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void shouldDropARedoButResetSubscribersWhenTheSeqGoesBackForAnotherTick() throws Exception {
        final List<Frame> frames = new ArrayList<>();
        book.subscribe(frames::add, "A");
        publish("A", 5);
        assertFalse(book.accept(TestResults.result("A", 4)), "a redo of seq 4: the same tick, dropped");
        assertEquals(5, frames.size());

        assertTrue(book.accept(restarted(1)), "seq 1 of another tick: the state was reset upstream");
        assertEquals(1.0, metrics.seqRegressions.get());
        final String reset = new String(frames.get(5).bytes(), StandardCharsets.UTF_8);
        assertEquals("reset", Json.MAPPER.readTree(reset).path("type").asText());
        assertEquals(5, Json.MAPPER.readTree(reset).path("from").asLong());
        assertEquals("snapshot", Json.MAPPER.readTree(frames.get(6).bytes()).path("type").asText());
        assertEquals(List.of(1L), book.history("A", 100).stream().map(r -> Result.parse(r).seq()).toList(),
                "the old numbering's history is gone");

        assertTrue(book.accept(restarted(2)), "the new numbering goes on");
        assertEquals(2, book.latestResult("A").seq());
        assertEquals(1.0, metrics.seqRegressions.get());
    }

    @Test
    void shouldDropResultsOfNewStocksPastTheLimitAndCountThem() {
        for (int i = 0; i < 8; i++) {
            publish("S" + i, 1);
        }
        assertEquals(6, book.stocksWithData());
        assertEquals(6, book.stockIds().size());
        assertEquals(2.0, metrics.resultsDropped.labelValues("stock_limit").get());
        assertTrue(book.accept(TestResults.result("S0", 2)), "stocks under the limit go on");
    }

    @Test
    void shouldForgetIdleStocksWithoutSubscribersButKeepWatchedOnes() {
        final List<Frame> frames = new ArrayList<>();
        publish("IDLE", 1);
        publish("WATCHED", 1);
        book.subscribe(frames::add, "WATCHED");
        book.sweep(System.nanoTime() + Duration.ofHours(2).toNanos());
        assertEquals(List.of("WATCHED"), book.stockIds());
        assertEquals(1, book.stocksWithData());
    }

    @Test
    void shouldHoldNoHistoryForSubscriptionsToIdsWithoutData() {
        final List<Frame> frames = new ArrayList<>();
        for (int i = 0; i < 1_000; i++) {
            book.subscribe(frames::add, "GHOST" + i);
        }
        assertEquals(0, book.stocksWithData());
        assertEquals(List.of(), book.stockIds());
        assertTrue(frames.isEmpty());
    }

    private static long seqOf(final Frame frame) {
        return ((Result) frame.result()).seq();
    }

    private static boolean conflated(final Frame frame) throws Exception {
        return Json.MAPPER.readTree(frame.bytes()).path("conflated").asBoolean(false);
    }

    @Test
    void shouldRecordEveryHeldResultButFanOutOnlyEachStocksNewestMarkedConflatedOnRelease() throws Exception {
        final List<Frame> frames = new ArrayList<>();
        book.subscribe(frames::add, "A");
        book.subscribe(frames::add, "B");
        for (long seq = 1; seq <= 3; seq++) {
            assertTrue(book.hold(TestResults.result("A", seq)));
        }
        assertTrue(book.hold(TestResults.result("B", 1)));
        assertFalse(book.hold(TestResults.result("A", 2)), "a redo is still dropped by seq");
        assertTrue(frames.isEmpty(), "nothing goes out before the batch ends");
        assertEquals(3, book.history("A", 100).size(), "the history records every result");
        assertEquals(3, book.latestResult("A").seq());

        book.release();
        assertEquals(List.of(3L, 1L), frames.stream().map(StockBookTest::seqOf).toList());
        assertTrue(conflated(frames.get(0)), "A's update stands for three");
        assertFalse(conflated(frames.get(1)), "B's is the only one: a plain update");
        assertEquals(2.0, metrics.resultsConflated.get());

        book.release();
        assertEquals(2, frames.size(), "released once");
        assertTrue(book.accept(TestResults.result("A", 4)));
        assertFalse(conflated(frames.get(2)), "a live result after the release goes as it is");
    }

    @Test
    void shouldReleaseAHeldResultBeforeANewSubscribersSnapshotSoNobodyGetsItTwice() throws Exception {
        final List<Frame> early = new ArrayList<>();
        final List<Frame> late = new ArrayList<>();
        book.subscribe(early::add, "A");
        book.hold(TestResults.result("A", 1));
        book.hold(TestResults.result("A", 2));
        book.subscribe(late::add, "A");
        book.release();
        assertEquals(List.of(2L), early.stream().map(StockBookTest::seqOf).toList());
        assertTrue(conflated(early.get(0)));
        assertEquals(List.of(2L), late.stream().map(StockBookTest::seqOf).toList());
        assertTrue(late.get(0).isData() && !late.get(0).isUpdate(), "the newcomer's is its snapshot");
    }

    @Test
    void shouldReplayAResumeUpToTheHeldResultWithoutSendingItAgainOnRelease() {
        final List<Frame> live = new ArrayList<>();
        final List<Frame> resumed = new ArrayList<>();
        book.subscribe(live::add, "A");
        for (long seq = 1; seq <= 3; seq++) {
            book.hold(TestResults.result("A", seq));
        }
        book.resume(resumed::add, "A", 1);
        book.release();
        assertEquals(List.of(2L, 3L), resumed.stream().map(StockBookTest::seqOf).toList(), "every result after 1");
        assertEquals(List.of(3L), live.stream().map(StockBookTest::seqOf).toList());
    }

    @Test
    void shouldSendTheHeldResultBeforeAResetThatNamesIt() throws Exception {
        final List<Frame> frames = new ArrayList<>();
        book.subscribe(frames::add, "A");
        for (long seq = 1; seq <= 3; seq++) {
            book.hold(TestResults.result("A", seq));
        }
        book.hold(restarted(1));
        book.release();
        assertEquals(3, seqOf(frames.get(0)));
        assertTrue(conflated(frames.get(0)));
        assertEquals("reset", Json.MAPPER.readTree(frames.get(1).bytes()).path("type").asText());
        assertEquals(3, Json.MAPPER.readTree(frames.get(1).bytes()).path("from").asLong());
        assertEquals("snapshot", Json.MAPPER.readTree(frames.get(2).bytes()).path("type").asText());
        assertEquals(3, frames.size(), "the new numbering's seq 1 went as the snapshot, not again on release");
    }
}
