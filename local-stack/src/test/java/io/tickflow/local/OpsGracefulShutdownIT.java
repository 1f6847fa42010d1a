package io.tickflow.local;

import io.tickflow.local.IndicatorTestSupport.ResultCollector;
import io.tickflow.local.IndicatorTestSupport.Row;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

import static io.tickflow.local.IndicatorTestSupport.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 8 (4): a service running as its own OS process gets SIGTERM ({@link Process#destroy()}) mid-stream, exits
 * within the 10 s contract through its shutdown hook, and loses nothing: the indicator's every tick has exactly one
 * committed result once a fresh instance took over; every request the ingest gateway answered 202 has its ticks in
 * the topic.
 */
class OpsGracefulShutdownIT {
    private static final Logger LOG = LoggerFactory.getLogger(OpsGracefulShutdownIT.class);
    /** The contract of issue 8 and docs/ops.md. */
    private static final Duration SHUTDOWN_CONTRACT = Duration.ofSeconds(10);
    private static final int ROWS = 500;
    private static final List<String> STOCKS = List.of("OPS.S1", "OPS.S2", "OPS.S3", "OPS.S4");
    private static final int CLIENTS = 4;
    private static final int TICKS_PER_REQUEST = 20;

    private final List<Process> processes = new ArrayList<>();

    @AfterEach
    void killLeftovers() throws InterruptedException {
        for (Process p : processes) {
            p.destroyForcibly();
            p.waitFor(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void shouldCommitEveryResultExactlyOnceWhenTheIndicatorIsTerminatedMidStream() throws Exception {
        final String bootstrap = KafkaFixture.bootstrapServers();
        final String ticks = KafkaFixture.uniqueTopic("ops-sigterm-ticks");
        KafkaFixture.createTopics(bootstrap, Map.of(ticks, 4)); // the service creates results, state and DLQ
        final List<Row> rows = IndicatorTestSupport.series("AAPL_1m_2019.csv", ROWS);
        final Map<String, String> env = IndicatorTestSupport.env(bootstrap, ticks, "ops-sigterm-" + ticks);
        env.put("WORKER_LANES", "2");
        final long total = (long) ROWS * STOCKS.size();

        try (ResultCollector results = new ResultCollector(bootstrap, ticks + "-results");
             KafkaProducer<byte[], byte[]> producer = IndicatorTestSupport.producer(bootstrap)) {
            final Path firstLog = logFile("ops-sigterm-indicator-1");
            final int firstPort = IndicatorTestSupport.freePort();
            env.put("HTTP_PORT", Integer.toString(firstPort));
            env.put("INSTANCE_ID", "ops-sigterm-1");
            final Process first = spawn("io.tickflow.indicator.IndicatorMain", env, firstLog);
            await("first instance ready", Duration.ofSeconds(60), () -> IndicatorTestSupport.ready(firstPort));

            // ~1,000 ticks/s: ticks are still streaming in at the SIGTERM
            final Thread feed = IndicatorTestSupport.startFeed(producer, ticks, STOCKS, rows, 40);
            await("results to flow", Duration.ofSeconds(60), () -> results.distinctTotal() >= total / 4);

            final Duration took = terminate(first);
            final long atTerm = results.distinctTotal();
            LOG.info("indicator SIGTERM: exited in {} ms exit={} with {} of {} results committed",
                    took.toMillis(), first.exitValue(), atTerm, total);
            assertTrue(atTerm < total, "the SIGTERM came mid-stream");
            assertTrue(Files.readString(firstLog).contains("indicator processor stopped failed=false"),
                    "the shutdown hook closed the processor cleanly (see " + firstLog + ")");

            final int secondPort = IndicatorTestSupport.freePort();
            env.put("HTTP_PORT", Integer.toString(secondPort));
            env.put("INSTANCE_ID", "ops-sigterm-2");
            final Process second = spawn("io.tickflow.indicator.IndicatorMain", env,
                    logFile("ops-sigterm-indicator-2"));
            feed.join(60_000);
            await("all " + total + " results", Duration.ofSeconds(60), () -> results.distinctTotal() >= total);
            final Duration secondTook = terminate(second);
            LOG.info("indicator SIGTERM (idle): exited in {} ms", secondTook.toMillis());

            final int duplicates = IndicatorTestSupport.assertExact(results.all, STOCKS, rows);
            assertEquals(0, duplicates, "read_committed: exactly one result per (stock, seq)");
            assertEquals(total, results.count.get(), "no result beyond one per tick");
        }
    }

    @Test
    void shouldKeepEveryAcceptedTickWhenIngestIsTerminatedWhileClientsPost() throws Exception {
        final String bootstrap = KafkaFixture.bootstrapServers();
        final String topic = KafkaFixture.uniqueTopic("ops-sigterm-ingest");
        KafkaFixture.createTopics(bootstrap, Map.of(topic, 2));
        final int port = IndicatorTestSupport.freePort();
        final Process ingest = spawn("io.tickflow.ingest.IngestMain", Map.of(
                "KAFKA_BOOTSTRAP_SERVERS", bootstrap,
                "TICKS_TOPIC", topic,
                "HTTP_HOST", "127.0.0.1",
                "HTTP_PORT", Integer.toString(port)), logFile("ops-sigterm-ingest"));
        await("ingest ready", Duration.ofSeconds(60), () -> IndicatorTestSupport.ready(port));

        final Set<String> accepted = ConcurrentHashMap.newKeySet();
        final Map<String, AtomicInteger> refusals = new ConcurrentHashMap<>();
        final List<Thread> clients = new ArrayList<>();
        for (int c = 0; c < CLIENTS; c++) {
            final int client = c;
            final Thread t = new Thread(() -> postUntilRefused(port, "C" + client + "-", accepted, refusals),
                    "it-client-" + c);
            t.start();
            clients.add(t);
        }
        await("requests to be accepted", Duration.ofSeconds(30), () -> accepted.size() >= 40);

        final int acceptedAtTerm = accepted.size();
        final Duration took = terminate(ingest);
        for (Thread t : clients) {
            t.join(30_000);
            assertTrue(!t.isAlive(), t.getName() + " still posting after the gateway exited");
        }
        LOG.info("ingest SIGTERM: exited in {} ms exit={} acceptedRequests={} (at SIGTERM {}) refusals={}",
                took.toMillis(), ingest.exitValue(), accepted.size(), acceptedAtTerm, refusals);

        final Map<String, Long> inTopic = IngestTestSupport.readAll(bootstrap, topic).stream()
                .collect(Collectors.groupingBy(ConsumerRecord::key, Collectors.counting()));
        final List<String> lost = accepted.stream()
                .filter(request -> inTopic.getOrDefault(request, 0L) < TICKS_PER_REQUEST).sorted().toList();
        assertEquals(List.of(), lost, "requests answered 202 whose ticks are not all in " + topic);
        LOG.info("ingest SIGTERM: requests in the topic without a 202 (reply lost at the exit): {}",
                inTopic.keySet().stream().filter(request -> !accepted.contains(request)).sorted().toList());
    }

    /** Posts requests of {@code TICKS_PER_REQUEST} ticks under one fresh stock id each until one is not a 202. */
    private static void postUntilRefused(final int port, final String prefix, final Set<String> accepted,
                                         final Map<String, AtomicInteger> refusals) {
        final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5)).build();
        for (int n = 0; ; n++) {
            final String stock = prefix + n;
            final StringBuilder body = new StringBuilder();
            for (int i = 0; i < TICKS_PER_REQUEST; i++) {
                body.append("{\"stock_id\":\"").append(stock).append("\",\"timestamp\":").append(1_700_000_000_000L + i)
                        .append(",\"price\":").append(100 + i).append(",\"volume\":1}\n");
            }
            String outcome;
            try {
                final HttpResponse<String> r = IngestTestSupport.post(http, port, "application/x-ndjson",
                        body.toString().getBytes(StandardCharsets.UTF_8));
                if (r.statusCode() == 202) {
                    accepted.add(stock);
                    continue;
                }
                outcome = "status " + r.statusCode();
            } catch (IOException e) {
                outcome = e.getClass().getSimpleName();
            } catch (Exception e) {
                outcome = e.toString();
            }
            refusals.computeIfAbsent(outcome, k -> new AtomicInteger()).incrementAndGet();
            return;
        }
    }

    /** SIGTERM, then the time until the process is gone; asserts the 10 s contract. */
    private static Duration terminate(final Process process) throws InterruptedException {
        final long began = System.nanoTime();
        process.destroy();
        assertTrue(process.waitFor(15, TimeUnit.SECONDS), "no exit within 15 s of SIGTERM");
        final Duration took = Duration.ofNanos(System.nanoTime() - began);
        assertTrue(took.compareTo(SHUTDOWN_CONTRACT) <= 0, "SIGTERM to exit took " + took.toMillis() + " ms");
        return took;
    }

    /** {@code mainClass} in its own JVM on this test's class path, output appended to {@code log}. */
    private Process spawn(final String mainClass, final Map<String, String> env, final Path log) throws IOException {
        final String cp = Objects.requireNonNullElse(System.getProperty("surefire.test.class.path"),
                System.getProperty("java.class.path"));
        final ProcessBuilder pb = new ProcessBuilder(Paths.get(System.getProperty("java.home"), "bin", "java")
                .toString(), "-Xmx256m", "-XX:TieredStopAtLevel=1", "-cp", cp, mainClass);
        pb.environment().putAll(env);
        pb.redirectErrorStream(true);
        pb.redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        final Process process = pb.start();
        processes.add(process);
        return process;
    }

    private static Path logFile(final String name) throws IOException {
        final Path log = Paths.get("target", name + ".log");
        Files.createDirectories(log.getParent());
        Files.deleteIfExists(log);
        return log;
    }
}
