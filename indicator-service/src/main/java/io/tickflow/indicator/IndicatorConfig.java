package io.tickflow.indicator;

import io.tickflow.indicator.bars.BarSpec;
import io.tickflow.indicator.ta.EngineSpec;
import io.tickflow.runtime.HttpLimits;
import io.tickflow.model.TickSanity;
import io.tickflow.model.Topics;
import io.tickflow.runtime.AuthTokens;
import io.tickflow.runtime.ConfigException;
import io.tickflow.runtime.EffectiveConfig;
import io.tickflow.runtime.Env;
import io.tickflow.runtime.KafkaClientProperties;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.ZoneId;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;

/**
 * The indicator service's configuration, read from the environment; each default sits next to its key and a bad value
 * fails at start naming the key.
 *
 * @param kafka             client properties from {@code KAFKA_*} (bootstrap.servers, security, …)
 * @param ticksTopic        {@code TICKS_TOPIC}, input
 * @param resultsTopic      {@code RESULTS_TOPIC}, output
 * @param stateTopic        {@code STATE_TOPIC}, compacted per-stock state changelog, co-partitioned with the ticks
 * @param deadLetterTopic   {@code DLQ_TOPIC}, rejected ticks
 * @param indicators        {@code INDICATORS}
 * @param sanity            {@code PRICE_MAX}, {@code PRICE_MAX_JUMP}, {@code PRICE_JUMP_CONFIRM},
 *                          {@code TIMESTAMP_MAX_AHEAD}: ticks refused before they reach the engine
 * @param workerLanes       {@code WORKER_LANES}
 * @param laneCapacity      {@code LANE_QUEUE_CAPACITY}, ticks queued per lane before the poll loop pauses
 * @param commitInterval    {@code COMMIT_INTERVAL}, how long a transaction (or an at-least-once commit period) lasts
 * @param guarantee         {@code PROCESSING_GUARANTEE}
 * @param applicationId     {@code APPLICATION_ID}, the consumer group and the transactional.id prefix
 * @param instanceId        {@code INSTANCE_ID}, unique per running instance (transactional.id suffix)
 * @param createTopics      {@code CREATE_TOPICS}, create missing output topics (results, state, DLQ) at start
 * @param httpHost          {@code HTTP_HOST}
 * @param httpPort          {@code HTTP_PORT}
 * @param metricsTokens     {@code METRICS_AUTH_TOKENS} / {@code METRICS_AUTH_TOKENS_FILE}: bearer tokens for
 *                          {@code /metrics}; empty = open
 * @param httpLimits        {@code HTTP_MAX_CONNECTIONS}, {@code HTTP_IDLE_TIMEOUT}, {@code HTTP_MAX_HEADER_BYTES}
 *                          ({@link HttpLimits})
 * @param bars              {@code BARS}, {@code BAR_GRACE}, {@code BAR_UPDATE_INTERVAL}, {@code BAR_INDICATORS},
 *                          {@code BAR_ZONE}: the bars to build; empty when {@code BARS} is empty or {@code none}
 * @param barsTopic         {@code BARS_TOPIC}, bar records (forming and final)
 * @param maxStocks         {@code MAX_STOCKS}: stocks this instance keeps, split evenly over the lanes; a tick of a new
 *                          stock past its lane's share goes to the DLQ with reason {@code stock_limit}
 * @param stockIdleEvict    {@code STOCK_IDLE_EVICT}: a stock without a tick this long is forgotten (state tombstone);
 *                          0 = never
 * @param recordMaxAborts   {@code RECORD_MAX_ABORTS}: aborted intervals one record may cause (its send refused, or its
 *                          processing threw) before it is parked in the DLQ with code {@code send_failed}
 * @param progressTimeout   {@code PROGRESS_TIMEOUT}: {@code /ready} fails ({@code making_progress}) when work has
 *                          waited this long without a commit
 * @param barIdleClose      {@code BAR_IDLE_CLOSE}: with bars, a partition whose stream time stood still this long on
 *                          the wall clock has it moved by the wall time that passed, so its due bars close (gives up
 *                          bars being a pure function of the input); 0 = off, the default
 */
