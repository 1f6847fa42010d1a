package io.tickflow.local;

import io.tickflow.indicator.ta.EngineSpec;
import io.tickflow.indicator.ta.OutputGroup;
import io.tickflow.indicator.ta.StockEngine;
import io.tickflow.model.IndicatorResult;
import io.tickflow.model.Json;
import io.tickflow.model.Tick;
import io.tickflow.refdata.RefData;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/** Shared pieces of the indicator service's integration tests: reference data, clients, result checks. */
final class IndicatorTestSupport {
    static final Instant START = Instant.parse("2019-02-11T14:31:00Z");

    private IndicatorTestSupport() {
    }

    /** One row of a reference series: the tick and TA-Lib's outputs (NaN where TA-Lib has none). */
    record Row(double price, double volume, Map<String, Double> talib) {
    }

    /** The first {@code rows} rows of a reference series as ticks' price and volume, with TA-Lib's columns. */
    static List<Row> series(final String file, final int rows) {
        final RefData series = RefData.load(file);
        final List<String> talibColumns = series.columns().subList(3, series.columns().size());
        final List<Row> out = new ArrayList<>();
        for (int i = 0; i < Math.min(rows, series.rows()); i++) {
            final Map<String, Double> talib = new HashMap<>();
            for (String column : talibColumns) {
                talib.put(column, series.value(i, column));
            }
            out.add(new Row(series.value(i, "price"), series.value(i, "volume"), talib));
        }
        return out;
    }

    static byte[] tickJson(final String stock, final int index, final Row row) {
        return Json.encodeTick(Tick.of(stock, START.plusSeconds(60L * index), row.price(), row.volume()));
    }

