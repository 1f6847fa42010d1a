package io.tickflow.ingest;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import io.tickflow.model.InvalidTickException;
import io.tickflow.model.Tick;
import io.tickflow.model.TickSanity;
import io.tickflow.runtime.BearerAuth;
import io.tickflow.runtime.ServiceHttpServer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;

/**
 * {@code POST /ticks}: one JSON tick, a JSON array ({@code application/json}) or NDJSON ({@code application/x-ndjson}).
 *
 * <p>All or nothing: if any tick of a request is bad, none is published and the 400 lists every bad tick with its
 * line/index, field and reason ({@code "published":0}). Otherwise every tick, stamped with {@code ingest_us} when it
 * has none, is sent to Kafka and the answer is {@code 202 {"accepted":n}} only once Kafka acknowledged all of them;
 * when Kafka does not acknowledge within the publish timeout the answer is {@code 503} with {@code Retry-After} and the
 * number Kafka did acknowledge. Other answers: 401/403 (bearer token missing/wrong, when tokens are configured), 405,
 * 413 (body over the limit), 415 (content type), 400 (empty body, invalid UTF-8).
 */
final class TickGateway implements HttpHandler {
    private static final Logger LOG = LoggerFactory.getLogger(TickGateway.class);
    static final String JSON = "application/json";
    static final String NDJSON = "application/x-ndjson";
    private static final int MAX_ERRORS_LISTED = 1000;
    /** Most bytes of an unwanted body read and discarded before an error answer; past it the connection is dropped. */
    private static final long MAX_DRAIN_BYTES = 64L * 1024 * 1024;
    /**
     * Extra wait past the publish timeout, within which the producer's own bounds (max.block.ms plus delivery.timeout.ms,
     * half of it each) give every send a verdict: so that verdict normally arrives first.
     */
    private static final Duration AWAIT_MARGIN = Duration.ofMillis(500);

    private final TickPublisher publisher;
    private final IngestMetrics metrics;
    private final Clock clock;
    private final int maxBodyBytes;
    private final Duration publishTimeout;
    private final long retryAfterSeconds;
    private final TickSanity sanity;
    private final ActiveStocks stocks;
    private final BearerAuth auth;

    TickGateway(final TickPublisher publisher, final IngestMetrics metrics, final Clock clock, final int maxBodyBytes,
                final Duration publishTimeout, final Duration retryAfter, final TickSanity sanity,
                final ActiveStocks stocks,
                final BearerAuth auth) {
        this.publisher = publisher;
        this.metrics = metrics;
        this.clock = clock;
        this.maxBodyBytes = maxBodyBytes;
        this.publishTimeout = publishTimeout;
        this.retryAfterSeconds = Math.max(1, (retryAfter.toMillis() + 999) / 1000);
        this.sanity = sanity;
        this.stocks = stocks;
        this.auth = auth;
    }

    @Override
    public void handle(final HttpExchange exchange) throws IOException {
        final long began = System.nanoTime();
        int status = 500;
        try {
            status = serve(exchange);
        } finally {
            metrics.requestLatency.labelValues(Integer.toString(status))
                    .observe((System.nanoTime() - began) / 1e9);
        }
    }

    private int serve(final HttpExchange exchange) throws IOException {
        if (!"/ticks".equals(exchange.getRequestURI().getPath())) {
            return error(exchange, 404, "no such resource: " + exchange.getRequestURI().getPath());
        }
        if (!"POST".equals(exchange.getRequestMethod())) {
            exchange.getResponseHeaders().set("Allow", "POST");
            return error(exchange, 405, "use POST");
        }
        final int authStatus = auth.check(exchange);
        if (authStatus != 0) {
            return authStatus;
        }
        final String mediaType = mediaType(exchange.getRequestHeaders().getFirst("Content-Type"));
        if (!JSON.equals(mediaType) && !NDJSON.equals(mediaType)) {
            return error(exchange, 415, "Content-Type must be " + JSON + " (one tick or an array) or " + NDJSON
                    + " (one tick a line), was " + (mediaType == null ? "missing" : mediaType));
        }
        final byte[] body = readBody(exchange);
        if (body == null) {
            return error(exchange, 413, "body larger than " + maxBodyBytes + " bytes");
        }
        if (body.length == 0) {
            return error(exchange, 400, "empty body: send one tick, a JSON array or NDJSON");
        }
        final int badByte = TickBatchParser.invalidUtf8Offset(body);
        if (badByte >= 0) {
            metrics.ticksRejected.labelValues("malformed").inc();
            return error(exchange, 400, "body is not valid UTF-8 (first bad byte at offset " + badByte + ")");
        }
        final Instant now = clock.instant();
        final Consumer<Tick> sane = tick -> {
            sanity.requireSane(tick, now);
            if (!stocks.admit(tick.stockId())) {
                throw new InvalidTickException("stock_id", "stock_id " + tick.stockId() + " is new and "
                        + stocks.max() + " stocks are active (INGEST_MAX_STOCKS): retry when some have gone idle");
            }
        };
        final TickBatchParser.Parsed parsed = JSON.equals(mediaType)
                ? TickBatchParser.parseJson(body, sane) : TickBatchParser.parseNdjson(body, sane);
        if (!parsed.errors().isEmpty()) {
            return rejectBatch(exchange, parsed);
        }
        return publish(exchange, stamp(parsed.ticks()));
    }