public record IndicatorConfig(Properties kafka, String ticksTopic, String resultsTopic, String stateTopic,
                              String deadLetterTopic, EngineSpec indicators, TickSanity sanity, int workerLanes,
                              int laneCapacity, Duration commitInterval, ProcessingGuarantee guarantee,
                              String applicationId, String instanceId, boolean createTopics, String httpHost,
                              int httpPort, HttpLimits httpLimits, AuthTokens metricsTokens, Optional<BarSpec> bars,
                              String barsTopic, int maxStocks, Duration stockIdleEvict, int recordMaxAborts,
                              Duration progressTimeout, Duration barIdleClose) {

    public static final Duration DEFAULT_COMMIT_INTERVAL = Duration.ofMillis(100);
    /** BARS_TOPIC's default. */
    public static final String DEFAULT_BARS_TOPIC = "indicator_bars";
    /** The producer's {@code batch.size} by default ({@code KAFKA_BATCH_SIZE} overrides it). */
    static final int BATCH_BYTES = 256 * 1024;

    public IndicatorConfig {
        if (commitInterval.isZero() || commitInterval.isNegative()) {
            throw new ConfigException("COMMIT_INTERVAL=" + commitInterval.toMillis() + "ms: must be > 0");
        }
        if (progressTimeout.compareTo(commitInterval) <= 0) {
            throw new ConfigException("PROGRESS_TIMEOUT=" + progressTimeout.toMillis() + "ms: must be longer than "
                    + "COMMIT_INTERVAL=" + commitInterval.toMillis() + "ms");
        }
    }

    public static IndicatorConfig fromEnv(final Map<String, String> vars) {
        final Env env = new Env(vars);
        final String ticks = env.string("TICKS_TOPIC", Topics.TICKS);
        final EngineSpec spec;
        final String indicators = env.string("INDICATORS", EngineSpec.DEFAULT);
        try {
            spec = EngineSpec.parse(indicators);
        } catch (IllegalArgumentException e) {
            throw new ConfigException("INDICATORS=" + indicators + ": " + e.getMessage());
        }
        final String guarantee = env.choice("PROCESSING_GUARANTEE", "exactly_once",
                List.of("exactly_once", "at_least_once"));
        final String instance = env.string("INSTANCE_ID", hostname(vars));
        if (!instance.matches("[A-Za-z0-9._-]{1,128}")) {
            throw new ConfigException("INSTANCE_ID=" + instance + ": use 1-128 characters of A-Z a-z 0-9 . _ -");
        }
        return new IndicatorConfig(
                env.kafkaProperties(),
                ticks,
                env.string("RESULTS_TOPIC", Topics.RESULTS),
                env.string("STATE_TOPIC", Topics.STATE),
                env.string("DLQ_TOPIC", Topics.deadLetterOf(ticks)),
                spec,
                TickSanity.fromEnv(env),
                env.integer("WORKER_LANES", Runtime.getRuntime().availableProcessors(), 1, 1024),
                env.integer("LANE_QUEUE_CAPACITY", 4096, 16, 1 << 20),
                env.duration("COMMIT_INTERVAL", DEFAULT_COMMIT_INTERVAL),
                ProcessingGuarantee.parse(guarantee),
                env.string("APPLICATION_ID", "tickflow-indicator"),
                instance,
                env.bool("CREATE_TOPICS", true),
                env.string("HTTP_HOST", "0.0.0.0"),
                env.port("HTTP_PORT", 8082),
                HttpLimits.fromEnv(env),
                AuthTokens.fromEnv(env, "METRICS_AUTH_TOKENS", "METRICS_AUTH_TOKENS_FILE"),
                bars(env, vars),
                env.string("BARS_TOPIC", DEFAULT_BARS_TOPIC),
                env.integer("MAX_STOCKS", 100_000, 1, 100_000_000),
                env.duration("STOCK_IDLE_EVICT", Duration.ofHours(24)),
                env.integer("RECORD_MAX_ABORTS", 3, 1, 1000),
                env.duration("PROGRESS_TIMEOUT", Duration.ofSeconds(30)),
                env.duration("BAR_IDLE_CLOSE", Duration.ZERO));
    }

    /**
     * BARS and its companions; empty when BARS is {@code none} or set but empty (unset = the default {@code 1m,5m}).
     * Each bad value names its key.
     */
    private static Optional<BarSpec> bars(final Env env, final Map<String, String> vars) {
        final String set = vars.get("BARS");
        final String intervals = set != null && set.isBlank() ? "" : env.string("BARS", "1m,5m").trim();
        final Duration grace = env.duration("BAR_GRACE", Duration.ofMillis(BarSpec.DEFAULT_GRACE_MILLIS));
        final Duration update = env.duration("BAR_UPDATE_INTERVAL",
                Duration.ofMillis(BarSpec.DEFAULT_UPDATE_INTERVAL_MILLIS));
        final String indicators = env.string("BAR_INDICATORS", EngineSpec.DEFAULT_BARS);
        final String zoneName = env.string("BAR_ZONE", "UTC");
        if (intervals.isEmpty() || intervals.equalsIgnoreCase("none")) {
            return Optional.empty();
        }
        final ZoneId zone;
        try {
            zone = ZoneId.of(zoneName.trim());
        } catch (DateTimeException e) {
            throw new ConfigException("BAR_ZONE=" + zoneName + ": not a time zone (e.g. UTC, America/New_York)");
        }
        if (grace.toMillis() > BarSpec.MAX_GRACE_MILLIS) {
            throw new ConfigException("BAR_GRACE=" + grace.toMillis() + "ms: must be at most 1 day");
        }
        try {
            EngineSpec.parseBars(indicators);
        } catch (IllegalArgumentException e) {
            throw new ConfigException("BAR_INDICATORS=" + indicators + ": " + e.getMessage());
        }
        try {
            return Optional.of(BarSpec.parse(intervals, zone, grace.toMillis(), update.toMillis(), indicators));
        } catch (IllegalArgumentException e) {
            throw new ConfigException("BARS=" + intervals + ": " + e.getMessage());
        }
    }

    /**
     * INSTANCE_ID's default: the host's name (a container's or pod's own), so a restarted instance has the identity
     * of the one it replaces. Two instances on one host need INSTANCE_IDs of their own.
     */
    private static String hostname(final Map<String, String> vars) {
        String name = vars.get("HOSTNAME");
        if (name == null || name.isBlank()) {
            try {
                name = InetAddress.getLocalHost().getHostName();
            } catch (UnknownHostException e) {
                name = "indicator";
            }
        }
        final String cleaned = name.trim().replaceAll("[^A-Za-z0-9._-]", "-");
        return cleaned.isEmpty() ? "indicator" : cleaned.substring(0, Math.min(128, cleaned.length()));
    }

    /**
     * Consumer properties: read_committed, manual commits, our group (precedence: {@link KafkaClientProperties}).
     * Fail-over defaults: static membership under the instance's identity, so a restarted instance gets its
     * partitions back at once, without a rebalance; and the shortest session the broker allows by default (6 s),
     * so a second instance takes a dead one's partitions within seconds.
     */
    Properties consumerProperties() {
        return KafkaClientProperties.consumer(kafka)
                .byDefault(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest")
                .byDefault(ConsumerConfig.CLIENT_ID_CONFIG, applicationId + "-" + instanceId)
                .byDefault(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG, applicationId + "-" + instanceId)
                .byDefault(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, "6000")
                .byDefault(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, "1500")
                .force(ConsumerConfig.GROUP_ID_CONFIG, applicationId)
                .force(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false")
                .force(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed")
                .build();
    }

    /**
     * The producer clients: two used in turn with exactly-once (one transaction each, see {@link RenewableProducer}),
     * one otherwise.
     */
    int producerSlots() {
        return guarantee == ProcessingGuarantee.EXACTLY_ONCE ? 2 : 1;
    }

    /**
     * Properties of the producer client in {@code slot}: idempotent; transactional in exactly-once mode; no linger
     * (latency first); batches of up to 256 KiB, so one request carries a commit's burst of state records (~3 KB per
     * stock with bars) instead of a queue of 16 KiB ones behind the single request in flight. Slot 1's client id and
     * transactional id end in {@code -1}.
     */
    Properties producerProperties(final int slot) {
        final KafkaClientProperties props = KafkaClientProperties.producer(kafka)
                .byDefault(ProducerConfig.LINGER_MS_CONFIG, "0")
                .byDefault(ProducerConfig.BATCH_SIZE_CONFIG, String.valueOf(BATCH_BYTES))
                .byDefault(ProducerConfig.CLIENT_ID_CONFIG, applicationId + "-" + instanceId)
                .force(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true")
                .force(ProducerConfig.ACKS_CONFIG, "all");
        if (guarantee == ProcessingGuarantee.EXACTLY_ONCE) {
            // An instance that dies with a transaction open blocks read_committed readers of its partitions, and the
            // state restore of the instance taking them over, until the coordinator aborts it (a restart with the
            // same INSTANCE_ID fences it at once): keep that short. A transaction lasts COMMIT_INTERVAL (100 ms).
            props.byDefault(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, "5000")
                    // One request in flight: right after a commit the broker may answer a transaction's first batch
                    // with CONCURRENT_TRANSACTIONS; with more batches in flight behind it, the retry can wedge on
                    // OUT_OF_ORDER_SEQUENCE_NUMBER until delivery.timeout.ms (seen with transactions v2 on Kafka 4.3).
                    .byDefault(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, "1")
                    .force(ProducerConfig.TRANSACTIONAL_ID_CONFIG, transactionalIds().get(slot));
        }
        final Properties built = props.build();
        if (slot > 0) { // two clients may not share a client id (their metrics would collide)
            built.setProperty(ProducerConfig.CLIENT_ID_CONFIG, built.getProperty(ProducerConfig.CLIENT_ID_CONFIG)
                    + "-" + slot);
        }
        return built;
    }

    /** State restore reader: read_committed, no group. */
    Properties restoreConsumerProperties() {
        return KafkaClientProperties.consumer(kafka)
                .without(ConsumerConfig.GROUP_ID_CONFIG)
                .without(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG)
                .force(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false")
                .force(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed")
                .force(ConsumerConfig.CLIENT_ID_CONFIG, applicationId + "-" + instanceId + "-restore")
                .build();
    }

    /** Admin client properties (topic checks and creation). */
    Properties adminProperties() {
        return KafkaClientProperties.admin(kafka)
                .byDefault(AdminClientConfig.CLIENT_ID_CONFIG, applicationId + "-" + instanceId + "-admin")
                .build();
    }

    /**
     * The transactional id of each producer slot: {@code APPLICATION_ID-INSTANCE_ID}, then that with {@code -1} (slot
     * 0 keeps the id of the versions with a single client, so a restart after an upgrade still fences them).
     */
    List<String> transactionalIds() {
        final String id = applicationId + "-" + instanceId;
        return producerSlots() == 2 ? List.of(id, id + "-1") : List.of(id);
    }

    /** The effective configuration by environment key, for the start-up log line ({@link EffectiveConfig}). */
    Map<String, Object> settings() {
        final Map<String, Object> out = new LinkedHashMap<>();
        out.put("TICKS_TOPIC", ticksTopic);
        out.put("RESULTS_TOPIC", resultsTopic);
        out.put("STATE_TOPIC", stateTopic);
        out.put("DLQ_TOPIC", deadLetterTopic);
        out.put("INDICATORS", indicators.canonical());
        out.putAll(sanity.settings());
        out.put("BARS", bars.map(BarSpec::canonical).orElse("none"));
        out.put("BARS_TOPIC", barsTopic);
        out.put("BAR_IDLE_CLOSE", barIdleClose.isZero() ? "off" : barIdleClose.toMillis() + "ms");
        out.put("MAX_STOCKS", maxStocks);
        out.put("STOCK_IDLE_EVICT", stockIdleEvict.toMillis() + "ms");
        out.put("WORKER_LANES", workerLanes);
        out.put("LANE_QUEUE_CAPACITY", laneCapacity);
        out.put("COMMIT_INTERVAL", commitInterval.toMillis() + "ms");
        out.put("RECORD_MAX_ABORTS", recordMaxAborts);
        out.put("PROGRESS_TIMEOUT", progressTimeout.toMillis() + "ms");
        out.put("PROCESSING_GUARANTEE", guarantee);
        out.put("APPLICATION_ID", applicationId);
        out.put("INSTANCE_ID", instanceId);
        out.put("CREATE_TOPICS", createTopics);
        out.put("HTTP", httpHost + ":" + httpPort);
        out.putAll(httpLimits.settings());
        out.put("METRICS_AUTH_TOKENS", metricsTokens);
        return out;
    }

    @Override
    public String toString() {
        return "IndicatorConfig[" + EffectiveConfig.line(settings(), kafka) + "]"; // secrets masked
    }
}
