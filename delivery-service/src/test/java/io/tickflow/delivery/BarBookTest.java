package io.tickflow.delivery;

import com.fasterxml.jackson.databind.JsonNode;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.tickflow.model.Json;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The bar book and its series: de-duplication, bounds, snapshot-then-updates, resume and reset. */
class BarBookTest {
    private static final long NONE = Long.MAX_VALUE;
    private final BarMetrics metrics = new BarMetrics(new PrometheusRegistry());
    private final BarBook book = new BarBook(List.of("1m", "5m"), 5, 12, metrics);

    /** A subscriber that records every frame as JSON. */
    private static final class Recorder implements Subscriber {
        final List<JsonNode> frames = new ArrayList<>();

        @Override
        public void deliver(final Frame frame) {
            try {
                frames.add(Json.MAPPER.readTree(frame.bytes()));
            } catch (IOException e) {
                throw new AssertionError(e);
            }
        }
    }

    private static List<Long> seqs(final List<byte[]> bars) throws IOException {
        final List<Long> out = new ArrayList<>();
        for (byte[] b : bars) {
            final JsonNode n = Json.MAPPER.readTree(b);
            out.add(n.path("final").asBoolean() ? n.path("seq").asLong() : -n.path("trades").asLong());
        }
        return out;
    }

    @Test
    void shouldDropDuplicateFinalsAndStaleFormingBarsWhenRecordsAreRedelivered() throws IOException {
        assertTrue(book.accept(TestBars.fin("AAPL", 1)));
        assertTrue(book.accept(TestBars.forming("AAPL", 2, 3)));
        assertTrue(book.accept(TestBars.forming("AAPL", 2, 5)));
        assertFalse(book.accept(TestBars.forming("AAPL", 2, 4)), "an older update of the forming bar");
        assertFalse(book.accept(TestBars.forming("AAPL", 1, 9)), "a forming bar of a bar already final");
        assertFalse(book.accept(TestBars.fin("AAPL", 1)), "a final bar seen before");
        assertEquals(List.of(1L, -5L), seqs(book.bars("AAPL", "1m", 5, NONE, NONE)));
        assertTrue(book.accept(TestBars.fin("AAPL", 2)));
        assertEquals(List.of(1L, 2L), seqs(book.bars("AAPL", "1m", 5, NONE, NONE)), "the final replaced the forming");
        assertEquals(1, metrics.duplicates());
        assertEquals(2, metrics.stale());
    }

    @Test
    void shouldKeepPerSeriesCapAndShareTotalBudgetWhenSeriesMultiply() throws IOException {
        for (int seq = 1; seq <= 9; seq++) {
            book.accept(TestBars.fin("AAPL", seq));
        }
        assertEquals(List.of(5L, 6L, 7L, 8L, 9L), seqs(book.bars("AAPL", "1m", 5, NONE, NONE)), "cap 5 per series");
        for (String s : List.of("B", "C", "D")) {
            book.accept(TestBars.fin(s, 1));
        }
        book.accept(TestBars.fin("AAPL", 10)); // 4 series share 12: 3 each
        assertEquals(List.of(8L, 9L, 10L), seqs(book.bars("AAPL", "1m", 5, NONE, NONE)));
    }

    @Test
    void shouldPageBackwardsWhenBeforeIsASeqOrAStart() throws IOException {
        for (int seq = 1; seq <= 5; seq++) {
            book.accept(TestBars.fin("AAPL", seq));
        }
        book.accept(TestBars.forming("AAPL", 6, 1));
        assertEquals(List.of(2L, 3L), seqs(book.bars("AAPL", "1m", 2, 4, NONE)), "no forming bar with a cursor");
        final long startOf3 = TestBars.EPOCH.plusSeconds(180).toEpochMilli();
        assertEquals(List.of(1L, 2L), seqs(book.bars("AAPL", "1m", 5, NONE, startOf3)));
        assertEquals(List.of(), seqs(book.bars("AAPL", "1m", 5, 1, NONE)));
        assertEquals(List.of(4L, 5L, -1L), seqs(book.bars("AAPL", "1m", 2, NONE, NONE)));
        assertNull(book.bars("AAPL", "5m", 5, NONE, NONE));
        assertNull(book.bars("MSFT", "1m", 5, NONE, NONE));
    }

