package io.tickflow.bench.harness;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;

/**
 * M dashboard-like WebSocket clients (JDK {@link WebSocket}: non-blocking, so a thousand clients share two threads),
 * each subscribed to K stocks. Every {@code update} frame's {@code ingest_us} values go into the current
 * {@link LatencyRecording} with the frame's arrival time; snapshots (old values replayed on subscribe) and unknown
 * types are skipped. Each client asks for one frame at a time, so a client that fell behind is slow as the server sees
 * it, not buffered invisibly here.
 */
final class LatencyClients implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(LatencyClients.class);
    private static final int MAX_CONNECTING = 64;

    private final ExecutorService executor;
    private final List<WebSocket> sockets = new ArrayList<>();
    private final LongAdder updates = new LongAdder();
    private final LongAdder errors = new LongAdder();
    private final AtomicInteger closed = new AtomicInteger();
    private volatile boolean closing;

    private LatencyClients(final ExecutorService executor) {
        this.executor = executor;
    }

    /**
     * Connects {@code count} clients to {@code uri}, client c subscribing to {@link StockUniverse#subscriptionOf}, and
     * returns once every client has its {@code subscribed} reply.
     */
    static LatencyClients connect(final URI uri, final StockUniverse stocks, final int count, final int perClient,
                                  final AtomicReference<LatencyRecording> sink, final HarnessClock clock,
                                  final Duration timeout) throws InterruptedException {
        final AtomicInteger threadId = new AtomicInteger();
        final ExecutorService executor = Executors.newFixedThreadPool(2, r -> {
            final Thread t = new Thread(r, "ws-client-" + threadId.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        final LatencyClients clients = new LatencyClients(executor);
        final HttpClient http = HttpClient.newBuilder().executor(executor).connectTimeout(timeout).build();
        final CountDownLatch subscribed = new CountDownLatch(count);
        final Semaphore connecting = new Semaphore(MAX_CONNECTING);
        final List<CompletableFuture<WebSocket>> opening = new ArrayList<>();
        for (int c = 0; c < count; c++) {
            connecting.acquire();
            final String subscribe = subscribeFrame(stocks.subscriptionOf(c, perClient));
            final Listener listener = clients.new Listener(sink, clock, subscribed);
            opening.add(http.newWebSocketBuilder().connectTimeout(timeout).buildAsync(uri, listener)
                    .thenCompose(ws -> ws.sendText(subscribe, true))
                    .whenComplete((ws, error) -> connecting.release()));
        }
        try {
            for (CompletableFuture<WebSocket> open : opening) {
                clients.sockets.add(open.get(timeout.toMillis(), TimeUnit.MILLISECONDS));
            }
            if (!subscribed.await(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new IllegalStateException("only " + (count - subscribed.getCount()) + " of " + count
                        + " clients subscribed within " + timeout);
            }
        } catch (Exception e) {
            clients.close();
            if (e instanceof InterruptedException interrupted) {
                throw interrupted;
            }
            throw new IllegalStateException("cannot connect " + count + " WebSocket clients to " + uri + ": " + e, e);
        }
        LOG.info("clients connected uri={} clients={} stocksPerClient={}", uri, count, perClient);
        return clients;
    }

    static String subscribeFrame(final String[] symbols) {
        final StringBuilder json = new StringBuilder(48 + symbols.length * 10)
                .append("{\"op\":\"subscribe\",\"id\":1,\"symbols\":[");
        for (int i = 0; i < symbols.length; i++) {
            json.append(i == 0 ? "\"" : ",\"").append(symbols[i]).append('"');
        }
        return json.append("]}").toString();
    }

    /** Results received in update frames since connect. */
    long updates() {
        return updates.sum();
    }

    long errors() {
        return errors.sum();
    }

    int closedByServer() {
        return closed.get();
    }

    @Override
    public void close() {
        closing = true;
        for (WebSocket socket : sockets) {
            socket.sendClose(WebSocket.NORMAL_CLOSURE, "bench done");
        }
        for (WebSocket socket : sockets) {
            socket.abort();
        }
        executor.shutdownNow();
        LOG.info("clients closed updates={} errors={} closedByServer={}", updates(), errors(), closedByServer());
    }

    /** One client's callbacks; the JDK calls them one at a time per socket. */
    private final class Listener implements WebSocket.Listener {
        private final AtomicReference<LatencyRecording> sink;
        private final HarnessClock clock;
        private final CountDownLatch subscribed;
        private final StringBuilder partial = new StringBuilder();
        private boolean confirmed;

        Listener(final AtomicReference<LatencyRecording> sink, final HarnessClock clock,
                 final CountDownLatch subscribed) {
            this.sink = sink;
            this.clock = clock;
            this.subscribed = subscribed;
        }

        @Override
        public void onOpen(final WebSocket webSocket) {
            webSocket.request(1);
        }

        @Override
        public CompletionStage<?> onText(final WebSocket webSocket, final CharSequence data, final boolean last) {
            if (!last) {
                partial.append(data);
            } else if (partial.length() == 0) {
                handle(data.toString());
            } else {
                handle(partial.append(data).toString());
                partial.setLength(0);
            }
            webSocket.request(1);
            return null;
        }

        private void handle(final String frame) {
            switch (LatencyFrames.type(frame)) {
                case "update" -> {
                    final long arrived = clock.nowMicros();
                    final LatencyRecording recording = sink.get();
                    if (recording == null) {
                        updates.add(LatencyFrames.forEachIngestMicros(frame, ingest -> { }));
                    } else {
                        updates.add(LatencyFrames.forEachStamps(frame,
                                (ingest, computed) -> recording.record(ingest, computed, arrived)));
                    }
                }
                case "subscribed" -> {
                    if (!confirmed) {
                        confirmed = true;
                        subscribed.countDown();
                    }
                }
                case "error" -> countError(frame);
                default -> { }
            }
        }

        @Override
        public CompletionStage<?> onClose(final WebSocket webSocket, final int statusCode, final String reason) {
            if (!closing && closed.incrementAndGet() == 1) {
                LOG.warn("server closed a client status={} reason={}", statusCode, reason);
            }
            return null;
        }

        @Override
        public void onError(final WebSocket webSocket, final Throwable error) {
            countError(error.toString());
        }

        private void countError(final String what) {
            errors.increment();
            if (Long.bitCount(errors.sum()) == 1) {
                LOG.warn("client error errors={} what={}", errors.sum(), what);
            }
        }
    }
}
