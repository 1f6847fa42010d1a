package io.tickflow.runtime;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class EnvTest {

    @Test
    void shouldDefaultBootstrapServersWhenUnset() {
        final Properties props = new Env(Map.of()).kafkaProperties();

        assertEquals("localhost:9092", props.getProperty("bootstrap.servers"));
        assertEquals(1, props.size());
    }

    @Test
    void shouldMapEveryKafkaVariableToItsClientPropertyWhenSecuredClusterIsConfigured() {
        final String jaas = "org.apache.kafka.common.security.plain.PlainLoginModule required"
                + " username=\"KEY\" password=\"SECRET\";";
        final Properties props = new Env(Map.of(
                "KAFKA_BOOTSTRAP_SERVERS", "pkc-1.example.cloud:9092",
                "KAFKA_SECURITY_PROTOCOL", "SASL_SSL",
                "KAFKA_SASL_MECHANISM", "PLAIN",
                "KAFKA_SASL_JAAS_CONFIG", jaas,
                "KAFKA_CLIENT_DNS_LOOKUP", "use_all_dns_ips")).kafkaProperties();

        assertEquals("pkc-1.example.cloud:9092", props.getProperty("bootstrap.servers"));
        assertEquals("SASL_SSL", props.getProperty("security.protocol"));
        assertEquals("PLAIN", props.getProperty("sasl.mechanism"));
        assertEquals(jaas, props.getProperty("sasl.jaas.config"));
        assertEquals("use_all_dns_ips", props.getProperty("client.dns.lookup"));
        assertEquals(5, props.size());
    }

    @Test
    void shouldIgnoreBlankAndNonKafkaVariablesWhenMappingKafkaProperties() {
        final Properties props = new Env(Map.of(
                "KAFKA_", "x",
                "KAFKA_SASL_MECHANISM", "  ",
                "TICKS_TOPIC", "stock_data",
                "MY_KAFKA_THING", "y")).kafkaProperties();

        assertEquals(1, props.size());
        assertEquals("localhost:9092", props.getProperty("bootstrap.servers"));
    }

    @Test
    void shouldReturnDefaultsWhenKeysAreUnsetOrBlank() {
        final Env env = new Env(Map.of("BLANK", " "));

        assertEquals("d", env.string("BLANK", "d"));
        assertEquals(7, env.integer("MISSING", 7, 0, 10));
        assertEquals(8082, env.port("BLANK", 8082));
        assertEquals(Duration.ofSeconds(10), env.duration("MISSING", Duration.ofSeconds(10)));
        assertTrue(env.bool("MISSING", true));
        assertEquals(List.of("a"), env.list("BLANK", List.of("a")));
        assertEquals("text", env.choice("MISSING", "text", List.of("text", "json")));
    }

    @Test
    void shouldParseTypedValuesWhenWellFormed() {
        final Env env = new Env(Map.of(
                "N", " 12 ", "P", "0", "D1", "250", "D2", "250ms", "D3", "10s", "D4", "5m",
                "B1", "yes", "B2", "OFF", "L", "sma:20, ,ema:20 ", "C", "JSON"));

        assertEquals(12, env.integer("N", 0, 0, 100));
        assertEquals(0, env.port("P", 8080));
        assertEquals(Duration.ofMillis(250), env.duration("D1", Duration.ZERO));
        assertEquals(Duration.ofMillis(250), env.duration("D2", Duration.ZERO));
        assertEquals(Duration.ofSeconds(10), env.duration("D3", Duration.ZERO));
        assertEquals(Duration.ofMinutes(5), env.duration("D4", Duration.ZERO));
        assertTrue(env.bool("B1", false));
        assertFalse(env.bool("B2", true));
        assertEquals(List.of("sma:20", "ema:20"), env.list("L", List.of()));
        assertEquals("json", env.choice("C", "text", List.of("text", "json")));
    }

    @Test
    void shouldNameKeyAndValueWhenIntegerIsNotANumber() {
        assertConfigError("WORKERS=four", () -> new Env(Map.of("WORKERS", "four")).integer("WORKERS", 4, 1, 64));
    }

    @Test
    void shouldNameKeyValueAndRangeWhenIntegerIsOutOfRange() {
        final ConfigException e = assertConfigError("WORKERS=65",
                () -> new Env(Map.of("WORKERS", "65")).integer("WORKERS", 4, 1, 64));
        assertTrue(e.getMessage().contains("between 1 and 64"), e.getMessage());
    }

    @Test
    void shouldNameKeyAndValueWhenPortIsOutOfRange() {
        assertConfigError("HTTP_PORT=70000", () -> new Env(Map.of("HTTP_PORT", "70000")).port("HTTP_PORT", 8080));
    }

    @Test
    void shouldNameKeyAndValueWhenDurationIsMalformedNegativeOrTooLarge() {
        assertConfigError("LINGER=10h", () -> new Env(Map.of("LINGER", "10h")).duration("LINGER", Duration.ZERO));
        assertConfigError("LINGER=-5s", () -> new Env(Map.of("LINGER", "-5s")).duration("LINGER", Duration.ZERO));
        assertConfigError("LINGER=9223372036854775807m",
                () -> new Env(Map.of("LINGER", "9223372036854775807m")).duration("LINGER", Duration.ZERO));
    }

    @Test
    void shouldNameKeyAndValueWhenBooleanIsNotRecognised() {
        assertConfigError("AUTH=maybe", () -> new Env(Map.of("AUTH", "maybe")).bool("AUTH", false));
    }

    @Test
    void shouldNameKeyValueAndChoicesWhenChoiceIsNotAllowed() {
        final ConfigException e = assertConfigError("LOG_FORMAT=xml",
                () -> new Env(Map.of("LOG_FORMAT", "xml")).choice("LOG_FORMAT", "text", List.of("text", "json")));
        assertTrue(e.getMessage().contains("[text, json]"), e.getMessage());
    }

    private static ConfigException assertConfigError(final String keyAndValue, final Runnable read) {
        final ConfigException e = assertThrows(ConfigException.class, read::run);
        assertTrue(e.getMessage().startsWith(keyAndValue), e.getMessage());
        return e;
    }
}
