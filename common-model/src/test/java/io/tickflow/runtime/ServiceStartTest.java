package io.tickflow.runtime;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Properties;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ServiceStartTest {
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private final PrintStream errStream = new PrintStream(err, true, StandardCharsets.UTF_8);

    private static Properties bootstrap(final String servers) {
        final Properties kafka = new Properties();
        kafka.put("bootstrap.servers", servers);
        return kafka;
    }

    private static int closedPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    @Test
    void shouldNameTheServersTheKeyAndTheRefusalWhenKafkaIsNotThereWithinTheWait() throws IOException {
        final int port = closedPort();
        final long began = System.nanoTime();
        final StartFailure e = assertThrows(StartFailure.class,
                () -> ServiceStart.requireKafka(bootstrap("127.0.0.1:" + port), Duration.ofSeconds(1)));
        final Duration took = Duration.ofNanos(System.nanoTime() - began);
        assertTrue(e.getMessage().startsWith("cannot reach Kafka at 127.0.0.1:" + port
                + " (KAFKA_BOOTSTRAP_SERVERS) within 1 s: Connection refused"), e.getMessage());
        assertTrue(took.compareTo(Duration.ofMillis(900)) >= 0, "gave up after " + took.toMillis() + " ms");
        assertTrue(took.compareTo(Duration.ofSeconds(20)) < 0, "gave up after " + took.toMillis() + " ms");
    }

    @Test
    void shouldRejectBootstrapServersWithoutAPortAsConfiguration() {
        final ConfigException e = assertThrows(ConfigException.class,
                () -> ServiceStart.requireKafka(bootstrap("kafka"), Duration.ofSeconds(1)));
        assertTrue(e.getMessage().startsWith("KAFKA_BOOTSTRAP_SERVERS=kafka:"), e.getMessage());
    }

    @Test
    void shouldSayThePortAndItsKeyWhenAnotherListenerHoldsIt() throws IOException {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
             ServerSocket second = new ServerSocket()) {
            final IOException bind = assertThrows(IOException.class, () -> second.bind(
                    new InetSocketAddress(InetAddress.getLoopbackAddress(), taken.getLocalPort())));
            final StartFailure e = StartFailure.cannotListen("127.0.0.1", taken.getLocalPort(), "WS_PORT",
                    new UncheckedIOException(new IOException("WebSocket server failed to bind", bind)));
            assertEquals("port " + taken.getLocalPort() + " (WS_PORT) is in use: stop what listens there, or set "
                    + "WS_PORT to a free port", e.getMessage());
        }
    }

    @Test
    void shouldPrintOneLineAndExitOneWhenAStartFails() {
        final int code = ServiceStart.report("ingest-service", new StartFailure("port 8081 (HTTP_PORT) is in use",
                new IOException("Address already in use")), errStream);
        assertEquals(1, code);
        assertEquals("ingest-service: cannot start: port 8081 (HTTP_PORT) is in use" + System.lineSeparator(),
                err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void shouldJoinTheCausesAndExitTwoWhenTheConfigurationIsBad() {
        assertEquals(2, ServiceStart.report("delivery-service", new ConfigException("WS_PORT=x: not a number"),
                errStream));
        assertEquals(1, ServiceStart.report("delivery-service", new IllegalStateException("cannot check topics",
                new IllegalStateException("timed out\nafter 30 s")), errStream));
        assertEquals(String.join(System.lineSeparator(), "delivery-service: cannot start: WS_PORT=x: not a number",
                "delivery-service: cannot start: cannot check topics: timed out after 30 s", ""),
                err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void shouldJoinTheCausesOnOneLineEachOnce() {
        final Exception e = new IllegalStateException("delivery HTTP failed to bind 127.0.0.1:8080",
                new java.net.BindException("Address already in use"));
        assertEquals("delivery HTTP failed to bind 127.0.0.1:8080: Address already in use", ServiceStart.oneLine(e));
        assertEquals("boom", ServiceStart.oneLine(new RuntimeException("boom", new RuntimeException("boom"))));
    }
}
