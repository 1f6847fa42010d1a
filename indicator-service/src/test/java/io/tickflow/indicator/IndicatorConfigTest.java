package io.tickflow.indicator;

import io.tickflow.runtime.ConfigException;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class IndicatorConfigTest {

    @Test
    void shouldUseDocumentedDefaultsWhenEnvironmentIsEmpty() {
        final IndicatorConfig c = IndicatorConfig.fromEnv(Map.of());
        assertEquals("stock_data", c.ticksTopic());
        assertEquals("indicator_results", c.resultsTopic());
        assertEquals("indicator_state", c.stateTopic());
        assertEquals("stock_data.dlq", c.deadLetterTopic());
        assertEquals("sma:20,ema:20,rsi:14,macd:12:26:9,bbands:20:2", c.indicators().canonical());
        assertEquals(Runtime.getRuntime().availableProcessors(), c.workerLanes());
        assertEquals(IndicatorConfig.DEFAULT_COMMIT_INTERVAL, c.commitInterval());
        assertEquals(ProcessingGuarantee.EXACTLY_ONCE, c.guarantee());
        assertEquals("tickflow-indicator", c.applicationId());
        assertEquals(8082, c.httpPort());
        assertEquals("localhost:9092", c.kafka().getProperty("bootstrap.servers"));
    }

    @Test
    void shouldTakeTheHostnameAsInstanceIdSoARestartFencesItsPredecessor() {
        final IndicatorConfig c = IndicatorConfig.fromEnv(Map.of("HOSTNAME", "indicator-7f9c:x",
                "APPLICATION_ID", "app"));
        assertEquals("indicator-7f9c-x", c.instanceId());
        assertEquals(List.of("app-indicator-7f9c-x", "app-indicator-7f9c-x-1"), c.transactionalIds());
        assertEquals(IndicatorConfig.fromEnv(Map.of()).instanceId(), IndicatorConfig.fromEnv(Map.of()).instanceId(),
                "without HOSTNAME the host's own name, the same at every start");
    }

    @Test
    void shouldJoinAsAStaticMemberWithAShortSessionByDefault() {
        final Properties consumer = IndicatorConfig.fromEnv(Map.of("INSTANCE_ID", "pod-1", "APPLICATION_ID", "app"))
                .consumerProperties();
        assertEquals("app-pod-1", consumer.getProperty(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG));
        assertEquals("6000", consumer.getProperty(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG));
        assertEquals("9000", IndicatorConfig.fromEnv(Map.of("KAFKA_SESSION_TIMEOUT_MS", "9000")).consumerProperties()
                .getProperty(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG), "KAFKA_* may lengthen it");
    }

    @Test
    void shouldDeriveTopicsAndClientPropertiesWhenSet() {
        final IndicatorConfig c = IndicatorConfig.fromEnv(Map.of("TICKS_TOPIC", "ticks", "INSTANCE_ID", "pod-1",
                "APPLICATION_ID", "app", "COMMIT_INTERVAL", "20ms", "PROCESSING_GUARANTEE", "AT_LEAST_ONCE",
                "KAFKA_BOOTSTRAP_SERVERS", "k:9093", "KAFKA_MAX_POLL_RECORDS", "100", "KAFKA_LINGER_MS", "2"));
        assertEquals("ticks.dlq", c.deadLetterTopic());
        assertEquals(Duration.ofMillis(20), c.commitInterval());
        assertEquals(ProcessingGuarantee.AT_LEAST_ONCE, c.guarantee());
        assertEquals(List.of("app-pod-1"), c.transactionalIds());
        assertEquals(1, c.producerSlots(), "no transactions, no second client");
        final var consumer = c.consumerProperties();
        assertEquals("app", consumer.get(ConsumerConfig.GROUP_ID_CONFIG));
        assertEquals("read_committed", consumer.get(ConsumerConfig.ISOLATION_LEVEL_CONFIG));
        assertEquals("100", consumer.get(ConsumerConfig.MAX_POLL_RECORDS_CONFIG));
        assertNull(consumer.get(ProducerConfig.LINGER_MS_CONFIG), "producer keys stay out of the consumer");
        final var producer = c.producerProperties(0);
        assertEquals("2", producer.get(ProducerConfig.LINGER_MS_CONFIG));
        assertNull(producer.get(ProducerConfig.TRANSACTIONAL_ID_CONFIG), "no transactions at least once");
        final IndicatorConfig eos = IndicatorConfig.fromEnv(Map.of("INSTANCE_ID", "pod-1", "APPLICATION_ID", "app"));
        assertEquals(2, eos.producerSlots());
        assertEquals("app-pod-1", eos.producerProperties(0).get(ProducerConfig.TRANSACTIONAL_ID_CONFIG));
        assertEquals("app-pod-1-1", eos.producerProperties(1).get(ProducerConfig.TRANSACTIONAL_ID_CONFIG));
        assertEquals("app-pod-1-1", eos.producerProperties(1).get(ProducerConfig.CLIENT_ID_CONFIG),
                "the clients' metrics must not collide");
    }

    @Test
    void shouldBatchACommitsStateBurstIntoOneRequestUnlessKafkaEnvironmentSaysOtherwise() {
        assertEquals("262144", IndicatorConfig.fromEnv(Map.of()).producerProperties(0)
                .get(ProducerConfig.BATCH_SIZE_CONFIG));
        assertEquals("16384", IndicatorConfig.fromEnv(Map.of("KAFKA_BATCH_SIZE", "16384")).producerProperties(0)
                .get(ProducerConfig.BATCH_SIZE_CONFIG));
    }

    @Test
    void shouldKeepWhatTheGuaranteeNeedsWhenKafkaEnvironmentAsksOtherwise() {
        final IndicatorConfig c = IndicatorConfig.fromEnv(Map.of("INSTANCE_ID", "pod-1", "APPLICATION_ID", "app",
                "KAFKA_ISOLATION_LEVEL", "read_uncommitted", "KAFKA_ENABLE_AUTO_COMMIT", "true", "KAFKA_ACKS", "1",
                "KAFKA_GROUP_ID", "other", "KAFKA_TRANSACTIONAL_ID", "x", "KAFKA_AUTO_OFFSET_RESET", "latest",
                "KAFKA_SASL_JAAS_CONFIG", "PlainLoginModule required password=\"hunter2\";"));
        final var consumer = c.consumerProperties();
        assertEquals("read_committed", consumer.get(ConsumerConfig.ISOLATION_LEVEL_CONFIG));
        assertEquals("false", consumer.get(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG));
        assertEquals("app", consumer.get(ConsumerConfig.GROUP_ID_CONFIG));
        assertEquals("latest", consumer.get(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG), "a default KAFKA_* may change");
        final var producer = c.producerProperties(0);
        assertEquals("all", producer.get(ProducerConfig.ACKS_CONFIG));
        assertEquals("app-pod-1", producer.get(ProducerConfig.TRANSACTIONAL_ID_CONFIG));
        assertNull(c.restoreConsumerProperties().get(ConsumerConfig.GROUP_ID_CONFIG), "the restore reader has no group");
        assertFalse(c.toString().contains("hunter2"), "secrets masked: " + c);
    }

    @Test
    void shouldFailNamingTheKeyWhenAValueIsBad() {
        assertTrue(assertThrows(ConfigException.class, () -> IndicatorConfig.fromEnv(Map.of("INDICATORS",
                "sma:20,foo:3"))).getMessage().contains("foo:3"));
        assertTrue(assertThrows(ConfigException.class, () -> IndicatorConfig.fromEnv(Map.of("WORKER_LANES", "0")))
                .getMessage().startsWith("WORKER_LANES"));
        assertTrue(assertThrows(ConfigException.class, () -> IndicatorConfig.fromEnv(Map.of(
                "PROCESSING_GUARANTEE", "maybe"))).getMessage().startsWith("PROCESSING_GUARANTEE"));
        assertTrue(assertThrows(ConfigException.class, () -> IndicatorConfig.fromEnv(Map.of("COMMIT_INTERVAL", "0")))
                .getMessage().startsWith("COMMIT_INTERVAL"));
        assertTrue(assertThrows(ConfigException.class, () -> IndicatorConfig.fromEnv(Map.of("INSTANCE_ID", "a b")))
                .getMessage().startsWith("INSTANCE_ID"));
    }

    @Test
    void shouldBuildTheDefaultBarsAndTurnThemOffWhenBarsIsNoneOrEmpty() {
        final IndicatorConfig c = IndicatorConfig.fromEnv(Map.of());
        assertEquals(io.tickflow.indicator.bars.BarSpec.defaults().canonical(), c.bars().orElseThrow().canonical());
        assertEquals("indicator_bars", c.barsTopic());
        assertEquals(java.time.Duration.ZERO, c.barIdleClose(), "no wall-clock idle close unless asked for");
        assertEquals(java.time.Duration.ofSeconds(30),
                IndicatorConfig.fromEnv(Map.of("BAR_IDLE_CLOSE", "30s")).barIdleClose());
        assertTrue(IndicatorConfig.fromEnv(Map.of("BARS", "none")).bars().isEmpty());
        assertTrue(IndicatorConfig.fromEnv(Map.of("BARS", " ")).bars().isEmpty());
        final IndicatorConfig custom = IndicatorConfig.fromEnv(Map.of("BARS", "1s,1d", "BAR_GRACE", "500ms",
                "BAR_UPDATE_INTERVAL", "0", "BAR_INDICATORS", "atr:5", "BAR_ZONE", "America/New_York",
                "BARS_TOPIC", "bars"));
        final io.tickflow.indicator.bars.BarSpec spec = custom.bars().orElseThrow();
        assertEquals(500L, spec.graceMillis());
        assertEquals(0L, spec.updateIntervalMillis());
        assertEquals(java.time.ZoneId.of("America/New_York"), spec.intervals().get(1).zone());
        assertEquals("bars", custom.barsTopic());
    }

    @Test
    void shouldFailNamingTheBarKeyWhenABarValueIsBad() {
        for (Map.Entry<String, String> bad : Map.of("BARS", "7m", "BAR_GRACE", "2 days", "BAR_UPDATE_INTERVAL", "-1",
                "BAR_INDICATORS", "atr:0", "BAR_ZONE", "Mars/Olympus", "BAR_IDLE_CLOSE", "-5s").entrySet()) {
            final ConfigException e = assertThrows(ConfigException.class,
                    () -> IndicatorConfig.fromEnv(Map.of(bad.getKey(), bad.getValue())), bad.toString());
            assertTrue(e.getMessage().startsWith(bad.getKey() + "="), e.getMessage());
        }
    }
}
