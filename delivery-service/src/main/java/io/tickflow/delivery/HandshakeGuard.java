package io.tickflow.delivery;

import org.java_websocket.WebSocket;
import org.java_websocket.WebSocketAdapter;
import org.java_websocket.WebSocketImpl;
import org.java_websocket.WebSocketServerFactory;
import org.java_websocket.drafts.Draft;
import org.java_websocket.enums.ReadyState;
import org.java_websocket.framing.CloseFrame;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ByteChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Java-WebSocket's connection factory for {@link StreamServer}, bounding what a connection may cost before its opening
 * handshake completes (the library itself buffers a handshake without limit and never times one out):
 * <ul>
 *   <li><b>time</b>: a connection whose handshake has not completed {@code timeout} after the TCP accept is
 *       closed;</li>
 *   <li><b>size</b>: a handshake past {@code maxBytes} is answered {@code 431} and closed before the library buffers
 *       more of it;</li>
 *   <li><b>count</b>: at most {@code maxConnections} connections handshake at once; one accepted past that is
 *       closed at once, without an answer. (Open connections have the same limit of their own, answered with a close
 *       frame 1013 once the handshake is done: {@link StreamServer#onOpen}. So a server holds at most twice
 *       {@code WS_MAX_CONNECTIONS} sockets, the handshaking half each for at most {@code timeout} and
 *       {@code maxBytes}.)</li>
 * </ul>
 * It wraps each accepted channel to count the bytes read until the handshake is done ({@link #opened}); from then on
 * a read is one volatile check plus the socket's own read. Thread-safe: the selector reads, the worker opens, the
 * timer expires.
 */
final class HandshakeGuard implements WebSocketServerFactory {
    private static final Logger LOG = LoggerFactory.getLogger(HandshakeGuard.class);
    private static final byte[] TOO_LARGE = ("HTTP/1.1 431 Request Header Fields Too Large\r\nConnection: close\r\n"
            + "Content-Length: 0\r\n\r\n").getBytes(StandardCharsets.US_ASCII);

    private final Duration timeout;
    private final int maxBytes;
    private final int maxConnections;
    private final ScheduledExecutorService timers;
    private final DeliveryMetrics metrics;
    private final AtomicInteger handshaking = new AtomicInteger();

    HandshakeGuard(final Duration timeout, final int maxBytes, final int maxConnections,
                   final ScheduledExecutorService timers, final DeliveryMetrics metrics) {
        this.timeout = timeout;
        this.maxBytes = maxBytes;
        this.maxConnections = maxConnections;
        this.timers = timers;
        this.metrics = metrics;
    }

    /** Connections accepted whose handshake is not done yet. */
    int handshaking() {
        return handshaking.get();
    }

    /** The handshake of {@code conn} completed: it stops counting as handshaking and its deadline is off. */
    void opened(final WebSocket conn) {
        if (((WebSocketImpl) conn).getChannel() instanceof Handshaking h) {
            h.release();
        }
    }

    @Override
    public WebSocketImpl createWebSocket(final WebSocketAdapter adapter, final Draft draft) {
        return new WebSocketImpl(adapter, draft);
    }

    @Override
    public WebSocketImpl createWebSocket(final WebSocketAdapter adapter, final List<Draft> drafts) {
        return new WebSocketImpl(adapter, drafts);
    }

    /** Called by the selector right after the accept; an exception makes the library close the socket. */
    @Override
    public ByteChannel wrapChannel(final SocketChannel channel, final SelectionKey key) throws IOException {
        if (handshaking.incrementAndGet() > maxConnections) {
            handshaking.decrementAndGet();
            metrics.connectionsRejected.inc();
            throw new IOException("handshake limit " + maxConnections + " reached");
        }
        final Handshaking h = new Handshaking(channel, (WebSocketImpl) key.attachment());
        try {
            h.deadline = timers.schedule(h::expire, timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            h.release();
            throw new IOException("server shutting down", e);
        }
        return h;
    }

    @Override
    public void close() {
        // nothing of its own to close: the timers belong to the server
    }

    /** One accepted channel; counts inbound bytes until the handshake is done. */
    private final class Handshaking implements ByteChannel {
        private final SocketChannel channel;
        private final WebSocketImpl conn;
        private final AtomicBoolean released = new AtomicBoolean();
        private volatile boolean done;
        private volatile ScheduledFuture<?> deadline;
        private long received; // selector thread only

        Handshaking(final SocketChannel channel, final WebSocketImpl conn) {
            this.channel = channel;
            this.conn = conn;
        }

        @Override
        public int read(final ByteBuffer dst) throws IOException {
            final int n = channel.read(dst);
            if (done) {
                return n;
            }
            if (n < 0) {
                release();
                return n;
            }
            received += n;
            if (received > maxBytes && conn.getReadyState() == ReadyState.NOT_YET_CONNECTED) {
                release();
                channel.write(ByteBuffer.wrap(TOO_LARGE)); // best effort: a few bytes into an empty send buffer
                LOG.debug("WebSocket handshake from {} refused: more than {} bytes", remote(), maxBytes);
                throw new IOException("opening handshake larger than " + maxBytes + " bytes");
            }
            return n;
        }

        @Override
        public int write(final ByteBuffer src) throws IOException {
            // the library writes only once it has judged the handshake (101, or its refusal): the deadline is over,
            // even if the timer fires before the library marks the connection open
            if (!done) {
                release();
            }
            return channel.write(src);
        }

        @Override
        public boolean isOpen() {
            return channel.isOpen();
        }

        @Override
        public void close() throws IOException {
            release();
            channel.close();
        }

        void expire() {
            if (!done && conn.getReadyState() == ReadyState.NOT_YET_CONNECTED) {
                LOG.debug("WebSocket handshake from {} not completed within {} ms: closing", remote(),
                        timeout.toMillis());
                conn.closeConnection(CloseFrame.NEVER_CONNECTED,
                        "opening handshake not completed within " + timeout.toMillis() + " ms");
            }
            release();
        }

        void release() {
            done = true;
            if (released.compareAndSet(false, true)) {
                handshaking.decrementAndGet();
                final ScheduledFuture<?> d = deadline;
                if (d != null) {
                    d.cancel(false);
                }
            }
        }

        private Object remote() {
            return channel.socket().getRemoteSocketAddress();
        }
    }
}
