package io.tickflow.ingest;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * The stock ids the gateway has seen lately, bounded ({@code INGEST_MAX_STOCKS}): a tick of a new stock is refused
 * while that many stocks are active, and a stock with no tick for {@code INGEST_STOCK_IDLE} stops being active. So one
 * client posting a hundred thousand made-up ids gets 400s naming the limit instead of growing every service's state.
 * Thread-safe.
 */
final class ActiveStocks {
    private final int max;
    private final long idleNanos;
    private final LongSupplier nanoClock;
    private final LinkedHashMap<String, Long> lastSeen = new LinkedHashMap<>(16, 0.75f, true); // least recent first

    ActiveStocks(final int max, final long idleNanos, final LongSupplier nanoClock) {
        this.max = max;
        this.idleNanos = idleNanos;
        this.nanoClock = nanoClock;
    }

    /** Whether a tick of {@code stockId} may pass; records it as active when it may. */
    synchronized boolean admit(final String stockId) {
        final long now = nanoClock.getAsLong();
        if (lastSeen.containsKey(stockId)) {
            lastSeen.put(stockId, now);
            return true;
        }
        for (Iterator<Map.Entry<String, Long>> it = lastSeen.entrySet().iterator(); it.hasNext(); ) {
            if (now - it.next().getValue() < idleNanos) {
                break; // the rest were seen even more recently
            }
            it.remove();
        }
        if (lastSeen.size() >= max) {
            return false;
        }
        lastSeen.put(stockId, now);
        return true;
    }

    int max() {
        return max;
    }

    synchronized int size() {
        return lastSeen.size();
    }
}
