package io.tickflow.local;

import com.fasterxml.jackson.databind.JsonNode;
import io.tickflow.indicator.IndicatorConfig;
import io.tickflow.indicator.IndicatorMain;
import io.tickflow.model.Json;
import io.tickflow.model.Tick;
import io.tickflow.refdata.RefData;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 16 item 8: each row of the AAPL 1-minute reference series becomes four ticks inside its minute (open, then
 * low and high in the order the bar implies, close last; the row's volume split so the parts sum to it), streamed
 * through the real pipeline (embedded Kafka, {@link IndicatorMain} with BARS=1m, 2 lanes, 2 partitions). Every final
 * 1m bar, read read_committed, has the row's high, low and close, and every bar indicator equals TA-Lib's column.
 * Each close tick is sent after the next minute's first tick (out of order, inside the 2 s grace): it must still land
 * in its own bar. A tick for the first minute sent at the end is late: it reaches the DLQ with code {@code late}.
 */
class BarsGoldenIT {
    private static final String STOCK = "AAPL";
    /** bar indicator key (and part) → reference column. */
    private static final Map<String, String> COLUMNS = new LinkedHashMap<>();

    static {
        COLUMNS.put("sma_20", "sma20");
        COLUMNS.put("ema_20", "ema20");
        COLUMNS.put("rsi_14", "rsi14");
        COLUMNS.put("macd_12_26_9.macd", "macd");
        COLUMNS.put("macd_12_26_9.signal", "macd_signal");
        COLUMNS.put("macd_12_26_9.hist", "macd_hist");
        COLUMNS.put("bbands_20_2.upper", "bb_upper");
        COLUMNS.put("bbands_20_2.middle", "bb_middle");
        COLUMNS.put("bbands_20_2.lower", "bb_lower");
        COLUMNS.put("atr_14", "atr14");
        COLUMNS.put("stoch_14_3_3.k", "stoch_k");
        COLUMNS.put("stoch_14_3_3.d", "stoch_d");
    }

    private static final Logger LOG = LoggerFactory.getLogger(BarsGoldenIT.class);
    private static final List<String> CRASH_STOCKS = List.of("AAPL", "AAPL.A", "AAPL-B");
    private static final int KILLS = 3;

    private IndicatorMain service;
    private final List<Process> processes = new ArrayList<>();

    @AfterEach
    void stop() throws InterruptedException {
        if (service != null) {
            service.close();
        }
        for (Process p : processes) {
            p.destroyForcibly();
            p.waitFor(10, TimeUnit.SECONDS);
        }
    }

    /**
     * The same golden feed for three stocks on four partitions, through a separate indicator process (exactly-once,
     * 2 lanes, 20 ms commits) SIGKILLed three times mid-bar and restarted: read read_committed, every stock has each
     * final bar exactly once (seq 1..rows, no gap, no duplicate) with TA-Lib's values.
     */
    @Test
    void shouldLoseAndDuplicateNoFinalBarWhenKilledMidBar() throws Exception {
        final RefData ref = RefData.load("AAPL_1m_2019.csv");
        final String bootstrap = KafkaFixture.bootstrapServers();
        final String ticks = KafkaFixture.uniqueTopic("bars-crash");
        KafkaFixture.createTopics(bootstrap, Map.of(ticks, 4, ticks + "-bars", 4));
        final Map<String, String> env = IndicatorTestSupport.env(bootstrap, ticks, "bars-crash-" + ticks);
        env.put("BARS", "1m");
        env.put("BARS_TOPIC", ticks + "-bars");
        env.put("WORKER_LANES", "2");
        env.put("COMMIT_INTERVAL", "20ms");
        env.put("INSTANCE_ID", "bars-crash-1");
        env.put("KAFKA_GROUP_INSTANCE_ID", "bars-crash-1");
        final List<List<Tick>> feeds = new ArrayList<>();
        for (String stock : CRASH_STOCKS) feeds.add(feed(ref, stock));
        final long total = (long) ref.rows() * CRASH_STOCKS.size();
        try (BarCollector bars = new BarCollector(bootstrap, ticks + "-bars");
             KafkaProducer<byte[], byte[]> producer = IndicatorTestSupport.producer(bootstrap)) {
            final Thread feeder = new Thread(() -> {
                try {
                    for (int i = 0; i < feeds.get(0).size(); i++) {
                        for (List<Tick> f : feeds) send(producer, ticks, f.get(i));
                        if (i % 20 == 19) {
                            producer.flush();
                            Thread.sleep(20); // pacing of the feed, not a wait for a condition
                        }
                    }
                    for (String stock : CRASH_STOCKS) {
                        send(producer, ticks, Tick.of(stock, ref.time(ref.rows() - 1).plus(Duration.ofDays(1)),
                                ref.value(ref.rows() - 1, "price"), 1));
                    }
                    producer.flush();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }, "it-feed");
            feeder.start();
            for (int kill = 1; kill <= KILLS; kill++) {
                final int port = IndicatorTestSupport.freePort();
                env.put("HTTP_PORT", Integer.toString(port));
                final Process instance = IndicatorTestSupport.spawn("bars-crash", env);
                processes.add(instance);
                IndicatorTestSupport.await("instance ready", Duration.ofSeconds(60),
                        () -> IndicatorTestSupport.ready(port));
                final long target = bars.finalsRead() + ThreadLocalRandom.current().nextInt(100, 600);
                IndicatorTestSupport.await("final bars to grow to " + target, Duration.ofSeconds(90),
                        () -> bars.finalsRead() >= Math.min(target, total - 100));
                instance.destroyForcibly();
                instance.waitFor(10, TimeUnit.SECONDS);
                LOG.info("killed instance #{} after {} final bars read", kill, bars.finalsRead());
            }
            env.put("HTTP_PORT", "0");
            processes.add(IndicatorTestSupport.spawn("bars-crash", env));
            feeder.join(120_000);
            IndicatorTestSupport.await("all " + total + " final bars", Duration.ofSeconds(120),
                    () -> bars.finalsRead() >= total);
            // a duplicate, had the service written one, would be committed by now: read up to the committed end
            final Map<org.apache.kafka.common.TopicPartition, Long> end = committedEnd(bootstrap, bars.topic);
            IndicatorTestSupport.await("the collector at the committed end " + end, Duration.ofSeconds(30),
                    () -> bars.reached(end));
            for (String stock : CRASH_STOCKS) {
                final List<JsonNode> finals = bars.finals(stock);
                assertGolden(ref, finals, stock);
            }
        }
    }

    /** The last stable offsets of every partition of {@code topic}: what a read_committed reader can reach. */
    private static Map<org.apache.kafka.common.TopicPartition, Long> committedEnd(final String bootstrap,
                                                                               final String topic) {
        try (KafkaConsumer<byte[], byte[]> probe = IndicatorTestSupport.readCommitted(bootstrap)) {
            final List<org.apache.kafka.common.TopicPartition> partitions = probe.partitionsFor(topic).stream()
                    .map(p -> new org.apache.kafka.common.TopicPartition(topic, p.partition())).toList();
            return probe.endOffsets(partitions);
        }
    }

    /** Reads a bars topic read_committed on its own thread, keeping the final bars per stock in arrival order. */
    private static final class BarCollector implements AutoCloseable {
        private final Map<String, List<JsonNode>> finals = new java.util.concurrent.ConcurrentHashMap<>();
        private final Map<org.apache.kafka.common.TopicPartition, Long> positions =
                new java.util.concurrent.ConcurrentHashMap<>();
        final String topic;
        private final java.util.concurrent.atomic.AtomicLong count = new java.util.concurrent.atomic.AtomicLong();
        private final KafkaConsumer<byte[], byte[]> consumer;
        private final Thread thread;
        private volatile boolean running = true;

        BarCollector(final String bootstrap, final String topic) {
            this.topic = topic;
            consumer = IndicatorTestSupport.readCommitted(bootstrap);
            consumer.subscribe(List.of(topic));
            thread = new Thread(() -> {
                while (running) {
                    for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(100))) {
                        try {
                            final JsonNode bar = Json.MAPPER.readTree(r.value());
                            if (bar.get("final").asBoolean()) {
                                finals.computeIfAbsent(bar.get("stock_id").asText(),
                                        k -> java.util.Collections.synchronizedList(new ArrayList<>())).add(bar);
                                count.incrementAndGet();
                            }
                        } catch (java.io.IOException e) {
                            throw new java.io.UncheckedIOException(e);
                        }
                    }
                    for (org.apache.kafka.common.TopicPartition tp : consumer.assignment()) {
                        positions.put(tp, consumer.position(tp));
                    }
                }
                consumer.close();
            }, "it-bars");
            thread.start();
        }

        /** Whether every partition has been read up to {@code end}. */
        boolean reached(final Map<org.apache.kafka.common.TopicPartition, Long> end) {
            return end.entrySet().stream().allMatch(e -> positions.getOrDefault(e.getKey(), -1L) >= e.getValue());
        }

        /** Final bars read so far, duplicates included (the golden check fails on any). */
        long finalsRead() {
            return count.get();
        }

        List<JsonNode> finals(final String stock) {
            return List.copyOf(finals.getOrDefault(stock, List.of()));
        }

        @Override
        public void close() {
            running = false;
            try {
                thread.join(5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Test
    void shouldMakeTaLibExactFinalBarsFromTheReferenceSeriesWhenTicksArriveOutOfOrderAndLate() throws Exception {
        final RefData ref = RefData.load("AAPL_1m_2019.csv");
        final String bootstrap = KafkaFixture.bootstrapServers();
        final String ticks = KafkaFixture.uniqueTopic("bars-ticks");
        KafkaFixture.createTopics(bootstrap, Map.of(ticks, 2, ticks + "-bars", 2));
        final Map<String, String> env = IndicatorTestSupport.env(bootstrap, ticks, "bars-" + ticks);
        env.put("BARS", "1m");
        env.put("BARS_TOPIC", ticks + "-bars");
        env.put("WORKER_LANES", "2");
        service = IndicatorMain.start(IndicatorConfig.fromEnv(env));

        final List<Tick> feed = feed(ref, STOCK);
        final long lateTimestamp = ref.time(0).plusSeconds(30).toEpochMilli();
        try (KafkaProducer<byte[], byte[]> producer = IndicatorTestSupport.producer(bootstrap)) {
            for (Tick t : feed) send(producer, ticks, t);
            final double last = ref.value(ref.rows() - 1, "price");
            send(producer, ticks, Tick.of(STOCK, Instant.ofEpochMilli(lateTimestamp), last, 1)); // late for 1m
            // a tick a day later closes the last row's bar
            send(producer, ticks, Tick.of(STOCK, ref.time(ref.rows() - 1).plus(Duration.ofDays(1)), last, 1));
            producer.flush();
        }

        final List<JsonNode> finals = new ArrayList<>();
        final List<ConsumerRecord<byte[], byte[]>> dead = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> bars = IndicatorTestSupport.readCommitted(bootstrap);
             KafkaConsumer<byte[], byte[]> dlq = IndicatorTestSupport.readCommitted(bootstrap)) {
            bars.subscribe(List.of(ticks + "-bars"));
            dlq.subscribe(List.of(ticks + ".dlq"));
            final long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
            while ((finals.size() < ref.rows() || dead.isEmpty()) && System.nanoTime() < deadline) {
                for (ConsumerRecord<byte[], byte[]> r : bars.poll(Duration.ofMillis(100))) {
                    final JsonNode bar = Json.MAPPER.readTree(r.value());
                    assertEquals(STOCK, new String(r.key(), StandardCharsets.UTF_8), "key = stock_id");
                    if (bar.get("final").asBoolean()) finals.add(bar);
                }
                dlq.poll(Duration.ZERO).forEach(dead::add);
            }
        }
        assertGolden(ref, finals, STOCK);
        final List<String> lateCodes = dead.stream().map(d -> header(d, "tickflow.error.code")).toList();
        assertEquals(List.of("late"), lateCodes, "only the late tick is a dead letter");
        assertTrue(header(dead.get(0), "tickflow.error.reason").contains("1m"), header(dead.get(0),
                "tickflow.error.reason"));
    }

    /**
     * BAR_IDLE_CLOSE through the real pipeline: one old tick on an otherwise silent partition, and nothing after it.
     * Its 1s bar becomes final once the partition has been quiet for BAR_IDLE_CLOSE steps of wall time adding up past
     * end + grace (exactly one final, read read_committed); a tick for that bar sent afterwards is a {@code late} dead
     * letter.
     */
    @Test
    void shouldCloseAQuietPartitionsBarByTheWallClockWithBarIdleCloseAndSendALaterTickForItToTheDlq()
            throws Exception {
        final String bootstrap = KafkaFixture.bootstrapServers();
        final String ticks = KafkaFixture.uniqueTopic("bars-idle-ticks");
        KafkaFixture.createTopics(bootstrap, Map.of(ticks, 1, ticks + "-bars", 1));
        final Map<String, String> env = IndicatorTestSupport.env(bootstrap, ticks, "bars-idle-" + ticks);
        env.put("BARS", "1s");
        env.put("BAR_GRACE", "500ms");
        env.put("BAR_IDLE_CLOSE", "1s");
        env.put("BARS_TOPIC", ticks + "-bars");
        env.put("WORKER_LANES", "2");
        service = IndicatorMain.start(IndicatorConfig.fromEnv(env));

        final Instant start = Instant.parse("2019-02-11T14:31:00Z"); // old data: the close is by quiet time, not now
        final List<JsonNode> finals = new ArrayList<>();
        final List<ConsumerRecord<byte[], byte[]>> dead = new ArrayList<>();
        try (KafkaProducer<byte[], byte[]> producer = IndicatorTestSupport.producer(bootstrap);
             KafkaConsumer<byte[], byte[]> bars = IndicatorTestSupport.readCommitted(bootstrap);
             KafkaConsumer<byte[], byte[]> dlq = IndicatorTestSupport.readCommitted(bootstrap)) {
            bars.subscribe(List.of(ticks + "-bars"));
            dlq.subscribe(List.of(ticks + ".dlq"));
            send(producer, ticks, Tick.of(STOCK, start.plusMillis(100), 100.0, 5));
            producer.flush();
            final long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
            while (finals.isEmpty() && System.nanoTime() < deadline) {
                for (ConsumerRecord<byte[], byte[]> r : bars.poll(Duration.ofMillis(100))) {
                    final JsonNode bar = Json.MAPPER.readTree(r.value());
                    if (bar.get("final").asBoolean()) finals.add(bar);
                }
            }
            assertEquals(1, finals.size(), "the bar closed without a later tick");
            send(producer, ticks, Tick.of(STOCK, start.plusMillis(400), 101.0, 5)); // for the bar already final
            producer.flush();
            while (dead.isEmpty() && System.nanoTime() < deadline) {
                dlq.poll(Duration.ofMillis(100)).forEach(dead::add);
                for (ConsumerRecord<byte[], byte[]> r : bars.poll(Duration.ZERO)) {
                    final JsonNode bar = Json.MAPPER.readTree(r.value());
                    if (bar.get("final").asBoolean()) finals.add(bar);
                }
            }
        }
        assertEquals(1, finals.size(), "one final: the late tick reopened nothing " + finals);
        final JsonNode bar = finals.get(0);
        assertEquals(start.toString(), bar.get("start").asText(), bar.toString());
        assertEquals(1L, bar.get("seq").asLong());
        assertEquals(1L, bar.get("trades").asLong());
        assertEquals(100.0, bar.get("close").asDouble(), 0.0);
        assertEquals(List.of("late"), dead.stream().map(d -> header(d, "tickflow.error.code")).toList());
    }


    /** Every final bar of {@code stock}, in seq order, against the reference rows: one per row, TA-Lib's values. */
    private static void assertGolden(final RefData ref, final List<JsonNode> finals, final String stock) {
        assertEquals(ref.rows(), finals.size(), stock + ": one final bar per row, no more");
        int inexact = 0;
        final Map<String, Integer> inexactByKey = new LinkedHashMap<>();
        for (int row = 0; row < ref.rows(); row++) {
            final JsonNode bar = finals.get(row);
            final String at = "row " + row + " " + bar;
            assertEquals(row + 1L, bar.get("seq").asLong(), at);
            assertEquals(ref.time(row).toString(), bar.get("start").asText(), at);
            assertEquals("1m", bar.get("interval").asText());
            assertEquals(ref.value(row, "high"), bar.get("high").asDouble(), 0.0, at);
            assertEquals(ref.value(row, "low"), bar.get("low").asDouble(), 0.0, at);
            assertEquals(ref.value(row, "price"), bar.get("close").asDouble(), 0.0, at);
            assertEquals(ref.value(row, "volume"), bar.get("volume").asDouble(), 0.0, at);
            assertEquals(4L, bar.get("trades").asLong(), at);
            for (Map.Entry<String, String> c : COLUMNS.entrySet()) {
                final String[] path = c.getKey().split("\\.");
                JsonNode v = bar.get("indicators").get(path[0]);
                if (path.length > 1) v = v.get(path[1]);
                final double talib = ref.value(row, c.getValue());
                if (Double.isNaN(talib)) {
                    assertTrue(v.isNull(), c.getKey() + " null until its look-back, " + at);
                    continue;
                }
                assertTrue(v.isNumber(), c.getKey() + " " + at);
                final double got = v.asDouble();
                if (got != talib) {
                    inexact++;
                    inexactByKey.merge(c.getKey(), 1, Integer::sum);
                    assertEquals(talib, got, 1e-9 * Math.max(1.0, Math.abs(talib)), c.getKey() + " " + at);
                }
            }
        }
        System.out.println("BarsGoldenIT " + stock + ": " + ref.rows() + " final bars, indicator values not "
                + "bit-equal to the reference (within 1e-9): " + inexact + " " + inexactByKey);
    }

    /**
     * Four ticks per row: open (the previous close, kept inside the row's range) at :01, then low and high (low first
     * when the bar closes up) at :20 and :40, and the close at :55 — sent after the next minute's open when the next
     * row is the next minute, so it arrives out of order inside the grace.
     */
    private static List<Tick> feed(final RefData ref, final String stock) {
        final List<Tick> out = new ArrayList<>();
        Tick heldClose = null;
        for (int row = 0; row < ref.rows(); row++) {
            final Instant start = ref.time(row);
            final double high = ref.value(row, "high");
            final double low = ref.value(row, "low");
            final double close = ref.value(row, "price");
            final double volume = ref.value(row, "volume");
            final double prev = row == 0 ? close : ref.value(row - 1, "price");
            final double open = Math.min(high, Math.max(low, prev));
            final double part = Math.floor(volume / 4);
            final boolean up = close >= open;
            out.add(Tick.of(stock, start.plusSeconds(1), open, part));
            if (heldClose != null) {
                out.add(heldClose);
                heldClose = null;
            }
            out.add(Tick.of(stock, start.plusSeconds(20), up ? low : high, part));
            out.add(Tick.of(stock, start.plusSeconds(40), up ? high : low, part));
            final Tick closeTick = Tick.of(stock, start.plusSeconds(55), close, volume - 3 * part);
            final boolean nextIsNextMinute = row + 1 < ref.rows()
                    && ref.time(row + 1).equals(start.plusSeconds(60));
            if (nextIsNextMinute) heldClose = closeTick;
            else out.add(closeTick);
        }
        return out;
    }

    private static void send(final KafkaProducer<byte[], byte[]> producer, final String topic, final Tick tick) {
        producer.send(new ProducerRecord<>(topic, tick.stockId().getBytes(StandardCharsets.UTF_8),
                Json.encodeTick(tick)));
    }

    private static String header(final ConsumerRecord<byte[], byte[]> record, final String name) {
        final Header h = record.headers().lastHeader(name);
        return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }
}
