package io.tickflow.delivery;

import io.prometheus.metrics.core.metrics.Counter;

import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import java.util.function.Predicate;

/**
 * The per-subscription throttles of one connection ({@code throttle_ms} on {@code subscribe}): at most one update per
 * stock per period. The first update after a quiet period goes at once; the ones that follow within the period are
 * held, each replacing the one held (which is then sent marked {@code "conflated":true}), and the held one goes when
 * the period ends, so the latest value always arrives. A stock subscribed by name has the throttle of that
 * subscription; other stocks, that of {@code "*"}. Only results are throttled, not bars. Bounded by the subscriptions:
 * one held update per stock. Confined to its outbox's monitor.
 */
final class Throttles {
    private static final class State {
        final String key;
        long nextNanos;
        Frame held;

        State(final String key, final long nextNanos) {
            this.key = key;
            this.nextNanos = nextNanos;
        }
    }

    private final LongSupplier clock;
    private final Counter conflations;
    private final Map<String, Long> byName = new HashMap<>();
    private final Map<String, State> states = new HashMap<>();
    private long allNanos;
    private boolean active;
    private int held;
    private long heldBytes;
    private long earliestNanos;

    Throttles(final LongSupplier clock, final Counter conflations) {
        this.clock = clock;
        this.conflations = conflations;
    }

    /** Sets the period of a stock subscribed by name, or of {@code "*"}; 0 = every update. */
    void set(final String symbol, final long periodNanos) {
        if (Subscriptions.ALL.equals(symbol)) {
            allNanos = periodNanos;
        } else {
            byName.put(symbol, periodNanos);
        }
        refresh();
    }

    /** Forgets the period of a subscription that ended (by name, or {@code "*"}). */
    void unset(final String symbol) {
        if (Subscriptions.ALL.equals(symbol)) {
            allNanos = 0;
        } else {
            byName.remove(symbol);
        }
        refresh();
    }

    /**
     * The frame to send now, or {@code null} when the throttle holds it (or it is older than the one held).
     * Frames other than results' live updates pass.
     */
    Frame admit(final Frame frame) {
        if (!active || !frame.isUpdate()) {
            return frame;
        }
        final String key = frame.result().conflationKey();
        final long period = periodOf(key);
        if (period == 0) {
            return frame;
        }
        final State state = states.get(key);
        final long now = clock.getAsLong();
        if (state == null) {
            states.put(key, new State(key, now + period));
            return frame;
        }
        if (state.held != null) {
            if (frame.result().supersedes(state.held.result())) {
                heldBytes += frame.result().conflated().size() - state.held.size();
                state.held = frame.result().conflated();
                conflations.inc();
            }
            return null;
        }
        if (now - state.nextNanos >= 0) {
            state.nextNanos = now + period;
            return frame;
        }
        state.held = frame;
        heldBytes += frame.size();
        earliestNanos = held++ == 0 ? state.nextNanos : Math.min(earliestNanos, state.nextNanos);
        return null;
    }

    /**
     * Hands {@code sink} every held update whose period has ended, each starting its stock's next period; with
     * {@code all}, also those whose stock's throttle was just lifted.
     */
    void release(final Consumer<Frame> sink, final boolean all) {
        if (held == 0) {
            return;
        }
        final long now = clock.getAsLong();
        if (!all && now - earliestNanos < 0) {
            return;
        }
        long earliest = Long.MAX_VALUE;
        for (State s : states.values()) {
            if (s.held == null) {
                continue;
            }
            if (now - s.nextNanos >= 0 || periodOf(s.key) == 0) {
                final Frame f = s.held;
                s.held = null;
                held--;
                heldBytes -= f.size();
                s.nextNanos = now + periodOf(s.key);
                sink.accept(f);
            } else {
                earliest = Math.min(earliest, s.nextNanos);
            }
        }
        earliestNanos = earliest;
    }

    /** Forgets the update held for the key of {@code queued} if that frame, just queued, makes it obsolete. */
    void dropSuperseded(final Conflatable queued) {
        final State s = states.get(queued.conflationKey());
        if (s != null && s.held != null && queued.supersedes(s.held.result())) {
            drop(s);
        }
    }

    private void drop(final State s) {
        if (s.held != null) {
            heldBytes -= s.held.size();
            s.held = null;
            held--;
        }
    }

    /** Forgets the throttles and held updates of the stocks no longer subscribed. */
    void retain(final Predicate<String> subscribed) {
        for (Iterator<State> it = states.values().iterator(); it.hasNext(); ) {
            final State s = it.next();
            if (!subscribed.test(s.key)) {
                drop(s);
                it.remove();
            }
        }
    }

    boolean holding() {
        return held > 0;
    }

    long heldBytes() {
        return heldBytes;
    }

    private void refresh() {
        active = allNanos > 0 || byName.values().stream().anyMatch(p -> p > 0);
    }

    private long periodOf(final String key) {
        if (key.indexOf(' ') >= 0) {
            return 0; // a bar series
        }
        final Long p = byName.get(key);
        return p != null ? p : allNanos;
    }
}