    static KafkaProducer<byte[], byte[]> producer(final String bootstrap) {
        return new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ProducerConfig.LINGER_MS_CONFIG, "0"), new ByteArraySerializer(), new ByteArraySerializer());
    }

    static KafkaConsumer<byte[], byte[]> readCommitted(final String bootstrap) {
        return new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.GROUP_ID_CONFIG, "it-reader-" + System.nanoTime(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"),
                new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    static void send(final KafkaProducer<byte[], byte[]> producer, final String topic, final String stock,
                     final byte[] value) {
        producer.send(new ProducerRecord<>(topic, stock == null ? null : stock.getBytes(StandardCharsets.UTF_8),
                value));
    }

    /**
     * Streams {@code rows} of the series for every stock on a thread of its own ("it-feed"), row by row, flushing and
     * pausing {@code pauseMillis} every 10 rows so the stream lasts while a test changes the instances under it.
     */
    static Thread startFeed(final KafkaProducer<byte[], byte[]> producer, final String topic,
                            final List<String> stocks, final List<Row> rows, final long pauseMillis) {
        final Thread feed = new Thread(() -> {
            try {
                for (int i = 0; i < rows.size(); i++) {
                    for (String stock : stocks) {
                        send(producer, topic, stock, tickJson(stock, i, rows.get(i)));
                    }
                    if (i % 10 == 9) {
                        producer.flush();
                        Thread.sleep(pauseMillis); // pacing of the feed, not a wait for a condition
                    }
                }
                producer.flush();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "it-feed");
        feed.start();
        return feed;
    }

    static void await(final String what, final Duration timeout, final BooleanSupplier condition)
            throws InterruptedException {
        final long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                fail("timed out after " + timeout + " waiting for " + what);
            }
            Thread.sleep(20);
        }
    }

    /** The base environment of an indicator instance on these topics. */
    static Map<String, String> env(final String bootstrap, final String ticks, final String app) {
        final Map<String, String> env = new LinkedHashMap<>();
        env.put("KAFKA_BOOTSTRAP_SERVERS", bootstrap);
        env.put("TICKS_TOPIC", ticks);
        env.put("RESULTS_TOPIC", ticks + "-results");
        env.put("STATE_TOPIC", ticks + "-state");
        env.put("DLQ_TOPIC", ticks + ".dlq");
        env.put("APPLICATION_ID", app);
        env.put("HTTP_HOST", "127.0.0.1");
        env.put("HTTP_PORT", "0");
        env.put("KAFKA_SESSION_TIMEOUT_MS", "6000");
        env.put("KAFKA_HEARTBEAT_INTERVAL_MS", "500");
        return env;
    }

    static int freePort() throws IOException {
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    /** Whether the instance serving HTTP on {@code port} answers 200 on /ready. */
    static boolean ready(final int port) {
        try {
            final java.net.http.HttpResponse<Void> response = HTTP.send(java.net.http.HttpRequest.newBuilder(
                    java.net.URI.create("http://127.0.0.1:" + port + "/ready")).timeout(Duration.ofSeconds(2)).build(),
                    java.net.http.HttpResponse.BodyHandlers.discarding());
            return response.statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static final java.net.http.HttpClient HTTP = java.net.http.HttpClient.newBuilder()
            .connectTimeout(Duration.ofSeconds(2)).build();

    /** Every committed result, read in the background until closed. */
    static final class ResultCollector implements AutoCloseable {
        final List<IndicatorResult> all = java.util.Collections.synchronizedList(new ArrayList<>());
        final Map<String, Long> distinct = new ConcurrentHashMap<>();
        final AtomicLong count = new AtomicLong();
        final List<String> undecodable = java.util.Collections.synchronizedList(new ArrayList<>());
        private final Map<String, java.util.Set<Long>> seen = new ConcurrentHashMap<>();
        /** The next offset to take per partition: a record read again (after a rebalance of the reader's own group
         *  that found no committed offset, as after a broker restart) is the same result, not a duplicate. */
        private final Map<Integer, Long> next = new HashMap<>();
        private final Thread thread;
        private volatile boolean running = true;

        ResultCollector(final String bootstrap, final String topic) {
            thread = new Thread(() -> {
                try (KafkaConsumer<byte[], byte[]> consumer = readCommitted(bootstrap)) {
                    consumer.subscribe(List.of(topic));
                    while (running) {
                        for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(100))) {
                            if (r.offset() < next.getOrDefault(r.partition(), 0L)) {
                                continue;
                            }
                            next.put(r.partition(), r.offset() + 1);
                            final IndicatorResult result;
                            try {
                                result = IndicatorResult.decode(r.value());
                            } catch (IllegalArgumentException e) {
                                undecodable.add(r.partition() + "@" + r.offset() + ": " + e.getMessage());
                                continue;
                            }
                            all.add(result);
                            count.incrementAndGet();
                            if (seen.computeIfAbsent(result.stockId(), k -> ConcurrentHashMap.newKeySet())
                                    .add(result.seq())) {
                                distinct.merge(result.stockId(), 1L, Long::sum);
                            }
                        }
                    }
                }
            }, "it-result-reader");
            thread.start();
        }

        boolean alive() {
            return thread.isAlive();
        }

        long distinctTotal() {
            return distinct.values().stream().mapToLong(Long::longValue).sum();
        }

        @Override
        public void close() {
            running = false;
            try {
                thread.join(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /**
     * Checks each stock's results: after de-duplication by seq (duplicates must be identical), seq runs 1..rows with
     * no gap, each result carries its row's price and exactly (bitwise) the indicators of an uninterrupted in-process
     * engine run, and those equal TA-Lib's columns. Returns the number of duplicates dropped.
     */
    static int assertExact(final List<IndicatorResult> results, final List<String> stocks, final List<Row> rows) {
        final EngineSpec spec = EngineSpec.parse(EngineSpec.DEFAULT);
        final List<Map<String, Object>> expected = new ArrayList<>();
        final StockEngine engine = spec.newEngine();
        for (Row row : rows) {
            engine.update(row.price(), row.volume());
            expected.add(indicators(spec, engine.values()));
        }
        final Map<String, Map<Long, IndicatorResult>> bySeq = new HashMap<>();
        int duplicates = 0;
        for (IndicatorResult r : results) {
            final IndicatorResult earlier = bySeq.computeIfAbsent(r.stockId(), k -> new HashMap<>()).putIfAbsent(r.seq(), r);
            if (earlier != null) {
                duplicates++;
                assertEquals(withoutTiming(earlier), withoutTiming(r), "duplicate differs " + r.stockId() + "#" + r.seq());
            }
        }
        for (String stock : stocks) {
            final Map<Long, IndicatorResult> got = bySeq.getOrDefault(stock, Map.of());
            assertEquals(rows.size(), got.size(), "results of " + stock);
            for (int i = 0; i < rows.size(); i++) {
                final IndicatorResult r = got.get((long) i + 1);
                assertTrue(r != null, "gap: " + stock + " has no seq " + (i + 1));
                assertEquals(rows.get(i).price(), r.price(), stock + "#" + r.seq() + " price");
                assertEquals(expected.get(i), r.indicators(), stock + "#" + r.seq() + " indicators");
                assertTaLib(rows.get(i).talib(), r, stock);
            }
        }
        return duplicates;
    }

    static Map<String, Object> indicators(final EngineSpec spec, final double[] values) {
        final Map<String, Object> out = new LinkedHashMap<>();
        for (OutputGroup g : spec.outputs()) {
            if (g.parts().isEmpty()) {
                out.put(g.key(), nullIfNaN(values[g.offset()]));
            } else {
                final Map<String, Double> parts = new LinkedHashMap<>();
                for (int p = 0; p < g.parts().size(); p++) {
                    parts.put(g.parts().get(p), nullIfNaN(values[g.offset() + p]));
                }
                out.put(g.key(), parts);
            }
        }
        return out;
    }

    private static Double nullIfNaN(final double v) {
        return Double.isNaN(v) ? null : v;
    }

    private static void assertTaLib(final Map<String, Double> talib, final IndicatorResult r, final String stock) {
        final Map<String, Object> ind = r.indicators();
        close(talib.get("sma20"), ind.get("sma_20"), stock, r.seq(), "sma20");
        close(talib.get("ema20"), ind.get("ema_20"), stock, r.seq(), "ema20");
        close(talib.get("rsi14"), ind.get("rsi_14"), stock, r.seq(), "rsi14");
        final Map<?, ?> macd = (Map<?, ?>) ind.get("macd_12_26_9");
        close(talib.get("macd"), macd.get("macd"), stock, r.seq(), "macd");
        close(talib.get("macd_signal"), macd.get("signal"), stock, r.seq(), "macd_signal");
        close(talib.get("macd_hist"), macd.get("hist"), stock, r.seq(), "macd_hist");
        final Map<?, ?> bb = (Map<?, ?>) ind.get("bbands_20_2");
        close(talib.get("bb_upper"), bb.get("upper"), stock, r.seq(), "bb_upper");
        close(talib.get("bb_middle"), bb.get("middle"), stock, r.seq(), "bb_middle");
        close(talib.get("bb_lower"), bb.get("lower"), stock, r.seq(), "bb_lower");
    }

    private static void close(final double talib, final Object got, final String stock, final long seq,
                              final String column) {
        if (Double.isNaN(talib)) {
            assertEquals(null, got, stock + "#" + seq + " " + column + " should be null (look-back)");
        } else {
            assertTrue(got instanceof Double d && Math.abs(d - talib) <= 1e-9,
                    stock + "#" + seq + " " + column + " expected " + talib + " was " + got);
        }
    }

    private static IndicatorResult withoutTiming(final IndicatorResult r) {
        return new IndicatorResult(r.stockId(), r.seq(), r.timestamp(), r.price(), r.volume(), r.indicators(),
                r.ingestMicros(), 0L);
    }

    /** What a stalled read_committed reader is waiting on: each partition's end vs last stable offset, open txns. */
    static String diagnose(final String bootstrap, final String topic) {
        try (org.apache.kafka.clients.admin.Admin admin = org.apache.kafka.clients.admin.Admin.create(
                Map.of("bootstrap.servers", bootstrap))) {
            final Map<org.apache.kafka.common.TopicPartition, org.apache.kafka.clients.admin.OffsetSpec> latest =
                    new HashMap<>();
            final int partitions = admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic)
                    .partitions().size();
            for (int p = 0; p < partitions; p++) {
                latest.put(new org.apache.kafka.common.TopicPartition(topic, p),
                        org.apache.kafka.clients.admin.OffsetSpec.latest());
            }
            final var uncommitted = admin.listOffsets(latest).all().get();
            final var committed = admin.listOffsets(latest, new org.apache.kafka.clients.admin.ListOffsetsOptions(
                    org.apache.kafka.common.IsolationLevel.READ_COMMITTED)).all().get();
            final StringBuilder out = new StringBuilder("partitions (end/stable):");
            uncommitted.forEach((tp, info) -> out.append(' ').append(tp.partition()).append('=')
                    .append(info.offset()).append('/').append(committed.get(tp).offset()));
            out.append("; transactions: ").append(admin.listTransactions().all().get());
            return out.toString();
        } catch (Exception e) {
            return "diagnosis failed: " + e;
        }
    }

    /** An indicator instance as a separate JVM (for SIGKILL), its output in {@code target/<name>.log}. */
    static Process spawn(final String name, final Map<String, String> env) throws IOException {
        final String cp = Objects.requireNonNullElse(System.getProperty("surefire.test.class.path"),
                System.getProperty("java.class.path"));
        final ProcessBuilder pb = new ProcessBuilder(Paths.get(System.getProperty("java.home"), "bin", "java")
                .toString(), "-Xmx256m", "-XX:TieredStopAtLevel=1", "-cp", cp, "io.tickflow.indicator.IndicatorMain");
        pb.environment().putAll(env);
        pb.redirectErrorStream(true);
        final Path log = Paths.get("target", name + ".log");
        Files.createDirectories(log.getParent());
        pb.redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        return pb.start();
    }
}
