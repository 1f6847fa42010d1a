package io.tickflow.local;

import org.apache.kafka.common.utils.AppInfoParser;
import org.apache.kafka.common.utils.Exit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.kafka.KafkaContainer;
import org.testcontainers.utility.DockerImageName;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.function.BooleanSupplier;

/**
 * The Kafka broker the integration tests talk to, one per test JVM, chosen once by {@link #choose} in this order:
 * <ol>
 *   <li>{@link Kind#EXTERNAL}: the cluster named by {@code KAFKA_BOOTSTRAP_SERVERS}, when set;</li>
 *   <li>{@link Kind#TESTCONTAINERS}: a Testcontainers {@link KafkaContainer} on the {@code apache/kafka} image of the
 *       client's version (override: {@code -Dtickflow.kafka.image}), when asked with
 *       {@code -Dtickflow.kafka=testcontainers} or when a Docker engine is reachable;</li>
 *   <li>{@link Kind#EMBEDDED}: one embedded KRaft broker in this JVM (the default where no Docker engine runs).</li>
 * </ol>
 * {@code -Dtickflow.kafka=embedded} forces the embedded broker even with Docker at hand. Testcontainers asked for
 * without a reachable Docker engine fails every test that needs the broker, naming why (never a silent pass).
 * Tests isolate themselves with {@link #uniqueTopic}. A broker fault that would make the embedded Kafka halt the JVM
 * throws instead, failing the test rather than killing the run.
 *
 * <p>Tests that must own their broker — stop it, restart it, or use the fixed topic names of a whole local stack
 * ({@link LocalStack}, {@code IngestKafkaOutageIT}, {@code OpsHealthIT}) — start an {@link EmbeddedKafka} of their own.
 */
public final class KafkaFixture {
    private static final Logger LOG = LoggerFactory.getLogger(KafkaFixture.class);

    /** Where the test broker comes from. */
    public enum Kind { EXTERNAL, TESTCONTAINERS, EMBEDDED }

    /** What {@link #choose} decided, and why (logged once, and part of every failure). */
    public record Choice(Kind kind, String reason) {
    }

    private static Choice choice;
    private static String bootstrap;
    private static volatile EmbeddedKafka embedded;

    private KafkaFixture() {
    }

    /**
     * The choice, from the environment ({@code KAFKA_BOOTSTRAP_SERVERS}), the system property {@code tickflow.kafka}
     * ({@code auto} when unset, {@code testcontainers} or {@code embedded}) and whether a Docker engine answers
     * (asked only when it matters).
     *
     * @throws IllegalArgumentException for an unknown {@code tickflow.kafka} value
     */
    static Choice choose(final Map<String, String> env, final String requested, final BooleanSupplier dockerReachable) {
        final String external = env.get("KAFKA_BOOTSTRAP_SERVERS");
        if (external != null && !external.isBlank()) {
            return new Choice(Kind.EXTERNAL, "KAFKA_BOOTSTRAP_SERVERS=" + external);
        }
        final String mode = requested == null || requested.isBlank() ? "auto" : requested.trim().toLowerCase(Locale.ROOT);
        switch (mode) {
            case "embedded":
                return new Choice(Kind.EMBEDDED, "-Dtickflow.kafka=embedded");
            case "testcontainers":
                return new Choice(Kind.TESTCONTAINERS, "-Dtickflow.kafka=testcontainers");
            case "auto":
                return dockerReachable.getAsBoolean()
                        ? new Choice(Kind.TESTCONTAINERS, "a Docker engine is reachable")
                        : new Choice(Kind.EMBEDDED, "no KAFKA_BOOTSTRAP_SERVERS and no reachable Docker engine");
            default:
                throw new IllegalArgumentException("tickflow.kafka must be auto, testcontainers or embedded, was '"
                        + requested + "'");
        }
    }

