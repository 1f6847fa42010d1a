package io.tickflow.delivery;

import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.tickflow.model.Json;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The result feed, broker-free: a batch that was waiting fans out each stock's newest result; a fresh one, all. */
class ResultFeedTest {
    private static final String TOPIC = "indicator_results";
    private static final Duration CONFLATE_AFTER = Duration.ofSeconds(10); // far from both ages: no timing luck

    private final DeliveryMetrics metrics = new DeliveryMetrics(new PrometheusRegistry());
    private final StockBook book = new StockBook(10, 100, 10, Duration.ofHours(1), metrics);
    private final List<Frame> frames = Collections.synchronizedList(new ArrayList<>());

    /** Feeds A1..A3 and B1 in one batch written {@code ageMillis} ago; returns the seqs the subscriber got. */
    private List<String> fanOutOfABatchWritten(final long ageMillis) throws Exception {
        book.subscribe(frames::add, "A");
        book.subscribe(frames::add, "B");
        final MockConsumer<byte[], byte[]> consumer = TestConsumers.onePartition(TOPIC);
        final TopicPartition tp = new TopicPartition(TOPIC, 0);
        final long written = System.currentTimeMillis() - ageMillis;
        final String[][] results = {{"A", "1"}, {"A", "2"}, {"B", "1"}, {"A", "3"}};
        consumer.schedulePollTask(() -> {
            for (int i = 0; i < results.length; i++) {
                consumer.addRecord(new ConsumerRecord<>(TOPIC, 0, i, written, TimestampType.CREATE_TIME, 1, 1,
                        results[i][0].getBytes(StandardCharsets.UTF_8),
                        TestResults.result(results[i][0], Long.parseLong(results[i][1])), new RecordHeaders(),
                        Optional.empty()));
            }
        });
        try (ResultFeed feed = new ResultFeed(consumer, TOPIC, 100, book, CONFLATE_AFTER)) {
            feed.start();
            SlowClientTest.awaitTrue(() -> book.latestResult("A") != null && book.latestResult("A").seq() == 3);
        } // close joins the feed thread, which finishes its batch (and its release) first
        final List<String> out = new ArrayList<>();
        synchronized (frames) {
            for (Frame f : frames) {
                final var json = Json.MAPPER.readTree(f.bytes());
                if (json.path("type").asText().equals("update")) {
                    out.add(json.path("data").path("stock_id").asText() + json.path("data").path("seq").asLong()
                            + (json.path("conflated").asBoolean(false) ? "*" : ""));
                }
            }
        }
        return out;
    }

    @Test
    void shouldFanOutOnlyEachStocksNewestResultOfABatchThatWaitedPastConflateAfter() throws Exception {
        assertEquals(List.of("A3*", "B1"), fanOutOfABatchWritten(60_000), "* = conflated");
        assertEquals(3, book.history("A", 100).size(), "every result is recorded");
        assertEquals(2.0, metrics.resultsConflated.get());
    }

    @Test
    void shouldFanOutEveryResultOfAFreshBatch() throws Exception {
        assertEquals(List.of("A1", "A2", "B1", "A3"), fanOutOfABatchWritten(0));
        assertEquals(0.0, metrics.resultsConflated.get());
    }
}
