package io.tickflow.local;

import org.apache.kafka.common.utils.Exit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.UUID;

/**
 * The Kafka broker the integration tests talk to: the external cluster named by {@code KAFKA_BOOTSTRAP_SERVERS} when
 * set, else one embedded KRaft broker shared by every test of this JVM (started on first use, closed at JVM exit). Tests isolate themselves with {@link #uniqueTopic}. A broker fault that would make Kafka halt
 * the JVM throws instead, failing the test rather than killing the run.
 */
public final class KafkaFixture {
    private static final String EXTERNAL = System.getenv("KAFKA_BOOTSTRAP_SERVERS");
    private static volatile EmbeddedKafka embedded;

    private KafkaFixture() {
    }

    /** Bootstrap servers of the test broker, starting the embedded one on first use. */
    public static synchronized String bootstrapServers() {
        if (EXTERNAL != null && !EXTERNAL.isBlank()) {
            return EXTERNAL;
        }
        if (embedded == null) {
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
        }
        return embedded.bootstrapServers();
    }

    /** The embedded broker itself, for tests that stop and restart it; {@code null} against an external cluster. */
    public static EmbeddedKafka embedded() {
        return embedded;
    }

    public static String uniqueTopic(final String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    public static void createTopics(final String bootstrapServers, final Map<String, Integer> partitionsByTopic) {
        EmbeddedKafka.createTopics(bootstrapServers, partitionsByTopic, Map.of());
    }
}