    @Test
    void shouldRejectByReasonWhenRecordsAreMalformed() {
        assertThrows(IllegalArgumentException.class, () -> book.accept("nope".getBytes(StandardCharsets.UTF_8)));
        assertThrows(IllegalArgumentException.class, () -> book.accept((byte[]) null));
        assertThrows(IllegalArgumentException.class,
                () -> book.accept(TestBars.bar("AAPL", "2m", 1, 1, true, 1, "")));
        assertThrows(IllegalArgumentException.class,
                () -> book.accept(TestBars.bar("AAPL", "1m", 1, 0, true, 1, "")));
        assertThrows(IllegalArgumentException.class, () -> book.accept(
                "{\"stock_id\":\"A\",\"interval\":\"1m\",\"start\":\"yesterday\",\"final\":false}"
                        .getBytes(StandardCharsets.UTF_8)));
        assertEquals(1, metrics.rejectedFor("json"));
        assertEquals(1, metrics.rejectedFor("tombstone"));
        assertEquals(1, metrics.rejectedFor("interval"));
        assertEquals(1, metrics.rejectedFor("seq"));
        assertEquals(1, metrics.rejectedFor("start"));
    }

    @Test
    void shouldSendSnapshotThenExactlyTheFollowingBarsWhenSubscribing() {
        book.accept(TestBars.fin("AAPL", 1));
        book.accept(TestBars.fin("AAPL", 2));
        book.accept(TestBars.forming("AAPL", 3, 1));
        final Recorder r = new Recorder();
        book.subscribe(r, "AAPL", "1m", 1);
        book.accept(TestBars.forming("AAPL", 3, 2));
        book.accept(TestBars.fin("AAPL", 3));
        assertEquals(3, r.frames.size());
        final JsonNode snapshot = r.frames.get(0);
        assertEquals("bars", snapshot.path("type").asText());
        assertEquals("AAPL", snapshot.path("symbol").asText());
        assertEquals("1m", snapshot.path("interval").asText());
        assertEquals(2, snapshot.path("data").size(), "limit 1 final + the forming one");
        assertEquals(2, snapshot.path("data").get(0).path("seq").asLong());
        assertFalse(snapshot.path("data").get(1).path("final").asBoolean());
        assertEquals("bar", r.frames.get(1).path("type").asText());
        assertEquals(2, r.frames.get(1).path("data").path("trades").asInt());
        assertTrue(r.frames.get(2).path("data").path("final").asBoolean());
    }

    @Test
    void shouldNotAllocateASeriesWhenSubscribingToAStockWithoutBars() {
        final Recorder r = new Recorder();
        book.subscribe(r, "NONE", "1m", 5);
        assertTrue(r.frames.isEmpty(), "no data, no snapshot");
        book.unsubscribe(r, "NONE", "1m");
        assertNull(book.series("NONE", "1m"));
        book.accept(TestBars.fin("NONE", 1)); // a retired entry is replaced, not written to
        assertEquals(1, book.bars("NONE", "1m", 5, NONE, NONE).size());
    }

    @Test
    void shouldReplayFromRingOrResetWhenResuming() {
        for (int seq = 1; seq <= 8; seq++) {
            book.accept(TestBars.fin("AAPL", seq)); // ring keeps 4..8
        }
        book.accept(TestBars.forming("AAPL", 9, 2));
        final Recorder replay = new Recorder();
        book.resume(replay, "AAPL", "1m", 5, 5);
        assertEquals(List.of(6L, 7L, 8L, 0L), replay.frames.stream().map(f -> f.path("data").path("seq").asLong())
                .toList());
        assertTrue(replay.frames.stream().allMatch(f -> "bar".equals(f.path("type").asText())));

        final Recorder reset = new Recorder();
        book.resume(reset, "AAPL", "1m", 2, 3);
        assertEquals(2, reset.frames.size());
        final JsonNode m = reset.frames.get(0);
        assertEquals("reset", m.path("type").asText());
        assertEquals("1m", m.path("interval").asText());
        assertEquals(2, m.path("from").asLong());
        assertEquals(4, m.path("oldest").asLong());
        assertEquals(8, m.path("latest").asLong());
        assertEquals("bars", reset.frames.get(1).path("type").asText());
        assertEquals(4, reset.frames.get(1).path("data").size(), "3 finals + the forming one");

        final Recorder upToDate = new Recorder();
        book.resume(upToDate, "AAPL", "1m", 8, 5);
        assertEquals(1, upToDate.frames.size(), "only the forming bar");
    }

    @Test
    void shouldRestartRingWhenSeqHasAGap() throws IOException {
        book.accept(TestBars.fin("AAPL", 1));
        book.accept(TestBars.fin("AAPL", 2));
        book.accept(TestBars.fin("AAPL", 4));
        assertEquals(List.of(4L), seqs(book.bars("AAPL", "1m", 5, NONE, NONE)));
        final Recorder r = new Recorder();
        book.resume(r, "AAPL", "1m", 2, 5);
        assertEquals("reset", r.frames.get(0).path("type").asText(), "seq 3 is not in the ring");
    }
}
