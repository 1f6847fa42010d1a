package io.tickflow.delivery;

import io.tickflow.runtime.HttpLimits;
import io.tickflow.model.Topics;
import io.tickflow.runtime.AuthTokens;
import io.tickflow.runtime.ConfigException;
import io.tickflow.runtime.EffectiveConfig;
import io.tickflow.runtime.Env;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * Configuration of the delivery service, read from the environment by {@link #fromEnv}: each default sits next to
 * its key, and a bad value fails at start naming the key.
 *
 * @param kafka                   Kafka consumer properties ({@code KAFKA_*})
 * @param resultsTopic            topic of indicator results ({@code RESULTS_TOPIC})
 * @param resultsIsolation        {@code isolation.level} of the result feed ({@code RESULTS_ISOLATION}):
 *                                {@code read_uncommitted} shows a result as soon as it is written,
 *                                {@code read_committed} once its transaction commits (see {@link ResultFeed})
 * @param historySize             results kept per stock for resume and history ({@code HISTORY_SIZE})
 * @param historyBudget           results kept in all, shared by the stocks ({@code HISTORY_MAX_RESULTS}): bounds the
 *                                history's memory (~500 B a result) however many stocks there are
 * @param maxStocks               stocks holding data at most ({@code HISTORY_MAX_STOCKS}); a new stock's results past it
 *                                are dropped and counted ({@code tickflow_results_dropped_total{reason="stock_limit"}})
 * @param idleEvict               a stock without subscribers and without a result for this long is forgotten
 *                                ({@code HISTORY_IDLE_EVICT}; 0 = never)
 * @param warmupRecords           records read back per partition on start ({@code HISTORY_WARMUP_RECORDS})
 * @param httpHost                bind address of HTTP ({@code HTTP_HOST})
 * @param httpPort                HTTP port ({@code HTTP_PORT}), 0 = any free port
 * @param httpThreads             HTTP handler threads ({@code HTTP_THREADS})
 * @param httpLimits              {@code HTTP_MAX_CONNECTIONS}, {@code HTTP_IDLE_TIMEOUT}, {@code HTTP_MAX_HEADER_BYTES}
 *                                of the REST + dashboard port ({@link HttpLimits})
 * @param wsHost                  bind address of the WebSocket server ({@code WS_HOST})
 * @param wsPort                  WebSocket port ({@code WS_PORT}), 0 = any free port
 * @param wsPublicPort            WebSocket port the dashboard is told to use ({@code WS_PUBLIC_PORT}), 0 = the bound one
 * @param authTokens              accepted tokens ({@code WS_AUTH_TOKENS}, plus lines of {@code WS_AUTH_TOKENS_FILE}):
 *                                for the WebSocket's {@code auth} op and the REST API's bearer header; empty = auth off
 * @param metricsTokens           {@code METRICS_AUTH_TOKENS} / {@code METRICS_AUTH_TOKENS_FILE}: bearer tokens for
 *                                {@code /metrics}; empty = open
 * @param allowedOrigins          {@code WS_ALLOWED_ORIGINS}: origins whose pages may open a WebSocket ({@code *} =
 *                                any); empty = the default, clients without an {@code Origin} (non-browser) and pages
 *                                served by the same host (the dashboard)
 * @param authTimeout             time allowed for the {@code auth} op ({@code WS_AUTH_TIMEOUT})
 * @param heartbeatInterval       idle time before an application heartbeat ({@code WS_HEARTBEAT_INTERVAL})
 * @param pingTimeout             dead-peer timeout of WebSocket ping/pong ({@code WS_PING_TIMEOUT}), 0 = off
 * @param maxConnections          concurrent connections ({@code WS_MAX_CONNECTIONS})
 * @param maxSubscriptions        symbols per connection, {@code "*"} counting one ({@code WS_MAX_SUBSCRIPTIONS})
 * @param maxMessagesPerSecond    inbound messages per connection per second ({@code WS_MAX_MESSAGES_PER_SECOND})
 * @param maxFrameBytes           largest inbound frame ({@code WS_MAX_FRAME_BYTES})
 * @param handshakeTimeout        time from TCP accept to a complete opening handshake; past it the connection is
 *                                closed ({@code WS_HANDSHAKE_TIMEOUT})
 * @param maxHandshakeBytes       largest opening handshake; larger answers 431 and is closed
 *                                ({@code WS_MAX_HANDSHAKE_BYTES})
 * @param outboundHighWaterBytes  queued bytes per connection past which a {@code resume} replay is conflated too
 *                                (live updates are conflated as soon as they cannot go at once)
 *                                ({@code WS_OUTBOUND_HIGH_WATER_BYTES})
 * @param outboundLimitBytes      bytes waiting per connection (queued, pending, held by throttles) past which it is
 *                                closed with 407 ({@code WS_OUTBOUND_LIMIT_BYTES})
 * @param socketWindowBytes       bytes a socket may hold not yet written to the network before further frames wait
 *                                in the outbox, where updates conflate ({@code WS_SOCKET_WINDOW_BYTES})
 * @param socketWindowAge         how long the oldest frame a socket holds unwritten may have waited before further
 *                                frames wait in the outbox; zero = no bound ({@code WS_SOCKET_WINDOW_AGE})
 * @param batchMax                most data frames in one array frame, sent when updates pile up behind a busy
 *                                socket; 1 = never batch ({@code WS_BATCH_MAX})
 * @param conflateAfter           age of a poll batch's oldest result from which the feed counts as behind and fans out
 *                                only each stock's newest result of the batch; zero = never
 *                                ({@code RESULTS_CONFLATE_AFTER})
 * @param bars                    the bar feed, book and requests ({@code BARS_*}, see {@link BarsConfig})
 */
public record DeliveryConfig(Properties kafka, String resultsTopic, String resultsIsolation,
                             int historySize, int historyBudget, int maxStocks, Duration idleEvict,
                             int warmupRecords,
                             String httpHost, int httpPort, int httpThreads, HttpLimits httpLimits,
                             String wsHost, int wsPort, int wsPublicPort,
                             AuthTokens authTokens, AuthTokens metricsTokens, List<String> allowedOrigins,
                             Duration authTimeout,
                             Duration heartbeatInterval, Duration pingTimeout,
                             int maxConnections, int maxSubscriptions, int maxMessagesPerSecond, int maxFrameBytes,
                             Duration handshakeTimeout, int maxHandshakeBytes,
                             int outboundHighWaterBytes, int outboundLimitBytes, int socketWindowBytes,
                             Duration socketWindowAge, int batchMax, Duration conflateAfter, BarsConfig bars) {

    public DeliveryConfig {
        kafka = (Properties) kafka.clone();
        if (handshakeTimeout.toMillis() < 1) {
            throw new ConfigException("WS_HANDSHAKE_TIMEOUT=" + handshakeTimeout.toMillis()
                    + "ms: must be at least 1ms");
        }
        if (outboundHighWaterBytes >= outboundLimitBytes) {
            throw new ConfigException("WS_OUTBOUND_HIGH_WATER_BYTES=" + outboundHighWaterBytes
                    + ": must be below WS_OUTBOUND_LIMIT_BYTES=" + outboundLimitBytes);
        }
    }

    public static DeliveryConfig fromEnv(final Map<String, String> vars) {
        final Env env = new Env(vars);
        final int historySize = env.integer("HISTORY_SIZE", 1_000, 1, 1_000_000);
        return new DeliveryConfig(
                env.kafkaProperties(),
                env.string("RESULTS_TOPIC", Topics.RESULTS),
                env.choice("RESULTS_ISOLATION", "read_uncommitted", List.of("read_uncommitted", "read_committed")),
                historySize,
                env.integer("HISTORY_MAX_RESULTS", 1_000_000, 1, Integer.MAX_VALUE),
                env.integer("HISTORY_MAX_STOCKS", 100_000, 1, 100_000_000),
                env.duration("HISTORY_IDLE_EVICT", Duration.ofHours(24)),
                env.integer("HISTORY_WARMUP_RECORDS", 100_000, 0, Integer.MAX_VALUE),
                env.string("HTTP_HOST", "0.0.0.0"),
                env.port("HTTP_PORT", 8080),
                env.integer("HTTP_THREADS", 4, 1, 256),
                HttpLimits.fromEnv(env),
                env.string("WS_HOST", "0.0.0.0"),
                env.port("WS_PORT", 8090),
                env.port("WS_PUBLIC_PORT", 0),
                AuthTokens.fromEnv(env, "WS_AUTH_TOKENS", "WS_AUTH_TOKENS_FILE"),
                AuthTokens.fromEnv(env, "METRICS_AUTH_TOKENS", "METRICS_AUTH_TOKENS_FILE"),
                env.list("WS_ALLOWED_ORIGINS", List.of()),
                env.duration("WS_AUTH_TIMEOUT", Duration.ofSeconds(5)),
                env.duration("WS_HEARTBEAT_INTERVAL", Duration.ofSeconds(15)),
                env.duration("WS_PING_TIMEOUT", Duration.ofSeconds(30)),
                env.integer("WS_MAX_CONNECTIONS", 10_000, 1, 1_000_000),
                env.integer("WS_MAX_SUBSCRIPTIONS", 1_000, 1, 1_000_000),
                env.integer("WS_MAX_MESSAGES_PER_SECOND", 50, 1, 1_000_000),
                env.integer("WS_MAX_FRAME_BYTES", 65_536, 256, 16 << 20),
                env.duration("WS_HANDSHAKE_TIMEOUT", Duration.ofSeconds(5)),
                env.integer("WS_MAX_HANDSHAKE_BYTES", 8_192, 1_024, 1 << 20),
                env.integer("WS_OUTBOUND_HIGH_WATER_BYTES", 256 << 10, 1_024, Integer.MAX_VALUE),
                env.integer("WS_OUTBOUND_LIMIT_BYTES", 1 << 20, 2_048, Integer.MAX_VALUE),
                env.integer("WS_SOCKET_WINDOW_BYTES", 262_144, 1, Integer.MAX_VALUE),
                env.duration("WS_SOCKET_WINDOW_AGE", Duration.ZERO),
                env.integer("WS_BATCH_MAX", 64, 1, 10_000),
                env.duration("RESULTS_CONFLATE_AFTER", Duration.ZERO),
                BarsConfig.fromEnv(env));
    }

    public boolean authEnabled() {
        return authTokens.enabled();
    }

    /** The effective configuration by environment key, for the start-up log line ({@link EffectiveConfig}). */
    Map<String, Object> settings() {
        final Map<String, Object> out = new LinkedHashMap<>();
        out.put("RESULTS_TOPIC", resultsTopic);
        out.put("RESULTS_ISOLATION", resultsIsolation);
        out.put("HISTORY_SIZE", historySize);
        out.put("HISTORY_MAX_RESULTS", historyBudget);
        out.put("HISTORY_MAX_STOCKS", maxStocks);
        out.put("HISTORY_IDLE_EVICT", idleEvict.toMillis() + "ms");
        out.put("HISTORY_WARMUP_RECORDS", warmupRecords);
        out.put("HTTP", httpHost + ":" + httpPort);
        out.putAll(httpLimits.settings());
        out.put("HTTP_THREADS", httpThreads);
        out.put("WS", wsHost + ":" + wsPort);
        out.put("WS_PUBLIC_PORT", wsPublicPort);
        out.put("WS_AUTH_TOKENS", authTokens);
        out.put("METRICS_AUTH_TOKENS", metricsTokens);
        out.put("WS_ALLOWED_ORIGINS", allowedOrigins.isEmpty() ? "(same host)" : String.join(",", allowedOrigins));
        out.put("WS_AUTH_TIMEOUT", authTimeout.toMillis() + "ms");
        out.put("WS_HEARTBEAT_INTERVAL", heartbeatInterval.toMillis() + "ms");
        out.put("WS_PING_TIMEOUT", pingTimeout.toMillis() + "ms");
        out.put("WS_MAX_CONNECTIONS", maxConnections);
        out.put("WS_HANDSHAKE_TIMEOUT", handshakeTimeout.toMillis() + "ms");
        out.put("WS_MAX_HANDSHAKE_BYTES", maxHandshakeBytes);
        out.put("WS_MAX_SUBSCRIPTIONS", maxSubscriptions);
        out.put("WS_MAX_MESSAGES_PER_SECOND", maxMessagesPerSecond);
        out.put("WS_MAX_FRAME_BYTES", maxFrameBytes);
        out.put("WS_OUTBOUND_HIGH_WATER_BYTES", outboundHighWaterBytes);
        out.put("WS_OUTBOUND_LIMIT_BYTES", outboundLimitBytes);
        out.put("WS_SOCKET_WINDOW_BYTES", socketWindowBytes);
        out.put("WS_SOCKET_WINDOW_AGE", socketWindowAge.toMillis() + "ms");
        out.put("WS_BATCH_MAX", batchMax);
        out.put("RESULTS_CONFLATE_AFTER", conflateAfter.toMillis() + "ms");
        out.put("BARS_TOPIC", bars.topic());
        out.put("BARS", String.join(",", bars.intervals()));
        out.put("BARS_HISTORY_SIZE", bars.historySize());
        out.put("BARS_HISTORY_MAX_BARS", bars.historyBudget());
        return out;
    }

    @Override
    public String toString() {
        return "DeliveryConfig[" + EffectiveConfig.line(settings(), kafka) + "]"; // secrets masked, tokens counted
    }
}
