package io.tickflow.local;

import io.tickflow.local.IndicatorTestSupport.ResultCollector;
import io.tickflow.local.IndicatorTestSupport.Row;
import io.tickflow.model.IndicatorResult;
import io.tickflow.model.Tick;
import io.tickflow.model.Json;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.utils.Exit;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import static io.tickflow.local.IndicatorTestSupport.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 15 (3): the broker goes away for 75 s — longer than the producer's transaction, request and block timeouts —
 * under a running indicator process while ticks flow, then comes back. The process stays alive, waits, resumes, and
 * loses nothing: every tick in the ticks topic (which holds every acknowledged one) has exactly one read_committed
 * result, each stock's seq runs 1..n in tick order, and /ready answers 200 again. Uses its own broker, so the shared
 * one of the other tests stays up.
 */
class IndicatorBrokerOutageIT {
    private static final Logger LOG = LoggerFactory.getLogger(IndicatorBrokerOutageIT.class);
    private static final Duration OUTAGE = Duration.ofSeconds(75);
    private static final List<String> STOCKS = List.of("OUT0", "OUT1", "OUT2", "OUT3");

    @Test
    void shouldStayAliveAndGiveEveryTickOneResultWhenTheBrokerIsAwayForLongerThanTheProducersTimeouts()
            throws Exception {
        Exit.setHaltProcedure((status, message) -> {
            throw new IllegalStateException("Kafka broker tried to halt the JVM: " + status + " " + message);
        });
        Process indicator = null;
        try (EmbeddedKafka kafka = EmbeddedKafka.startTemporary()) {
            final String bootstrap = kafka.bootstrapServers();
            final String ticks = KafkaFixture.uniqueTopic("outage");
            kafka.createTopics(Map.of(ticks, 4), Map.of());
            final Map<String, String> env = IndicatorTestSupport.env(bootstrap, ticks, "outage-" + ticks);
            final int port = IndicatorTestSupport.freePort();
            env.put("HTTP_PORT", Integer.toString(port));
            env.put("INSTANCE_ID", "outage-a");
            env.put("WORKER_LANES", "2");
            indicator = IndicatorTestSupport.spawn("indicator-outage", env);
            final List<Row> rows = IndicatorTestSupport.series("AAPL_1m_2019.csv", 5_000);
            final Set<String> acked = ConcurrentHashMap.newKeySet();
            try (ResultCollector results = new ResultCollector(bootstrap, ticks + "-results");
                 Feed feed = new Feed(bootstrap, ticks, rows, acked)) {
                await("every stock flowing", Duration.ofSeconds(120),
                        () -> STOCKS.stream().allMatch(s -> results.distinct.getOrDefault(s, 0L) > 20));
                await("ready", Duration.ofSeconds(30), () -> IndicatorTestSupport.ready(port));

                kafka.stop();
                final long stopped = System.nanoTime();
                boolean notReadySeen = false;
                while (System.nanoTime() - stopped < OUTAGE.toNanos()) {
                    notReadySeen |= !IndicatorTestSupport.ready(port);
                    Thread.sleep(1_000); // the outage lasts its 75 s: a look at /ready each second meanwhile
                }
                kafka.start();
                final long restarted = System.nanoTime();
                final long outageMs = TimeUnit.NANOSECONDS.toMillis(restarted - stopped);
                assertTrue(indicator.isAlive(), "the indicator process outlived the outage");
                final long before = results.distinctTotal();
                await("results flowing again", Duration.ofSeconds(180),
                        () -> results.distinctTotal() > before + 4L * STOCKS.size());
                final long resumeMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - restarted);
                Thread.sleep(10_000); // ticks keep flowing after the recovery
                feed.close();

                final Map<String, List<Instant>> sent = ticksByStock(bootstrap, ticks);
                final long total = sent.values().stream().mapToLong(List::size).sum();
                await("a result for every tick in the topic", Duration.ofSeconds(180),
                        () -> results.distinctTotal() >= total);
                await("ready again", Duration.ofSeconds(60), () -> IndicatorTestSupport.ready(port));
                assertTrue(indicator.isAlive(), "the indicator process is still running");

                final List<IndicatorResult> all;
                synchronized (results.all) {
                    all = List.copyOf(results.all);
                }
                assertEquals(total, all.size(), "exactly one read_committed result per tick, no duplicate");
                final Map<String, Set<Instant>> resulted = new HashMap<>();
                for (String stock : STOCKS) {
                    final List<IndicatorResult> mine = all.stream().filter(r -> r.stockId().equals(stock)).toList();
                    final List<Instant> expected = sent.getOrDefault(stock, List.of());
                    for (int i = 0; i < mine.size(); i++) {
                        assertEquals(i + 1L, mine.get(i).seq(), stock + ": seq contiguous and in order");
                    }
                    assertEquals(expected, mine.stream().map(IndicatorResult::timestamp).toList(),
                            stock + ": the k-th result is the k-th tick's");
                    resulted.put(stock, Set.copyOf(expected));
                }
                for (String tick : acked) {
                    final String[] parts = tick.split("@");
                    assertTrue(resulted.get(parts[0]).contains(Instant.parse(parts[1])), "acked tick " + tick
                            + " has a result");
                }
                LOG.info("broker outage: stopped {} ms; results flowing again {} ms after the restart; /ready 503 seen "
                        + "during the outage: {}; ticks in topic {} (acknowledged {}), results {}", outageMs,
                        resumeMs, notReadySeen, total, acked.size(), all.size());
            }
        } finally {
            if (indicator != null) {
                indicator.destroyForcibly();
                indicator.waitFor(10, TimeUnit.SECONDS);
            }
            Exit.resetHaltProcedure();
        }
    }

    /** Each stock's tick timestamps in the ticks topic, in partition (= processing) order. */
    private static Map<String, List<Instant>> ticksByStock(final String bootstrap, final String topic) {
        final Map<String, List<Instant>> out = new HashMap<>();
        for (ConsumerRecord<String, byte[]> r : IngestTestSupport.readAll(bootstrap, topic)) {
            final Tick tick = Json.decodeTick(r.value());
            out.computeIfAbsent(tick.stockId(), k -> new ArrayList<>()).add(tick.timestamp());
        }
        return out;
    }

    /**
     * Posts one tick per stock every 50 ms on a thread of its own ("it-outage-feed"), through the broker outage: the
     * acknowledged ticks are remembered as {@code stock@timestamp}; sends the outage outlasts fail after 20 s.
     */
    private static final class Feed implements AutoCloseable {
        private final KafkaProducer<byte[], byte[]> producer;
        private final Thread thread;
        private volatile boolean running = true;

        Feed(final String bootstrap, final String topic, final List<Row> rows, final Set<String> acked) {
            producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                    ProducerConfig.LINGER_MS_CONFIG, "0",
                    ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, "5000",
                    ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, "20000",
                    ProducerConfig.MAX_BLOCK_MS_CONFIG, "2000"), new ByteArraySerializer(), new ByteArraySerializer());
            thread = new Thread(() -> {
                try {
                    for (int i = 0; running; i++) {
                        final Row row = rows.get(i % rows.size());
                        for (String stock : STOCKS) {
                            final byte[] value = IndicatorTestSupport.tickJson(stock, i, row);
                            final String id = stock + "@" + IndicatorTestSupport.START.plusSeconds(60L * i);
                            try {
                                producer.send(new ProducerRecord<>(topic, stock.getBytes(StandardCharsets.UTF_8),
                                        value), (meta, e) -> {
                                    if (e == null) {
                                        acked.add(id);
                                    }
                                });
                            } catch (org.apache.kafka.common.KafkaException e) {
                                LOG.debug("feed send refused: {}", e.toString()); // metadata unavailable: not sent
                            }
                        }
                        Thread.sleep(50); // pacing of the feed, not a wait for a condition
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }, "it-outage-feed");
            thread.start();
        }

        @Override
        public void close() throws InterruptedException {
            running = false;
            thread.join(10_000);
            producer.flush();
            producer.close(Duration.ofSeconds(30));
        }
    }
}
