package io.tickflow.delivery;

import io.tickflow.runtime.ConfigException;
import io.tickflow.runtime.HttpLimits;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DeliveryConfigTest {

    @Test
    void shouldDefaultConnectionLimitsWhenUnset() {
        final DeliveryConfig c = DeliveryConfig.fromEnv(Map.of());

        assertEquals(HttpLimits.DEFAULTS, c.httpLimits());
        assertEquals(Duration.ofSeconds(5), c.handshakeTimeout());
        assertEquals(8_192, c.maxHandshakeBytes());
    }

    @Test
    void shouldReadConnectionLimitsAndNameTheKeyWhenBad() {
        final DeliveryConfig c = DeliveryConfig.fromEnv(Map.of("HTTP_MAX_CONNECTIONS", "64",
                "WS_HANDSHAKE_TIMEOUT", "2s", "WS_MAX_HANDSHAKE_BYTES", "4096"));
        assertEquals(64, c.httpLimits().maxConnections());
        assertEquals(Duration.ofSeconds(2), c.handshakeTimeout());
        assertEquals(4_096, c.maxHandshakeBytes());

        assertTrue(assertThrows(ConfigException.class, () -> DeliveryConfig.fromEnv(Map.of(
                "WS_HANDSHAKE_TIMEOUT", "0"))).getMessage().contains("WS_HANDSHAKE_TIMEOUT"));
        assertTrue(assertThrows(ConfigException.class, () -> DeliveryConfig.fromEnv(Map.of(
                "WS_MAX_HANDSHAKE_BYTES", "10"))).getMessage().contains("WS_MAX_HANDSHAKE_BYTES"));
    }
}
