package io.tickflow.delivery;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.tickflow.model.InvalidTickException;
import io.tickflow.model.Json;
import io.tickflow.model.TickValidator;
import io.tickflow.runtime.AuthTokens;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One WebSocket connection's side of protocol v1: parses client messages, enforces auth, the inbound rate and the
 * subscription limit, applies subscription changes to the {@link StockBook} and replies through the connection's
 * {@link Outbox}. Messages of one connection arrive one at a time; the monitor also orders them against close.
 */
final class Session {
    private static final String OPS = "subscribe, unsubscribe, list, resume, auth";
    /** {@code throttle_ms}: 0 (every update) or this range; below 10 ms a throttle would only cost timer work. */
    static final int THROTTLE_MIN_MS = 10;
    static final int THROTTLE_MAX_MS = 60_000;

    private final Outbox outbox;
    private final StockBook book;
    private final DeliveryMetrics metrics;
    private final Subscriptions subscriptions;
    private final BarSession bars;
    private final AuthTokens tokens;
    private final Runnable onAuthFailure;
    private final int maxMessagesPerSecond;
    private boolean authenticated;
    private long windowStartMillis;
    private int messagesInWindow;
    private boolean closed;

    /** @param onAuthFailure told of every wrong or missing token (the server slows down that address) */
    Session(final Outbox outbox, final StockBook book, final BarBook barBook, final DeliveryMetrics metrics,
            final DeliveryConfig config, final Runnable onAuthFailure) {
        this.outbox = outbox;
        this.onAuthFailure = onAuthFailure;
        this.book = book;
        this.metrics = metrics;
        this.subscriptions = new Subscriptions(config.maxSubscriptions(), this::barSubscriptions);
        this.bars = new BarSession(outbox, barBook, config.maxSubscriptions(), () -> subscriptions.symbols().size(),
                config.bars().snapshotDefault(), new BarSession.Replies() {
                    @Override
                    public void subscribed(final JsonNode id) {
                        acknowledge(id);
                    }

                    @Override
                    public void error(final JsonNode id, final int code, final String text) {
                        Session.this.error(id, code, text);
                    }
                });
        this.tokens = config.authTokens();
        this.maxMessagesPerSecond = config.maxMessagesPerSecond();
        this.authenticated = !config.authEnabled();
    }

    Outbox outbox() {
        return outbox;
    }

    synchronized void onText(final String text) {
        if (closed || outbox.isClosed()) {
            return;
        }
        if (!admit(System.currentTimeMillis())) {
            error(null, Messages.RATE_LIMITED,
                    "rate limited: more than " + maxMessagesPerSecond + " messages per second; message dropped");
            return;
        }
        final String trimmed = text.strip();
        if (trimmed.isEmpty()) {
            error(null, Messages.BAD_REQUEST, "empty message");
            return;
        }
        if (trimmed.charAt(0) != '{') {
            if (requireAuth(null)) {
                latestOnce(trimmed);
            }
            return;
        }
        final JsonNode message;
        try {
            message = Json.MAPPER.readTree(trimmed);
        } catch (JsonProcessingException e) {
            error(null, Messages.BAD_REQUEST, "malformed JSON: " + e.getOriginalMessage());
            return;
        }
        JsonNode id = message.get("id");
        if (id != null && !id.isNumber() && !id.isTextual()) {
            error(null, Messages.BAD_REQUEST, "id must be a number or a string, was " + Json.MAPPER.valueToTree(id));
            return;
        }
        final JsonNode op = message.get("op");
        if (op == null || !op.isTextual()) {
            error(id, Messages.BAD_REQUEST, "op is required: a string, one of " + OPS);
            return;
        }
        if (!"auth".equals(op.asText()) && !requireAuth(id)) {
            return;
        }
        switch (op.asText()) {
            case "subscribe" -> subscribe(id, message);
            case "unsubscribe" -> unsubscribe(id, message);
            case "list" -> acknowledge(id);
            case "resume" -> resume(id, message);
            case "auth" -> auth(id, message);
            default -> error(id, Messages.BAD_REQUEST, "unknown op " + quote(op.asText()) + "; expected one of " + OPS);
        }
    }

    /** Called when the auth timeout elapses: closes with 401 unless the client has authenticated. */
    synchronized void authDeadline(final long timeoutMillis) {
        if (!authenticated && !closed) {
            metrics.errors.labelValues(Integer.toString(Messages.AUTH_REQUIRED)).inc();
            outbox.closeWith(Messages.error(null, Messages.AUTH_REQUIRED,
                    "authentication required: send {\"op\":\"auth\",\"token\":\"…\"} within " + timeoutMillis + " ms"),
                    1008, "authentication timeout");
        }
    }

