package io.tickflow.delivery;

import io.tickflow.runtime.AuthFailures;
import org.java_websocket.WebSocket;
import org.java_websocket.WebSocketImpl;
import org.java_websocket.drafts.Draft;
import org.java_websocket.drafts.Draft_6455;
import org.java_websocket.exceptions.InvalidDataException;
import org.java_websocket.framing.CloseFrame;
import org.java_websocket.handshake.ClientHandshake;
import org.java_websocket.handshake.ServerHandshakeBuilder;
import org.java_websocket.server.WebSocketServer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

/**
 * The WebSocket side of delivery (protocol v1): a Java-WebSocket server whose connections each get a {@link Session}
 * (protocol) and an {@link Outbox} (bounded outbound budget). Besides the library's selector and worker threads it
 * runs a drainer thread, which feeds waiting frames into sockets as they free up, and a timer thread for auth
 * deadlines, heartbeats, forced closes and unsubscribing closed connections. Connections still in their opening
 * handshake are bounded in time, size and number by a {@link HandshakeGuard}.
 *
 * <p>Lock order: a session's monitor, a stock's, an outbox's, then the connection's ({@code WebSocketImpl}, taken by
 * {@link Socket#send}). The library holds the connection's while it calls {@link #onClose}, so nothing there takes
 * one of ours.
 */
