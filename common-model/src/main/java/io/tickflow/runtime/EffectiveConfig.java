package io.tickflow.runtime;

import org.slf4j.Logger;

import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;

/**
 * The one effective-configuration line each service logs at start: its settings by environment key, then its
 * {@code KAFKA_*} client properties, with secrets masked (a key naming a password, secret, token, credentials or JAAS
 * config, e.g. {@code sasl.jaas.config}, {@code ssl.key.password}).
 */
public final class EffectiveConfig {
    static final String MASK = "****";

    private EffectiveConfig() {
    }

    /** Logs {@code "<service> starting config: KEY=value … kafka.<property>=value …"} at INFO. */
    public static void log(final Logger log, final String service, final Map<String, ?> settings,
                           final Properties kafka) {
        log.info("{} starting config: {}", service, line(settings, kafka));
    }

    /** {@code KEY=value …} in the given order, then {@code kafka.<property>=value} sorted, secrets masked. */
    public static String line(final Map<String, ?> settings, final Properties kafka) {
        final StringBuilder out = new StringBuilder();
        settings.forEach((key, value) -> append(out, key, value));
        final Map<String, Object> sorted = new TreeMap<>();
        kafka.forEach((k, v) -> sorted.put((String) k, v));
        sorted.forEach((key, value) -> append(out, "kafka." + key, value));
        return out.toString();
    }

    /** Whether the value of this key must not be logged. */
    static boolean secret(final String key) {
        final String k = key.toLowerCase(Locale.ROOT);
        return k.contains("password") || k.contains("secret") || k.contains("token") || k.contains("jaas")
                || k.contains("credential") || k.contains("user.info") || k.endsWith(".key");
    }

    private static void append(final StringBuilder out, final String key, final Object value) {
        if (!out.isEmpty()) {
            out.append(' ');
        }
        out.append(key).append('=').append(secret(key) && !(value instanceof AuthTokens) ? MASK : value);
    }
}
