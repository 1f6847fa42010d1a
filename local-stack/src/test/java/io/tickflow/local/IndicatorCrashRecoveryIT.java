package io.tickflow.local;

import com.fasterxml.jackson.databind.JsonNode;
import io.tickflow.delivery.DeliveryConfig;
import io.tickflow.delivery.DeliveryMain;
import io.tickflow.local.IndicatorTestSupport.ResultCollector;
import io.tickflow.local.IndicatorTestSupport.Row;
import io.tickflow.model.IndicatorResult;
import io.tickflow.model.Json;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import static io.tickflow.local.IndicatorTestSupport.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Issue 4 (a): the indicator service as a separate OS process, SIGKILLed at random moments while a real series streams
 * for several stocks, restarted each time. Results read read_committed must be, after de-duplication by seq, gap-free
 * and identical to an uninterrupted run and to TA-Lib. A delivery service reading the same results read_uncommitted
 * (its default, which shows results of transactions the kills abort) must hand a WebSocket client each seq exactly
 * once, in order, with the same values.
 */
class IndicatorCrashRecoveryIT {
    private static final Logger LOG = LoggerFactory.getLogger(IndicatorCrashRecoveryIT.class);
    private static final int ROWS = 900;
    private static final List<String> STOCKS = List.of("AAPL", "AAPL.A", "AAPL-B", "AAPL:C");
    private static final int KILLS = 3;

    private final List<Process> processes = new ArrayList<>();

    @AfterEach
    void killProcesses() throws InterruptedException {
        for (Process p : processes) {
            p.destroyForcibly();
            p.waitFor(10, TimeUnit.SECONDS);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"at_least_once", "exactly_once"})
    void shouldEmitGapFreeExactResultsWhenKilledRepeatedly(final String guarantee) throws Exception {
        final String bootstrap = KafkaFixture.bootstrapServers();
        final String ticks = KafkaFixture.uniqueTopic("crash-ticks");
        KafkaFixture.createTopics(bootstrap, Map.of(ticks, 4, ticks + "-results", 4, ticks + ".dlq", 1));
        final List<Row> rows = IndicatorTestSupport.series("AAPL_1m_2019.csv", ROWS);
        final Map<String, String> env = IndicatorTestSupport.env(bootstrap, ticks, "crash-" + ticks);
        env.put("PROCESSING_GUARANTEE", guarantee);
        env.put("WORKER_LANES", "2");
        env.put("COMMIT_INTERVAL", "20ms");
        // a stable identity: a restart fences its killed predecessor at once (transactional.id, static membership)
        env.put("INSTANCE_ID", "crash-1");
        env.put("KAFKA_GROUP_INSTANCE_ID", "crash-1");

        try (ResultCollector results = new ResultCollector(bootstrap, ticks + "-results");
             DeliveryMain delivery = DeliveryMain.start(DeliveryConfig.fromEnv(Map.of(
                     "KAFKA_BOOTSTRAP_SERVERS", bootstrap, "RESULTS_TOPIC", ticks + "-results",
                     "HTTP_HOST", "127.0.0.1", "HTTP_PORT", "0", "WS_HOST", "127.0.0.1", "WS_PORT", "0")));
             WsTestClient client = new WsTestClient(delivery.wsPort());
             KafkaProducer<byte[], byte[]> producer = IndicatorTestSupport.producer(bootstrap)) {
            client.send("{\"op\":\"subscribe\",\"id\":1,\"symbols\":" + Json.MAPPER.writeValueAsString(STOCKS) + "}");
            client.next(f -> f.path("type").asText().equals("subscribed"), Duration.ofSeconds(10));
            // ~500 ticks/s: the stream outlives the kills
            final Thread feed = IndicatorTestSupport.startFeed(producer, ticks, STOCKS, rows, 80);
            final long total = (long) ROWS * STOCKS.size();
            for (int kill = 1; kill <= KILLS; kill++) {
                final int port = IndicatorTestSupport.freePort();
                env.put("HTTP_PORT", Integer.toString(port));
                final Process instance = IndicatorTestSupport.spawn("crash-" + guarantee, env);
                processes.add(instance);
                await("instance ready", Duration.ofSeconds(60), () -> IndicatorTestSupport.ready(port));
                final long target = results.distinctTotal() + ThreadLocalRandom.current().nextInt(100, 500);
                await("results to grow to " + target, Duration.ofSeconds(60),
                        () -> results.distinctTotal() >= Math.min(target, total - 200));
                instance.destroyForcibly();
                instance.waitFor(10, TimeUnit.SECONDS);
                LOG.info("killed instance #{} after {} distinct results", kill, results.distinctTotal());
            }
            processes.add(IndicatorTestSupport.spawn("crash-" + guarantee, env));
            feed.join(60_000);
            await("all " + total + " results", Duration.ofSeconds(90), () -> results.distinctTotal() >= total);
            assertEquals(List.of(), results.undecodable, "every result is a valid result document");
            final int duplicates = IndicatorTestSupport.assertExact(results.all, STOCKS, rows);
            LOG.info("guarantee={} results={} duplicatesDropped={}", guarantee, results.count.get(), duplicates);
            if (guarantee.equals("exactly_once")) {
                assertEquals(0, duplicates, "read_committed results must hold no duplicate in exactly-once mode");
            }

            final List<IndicatorResult> delivered =
                    decode(client.results(r -> r.size() >= total, Duration.ofSeconds(60)));
            assertEquals(0, IndicatorTestSupport.assertExact(delivered, STOCKS, rows), "the client got no duplicate");
            assertInSeqOrder(delivered);
        }
    }

    private static List<IndicatorResult> decode(final List<JsonNode> frames) {
        return frames.stream().map(f -> IndicatorResult.decode(f.toString().getBytes(StandardCharsets.UTF_8))).toList();
    }

    private static void assertInSeqOrder(final List<IndicatorResult> delivered) {
        final Map<String, Long> last = new HashMap<>();
        for (IndicatorResult r : delivered) {
            final long previous = last.getOrDefault(r.stockId(), 0L);
            assertEquals(previous + 1, r.seq(), r.stockId() + ": the client got seq " + r.seq() + " after " + previous);
            last.put(r.stockId(), r.seq());
        }
    }
}
