package io.tickflow.local;

import org.junit.jupiter.api.Test;

import java.io.File;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static io.tickflow.local.IndicatorTestSupport.await;
import static io.tickflow.local.IndicatorTestSupport.freePort;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 18 (4): {@code ./run-local}'s jar, run as a newcomer runs it (its own logback.xml, not the tests'): a healthy
 * start prints the banner and no WARN or ERROR line until the feed has run 10 s, and a start that cannot bind a port
 * prints one line naming the port and the key that moves it, and exits 1.
 */
class LocalStackQuietStartIT {
    private static final Path JAR = Path.of("target", "local-stack.jar");

    @Test
    void shouldPrintNoWarningsOnAHealthyStart() throws Exception {
        final Path out = Files.createTempFile("tickflow-run-local-", ".log");
        final Process stack = start(env(freePort()), out);
        try {
            await("the banner and the feed's first progress line", Duration.ofSeconds(120),
                    () -> read(out).contains("tickflow is running") && read(out).contains("simulator progress"));
        } finally {
            stack.destroy(); // SIGTERM: the shutdown hook stops everything
            assertTrue(stack.waitFor(60, TimeUnit.SECONDS), "the local stack did not stop within 60 s");
        }
        final String log = read(out);
        final String startPhase = log.substring(0, log.indexOf("simulator progress"));
        final List<String> noisy = startPhase.lines()
                .filter(l -> l.contains(" WARN ") || l.contains(" ERROR ") || l.startsWith("\tat "))
                .toList();
        assertEquals(List.of(), noisy, "a healthy start printed warnings; whole output:\n" + log);
        assertTrue(startPhase.lines().noneMatch(l -> l.matches(
                ".* INFO  \\[.*\\] (NetworkClient|ConsumerConfig|ProducerConfig|AdminClientConfig|AppInfoParser|Metadata"
                        + "|KafkaConsumer|KafkaProducer|TransactionManager|ConsumerCoordinator) - .*")),
                "Kafka client INFO chatter:\n" + startPhase);
        Files.deleteIfExists(out);
    }

    @Test
    void shouldNameTheTakenPortInOneLineWhenItCannotStart() throws Exception {
        final Path out = Files.createTempFile("tickflow-run-local-", ".log");
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            final Map<String, String> env = env(freePort());
            env.put("DELIVERY_HTTP_PORT", Integer.toString(taken.getLocalPort()));
            final Process stack = start(env, out);
            assertTrue(stack.waitFor(60, TimeUnit.SECONDS), "a start on a taken port must end by itself");
            assertEquals(1, stack.exitValue());
            final List<String> lines = read(out).lines().toList();
            assertEquals(1, lines.size(), "one line, not a stack trace:\n" + read(out));
            assertTrue(lines.get(0).startsWith("tickflow: cannot start: port " + taken.getLocalPort()
                    + " (DELIVERY_HTTP_PORT) is in use"), lines.get(0));
        }
        Files.deleteIfExists(out);
    }

    private static Map<String, String> env(final int kafkaPort) throws IOException {
        return new java.util.HashMap<>(Map.of("LOCAL_KAFKA_PORT", Integer.toString(kafkaPort),
                "INGEST_HTTP_PORT", Integer.toString(freePort()), "INDICATOR_HTTP_PORT", Integer.toString(freePort()),
                "DELIVERY_HTTP_PORT", Integer.toString(freePort()), "DELIVERY_WS_PORT", Integer.toString(freePort()),
                "SIM_STOCKS", "20", "SIM_RATE", "200", "TOPIC_PARTITIONS", "4"));
    }

    private static Process start(final Map<String, String> env, final Path out) throws IOException {
        assertTrue(Files.exists(JAR), JAR.toAbsolutePath() + " is built by the package phase before this test");
        final ProcessBuilder builder = new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx1g", "-jar",
                JAR.toAbsolutePath().toString())
                .redirectErrorStream(true).redirectOutput(out.toFile());
        builder.environment().keySet().removeIf(k -> k.startsWith("KAFKA_") || k.startsWith("LOG_"));
        builder.environment().putAll(env);
        builder.directory(new File(System.getProperty("java.io.tmpdir")));
        return builder.start();
    }

    private static String read(final Path out) {
        try {
            return Files.readString(out, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }
}