    /** Unsubscribes from everything; the connection is gone. */
    synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        bars.close();
        if (subscriptions.all()) {
            book.unsubscribeAll(outbox, Set.of());
        }
        for (String s : subscriptions.snapshot()) {
            if (!Subscriptions.ALL.equals(s)) {
                book.unsubscribe(outbox, s);
            }
        }
    }

    private void subscribe(final JsonNode id, final JsonNode message) {
        final List<String> symbols = symbols(id, message);
        if (symbols == null) {
            return;
        }
        if (message.has("bars")) {
            if (message.has("throttle_ms")) {
                error(id, Messages.BAD_REQUEST, "throttle_ms applies to results, not to bars (forming bars are "
                        + "already throttled upstream)");
                return;
            }
            bars.subscribe(id, message, symbols);
            return;
        }
        final int throttleMillis = throttleMillis(id, message);
        if (throttleMillis < 0) {
            return;
        }
        if (!subscriptions.fits(symbols)) {
            limitExceeded(id, symbols);
            return;
        }
        final boolean hadAll = subscriptions.all();
        final List<String> added = subscriptions.add(symbols);
        outbox.throttle(symbols, throttleMillis);
        acknowledge(id);
        if (!hadAll && subscriptions.all()) {
            book.subscribeAll(outbox);
        }
        for (String s : added) {
            if (!Subscriptions.ALL.equals(s)) {
                book.subscribe(outbox, s);
            }
        }
    }

    private void unsubscribe(final JsonNode id, final JsonNode message) {
        final List<String> symbols = symbols(id, message);
        if (symbols == null) {
            return;
        }
        if (message.has("bars")) {
            if (bars.unsubscribe(id, message, symbols)) {
                outbox.retain(this::covers);
                acknowledge(id);
            }
            return;
        }
        final List<String> removed = subscriptions.remove(symbols);
        if (removed.contains(Subscriptions.ALL)) {
            book.unsubscribeAll(outbox, subscriptions.symbols());
        }
        for (String s : removed) {
            if (!Subscriptions.ALL.equals(s) && !subscriptions.covers(s)) {
                book.unsubscribe(outbox, s);
            }
        }
        outbox.retain(this::covers);
        outbox.unthrottle(removed);
        // acked after the change: no update of a removed stock follows the ack
        acknowledge(id);
    }

    /** Whether a conflation key (a stock, or a stock and bar interval) is still subscribed. */
    private boolean covers(final String conflationKey) {
        return conflationKey.indexOf(' ') >= 0 ? bars.covers(conflationKey) : subscriptions.covers(conflationKey);
    }

    private int barSubscriptions() {
        return bars.size();
    }

    private void acknowledge(final JsonNode id) {
        outbox.deliver(Messages.subscribed(id, subscriptions.snapshot(), bars.snapshot()));
    }

    private void resume(final JsonNode id, final JsonNode message) {
        final JsonNode from = message.get("from");
        if (from == null || !from.isObject() || from.isEmpty()) {
            error(id, Messages.BAD_REQUEST, "resume needs \"from\": an object of stock id to last seen seq, "
                    + "e.g. {\"AAPL\":1200}");
            return;
        }
        final Map<String, Long> seqs = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> e : from.properties()) {
            final String problem = stockIdProblem(e.getKey());
            if (problem != null) {
                error(id, Messages.BAD_REQUEST, "from: " + problem);
                return;
            }
            if (!e.getValue().canConvertToExactIntegral() || !e.getValue().canConvertToLong()
                    || e.getValue().asLong() < 0) {
                error(id, Messages.BAD_REQUEST, "from." + e.getKey() + " must be a seq (an integer >= 0), was "
                        + e.getValue());
                return;
            }
            seqs.put(e.getKey(), e.getValue().asLong());
        }
        if (message.has("bars")) {
            bars.resume(id, message, seqs);
            return;
        }
        if (!subscriptions.fits(seqs.keySet())) {
            limitExceeded(id, seqs.keySet());
            return;
        }
        subscriptions.add(seqs.keySet());
        acknowledge(id);
        seqs.forEach((stockId, seq) -> book.resume(outbox, stockId, seq));
    }

    private void auth(final JsonNode id, final JsonNode message) {
        if (authenticated) {
            outbox.deliver(Messages.authenticated(id));
            return;
        }
        final JsonNode token = message.get("token");
        if (token != null && token.isTextual() && tokens.accepts(token.asText())) {
            authenticated = true;
            outbox.deliver(Messages.authenticated(id));
            return;
        }
        metrics.errors.labelValues(Integer.toString(Messages.AUTH_FAILED)).inc();
        onAuthFailure.run();
        outbox.closeWith(Messages.error(id, Messages.AUTH_FAILED, "authentication failed: token missing or not accepted"),
                1008, "authentication failed");
    }

    private boolean requireAuth(final JsonNode id) {
        if (authenticated) {
            return true;
        }
        metrics.errors.labelValues(Integer.toString(Messages.AUTH_REQUIRED)).inc();
        outbox.closeWith(Messages.error(id, Messages.AUTH_REQUIRED,
                "authentication required: the first message must be {\"op\":\"auth\",\"token\":\"…\"}"),
                1008, "authentication required");
        return false;
    }

    private void latestOnce(final String stockId) {
        final String problem = stockIdProblem(stockId);
        if (problem != null) {
            error(null, Messages.BAD_REQUEST, "expected a JSON object with an op, or a bare stock id; " + problem);
            return;
        }
        final Result latest = book.latestResult(stockId);
        if (latest == null) {
            error(null, Messages.UNKNOWN_STOCK, "unknown stock " + quote(stockId) + ": no result yet");
            return;
        }
        outbox.deliver(latest.snapshot());
    }

    /** The validated {@code throttle_ms} of a subscribe (0 when absent), or -1 after replying 400. */
    private int throttleMillis(final JsonNode id, final JsonNode message) {
        final JsonNode t = message.get("throttle_ms");
        if (t == null) {
            return 0;
        }
        if (!t.canConvertToExactIntegral() || !t.canConvertToInt()
                || (t.asInt() != 0 && (t.asInt() < THROTTLE_MIN_MS || t.asInt() > THROTTLE_MAX_MS))) {
            error(id, Messages.BAD_REQUEST, "throttle_ms must be 0 (every update) or an integer from "
                    + THROTTLE_MIN_MS + " to " + THROTTLE_MAX_MS + " (at most one update per stock per that many ms),"
                    + " was " + t);
            return -1;
        }
        return t.asInt();
    }

    /** The validated {@code symbols} of a subscribe/unsubscribe, or {@code null} after replying 400. */
    private List<String> symbols(final JsonNode id, final JsonNode message) {
        final JsonNode symbols = message.get("symbols");
        if (symbols == null || !symbols.isArray() || symbols.isEmpty()) {
            error(id, Messages.BAD_REQUEST, "symbols is required: a non-empty array of stock ids or \"*\"");
            return null;
        }
        final List<String> out = new ArrayList<>(symbols.size());
        for (int i = 0; i < symbols.size(); i++) {
            final JsonNode s = symbols.get(i);
            final String problem = !s.isTextual() ? "must be a string, was " + s
                    : Subscriptions.ALL.equals(s.asText()) ? null : stockIdProblem(s.asText());
            if (problem != null) {
                error(id, Messages.BAD_REQUEST, "symbols[" + i + "] " + problem);
                return null;
            }
            out.add(s.asText());
        }
        return out;
    }

    private void limitExceeded(final JsonNode id, final Collection<String> requested) {
        error(id, Messages.SUBSCRIPTION_LIMIT, "subscription limit is " + subscriptions.limit()
                + " subscriptions per connection (symbols and bar series); this request would make " + subscriptions.sizeAfterAdding(requested)
                + "; nothing changed");
    }

    private static String stockIdProblem(final String stockId) {
        try {
            TickValidator.requireStockId(stockId);
            return null;
        } catch (InvalidTickException e) {
            return e.getMessage();
        }
    }

    /** Fixed one-second windows: cheap and good enough to stop a flood. */
    private boolean admit(final long nowMillis) {
        if (nowMillis - windowStartMillis >= 1_000) {
            windowStartMillis = nowMillis;
            messagesInWindow = 0;
        }
        return ++messagesInWindow <= maxMessagesPerSecond;
    }

    private void error(final JsonNode id, final int code, final String text) {
        metrics.errors.labelValues(Integer.toString(code)).inc();
        outbox.deliver(Messages.error(id, code, text));
    }

    private static String quote(final String value) {
        return "'" + (value.length() > 64 ? value.substring(0, 64) + "…" : value) + "'";
    }
}
