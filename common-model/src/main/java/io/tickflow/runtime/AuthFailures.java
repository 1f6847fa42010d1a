package io.tickflow.runtime;

import java.net.InetAddress;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * Wrong tokens counted per client address, so that guessing is slow: after {@link #MAX_FAILURES} failures within
 * {@link #WINDOW_NANOS} an address is refused (429) until the window has passed. At most {@link #MAX_ADDRESSES}
 * addresses are remembered (the least recently failing are forgotten first), so an outsider cannot grow it.
 * Thread-safe.
 */
public final class AuthFailures {
    static final int MAX_FAILURES = 10;
    static final long WINDOW_NANOS = 60_000_000_000L;
    static final int MAX_ADDRESSES = 10_000;

    /** An address's failures in its current window. */
    private static final class Window {
        long startNanos;
        int failures;
    }

    private final LongSupplier nanoClock;
    private final Map<InetAddress, Window> windows = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(final Map.Entry<InetAddress, Window> eldest) {
            return size() > MAX_ADDRESSES;
        }
    };

    public AuthFailures() {
        this(System::nanoTime);
    }

    AuthFailures(final LongSupplier nanoClock) {
        this.nanoClock = nanoClock;
    }

    /** Counts one wrong or missing token from {@code address}. */
    public synchronized void failed(final InetAddress address) {
        final long now = nanoClock.getAsLong();
        final Window w = windows.computeIfAbsent(address, a -> new Window());
        if (w.failures == 0 || now - w.startNanos >= WINDOW_NANOS) {
            w.startNanos = now;
            w.failures = 0;
        }
        w.failures++;
    }

    /** Whether {@code address} has failed too often lately and must wait before it may try again. */
    public synchronized boolean blocked(final InetAddress address) {
        final Window w = windows.get(address);
        return w != null && w.failures >= MAX_FAILURES && nanoClock.getAsLong() - w.startNanos < WINDOW_NANOS;
    }

    /** Seconds until {@code address} may try again (for {@code Retry-After}). */
    public long retryAfterSeconds() {
        return WINDOW_NANOS / 1_000_000_000L;
    }
}
