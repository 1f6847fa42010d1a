package io.tickflow.delivery;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.IntSupplier;

/**
 * The symbols one connection subscribes to, in subscription order; {@code "*"} (every stock) counts as one.
 * Confined to the connection's session (callers synchronise).
 */
final class Subscriptions {
    static final String ALL = "*";

    private final int limit;
    private final IntSupplier others;
    private final Set<String> symbols = new LinkedHashSet<>();

    Subscriptions(final int limit) {
        this(limit, () -> 0);
    }

    /** @param others subscriptions of the connection held elsewhere (its bar series) that share the limit */
    Subscriptions(final int limit, final IntSupplier others) {
        this.limit = limit;
        this.others = others;
    }

    /** How many subscriptions the connection would hold after adding {@code requested}. */
    int sizeAfterAdding(final Collection<String> requested) {
        int size = symbols.size() + others.getAsInt();
        for (String s : new LinkedHashSet<>(requested)) {
            if (!symbols.contains(s)) {
                size++;
            }
        }
        return size;
    }

    boolean fits(final Collection<String> requested) {
        return sizeAfterAdding(requested) <= limit;
    }

    int limit() {
        return limit;
    }

    /** Adds the symbols (the caller checked {@link #fits}); returns those that were not there before. */
    List<String> add(final Collection<String> requested) {
        final List<String> added = new ArrayList<>();
        for (String s : requested) {
            if (symbols.add(s)) {
                added.add(s);
            }
        }
        return added;
    }

    /** Removes the symbols; returns those that were there. */
    List<String> remove(final Collection<String> requested) {
        final List<String> removed = new ArrayList<>();
        for (String s : requested) {
            if (symbols.remove(s)) {
                removed.add(s);
            }
        }
        return removed;
    }

    boolean all() {
        return symbols.contains(ALL);
    }

    /** Whether updates of {@code stockId} reach this connection (by name or through {@code "*"}). */
    boolean covers(final String stockId) {
        return symbols.contains(ALL) || symbols.contains(stockId);
    }

    Set<String> symbols() {
        return Collections.unmodifiableSet(symbols);
    }

    List<String> snapshot() {
        return List.copyOf(symbols);
    }
}
