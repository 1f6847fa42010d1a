package io.tickflow.indicator;

import io.tickflow.indicator.bars.BarSpec;
import io.tickflow.indicator.ta.EngineSpec;
import io.tickflow.model.ConfigException;
import io.tickflow.model.Env;
import io.tickflow.model.TickSanity;
import io.tickflow.model.Topics;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;

import java.time.DateTimeException;
import java.time.Duration;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;

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
 * @param bars              {@code BARS}, {@code BAR_GRACE}, {@code BAR_UPDATE_INTERVAL}, {@code BAR_INDICATORS},
 *                          {@code BAR_ZONE}: the bars to build; empty when {@code BARS} is empty or {@code none}
 * @param barsTopic         {@code BARS_TOPIC}, bar records (forming and final)
 */
public record IndicatorConfig(Properties kafka, String ticksTopic, String resultsTopic, String stateTopic,
                              String deadLetterTopic, EngineSpec indicators, TickSanity sanity, int workerLanes, int laneCapacity,
                              Duration commitInterval, ProcessingGuarantee guarantee, String applicationId,
                              String instanceId, boolean createTopics, String httpHost, int httpPort,
                              Optional<BarSpec> bars, String barsTopic) {

    public static final Duration DEFAULT_COMMIT_INTERVAL = Duration.ofMillis(100);
    /** BARS_TOPIC's default. */
    public static final String DEFAULT_BARS_TOPIC = "indicator_bars";

    public IndicatorConfig {
        if (commitInterval.isZero() || commitInterval.isNegative()) {
            throw new ConfigException("COMMIT_INTERVAL=" + commitInterval.toMillis() + "ms: must be > 0");
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
        final String instance = env.string("INSTANCE_ID", UUID.randomUUID().toString());
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
                bars(env, vars),
                env.string("BARS_TOPIC", DEFAULT_BARS_TOPIC));
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

    /** Consumer properties: read_committed, manual commits, our group; only consumer keys of {@code KAFKA_*}. */
    Properties consumerProperties() {
        final Properties props = only(ConsumerConfig.configNames());
        props.put(ConsumerConfig.GROUP_ID_CONFIG, applicationId);
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.putIfAbsent(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.putIfAbsent(ConsumerConfig.CLIENT_ID_CONFIG, applicationId + "-" + instanceId);
        return props;
    }

    /** Producer properties: idempotent; transactional in exactly-once mode; no linger (latency first). */
    Properties producerProperties() {
        final Properties props = only(ProducerConfig.configNames());
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.putIfAbsent(ProducerConfig.LINGER_MS_CONFIG, "0");
        props.putIfAbsent(ProducerConfig.CLIENT_ID_CONFIG, applicationId + "-" + instanceId);
        if (guarantee == ProcessingGuarantee.EXACTLY_ONCE) {
            props.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, transactionalId());
            // An instance that dies with a transaction open blocks read_committed readers of its partitions until
            // the coordinator aborts it (or a restart with the same INSTANCE_ID fences it): keep that short.
            props.putIfAbsent(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, "10000");
            // One request in flight: right after a commit the broker may answer a transaction's first batch with
            // CONCURRENT_TRANSACTIONS; with more batches in flight behind it, the retry can wedge on
            // OUT_OF_ORDER_SEQUENCE_NUMBER until delivery.timeout.ms (seen with transactions v2 on Kafka 4.3).
            props.putIfAbsent(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, "1");
        }
        return props;
    }

    /** State restore reader: read_committed, no group. */
    Properties restoreConsumerProperties() {
        final Properties props = only(ConsumerConfig.configNames());
        props.remove(ConsumerConfig.GROUP_ID_CONFIG);
        props.remove(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG);
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.CLIENT_ID_CONFIG, applicationId + "-" + instanceId + "-restore");
        return props;
    }

    String transactionalId() {
        return applicationId + "-" + instanceId;
    }

    private Properties only(final Set<String> names) {
        final Properties props = new Properties();
        kafka.forEach((k, v) -> {
            if (names.contains((String) k)) {
                props.put(k, v);
            }
        });
        return props;
    }

    /** The effective configuration for the start-up log line (no secrets: Kafka properties are not printed). */
    String describe() {
        return "ticks=" + ticksTopic + " results=" + resultsTopic + " state=" + stateTopic + " dlq=" + deadLetterTopic
                + " indicators=" + indicators.canonical() + " " + sanity.describe() + " lanes=" + workerLanes + " laneCapacity=" + laneCapacity
                + " commitIntervalMs=" + commitInterval.toMillis() + " guarantee=" + guarantee
                + " applicationId=" + applicationId + " instanceId=" + instanceId
                + " bootstrap=" + kafka.getProperty("bootstrap.servers") + " http=" + httpHost + ":" + httpPort
                + " bars=" + bars.map(BarSpec::canonical).orElse("none") + " barsTopic=" + barsTopic;
    }
}
