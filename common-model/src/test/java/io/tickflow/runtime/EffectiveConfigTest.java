package io.tickflow.runtime;

import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class EffectiveConfigTest {

    @Test
    void shouldMaskSecretsAndCountTokensWhenWritingTheLine() {
        final Map<String, Object> settings = new LinkedHashMap<>();
        settings.put("TICKS_TOPIC", "stock_data");
        settings.put("WS_AUTH_TOKENS", AuthTokens.of(List.of("s3cret-token")));
        final String line = EffectiveConfig.line(settings, new Env(Map.of(
                "KAFKA_SASL_JAAS_CONFIG", "PlainLoginModule required username=\"k\" password=\"p\";",
                "KAFKA_SSL_KEY_PASSWORD", "kp", "KAFKA_SECURITY_PROTOCOL", "SASL_SSL")).kafkaProperties());

        assertEquals("TICKS_TOPIC=stock_data WS_AUTH_TOKENS=1 token(s) kafka.bootstrap.servers=localhost:9092 "
                + "kafka.sasl.jaas.config=**** kafka.security.protocol=SASL_SSL kafka.ssl.key.password=****", line);
        assertFalse(line.contains("s3cret") || line.contains("password=\"p\"") || line.contains("=kp"));
    }

    @Test
    void shouldTreatKeyMaterialAsSecretButNotSerializers() {
        assertTrue(EffectiveConfig.secret("ssl.keystore.key"));
        assertTrue(EffectiveConfig.secret("basic.auth.user.info"));
        assertTrue(EffectiveConfig.secret("INGEST_AUTH_TOKENS"));
        assertFalse(EffectiveConfig.secret("key.serializer"));
        assertFalse(EffectiveConfig.secret("bootstrap.servers"));
    }
}
