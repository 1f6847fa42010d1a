package io.tickflow.bench;

import io.tickflow.indicator.IndicatorConfig;
import io.tickflow.indicator.IndicatorMain;
import io.tickflow.local.EmbeddedKafka;
import io.tickflow.model.Json;
import io.tickflow.model.Tick;
import io.tickflow.runtime.PacingSchedule;
import org.HdrHistogram.Histogram;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * The indicator service alone against an embedded broker in this JVM, for each processing mode and commit interval:
 * <ul>
 *   <li>throughput: {@code ticks} ticks of {@code stocks} stocks preloaded, then the time until every result is
 *       committed (read_committed reader) → ticks/s;</li>
 *   <li>latency: ticks produced at {@code rate}/s (each stamped with ingest_us), result read read_committed →
 *       p50/p99/p99.9/max of tick-produced → result-readable. The baseline row is the same producer and reader on one
 *       topic with no service: the two Kafka hops the service adds cost about twice the baseline. With bars, also
 *       tick-produced → forming 1m bar record readable (read_committed).</li>
 * </ul>
 * Usage: {@code IndicatorServiceBenchmark [stocks=200] [ticks=200000] [rate=2000] [seconds=15]
 * [configs=exactly_once:5,exactly_once:20,exactly_once:100,at_least_once:20]}. A config may name BARS as a third
 * part, intervals joined by {@code +}: {@code exactly_once:100:none} (no bars; the default of this benchmark) vs
 * {@code exactly_once:100:1m+5m} in the same run; a fourth part is BAR_UPDATE_INTERVAL in ms ({@code …:1m+5m:60000}: forming
 * records rare, to tell their cost from the bars').
 */
public final class IndicatorServiceBenchmark {
    private static final int PARTITIONS = 4;

    private IndicatorServiceBenchmark() {
    }

    public static void main(final String[] args) throws Exception {
        final Map<String, String> a = new HashMap<>();
        for (String arg : args) {
            final int eq = arg.indexOf('=');
            a.put(arg.substring(0, eq), arg.substring(eq + 1));
        }
        final int stocks = Integer.parseInt(a.getOrDefault("stocks", "200"));
        final int ticks = Integer.parseInt(a.getOrDefault("ticks", "200000"));
        final int rate = Integer.parseInt(a.getOrDefault("rate", "2000"));
        final int seconds = Integer.parseInt(a.getOrDefault("seconds", "15"));
        final List<String> configs = List.of(a.getOrDefault("configs",
                "exactly_once:5,exactly_once:20,exactly_once:100,at_least_once:20").split(","));
        final List<String> report = new ArrayList<>();
        try (EmbeddedKafka kafka = EmbeddedKafka.startTemporary()) {
            final String bootstrap = kafka.bootstrapServers();
            final Histogram baseline = latency(bootstrap, null, stocks, rate, seconds)[0];
            report.add(String.format("%-28s %12s %s", "baseline (1 hop, no service)", "-", percentiles(baseline)));
            for (String config : configs) {
                final String[] parts = config.split(":");
                final String bars = parts.length > 2 ? parts[2] + (parts.length > 3 ? ":" + parts[3] : "") : "none";
                final double tps = throughput(bootstrap, parts[0], parts[1], bars, stocks, ticks);
                final Histogram[] h = latency(bootstrap, parts, stocks, rate, seconds);
                final String name = parts[0] + " " + parts[1] + "ms bars=" + bars;
                report.add(String.format("%-28s %12.0f %s", name, tps, percentiles(h[0])));
                if (h[1].getTotalCount() > 0) {
                    report.add(String.format("%-28s %12s %s", "  tick->forming 1m bar", "", percentiles(h[1])));
                }
            }
        }
        System.out.printf("%nindicator service, %d stocks, %d cores, %d partitions; latency at %d ticks/s for %d s%n",
                stocks, Runtime.getRuntime().availableProcessors(), PARTITIONS, rate, seconds);
        System.out.printf("%-28s %12s %s%n", "mode / commit interval", "ticks/s", "latency tick->result readable");
        report.forEach(System.out::println);
    }

    private static double throughput(final String bootstrap, final String guarantee, final String intervalMs,
                                     final String bars, final int stocks, final int ticks) throws Exception {
        final String topic = "bench-tp-" + System.nanoTime();
        EmbeddedKafka.createTopics(bootstrap, Map.of(topic, PARTITIONS, topic + "-results", PARTITIONS, topic + "-bars", PARTITIONS), Map.of());
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap, ProducerConfig.LINGER_MS_CONFIG, "5",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "false", ProducerConfig.ACKS_CONFIG, "1",
                ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, "1"),
                new ByteArraySerializer(), new ByteArraySerializer())) {
            final Instant t0 = Instant.parse("2024-06-03T13:30:00Z");
            for (int i = 0; i < ticks; i++) {
                final String stock = "S" + (i % stocks);
                producer.send(new ProducerRecord<>(topic, stock.getBytes(StandardCharsets.UTF_8), Json.encodeTick(
                        Tick.of(stock, t0.plusMillis(i), 100 + Math.sin(i * 0.01), 10))));
            }
            producer.flush();
        }
        try (Reader reader = new Reader(bootstrap, topic + "-results", r -> { });
             IndicatorMain service = IndicatorMain.start(config(bootstrap, topic, guarantee, intervalMs, bars))) {
            while (!service.ready()) {
                Thread.sleep(1);
            }
            final long began = System.nanoTime(); // joined and restored: from here on it only processes
            while (reader.count() < ticks) {
                Thread.sleep(5);
                if (System.nanoTime() - began > TimeUnit.MINUTES.toNanos(5)) {
                    throw new IllegalStateException("throughput run did not finish: " + reader.count());
                }
            }
            return ticks / ((System.nanoTime() - began) / 1e9);
        }
    }

    /**
     * parts == null: the baseline, ticks read straight back from their topic. Returns tick → result readable and,
     * with bars, tick → forming 1m bar readable: a forming record's {@code trades} = n names the n-th tick of its
     * stock in that minute as the newest it holds (this run's ticks carry the wall clock as timestamp, so a stock's
     * ticks of a minute are consecutive); the time is from that tick's production. Ticks whose update the throttle
     * or the conflation folded into a later one are measured by that later one's newest tick only.
     */
    private static Histogram[] latency(final String bootstrap, final String[] parts, final int stocks, final int rate,
                                       final int seconds) throws Exception {
        final String topic = "bench-lat-" + System.nanoTime();
        EmbeddedKafka.createTopics(bootstrap, Map.of(topic, PARTITIONS, topic + "-results", PARTITIONS, topic + "-bars", PARTITIONS), Map.of());
        final Histogram histogram = new Histogram(TimeUnit.SECONDS.toMicros(60), 3);
        final Histogram forming = new Histogram(TimeUnit.SECONDS.toMicros(60), 3);
        final Map<String, long[]> producedMicros = new ConcurrentHashMap<>(); // stock|minute -> produced, by order
        final long warmupEnd = System.nanoTime() + TimeUnit.SECONDS.toNanos(3);
        final String read = parts == null ? topic : topic + "-results";
        final boolean bars = parts != null && parts.length > 2 && !parts[2].equals("none");
        try (Reader reader = new Reader(bootstrap, read, r -> {
            if (System.nanoTime() > warmupEnd) {
                final long ingest = ingestMicros(r.value());
                histogram.recordValue(Math.max(0, nowMicros() - ingest));
            }
        });
             Reader barReader = !bars ? null : new Reader(bootstrap, topic + "-bars", r -> {
                 final String bar = new String(r.value(), StandardCharsets.UTF_8);
                 if (System.nanoTime() > warmupEnd && bar.contains("\"interval\":\"1m\"")
                         && bar.contains("\"final\":false")) {
                     final long[] produced = producedMicros.get(field(bar, "stock_id") + "|" + field(bar, "start"));
                     final int trades = Integer.parseInt(field(bar, "trades"));
                     if (produced != null && trades <= produced.length && produced[trades - 1] != 0L) {
                         forming.recordValue(Math.max(0, nowMicros() - produced[trades - 1]));
                     }
                 }
             });
             IndicatorMain service = parts == null ? null
                     : IndicatorMain.start(config(bootstrap, topic, parts[0], parts[1],
                             parts.length > 2 ? parts[2] + (parts.length > 3 ? ":" + parts[3] : "") : "none"));
             KafkaProducer<byte[], byte[]> producer = producer(bootstrap)) {
            while (service != null && !service.ready()) {
                Thread.sleep(10);
            }
            final PacingSchedule schedule = new PacingSchedule(System.nanoTime(), rate);
            final long end = schedule.startNanos() + TimeUnit.SECONDS.toNanos(seconds + 3);
            int i = 0;
            for (long next = schedule.startNanos(); next < end; next = schedule.dueNanos(i)) {
                final long wait = next - System.nanoTime();
                if (wait > 0) {
                    LockSupport.parkNanos(wait);
                }
                final String stock = "S" + (i % stocks);
                final Instant now = Instant.now();
                final Tick tick = new Tick(stock, now, 100 + Math.sin(i * 0.01), 10, nowMicros());
                if (bars) {
                    final long[] produced = producedMicros.computeIfAbsent(
                            stock + "|" + now.truncatedTo(ChronoUnit.MINUTES), k -> new long[60 * rate / stocks + 64]);
                    int n = 0;
                    while (n < produced.length && produced[n] != 0L) n++;
                    if (n < produced.length) produced[n] = tick.ingestMicros();
                }
                producer.send(new ProducerRecord<>(topic, stock.getBytes(StandardCharsets.UTF_8),
                        Json.encodeTick(tick)));
                i++;
            }
            producer.flush();
            final long drainBy = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (reader.count() < i && System.nanoTime() < drainBy) {
                Thread.sleep(5); // the last interval commits and is read
            }
        }
        return new Histogram[] {histogram, forming}; // the reader threads have been joined
    }

    /** A field's raw value in a flat JSON document: the text after {@code "name":}, without quotes. */
    private static String field(final String json, final String name) {
        final int at = json.indexOf("\"" + name + "\":") + name.length() + 3;
        final boolean quoted = json.charAt(at) == '"';
        int end = quoted ? json.indexOf('"', at + 1) : at;
        if (!quoted) {
            while (end < json.length() && json.charAt(end) != ',' && json.charAt(end) != '}') end++;
        }
        return json.substring(quoted ? at + 1 : at, end);
    }

    private static long ingestMicros(final byte[] json) {
        // both ticks and results carry "ingest_us":<n>
        final String s = new String(json, StandardCharsets.UTF_8);
        final int at = s.indexOf("\"ingest_us\":") + 12;
        int end = at;
        while (end < s.length() && Character.isDigit(s.charAt(end))) {
            end++;
        }
        return Long.parseLong(s.substring(at, end));
    }

    private static IndicatorConfig config(final String bootstrap, final String topic, final String guarantee,
                                          final String intervalMs, final String bars) {
        final Map<String, String> env = new HashMap<>(Map.of("KAFKA_BOOTSTRAP_SERVERS", bootstrap, "TICKS_TOPIC",
                topic, "RESULTS_TOPIC", topic + "-results", "STATE_TOPIC", topic + "-state", "APPLICATION_ID", topic,
                "PROCESSING_GUARANTEE", guarantee, "COMMIT_INTERVAL", intervalMs + "ms", "HTTP_HOST", "127.0.0.1",
                "HTTP_PORT", "0"));
        final String[] barParts = bars.split(":"); // intervals joined by '+', then the update interval if given
        env.put("BARS", barParts[0].replace('+', ','));
        if (barParts.length > 1) {
            env.put("BAR_UPDATE_INTERVAL", barParts[1] + "ms");
        }
        env.put("BARS_TOPIC", topic + "-bars");
        return IndicatorConfig.fromEnv(env);
    }

    private static String percentiles(final Histogram h) {
        return String.format("p50 %6.2f ms  p99 %6.2f ms  p99.9 %6.2f ms  max %7.2f ms  (n=%d)",
                h.getValueAtPercentile(50) / 1000.0, h.getValueAtPercentile(99) / 1000.0,
                h.getValueAtPercentile(99.9) / 1000.0, h.getMaxValue() / 1000.0, h.getTotalCount());
    }

    private static long nowMicros() {
        final Instant now = Instant.now();
        return now.getEpochSecond() * 1_000_000L + now.getNano() / 1_000L;
    }

    private static KafkaProducer<byte[], byte[]> producer(final String bootstrap) {
        return new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ProducerConfig.LINGER_MS_CONFIG, "0"), new ByteArraySerializer(), new ByteArraySerializer());
    }

    /** A read_committed reader on its own thread. */
    private static final class Reader implements AutoCloseable {
        private final Thread thread;
        private final AtomicLong count = new AtomicLong();
        private volatile boolean running = true;

        Reader(final String bootstrap, final String topic,
               final java.util.function.Consumer<ConsumerRecord<byte[], byte[]>> onRecord) throws InterruptedException {
            final KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(Map.of(
                    ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                    ConsumerConfig.GROUP_ID_CONFIG, "bench-reader-" + System.nanoTime(),
                    ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                    ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"),
                    new ByteArrayDeserializer(), new ByteArrayDeserializer());
            consumer.subscribe(List.of(topic));
            while (consumer.assignment().isEmpty()) {
                consumer.poll(Duration.ofMillis(50));
            }
            thread = new Thread(() -> {
                try (consumer) {
                    while (running) {
                        for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(50))) {
                            onRecord.accept(r);
                            count.incrementAndGet();
                        }
                    }
                }
            }, "bench-reader");
            thread.start();
        }

        long count() {
            return count.get();
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
}
