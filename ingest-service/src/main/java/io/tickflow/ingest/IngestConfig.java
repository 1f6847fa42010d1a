package io.tickflow.ingest;

import io.tickflow.runtime.HttpLimits;
import io.tickflow.model.TickSanity;
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
 * Configuration of the ingest service, read from the environment; each default sits next to its key.
 *
 * @param httpHost        {@code HTTP_HOST}: bind address of the HTTP gateway
 * @param httpPort        {@code HTTP_PORT}: port of the HTTP gateway (0 = any free port)
 * @param httpThreads     {@code HTTP_THREADS}: handler threads, i.e. requests served concurrently
 * @param httpLimits      {@code HTTP_MAX_CONNECTIONS}, {@code HTTP_IDLE_TIMEOUT}, {@code HTTP_MAX_HEADER_BYTES}
 *                        ({@link HttpLimits}); the idle timeout must exceed the publish timeout
 * @param ticksTopic      {@code TICKS_TOPIC}: the topic ticks are published to
 * @param maxStocks       {@code INGEST_MAX_STOCKS}: stocks active at once; a tick of a new one past it gets 400
 * @param stockIdle       {@code INGEST_STOCK_IDLE}: a stock without a tick this long stops being active
 * @param maxBodyBytes    {@code INGEST_MAX_BODY_BYTES}: largest accepted request body (413 past it)
 * @param publishTimeout  {@code INGEST_PUBLISH_TIMEOUT}: how long a request waits for Kafka's acknowledgements
 *                        before answering 503; the producer's waits fit in it (half blocked in {@code send},
 *                        half for the acknowledgement: {@link TickPublisher#producerProperties})
 * @param retryAfter      {@code INGEST_RETRY_AFTER}: the {@code Retry-After} of a 503
 * @param sanity          {@code PRICE_MAX}, {@code TIMESTAMP_MAX_AHEAD} (checked against this server's clock): 400
 *                        naming the field (the jump rule needs a stock's history: the indicator service applies it)
 * @param authTokens      {@code INGEST_AUTH_TOKENS} (comma list) and {@code INGEST_AUTH_TOKENS_FILE} (one token a
 *                        line): accepted bearer tokens; empty = no authentication
 * @param metricsTokens   {@code METRICS_AUTH_TOKENS} / {@code METRICS_AUTH_TOKENS_FILE}: bearer tokens for
 *                        {@code /metrics}; empty = open
 * @param kafka           {@code KAFKA_*}: Kafka client properties ({@link Env#kafkaProperties()})
 */
public record IngestConfig(String httpHost, int httpPort, int httpThreads, HttpLimits httpLimits,
                           String ticksTopic, int maxBodyBytes, int maxStocks, Duration stockIdle,
                           Duration publishTimeout, Duration retryAfter, TickSanity sanity, AuthTokens authTokens,
                           AuthTokens metricsTokens, Properties kafka) {

    public IngestConfig {
        if (publishTimeout.toMillis() < 100) {
            throw new ConfigException("INGEST_PUBLISH_TIMEOUT=" + publishTimeout + ": must be at least 100ms");
        }
        if (httpLimits.idleTimeout().compareTo(publishTimeout) <= 0) {
            throw new ConfigException("HTTP_IDLE_TIMEOUT=" + httpLimits.idleTimeout().toMillis()
                    + "ms: must exceed INGEST_PUBLISH_TIMEOUT=" + publishTimeout.toMillis()
                    + "ms, or a request waiting for Kafka could be cut off");
        }
    }

    public static IngestConfig fromEnv(final Map<String, String> vars) {
        final Env env = new Env(vars);
        return new IngestConfig(
                env.string("HTTP_HOST", "0.0.0.0"),
                env.port("HTTP_PORT", 8081),
                env.integer("HTTP_THREADS", 16, 1, 1024),
                HttpLimits.fromEnv(env),
                env.string("TICKS_TOPIC", Topics.TICKS),
                env.integer("INGEST_MAX_BODY_BYTES", 4 * 1024 * 1024, 1024, Integer.MAX_VALUE - 8),
                env.integer("INGEST_MAX_STOCKS", 100_000, 1, 100_000_000),
                env.duration("INGEST_STOCK_IDLE", Duration.ofHours(24)),
                env.duration("INGEST_PUBLISH_TIMEOUT", Duration.ofSeconds(5)),
                env.duration("INGEST_RETRY_AFTER", Duration.ofSeconds(2)),
                TickSanity.fromEnv(env),
                AuthTokens.fromEnv(env, "INGEST_AUTH_TOKENS", "INGEST_AUTH_TOKENS_FILE"),
                AuthTokens.fromEnv(env, "METRICS_AUTH_TOKENS", "METRICS_AUTH_TOKENS_FILE"),
                env.kafkaProperties());
    }

    /** The same configuration bound to {@code host:port} (tests and the local stack bind 127.0.0.1:0). */
    public IngestConfig withHttp(final String host, final int port) {
        return new IngestConfig(host, port, httpThreads, httpLimits, ticksTopic, maxBodyBytes, maxStocks, stockIdle,
                publishTimeout, retryAfter, sanity, authTokens, metricsTokens, kafka);
    }

    /** The environment keys of this service with their defaults, for {@code serve --help}. */
    static List<String[]> describe() {
        return List.of(
                new String[]{"HTTP_HOST", "0.0.0.0", "bind address of the HTTP gateway"},
                new String[]{"HTTP_PORT", "8081", "HTTP port (0 = any free port)"},
                new String[]{"HTTP_THREADS", "16", "requests handled concurrently"},
                new String[]{"HTTP_MAX_CONNECTIONS", "1000", "open connections; past it new ones wait to be accepted"},
                new String[]{"HTTP_IDLE_TIMEOUT", "30s", "a connection silent this long is closed"},
                new String[]{"HTTP_MAX_HEADER_BYTES", "8192", "request line + headers; larger answers 431"},
                new String[]{"TICKS_TOPIC", Topics.TICKS, "topic the ticks are published to"},
                new String[]{"INGEST_MAX_BODY_BYTES", "4194304", "largest request body; larger answers 413"},
                new String[]{"INGEST_PUBLISH_TIMEOUT", "5s", "wait for Kafka's acks before answering 503"},
                new String[]{"INGEST_RETRY_AFTER", "2s", "Retry-After header of a 503"},
                new String[]{"PRICE_MAX", "1e7", "largest price accepted; larger answers 400"},
                new String[]{"TIMESTAMP_MAX_AHEAD", "1m", "how far past this server's clock a timestamp may lie"},
                new String[]{"INGEST_AUTH_TOKENS", "(none)", "comma list of bearer tokens; none = no auth"},
                new String[]{"INGEST_AUTH_TOKENS_FILE", "(none)", "file with one bearer token a line"},
                new String[]{"KAFKA_BOOTSTRAP_SERVERS", "localhost:9092", "Kafka brokers"},
                new String[]{"KAFKA_<PROPERTY>", "", "any producer property, e.g. KAFKA_LINGER_MS=5"});
    }

    /** The effective configuration by environment key, for the start-up log line ({@link EffectiveConfig}). */
    Map<String, Object> settings() {
        final Map<String, Object> out = new LinkedHashMap<>();
        out.put("HTTP", httpHost + ":" + httpPort);
        out.putAll(httpLimits.settings());
        out.put("HTTP_THREADS", httpThreads);
        out.put("TICKS_TOPIC", ticksTopic);
        out.put("INGEST_MAX_BODY_BYTES", maxBodyBytes);
        out.put("INGEST_MAX_STOCKS", maxStocks);
        out.put("INGEST_STOCK_IDLE", stockIdle.toMillis() + "ms");
        out.put("INGEST_PUBLISH_TIMEOUT", publishTimeout.toMillis() + "ms");
        out.put("INGEST_RETRY_AFTER", retryAfter.toMillis() + "ms");
        out.put("PRICE_MAX", sanity.maxPrice());
        out.put("TIMESTAMP_MAX_AHEAD", sanity.maxAhead().toMillis() + "ms");
        out.put("INGEST_AUTH_TOKENS", authTokens);
        out.put("METRICS_AUTH_TOKENS", metricsTokens);
        return out;
    }

    @Override
    public String toString() {
        return "IngestConfig[" + EffectiveConfig.line(settings(), kafka) + "]"; // secrets masked, tokens counted
    }
}
