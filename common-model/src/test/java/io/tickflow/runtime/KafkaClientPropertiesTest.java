package io.tickflow.runtime;

import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.Properties;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

class KafkaClientPropertiesTest {
    private static Properties env(final Map<String, String> vars) {
        return new Env(vars).kafkaProperties();
    }

    @Test
    void shouldLetKafkaEnvironmentOverrideADefaultButNotAForcedKey() {
        final Properties props = KafkaClientProperties.producer(env(Map.of("KAFKA_LINGER_MS", "7", "KAFKA_ACKS", "1")))
                .byDefault("linger.ms", 0)
                .byDefault("batch.size", 1024)
                .force("acks", "all")
                .build();

        assertEquals("7", props.get("linger.ms"), "KAFKA_* over a default");
        assertEquals("1024", props.get("batch.size"), "a default stays when KAFKA_* says nothing");
        assertEquals("all", props.get("acks"), "forced over KAFKA_*");
        assertEquals("localhost:9092", props.get("bootstrap.servers"));
    }

    @Test
    void shouldPassOnlyTheKeysThisClientKnowsWhenBuilding() {
        final Properties environment = env(Map.of("KAFKA_GROUP_ID", "g", "KAFKA_ACKS", "1", "KAFKA_PORT", "tcp://x",
                "KAFKA_SECURITY_PROTOCOL", "SASL_SSL"));

        final Properties producer = KafkaClientProperties.producer(environment).build();
        final Properties consumer = KafkaClientProperties.consumer(environment).build();
        final Properties admin = KafkaClientProperties.admin(environment).build();

        assertFalse(producer.containsKey("group.id"));
        assertFalse(consumer.containsKey("acks"));
        assertFalse(admin.containsKey("port") || consumer.containsKey("port") || producer.containsKey("port"));
        assertEquals("SASL_SSL", producer.get("security.protocol"));
        assertEquals("SASL_SSL", consumer.get("security.protocol"));
        assertEquals("SASL_SSL", admin.get("security.protocol"));
        assertEquals("g", consumer.get("group.id"));
    }

    @Test
    void shouldDropAKeyWhenTheClientMustNotHaveIt() {
        final Properties props = KafkaClientProperties.consumer(env(Map.of("KAFKA_GROUP_ID", "g")))
                .without("group.id")
                .build();

        assertFalse(props.containsKey("group.id"));
    }
}
