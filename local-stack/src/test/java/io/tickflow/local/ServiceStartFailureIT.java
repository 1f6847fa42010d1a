package io.tickflow.local;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

import static io.tickflow.local.IndicatorTestSupport.freePort;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 18 (4): each service run alone, as its own JVM through its real {@code main} and the services' logback.xml,
 * names the cause of a failed start in one line and exits 1 — a taken HTTP or WebSocket port (with a live broker), and
 * a broker that is not there (a closed port: the start gives up after its 30 s wait) — with no stack trace and no
 * Kafka client warnings in its output.
 */
class ServiceStartFailureIT {
    private static final Map<String, String> MAINS = Map.of(
            "ingest-service", "io.tickflow.ingest.IngestMain",
            "indicator-service", "io.tickflow.indicator.IndicatorMain",
            "delivery-service", "io.tickflow.delivery.DeliveryMain");

    private final List<Process> processes = new ArrayList<>();

    @AfterEach
    void stopProcesses() {
        processes.forEach(Process::destroyForcibly);
    }

    @Test
    void shouldNameTheUnreachableBrokerInOneLineAndExitOneWhenKafkaIsNotThere() throws Exception {
        final int closed = freePort();
        final Map<String, Process> started = new LinkedHashMap<>();
        final Map<String, Path> logs = new HashMap<>();
        for (String service : List.of("ingest-service", "indicator-service", "delivery-service")) {
            final Map<String, String> env = env();
            env.put("KAFKA_BOOTSTRAP_SERVERS", "127.0.0.1:" + closed);
            logs.put(service, Files.createTempFile("tickflow-" + service + "-", ".log"));
            started.put(service, spawn(service, env, logs.get(service))); // all three wait their 30 s at once
        }
        for (Map.Entry<String, Process> p : started.entrySet()) {
            final String service = p.getKey();
            assertTrue(p.getValue().waitFor(120, TimeUnit.SECONDS), service + " did not give up within 120 s");
            assertOneLine(service, logs.get(service), p.getValue().exitValue(), service
                    + ": cannot start: cannot reach Kafka at 127.0.0.1:" + closed
                    + " (KAFKA_BOOTSTRAP_SERVERS) within 30 s: Connection refused");
        }
    }

    @Test
    void shouldNameTheTakenPortAndItsKeyInOneLineAndExitOneWhenAPortIsInUse() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            final String port = Integer.toString(taken.getLocalPort());
            final Map<String, Map<String, String>> cases = new LinkedHashMap<>();
            cases.put("ingest-service", Map.of("HTTP_PORT", port));
            cases.put("indicator-service", Map.of("HTTP_PORT", port, "CREATE_TOPICS", "false"));
            cases.put("delivery-service", Map.of("HTTP_PORT", port, "WS_PORT", Integer.toString(freePort())));
            cases.put("delivery-service ws", Map.of("HTTP_PORT", Integer.toString(freePort()), "WS_PORT", port));
            final Map<String, Process> started = new LinkedHashMap<>();
            final Map<String, Path> logs = new HashMap<>();
            for (Map.Entry<String, Map<String, String>> c : cases.entrySet()) {
                final Map<String, String> env = env();
                env.put("KAFKA_BOOTSTRAP_SERVERS", KafkaFixture.bootstrapServers());
                env.putAll(c.getValue());
                logs.put(c.getKey(), Files.createTempFile("tickflow-start-", ".log"));
                started.put(c.getKey(), spawn(c.getKey().split(" ")[0], env, logs.get(c.getKey())));
            }
            for (Map.Entry<String, Process> p : started.entrySet()) {
                final String service = p.getKey().split(" ")[0];
                final String key = p.getKey().endsWith(" ws") ? "WS_PORT" : "HTTP_PORT";
                assertTrue(p.getValue().waitFor(120, TimeUnit.SECONDS), p.getKey() + " did not end by itself");
                assertOneLine(p.getKey(), logs.get(p.getKey()), p.getValue().exitValue(), service
                        + ": cannot start: port " + port + " (" + key + ") is in use: stop what listens there, or set "
                        + key + " to a free port");
            }
        }
    }

    /** Exit 1, exactly one line naming the cause, nothing that looks like a stack trace or a warning. */
    private static void assertOneLine(final String what, final Path log, final int exit, final String line)
            throws IOException {
        final String output = Files.readString(log, StandardCharsets.UTF_8);
        assertEquals(1, exit, what + " output:\n" + output);
        assertEquals(1, output.lines().filter(l -> l.contains("cannot start")).count(), what + " output:\n" + output);
        assertTrue(output.lines().anyMatch(line::equals), what + " wants the line\n" + line + "\noutput:\n" + output);
        assertTrue(output.lines().noneMatch(l -> l.startsWith("\tat ") || l.contains(" WARN ")
                || l.contains(" ERROR ") || l.contains("Exception")), what + " output:\n" + output);
        Files.deleteIfExists(log);
    }

    private static Map<String, String> env() {
        return new HashMap<>(Map.of("HTTP_HOST", "127.0.0.1", "WS_HOST", "127.0.0.1", "HTTP_PORT", "0",
                "WS_PORT", "0", "TICKS_TOPIC", KafkaFixture.uniqueTopic("start-failure")));
    }

    /** The service's main in its own JVM on this test's class path, with the services' logback.xml. */
    private Process spawn(final String service, final Map<String, String> env, final Path log) throws IOException {
        final String cp = Objects.requireNonNullElse(System.getProperty("surefire.test.class.path"),
                System.getProperty("java.class.path"));
        final ProcessBuilder pb = new ProcessBuilder(Paths.get(System.getProperty("java.home"), "bin", "java")
                .toString(), "-Xmx256m", "-XX:TieredStopAtLevel=1", "-Dlogback.configurationFile=logback.xml",
                "-cp", cp, MAINS.get(service));
        pb.environment().keySet().removeIf(k -> k.startsWith("KAFKA_") || k.startsWith("LOG_"));
        pb.environment().putAll(env);
        pb.redirectErrorStream(true);
        pb.redirectOutput(ProcessBuilder.Redirect.to(log.toFile()));
        final Process process = pb.start();
        processes.add(process);
        return process;
    }
}
