package io.tickflow.bench;

import io.tickflow.ingest.IngestConfig;
import io.tickflow.ingest.IngestMain;
import io.tickflow.local.EmbeddedKafka;
import io.tickflow.model.Json;
import io.tickflow.model.Tick;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;

/**
 * Gateway throughput: closed-loop clients (JDK HttpClient, HTTP/1.1 keep-alive) posting NDJSON batches to
 * {@code POST /ticks} of an in-process ingest service, which publishes to a real broker (embedded KRaft, or the one in
 * {@code KAFKA_BOOTSTRAP_SERVERS}) with acks=all and answers after the acknowledgements. Reports requests/s, ticks/s
 * and request latency for each batch size.
 *
 * <pre>
 * ./mvnw -B -q -pl benchmarks -am -DskipTests compile dependency:build-classpath -Dmdep.outputFile=/tmp/bench.cp
 * java -cp benchmarks/target/classes:$(cat /tmp/bench.cp) io.tickflow.bench.IngestBenchmark [clients] [seconds] [batch...]
 * </pre>
 * Defaults: 4 clients, 10 s measured after a 3 s warm-up, batches of 1 and 1000.
 */
public final class IngestBenchmark {
    private static final int DISTINCT_BODIES = 32;

    private IngestBenchmark() {
    }

    public static void main(final String[] args) throws Exception {
        final int clients = args.length > 0 ? Integer.parseInt(args[0]) : 4;
        final int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 10;
        final List<Integer> batches = new ArrayList<>();
        for (int i = 2; i < args.length; i++) {
            batches.add(Integer.parseInt(args[i]));
        }
        if (batches.isEmpty()) {
            batches.addAll(List.of(1, 1000));
        }
        final String external = System.getenv("KAFKA_BOOTSTRAP_SERVERS");
        final EmbeddedKafka kafka = external == null ? EmbeddedKafka.startTemporary() : null;
        final String bootstrap = kafka == null ? external : kafka.bootstrapServers();
        try {
            final String topic = "bench-ingest-" + System.nanoTime();
            EmbeddedKafka.createTopics(bootstrap, Map.of(topic, 4), Map.of());
            final Map<String, String> env = new HashMap<>(Map.of("KAFKA_BOOTSTRAP_SERVERS", bootstrap,
                    "TICKS_TOPIC", topic, "HTTP_HOST", "127.0.0.1", "HTTP_PORT", "0"));
            try (IngestMain ingest = IngestMain.start(IngestConfig.fromEnv(env))) {
                final URI uri = URI.create("http://127.0.0.1:" + ingest.httpPort() + "/ticks");
                System.out.printf("ingest gateway benchmark: %d clients, %d s per batch size, cores=%d, broker=%s%n",
                        clients, seconds, Runtime.getRuntime().availableProcessors(),
                        kafka == null ? external : "embedded");
                for (int batch : batches) {
                    run(uri, clients, batch, 3, false);
                    run(uri, clients, batch, seconds, true);
                }
            }
        } finally {
            if (kafka != null) {
                kafka.close();
            }
        }
    }

    private static void run(final URI uri, final int clients, final int batch, final int seconds, final boolean report)
            throws Exception {
        final List<HttpRequest> requests = new ArrayList<>();
        final Instant t0 = Instant.parse("2024-06-03T13:30:00Z");
        for (int b = 0; b < DISTINCT_BODIES; b++) {
            final StringBuilder ndjson = new StringBuilder(batch * 100);
            for (int i = 0; i < batch; i++) {
                final Tick tick = Tick.of("BENCH" + ((b * batch + i) % 200), t0.plusMillis(i), 100 + i * 0.01, 100);
                ndjson.append(new String(Json.encodeTick(tick), StandardCharsets.UTF_8)).append('\n');
            }
            requests.add(HttpRequest.newBuilder(uri).header("Content-Type", "application/x-ndjson")
                    .timeout(Duration.ofSeconds(30))
                    .POST(HttpRequest.BodyPublishers.ofString(ndjson.toString())).build());
        }
        final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        final LongAdder ok = new LongAdder();
        final LongAdder failed = new LongAdder();
        final Recorder latency = new Recorder(3);
        final AtomicBoolean running = new AtomicBoolean(true);
        final ExecutorService pool = Executors.newFixedThreadPool(clients);
        final long began = System.nanoTime();
        final List<Future<?>> workers = new ArrayList<>();
        for (int c = 0; c < clients; c++) {
            final int offset = c;
            workers.add(pool.submit(() -> {
                int n = offset;
                while (running.get()) {
                    final long start = System.nanoTime();
                    try {
                        final HttpResponse<Void> r = client.send(requests.get(n++ % DISTINCT_BODIES),
                                HttpResponse.BodyHandlers.discarding());
                        if (r.statusCode() == 202) {
                            ok.increment();
                        } else {
                            failed.increment();
                        }
                    } catch (Exception e) {
                        failed.increment();
                    }
                    latency.recordValue((System.nanoTime() - start) / 1000);
                }
                return null;
            }));
        }
        TimeUnit.SECONDS.sleep(seconds); // the measurement window
        running.set(false);
        for (Future<?> w : workers) {
            w.get();
        }
        final double elapsed = (System.nanoTime() - began) / 1e9;
        pool.shutdown();
        if (report) {
            final Histogram h = latency.getIntervalHistogram();
            System.out.printf("batch=%-5d requests/s=%-9.0f ticks/s=%-9.0f failed=%d latency p50=%.2f ms "
                            + "p99=%.2f ms max=%.2f ms%n", batch, ok.sum() / elapsed, ok.sum() * (double) batch / elapsed,
                    failed.sum(), h.getValueAtPercentile(50) / 1000.0, h.getValueAtPercentile(99) / 1000.0,
                    h.getMaxValue() / 1000.0);
        }
    }
}
