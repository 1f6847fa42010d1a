package io.tickflow.runtime;

import io.prometheus.metrics.model.registry.PrometheusRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static io.tickflow.runtime.HeldSockets.closedByServer;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Real sockets on 127.0.0.1, port 0: what slow, stalled and oversized clients can and cannot do to a server. */
class ServiceHttpServerTest {
    private static final String STALLED_HEAD = "POST /ticks HTTP/1.1\r\nHost: x\r\n"; // and then nothing

    private ServiceHttpServer http;
    private final HeldSockets sockets = new HeldSockets();

    private int start(final int threads, final HttpLimits limits) throws IOException {
        http = new ServiceHttpServer("test", "127.0.0.1", 0, threads, limits, new PrometheusRegistry());
        http.route("/echo", exchange -> {
            final byte[] body = exchange.getRequestBody().readAllBytes();
            ServiceHttpServer.respond(exchange, 200, body);
        });
        http.route("/chunked", exchange -> {
            exchange.sendResponseHeaders(200, 0); // length unknown: chunked
            try (OutputStream out = exchange.getResponseBody()) {
                out.write("abc".getBytes(StandardCharsets.US_ASCII));
                out.flush();
                out.write("def".getBytes(StandardCharsets.US_ASCII));
            }
        });
        http.route("/empty", exchange -> ServiceHttpServer.respond(exchange, 204, new byte[0]));
        http.start();
        return http.port();
    }

    @AfterEach
    void stop() throws IOException {
        sockets.close();
        if (http != null) {
            http.close();
        }
    }

    @Test
    void shouldAnswerHealthWithinOneSecondWhen200StalledConnectionsAreOpen() throws Exception {
        final int port = start(4, new HttpLimits(1_000, Duration.ofSeconds(30), 8_192));
        final long coldBegan = System.nanoTime();
        assertEquals(200, request(port, "GET /health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n").status());
        System.out.printf("GET /health, first request of the server: %d ms%n",
                (System.nanoTime() - coldBegan) / 1_000_000);
        for (int i = 0; i < 200; i++) {
            sockets.open(port, STALLED_HEAD);
        }
        // a request per stalled connection on the pool the JDK server used to read headers with: 4 threads
        final long began = System.nanoTime();
        final Reply health = request(port, "GET /health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
        final long millis = (System.nanoTime() - began) / 1_000_000;
        System.out.printf("GET /health with 200 stalled connections open: %d ms%n", millis);
        assertEquals(200, health.status(), health.text());
        assertTrue(millis < 1_000, "GET /health took " + millis + " ms");
    }

    @Test
    void shouldCloseStalledConnectionsWhenIdleTimeoutPasses() throws Exception {
        final int port = start(2, new HttpLimits(1_000, Duration.ofMillis(500), 8_192));
        final List<Socket> stalled = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            stalled.add(sockets.open(port, i % 2 == 0 ? STALLED_HEAD : "GE"));
        }
        final long began = System.nanoTime();
        for (Socket s : stalled) {
            assertTrue(closedByServer(s, Duration.ofSeconds(5)), "a stalled connection is still open after 5 s");
        }
        final long millis = (System.nanoTime() - began) / 1_000_000;
        System.out.printf("20 stalled connections closed by the 500 ms idle timeout after %d ms%n", millis);
        assertEquals(200, request(port, "GET /health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n").status());
    }

    @Test
    void shouldHoldNewConnectionsInAcceptQueueAndShortenIdleTimeoutWhenConnectionLimitIsReached()
            throws Exception {
        final int port = start(2, new HttpLimits(10, Duration.ofSeconds(30), 8_192));
        final List<Socket> stalled = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            stalled.add(sockets.open(port, STALLED_HEAD));
        }
        final long began = System.nanoTime();
        final Reply health = request(port, "GET /health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
        final long millis = (System.nanoTime() - began) / 1_000_000;
        System.out.printf("GET /health as connection 11 of a 10-connection limit: answered after %d ms%n", millis);
        assertEquals(200, health.status());
        // Served once a held connection was closed by the shortened (1 s) idle timeout, not after 30 s; below the
        // limit again, the others get their 30 s back.
        int closed = 0;
        for (Socket s : stalled) {
            closed += closedByServer(s, Duration.ofMillis(50)) ? 1 : 0;
        }
        System.out.printf("held connections closed to make room: %d of 10%n", closed);
        assertTrue(closed >= 1, "no held connection was closed");
        assertTrue(millis >= 500 && millis < 5_000, "answered after " + millis + " ms");
    }

    @Test
    void shouldAnswer431WhenHeadersExceedLimitAnd414WhenRequestLineDoes() throws Exception {
        final int port = start(2, new HttpLimits(1_000, Duration.ofSeconds(30), 2_048));
        final Reply big = request(port, "GET /health HTTP/1.1\r\nHost: x\r\nX-Filler: " + "a".repeat(4_096)
                + "\r\n\r\n");
        assertEquals(431, big.status(), big.text());
        final Reply longLine = request(port, "GET /health?" + "a".repeat(4_096) + " HTTP/1.1\r\nHost: x\r\n\r\n");
        assertEquals(414, longLine.status(), longLine.text());
        assertEquals(200, request(port, "GET /health HTTP/1.1\r\nHost: x\r\nX-Filler: " + "a".repeat(1_000)
                + "\r\nConnection: close\r\n\r\n").status());
    }

    @Test
    void shouldBehaveAsJdkServerWhenHandlersUseBodiesLengthsAndHead() throws Exception {
        final int port = start(2, HttpLimits.DEFAULTS);
        final Reply echo = request(port, "POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n"
                + "Connection: close\r\n\r\nhello");
        assertEquals(200, echo.status());
        assertTrue(echo.text().contains("Content-Length: 5"), echo.text());
        assertTrue(echo.text().endsWith("\r\n\r\nhello"), echo.text());
        final Reply chunked = request(port, "GET /chunked HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
        assertEquals(200, chunked.status());
        // Length 0 = unknown: a small body is aggregated and sent with a Content-Length, a large one chunked.
        assertTrue(chunked.text().endsWith("\r\n\r\nabcdef"), chunked.text());
        final Reply empty = request(port, "GET /empty HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
        assertEquals(204, empty.status(), empty.text());
        final Reply head = request(port, "HEAD /health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
        assertEquals(200, head.status());
        assertTrue(head.text().endsWith("\r\n\r\n"), "HEAD answered with a body: " + head.text());
        assertEquals(404, request(port, "GET /nowhere HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n").status());
    }

    record Reply(int status, String text) {
    }

    /** Sends a raw request on a new connection and reads until the server closes it (or 10 s pass). */
    static Reply request(final int port, final String raw) throws IOException {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
            s.setSoTimeout(10_000);
            s.getOutputStream().write(raw.getBytes(StandardCharsets.US_ASCII));
            s.getOutputStream().flush();
            final InputStream in = s.getInputStream();
            final byte[] all;
            try {
                all = in.readAllBytes();
            } catch (SocketException e) {
                throw new IOException("connection reset before an answer", e);
            }
            final String text = new String(all, StandardCharsets.ISO_8859_1);
            final int status = text.startsWith("HTTP/1.1 ") ? Integer.parseInt(text.substring(9, 12)) : -1;
            return new Reply(status, text);
        }
    }
}
