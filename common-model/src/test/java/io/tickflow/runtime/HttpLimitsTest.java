package io.tickflow.runtime;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class HttpLimitsTest {

    @Test
    void shouldUseDefaultsWhenUnset() {
        final HttpLimits limits = HttpLimits.fromEnv(new Env(Map.of()));

        assertEquals(HttpLimits.DEFAULTS, limits);
        assertEquals(new HttpLimits(1_000, Duration.ofSeconds(30), 8_192), limits);
        assertEquals(Duration.ofSeconds(1), limits.limitedIdleTimeout());
    }

    @Test
    void shouldReadEveryKeyAndKeepAShorterIdleTimeoutAtTheLimitWhenConfigured() {
        final HttpLimits limits = HttpLimits.fromEnv(new Env(Map.of("HTTP_MAX_CONNECTIONS", "50",
                "HTTP_IDLE_TIMEOUT", "200ms", "HTTP_MAX_HEADER_BYTES", "4096")));

        assertEquals(new HttpLimits(50, Duration.ofMillis(200), 4_096), limits);
        assertEquals(Duration.ofMillis(200), limits.limitedIdleTimeout());
    }

    @Test
    void shouldNameTheKeyWhenAValueIsBad() {
        assertTrue(assertThrows(ConfigException.class, () -> HttpLimits.fromEnv(new Env(Map.of(
                "HTTP_MAX_CONNECTIONS", "0")))).getMessage().contains("HTTP_MAX_CONNECTIONS"));
        assertTrue(assertThrows(ConfigException.class, () -> HttpLimits.fromEnv(new Env(Map.of(
                "HTTP_IDLE_TIMEOUT", "0")))).getMessage().contains("HTTP_IDLE_TIMEOUT"));
        assertTrue(assertThrows(ConfigException.class, () -> HttpLimits.fromEnv(new Env(Map.of(
                "HTTP_MAX_HEADER_BYTES", "100")))).getMessage().contains("HTTP_MAX_HEADER_BYTES"));
    }
}