    private int rejectBatch(final HttpExchange exchange, final TickBatchParser.Parsed parsed) throws IOException {
        final List<Map<String, Object>> listed = new ArrayList<>();
        for (TickBatchParser.TickError e : parsed.errors()) {
            metrics.ticksRejected.labelValues(e.field().isEmpty() ? "malformed" : e.field()).inc();
            if (listed.size() < MAX_ERRORS_LISTED) {
                final Map<String, Object> item = new LinkedHashMap<>();
                item.put(e.position(), e.at());
                item.put("field", e.field());
                item.put("message", e.message());
                listed.add(item);
            }
        }
        if (!parsed.ticks().isEmpty()) {
            metrics.ticksRejected.labelValues("batch").inc(parsed.ticks().size());
        }
        final Map<String, Object> reply = new LinkedHashMap<>();
        reply.put("error", parsed.errors().size() + " invalid tick(s); nothing was published (all or nothing)");
        reply.put("published", 0);
        reply.put("valid", parsed.ticks().size());
        reply.put("invalid", parsed.errors().size());
        reply.put("errors", listed);
        ServiceHttpServer.respondJson(exchange, 400, reply);
        return 400;
    }

    private int publish(final HttpExchange exchange, final List<Tick> ticks) throws IOException {
        final long deadline = System.nanoTime() + publishTimeout.plus(AWAIT_MARGIN).toNanos();
        final TickPublisher.Batch batch = publisher.publish(ticks); // blocks at most publishTimeout / 2
        boolean finished;
        try {
            finished = batch.await(Duration.ofNanos(Math.max(0, deadline - System.nanoTime())));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            finished = false;
        }
        if (finished && batch.allAcknowledged()) {
            ServiceHttpServer.respondJson(exchange, 202, Map.of("accepted", ticks.size()));
            return 202;
        }
        final Map<String, Object> reply = new LinkedHashMap<>();
        reply.put("error", "Kafka did not acknowledge every tick within " + publishTimeout.toMillis() + " ms"
                + (batch.error() == null ? "" : ": " + batch.error().getMessage()) + "; retry later");
        reply.put("published", batch.acknowledged());
        if (finished && batch.acknowledged() > 0) {
            final List<Integer> unpublished = new ArrayList<>();
            for (int i = 0; i < ticks.size(); i++) {
                if (batch.failed(i)) {
                    unpublished.add(i);
                }
            }
            reply.put("unpublished", unpublished); // 0-based positions among the request's ticks
        }
        LOG.debug("publish not acknowledged ticks={} acknowledged={}", ticks.size(), batch.acknowledged());
        exchange.getResponseHeaders().set("Retry-After", Long.toString(retryAfterSeconds));
        ServiceHttpServer.respondJson(exchange, 503, reply);
        return 503;
    }

    /** Stamps {@code ingest_us} (the time this request was accepted) on each tick that has none. */
    private List<Tick> stamp(final List<Tick> ticks) {
        final Instant now = clock.instant();
        final long micros = Math.addExact(Math.multiplyExact(now.getEpochSecond(), 1_000_000L), now.getNano() / 1000);
        final List<Tick> stamped = new ArrayList<>(ticks.size());
        for (Tick t : ticks) {
            stamped.add(t.ingestMicros() == 0L ? t.withIngestMicros(micros) : t);
        }
        return stamped;
    }

    /** 0 when allowed, else the status already sent. */
    /** The body, or null when it is longer than the limit. The stream is left open: the response closes it. */
    private byte[] readBody(final HttpExchange exchange) throws IOException {
        final InputStream in = exchange.getRequestBody();
        final String declared = exchange.getRequestHeaders().getFirst("Content-Length");
        try {
            if (declared != null && Long.parseLong(declared.trim()) > maxBodyBytes) {
                return null;
            }
        } catch (NumberFormatException e) {
            return null; // the JDK server rejects a bad Content-Length before we see it; be safe anyway
        }
        final byte[] body = in.readNBytes(maxBodyBytes + 1);
        return body.length > maxBodyBytes ? null : body;
    }

    private static void drain(final InputStream in) throws IOException {
        final byte[] sink = new byte[64 * 1024];
        long left = MAX_DRAIN_BYTES;
        for (int n = in.read(sink); n > 0 && left > 0; n = in.read(sink)) {
            left -= n;
        }
    }

    /** The lower-case media type without parameters, or null; a non-UTF-8 charset yields an unsupported type. */
    static String mediaType(final String contentType) {
        if (contentType == null || contentType.isBlank()) {
            return null;
        }
        final String[] parts = contentType.split(";");
        final String type = parts[0].trim().toLowerCase(Locale.ROOT);
        for (int i = 1; i < parts.length; i++) {
            final String param = parts[i].trim().toLowerCase(Locale.ROOT);
            if (param.startsWith("charset=") && !param.substring(8).replace("\"", "").equals("utf-8")) {
                return type + "; " + param;
            }
        }
        return type;
    }

    private static int error(final HttpExchange exchange, final int status, final String message) throws IOException {
        drain(exchange.getRequestBody()); // a client that writes its whole body before reading gets this, not a reset
        ServiceHttpServer.respondJson(exchange, status, Map.of("error", message));
        return status;
    }
}
