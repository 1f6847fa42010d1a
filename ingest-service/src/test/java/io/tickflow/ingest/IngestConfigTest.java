package io.tickflow.ingest;

import io.tickflow.runtime.ConfigException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class IngestConfigTest {

    @Test
    void shouldUseDefaultsWhenEnvironmentEmpty() {
        final IngestConfig c = IngestConfig.fromEnv(Map.of());
        assertEquals("0.0.0.0", c.httpHost());
        assertEquals(8081, c.httpPort());
        assertEquals("stock_data", c.ticksTopic());
        assertEquals(4 * 1024 * 1024, c.maxBodyBytes());
        assertEquals(Duration.ofSeconds(5), c.publishTimeout());
        assertFalse(c.authTokens().enabled());
        assertEquals("localhost:9092", c.kafka().getProperty("bootstrap.servers"));
    }

    @Test
    void shouldReadTokensFromListAndFileWhenBothGiven(@TempDir final Path dir) throws IOException {
        final Path file = Files.writeString(dir.resolve("tokens"), "# comment\nfromfile\n\n");
        final IngestConfig c = IngestConfig.fromEnv(Map.of("INGEST_AUTH_TOKENS", "a, b",
                "INGEST_AUTH_TOKENS_FILE", file.toString()));
        assertEquals(3, c.authTokens().size());
        assertTrue(c.authTokens().accepts("a") && c.authTokens().accepts("b") && c.authTokens().accepts("fromfile"));
        assertFalse(c.toString().contains("fromfile"), "tokens never logged");
    }

    @Test
    void shouldNameKeyAndValueWhenValueBad() {
        final ConfigException e = assertThrows(ConfigException.class,
                () -> IngestConfig.fromEnv(Map.of("INGEST_MAX_BODY_BYTES", "lots")));
        assertTrue(e.getMessage().contains("INGEST_MAX_BODY_BYTES=lots"), e.getMessage());
        assertThrows(ConfigException.class, () -> IngestConfig.fromEnv(Map.of("INGEST_PUBLISH_TIMEOUT", "10ms")));
        assertThrows(ConfigException.class, () -> IngestConfig.fromEnv(Map.of("HTTP_IDLE_TIMEOUT", "5s")));
        assertThrows(ConfigException.class, () -> IngestConfig.fromEnv(Map.of("INGEST_AUTH_TOKENS_FILE", "/nope")));
    }

    @Test
    void shouldBoundProducerWaitsByPublishTimeoutWhenBuildingProducerProperties() {
        final var props = TickPublisher.producerProperties(
                IngestConfig.fromEnv(Map.of("KAFKA_LINGER_MS", "1")).kafka(), Duration.ofSeconds(5));
        assertEquals("all", props.get("acks"));
        assertEquals("true", props.get("enable.idempotence"));
        assertEquals("2500", props.get("delivery.timeout.ms"), "half the publish timeout for acks");
        assertEquals("2500", props.get("max.block.ms"), "half for metadata and buffer space");
        assertEquals("1", props.get("linger.ms"), "KAFKA_* overrides a default");
    }

    @Test
    void shouldKeepAcksAllWhenKafkaEnvironmentAsksOtherwise() {
        final var props = TickPublisher.producerProperties(
                IngestConfig.fromEnv(Map.of("KAFKA_ACKS", "1", "KAFKA_GROUP_ID", "x")).kafka(), Duration.ofSeconds(5));
        assertEquals("all", props.get("acks"), "the 202 contract needs acks=all: forced");
        assertFalse(props.containsKey("group.id"), "a consumer key never reaches the producer");
    }
}
