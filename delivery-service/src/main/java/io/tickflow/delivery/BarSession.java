package io.tickflow.delivery;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.IntSupplier;

/**
 * One connection's bar subscriptions (protocol v1's {@code "bars":"1m"} requests, see docs/websocket-protocol.md):
 * validates the bar part of {@code subscribe}, {@code unsubscribe} and {@code resume} and applies it to the
 * {@link BarBook}. Bar subscriptions (a stock and an interval, each counting one) share the connection's subscription
 * limit with its result subscriptions. Confined to its {@link Session}, whose monitor callers hold.
 */
final class BarSession {
    /** How the session replies: the {@code subscribed} ack and errors. */
    interface Replies {
        void subscribed(JsonNode id);

        void error(JsonNode id, int code, String text);
    }

    private final Outbox outbox;
    private final BarBook book;
    private final int limit;
    private final IntSupplier others;
    private final int snapshotDefault;
    private final Replies replies;
    private final Set<String> keys = new LinkedHashSet<>(); // Bar.key(stock, interval), in subscription order

    BarSession(final Outbox outbox, final BarBook book, final int limit, final IntSupplier others,
               final int snapshotDefault, final Replies replies) {
        this.outbox = outbox;
        this.book = book;
        this.limit = limit;
        this.others = others;
        this.snapshotDefault = snapshotDefault;
        this.replies = replies;
    }

    int size() {
        return keys.size();
    }

    boolean covers(final String key) {
        return keys.contains(key);
    }

    /** Subscribed stocks by interval, for the {@code subscribed} reply. */
    Map<String, List<String>> snapshot() {
        final Map<String, List<String>> out = new LinkedHashMap<>();
        for (String key : keys) {
            final int space = key.indexOf(' ');
            out.computeIfAbsent(key.substring(space + 1), i -> new ArrayList<>()).add(key.substring(0, space));
        }
        return out;
    }

    void subscribe(final JsonNode id, final JsonNode message, final List<String> symbols) {
        final String interval = interval(id, message, symbols);
        final int snapshot = interval == null ? -1 : snapshotLimit(id, message);
        if (snapshot < 0) {
            return;
        }
        final List<String> fresh = new ArrayList<>();
        for (String s : new LinkedHashSet<>(symbols)) {
            if (!keys.contains(Bar.key(s, interval))) {
                fresh.add(s);
            }
        }
        if (!fits(id, fresh.size())) {
            return;
        }
        fresh.forEach(s -> keys.add(Bar.key(s, interval)));
        replies.subscribed(id);
        for (String s : fresh) {
            book.subscribe(outbox, s, interval, snapshot);
        }
    }

    /** Removes bar subscriptions; returns whether the request was valid (the session then acks). */
    boolean unsubscribe(final JsonNode id, final JsonNode message, final List<String> symbols) {
        final String interval = interval(id, message, symbols);
        if (interval == null) {
            return false;
        }
        for (String s : symbols) {
            if (keys.remove(Bar.key(s, interval))) {
                book.unsubscribe(outbox, s, interval);
            }
        }
        return true;
    }

    void resume(final JsonNode id, final JsonNode message, final Map<String, Long> seqs) {
        final String interval = interval(id, message, List.copyOf(seqs.keySet()));
        final int snapshot = interval == null ? -1 : snapshotLimit(id, message);
        if (snapshot < 0) {
            return;
        }
        int fresh = 0;
        for (String s : seqs.keySet()) {
            fresh += keys.contains(Bar.key(s, interval)) ? 0 : 1;
        }
        if (!fits(id, fresh)) {
            return;
        }
        seqs.keySet().forEach(s -> keys.add(Bar.key(s, interval)));
        replies.subscribed(id);
        seqs.forEach((stockId, seq) -> book.resume(outbox, stockId, interval, seq, snapshot));
    }

    void close() {
        for (String key : keys) {
            final int space = key.indexOf(' ');
            book.unsubscribe(outbox, key.substring(0, space), key.substring(space + 1));
        }
        keys.clear();
    }

    /** The validated {@code bars} interval, or {@code null} after replying 400. */
    private String interval(final JsonNode id, final JsonNode message, final List<String> symbols) {
        final JsonNode bars = message.get("bars");
        if (bars == null || !bars.isTextual() || !book.knows(bars.asText())) {
            replies.error(id, Messages.BAD_REQUEST, "bars must be an interval, one of " + book.intervalList()
                    + "; was " + (bars == null ? "missing" : bars.toString()));
            return null;
        }
        if (symbols.contains(Subscriptions.ALL)) {
            replies.error(id, Messages.BAD_REQUEST, "symbols: \"*\" cannot be combined with bars; name the stocks");
            return null;
        }
        return bars.asText();
    }

    /** The validated snapshot {@code limit} (default {@code snapshotDefault}), or -1 after replying 400. */
    private int snapshotLimit(final JsonNode id, final JsonNode message) {
        final JsonNode n = message.get("limit");
        if (n == null) {
            return snapshotDefault;
        }
        if (!n.canConvertToExactIntegral() || !n.canConvertToInt() || n.asInt() < 1 || n.asInt() > book.historySize()) {
            replies.error(id, Messages.BAD_REQUEST, "limit must be an integer between 1 and " + book.historySize()
                    + ", was " + n);
            return -1;
        }
        return n.asInt();
    }

    private boolean fits(final JsonNode id, final int fresh) {
        final int after = others.getAsInt() + keys.size() + fresh;
        if (after <= limit) {
            return true;
        }
        replies.error(id, Messages.SUBSCRIPTION_LIMIT, "subscription limit is " + limit
                + " subscriptions per connection (symbols and bar series); this request would make " + after
                + "; nothing changed");
        return false;
    }
}
