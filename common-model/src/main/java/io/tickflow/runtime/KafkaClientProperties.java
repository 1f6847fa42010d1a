package io.tickflow.runtime;

import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.Set;

/**
 * The one way a service builds a Kafka client's properties, with the same precedence everywhere (docs/ops.md,
 * "Kafka client properties"), lowest first:
 * <ol>
 *   <li>the service's defaults ({@link #byDefault}): tuning it chose, e.g. {@code linger.ms};</li>
 *   <li>{@code KAFKA_*} from the environment ({@link Env#kafkaProperties()}), only the keys this kind of client
 *       knows (a consumer never sees {@code acks});</li>
 *   <li>what the service forces ({@link #force}, {@link #without}): what its guarantees rely on, e.g. {@code acks=all},
 *       {@code isolation.level}, {@code enable.auto.commit=false}, its {@code group.id} and {@code transactional.id}.
 *       A {@code KAFKA_*} that tries to change a forced key is ignored with a WARN naming it.</li>
 * </ol>
 * Properties are values of {@code ProducerConfig}/{@code ConsumerConfig}/{@code AdminClientConfig} constants.
 */
public final class KafkaClientProperties {
    private static final Logger LOG = LoggerFactory.getLogger(KafkaClientProperties.class);

    private final String client;
    private final Set<String> known;
    private final Properties environment;
    private final Map<String, String> defaults = new LinkedHashMap<>();
    private final Map<String, String> forced = new LinkedHashMap<>();
    private final Set<String> removed = new LinkedHashSet<>();

    private KafkaClientProperties(final String client, final Set<String> known, final Properties environment) {
        this.client = client;
        this.known = known;
        this.environment = environment;
    }

    /** A producer's properties from the service's {@code KAFKA_*} properties. */
    public static KafkaClientProperties producer(final Properties environment) {
        return new KafkaClientProperties("producer", ProducerConfig.configNames(), environment);
    }

    public static KafkaClientProperties consumer(final Properties environment) {
        return new KafkaClientProperties("consumer", ConsumerConfig.configNames(), environment);
    }

    public static KafkaClientProperties admin(final Properties environment) {
        return new KafkaClientProperties("admin", AdminClientConfig.configNames(), environment);
    }

    /** A service default: {@code KAFKA_*} may override it. */
    public KafkaClientProperties byDefault(final String key, final Object value) {
        defaults.put(key, String.valueOf(value));
        return this;
    }

    /** A forced value: {@code KAFKA_*} may not change it. */
    public KafkaClientProperties force(final String key, final Object value) {
        forced.put(key, String.valueOf(value));
        removed.remove(key);
        return this;
    }

    /** A key this client must not have, whatever {@code KAFKA_*} says (e.g. {@code group.id} of a group-less reader). */
    public KafkaClientProperties without(final String key) {
        forced.remove(key);
        removed.add(key);
        return this;
    }

    public Properties build() {
        final Properties props = new Properties();
        props.putAll(defaults);
        environment.forEach((k, v) -> {
            if (known.contains((String) k)) {
                props.put(k, v);
            }
        });
        forced.forEach((key, value) -> {
            final Object asked = environment.get(key);
            if (asked != null && !Objects.equals(asked.toString(), value)) {
                LOG.warn("kafka {} property ignored: {}={} asked by KAFKA_*, the service forces {}={}", client, key,
                        asked, key, value);
            }
            props.put(key, value);
        });
        removed.forEach(key -> {
            if (environment.containsKey(key)) {
                LOG.warn("kafka {} property ignored: {} asked by KAFKA_*, this client must not have it", client, key);
            }
            props.remove(key);
        });
        return props;
    }
}