    /** Bootstrap servers of the test broker, starting it on first use. */
    public static synchronized String bootstrapServers() {
        if (bootstrap != null) {
            return bootstrap;
        }
        if (choice == null) {
            choice = choose(System.getenv(), System.getProperty("tickflow.kafka"), KafkaFixture::dockerReachable);
            LOG.info("test Kafka broker: {} ({})", choice.kind(), choice.reason());
        }
        bootstrap = switch (choice.kind()) {
            case EXTERNAL -> System.getenv("KAFKA_BOOTSTRAP_SERVERS");
            case TESTCONTAINERS -> startContainer(choice);
            case EMBEDDED -> startEmbedded();
        };
        return bootstrap;
    }

    /** The embedded broker itself, for tests that stop and restart it; {@code null} against any other broker. */
    public static EmbeddedKafka embedded() {
        return embedded;
    }

    public static String uniqueTopic(final String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    public static void createTopics(final String bootstrapServers, final Map<String, Integer> partitionsByTopic) {
        EmbeddedKafka.createTopics(bootstrapServers, partitionsByTopic, Map.of());
    }

    /** The {@code apache/kafka} image of the same version as the Kafka client (and the compose file's broker). */
    static String image() {
        return System.getProperty("tickflow.kafka.image", "apache/kafka:" + AppInfoParser.getVersion());
    }

    /**
     * Docker is asked only when its endpoint exists ({@code DOCKER_HOST} or the default socket), so a machine without
     * Docker does not pay for Testcontainers' whole discovery on every run.
     */
    private static boolean dockerReachable() {
        final String host = System.getenv("DOCKER_HOST");
        if ((host == null || host.isBlank()) && !Files.exists(Path.of("/var/run/docker.sock"))) {
            return false;
        }
        try {
            return DockerClientFactory.instance().isDockerAvailable();
        } catch (RuntimeException | LinkageError e) {
            LOG.info("Docker endpoint present but not usable: {}", e.toString());
            return false;
        }
    }

    private static String startContainer(final Choice why) {
        if (!dockerReachable()) {
            throw new IllegalStateException("Testcontainers Kafka was chosen (" + why.reason() + ") but no Docker engine"
                    + " is reachable (DOCKER_HOST unset and /var/run/docker.sock missing or not answering): start"
                    + " Docker, or run on the embedded broker (drop -Dtickflow.kafka or pass -Dtickflow.kafka=embedded)");
        }
        final KafkaContainer container = new KafkaContainer(DockerImageName.parse(image()))
                // one node: internal topics with one replica, transactions with one in-sync replica, as embedded
                .withEnv("KAFKA_OFFSETS_TOPIC_REPLICATION_FACTOR", "1")
                .withEnv("KAFKA_TRANSACTION_STATE_LOG_REPLICATION_FACTOR", "1")
                .withEnv("KAFKA_TRANSACTION_STATE_LOG_MIN_ISR", "1")
                .withEnv("KAFKA_GROUP_INITIAL_REBALANCE_DELAY_MS", "0")
                .withEnv("KAFKA_AUTO_CREATE_TOPICS_ENABLE", "false")
                .withEnv("KAFKA_NUM_PARTITIONS", "4");
        container.start();
        Runtime.getRuntime().addShutdownHook(new Thread(container::stop, "kafka-container-stop"));
        LOG.info("Testcontainers Kafka ready image={} bootstrap={}", image(), container.getBootstrapServers());
        return container.getBootstrapServers();
    }

    private static String startEmbedded() {
        Exit.setHaltProcedure((status, message) -> {
            throw new IllegalStateException("Kafka broker tried to halt the JVM: status=" + status + " " + message);
        });
        Exit.setExitProcedure((status, message) -> {
            throw new IllegalStateException("Kafka broker tried to exit the JVM: status=" + status + " " + message);
        });
        try {
            embedded = EmbeddedKafka.startTemporary();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        final EmbeddedKafka broker = embedded;
        Runtime.getRuntime().addShutdownHook(new Thread(broker::close, "embedded-kafka-close"));
        return broker.bootstrapServers();
    }
}