public final class StreamServer extends WebSocketServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(StreamServer.class);
    private static final long CLOSE_GRACE_MILLIS = 2_000;
    private static final long DRAIN_PAUSE_NANOS = 200_000;
    /** How often held throttled updates are looked at: the most a trailing update is late past its period. */
    private static final long THROTTLE_TICK_NANOS = 5_000_000;

    private final DeliveryConfig config;
    private final StockBook book;
    private final BarBook bars;
    private final DeliveryMetrics metrics;
    private final AuthFailures authFailures;
    private final OriginPolicy origins;
    private final AtomicInteger open = new AtomicInteger();
    private final Set<Outbox> pending = ConcurrentHashMap.newKeySet();
    /** Outboxes whose only waiting updates are held by a throttle: looked at every THROTTLE_TICK_NANOS. */
    private final Set<Outbox> throttled = ConcurrentHashMap.newKeySet();
    private final Set<Session> sessions = ConcurrentHashMap.newKeySet();
    private final ScheduledExecutorService timers;
    private final HandshakeGuard handshakes;
    private final Thread drainer;
    private final CountDownLatch started = new CountDownLatch(1);
    private final AtomicReference<Exception> startFailure = new AtomicReference<>();
    private volatile boolean running = true;

    public StreamServer(final DeliveryConfig config, final StockBook book, final BarBook bars,
                        final DeliveryMetrics metrics, final AuthFailures authFailures) {
        super(new InetSocketAddress(config.wsHost(), config.wsPort()), Math.max(2, Runtime.getRuntime().availableProcessors()),
                List.of(new Draft_6455(List.of(), config.maxFrameBytes())));
        this.config = config;
        this.book = book;
        this.bars = bars;
        this.metrics = metrics;
        this.authFailures = authFailures;
        this.origins = new OriginPolicy(config.allowedOrigins());
        setReuseAddr(true);
        setTcpNoDelay(true);
        setDaemon(true);
        // The library counts whole seconds and treats 0 as "off": round a sub-second timeout up, never down to off.
        setConnectionLostTimeout(config.pingTimeout().isZero() ? 0
                : (int) Math.max(1, (config.pingTimeout().toMillis() + 999) / 1000));
        this.timers = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "delivery-ws-timers"));
        this.handshakes = new HandshakeGuard(config.handshakeTimeout(), config.maxHandshakeBytes(),
                config.maxConnections(), timers, metrics);
        setWebSocketFactory(handshakes);
        this.drainer = daemon(this::drainLoop, "delivery-ws-drain");
    }

    /** Binds and starts; returns once listening (or throws if the port cannot be bound). */
    public void startAndWait() {
        start();
        try {
            if (!started.await(10, TimeUnit.SECONDS)) {
                throw new IllegalStateException("WebSocket server did not start within 10 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while starting the WebSocket server", e);
        }
        final Exception failure = startFailure.get();
        if (failure != null) {
            throw new UncheckedIOException(new IOException("WebSocket server failed to bind "
                    + config.wsHost() + ":" + config.wsPort() + ": " + failure.getMessage(), failure));
        }
        drainer.start();
        final long heartbeatMillis = config.heartbeatInterval().toMillis();
        if (heartbeatMillis > 0) {
            final long period = Math.max(50, heartbeatMillis / 4);
            timers.scheduleAtFixedRate(this::heartbeats, period, period, TimeUnit.MILLISECONDS);
        }
        LOG.info("delivery WebSocket listening on {}:{} auth={} maxConnections={} maxSubscriptions={} batchMax={}"
                        + " handshakeTimeoutMs={} maxHandshakeBytes={}",
                config.wsHost(), getPort(), config.authEnabled(), config.maxConnections(), config.maxSubscriptions(),
                config.batchMax(), config.handshakeTimeout().toMillis(), config.maxHandshakeBytes());
    }

    public int port() {
        return getPort();
    }

    @Override
    public void onStart() {
        started.countDown();
    }

    /**
     * Refuses, before the upgrade, a page from an origin the policy does not allow and an address that sent too many
     * wrong tokens lately (the HTTP answer says why).
     */
    @Override
    public ServerHandshakeBuilder onWebsocketHandshakeReceivedAsServer(final WebSocket conn, final Draft draft,
                                                                       final ClientHandshake request)
            throws InvalidDataException {
        final ServerHandshakeBuilder response = super.onWebsocketHandshakeReceivedAsServer(conn, draft, request);
        final String origin = request.hasFieldValue("Origin") ? request.getFieldValue("Origin") : null;
        if (!origins.allows(origin, request.getFieldValue("Host"))) {
            metrics.connectionsRejected.inc();
            throw new InvalidDataException(CloseFrame.POLICY_VALIDATION, "origin not allowed: " + origin);
        }
        final InetSocketAddress remote = conn.getRemoteSocketAddress();
        if (remote != null && authFailures.blocked(remote.getAddress())) {
            metrics.connectionsRejected.inc();
            throw new InvalidDataException(CloseFrame.POLICY_VALIDATION, "too many wrong tokens from this address");
        }
        return response;
    }

    @Override
    public void onOpen(final WebSocket conn, final ClientHandshake handshake) {
        handshakes.opened(conn);
        if (open.incrementAndGet() > config.maxConnections()) {
            open.decrementAndGet();
            metrics.connectionsRejected.inc();
            conn.close(CloseFrame.TRY_AGAIN_LATER, "connection limit " + config.maxConnections() + " reached");
            return;
        }
        final Outbox outbox = new Outbox(new Socket(conn), metrics, config.outboundHighWaterBytes(),
                config.outboundLimitBytes(), config.socketWindowBytes(), config.socketWindowAge(), config.batchMax(),
                this::schedule, System::nanoTime);
        final InetSocketAddress remote = conn.getRemoteSocketAddress();
        final Session session = new Session(outbox, book, bars, metrics, config,
                () -> authFailures.failed(remote.getAddress()));
        conn.setAttachment(session);
        sessions.add(session);
        metrics.connections.inc();
        if (config.authEnabled()) {
            final long timeout = config.authTimeout().toMillis();
            timers.schedule(() -> session.authDeadline(timeout), timeout, TimeUnit.MILLISECONDS);
        }
    }

    @Override
    public void onClose(final WebSocket conn, final int code, final String reason, final boolean remote) {
        final Session session = conn.getAttachment();
        if (session == null) {
            return; // refused at the connection limit
        }
        conn.setAttachment(null);
        if (sessions.remove(session)) {
            open.decrementAndGet();
            metrics.connections.dec();
            // The library calls this holding the connection's monitor, which Socket.send takes under a stock's and an
            // outbox's: unsubscribing here would take them in the other order and could deadlock with the feed.
            try {
                timers.execute(() -> forget(session));
            } catch (RejectedExecutionException e) {
                // shutting down: the book and the drainer go with the server
            }
        }
    }

    /** Off the connection's monitor: unsubscribes a closed connection and drops what waits in its outbox. */
    private void forget(final Session session) {
        session.close();
        session.outbox().discard();
        pending.remove(session.outbox());
        throttled.remove(session.outbox());
    }

    @Override
    public void onMessage(final WebSocket conn, final String message) {
        final Session session = conn.getAttachment();
        if (session != null) {
            session.onText(message);
        }
    }

    @Override
    public void onMessage(final WebSocket conn, final ByteBuffer message) {
        final Session session = conn.getAttachment();
        if (session != null) {
            metrics.errors.labelValues(Integer.toString(Messages.BAD_REQUEST)).inc();
            session.outbox().deliver(Messages.error(null, Messages.BAD_REQUEST,
                    "binary frames are not supported: send JSON text frames"));
        }
    }

    @Override
    public void onError(final WebSocket conn, final Exception ex) {
        if (conn == null) {
            if (started.getCount() > 0) {
                startFailure.set(ex);
                started.countDown();
            } else {
                LOG.error("WebSocket server error", ex);
            }
            return;
        }
        LOG.debug("WebSocket connection {} error: {}", conn.getRemoteSocketAddress(), ex.toString());
    }

    @Override
    public void close() {
        running = false;
        try {
            stop(1_000, "server shutting down");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            LOG.warn("closing WebSocket connections failed; continuing shutdown", e); // e.g. peers vanishing meanwhile
        }
        timers.shutdownNow();
        LockSupport.unpark(drainer);
        try {
            drainer.join(2_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        LOG.info("delivery WebSocket server stopped");
    }

    /**
     * Feeds waiting frames into sockets and releases throttled updates whose period has ended; the outboxes only
     * register here while something waits.
     */
    private void drainLoop() {
        long nextThrottleTick = System.nanoTime();
        while (running) {
            drainAll(pending);
            final long now = System.nanoTime();
            if (now - nextThrottleTick >= 0) {
                nextThrottleTick = now + THROTTLE_TICK_NANOS;
                drainAll(throttled);
            }
            if (!pending.isEmpty()) {
                LockSupport.parkNanos(DRAIN_PAUSE_NANOS); // sockets free up as the selector writes: look again soon
            } else if (!throttled.isEmpty()) {
                LockSupport.parkNanos(Math.max(0, nextThrottleTick - System.nanoTime()));
            } else {
                LockSupport.park(); // until an outbox has frames waiting (schedule) or close()
            }
        }
    }

    private void drainAll(final Set<Outbox> outboxes) {
        for (Outbox outbox : outboxes) {
            outboxes.remove(outbox);
            try {
                switch (outbox.drain()) {
                    case SOCKET -> pending.add(outbox);
                    case THROTTLE -> throttled.add(outbox);
                    case NOTHING -> { }
                }
            } catch (RuntimeException e) {
                LOG.warn("draining an outbox failed", e);
            }
        }
    }

    private void schedule(final Outbox outbox) {
        pending.add(outbox);
        LockSupport.unpark(drainer);
    }

    private void heartbeats() {
        final long idleNanos = config.heartbeatInterval().toNanos();
        final long now = System.nanoTime();
        Frame beat = null;
        for (Session session : sessions) {
            final Outbox outbox = session.outbox();
            if (now - outbox.lastWriteNanos() >= idleNanos) {
                if (beat == null) {
                    beat = Messages.heartbeat(System.currentTimeMillis());
                }
                outbox.deliver(beat);
            }
        }
    }

    private static Thread daemon(final Runnable r, final String name) {
        final Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }

    /** The outbox's view of one Java-WebSocket connection. */
    private final class Socket implements Outbox.Socket {
        private final WebSocket conn;

        Socket(final WebSocket conn) {
            this.conn = conn;
        }

        @Override
        public void send(final byte[] utf8) {
            final ByteBuffer frame = TextFrames.frame(utf8);
            // WebSocketImpl.close is synchronized on the connection and sends the close frame before it leaves OPEN;
            // sending under the same lock keeps a data frame from slipping in behind it (browsers fail the
            // connection with "Data frame received after close").
            synchronized (conn) {
                if (!conn.isOpen()) {
                    return; // closing: the close callback cleans up
                }
                // What WebSocketImpl.write does, minus its String (see TextFrames): queue, then ask to be written.
                ((WebSocketImpl) conn).outQueue.add(frame);
                onWriteDemand(conn);
            }
        }

        @Override
        public int heldFrames() {
            return ((WebSocketImpl) conn).outQueue.size(); // one buffer per frame, removed once written
        }

        @Override
        public void close(final int code, final String reason) {
            conn.close(code, reason);
            try {
                timers.schedule(() -> {
                    if (!conn.isClosed()) {
                        conn.closeConnection(code, reason + " (peer did not complete the close)");
                    }
                }, CLOSE_GRACE_MILLIS, TimeUnit.MILLISECONDS);
            } catch (RejectedExecutionException e) {
                // shutting down: stop() closes every connection anyway
            }
        }
    }
}
