package io.tickflow.runtime;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * Typed reads of environment variables for the services' config records. Each read takes its default next to its key;
 * a bad value throws {@link ConfigException} naming the key and the value, so a service fails at start, not later.
 */
public final class Env {
    private final Map<String, String> vars;

    public Env(final Map<String, String> vars) {
        this.vars = Map.copyOf(vars);
    }

    public String string(final String key, final String defaultValue) {
        final String v = vars.get(key);
        return v == null || v.isBlank() ? defaultValue : v.trim();
    }

    public int integer(final String key, final int defaultValue, final int min, final int max) {
        final String v = vars.get(key);
        if (v == null || v.isBlank()) {
            return defaultValue;
        }
        try {
            final int parsed = Integer.parseInt(v.trim());
            if (parsed < min || parsed > max) {
                throw new ConfigException(key + "=" + v + ": must be between " + min + " and " + max);
            }
            return parsed;
        } catch (NumberFormatException e) {
            throw new ConfigException(key + "=" + v + ": not an integer");
        }
    }

    /** A finite number in {@code min..max} ({@code 1e7}, {@code 3.5}). */
    public double number(final String key, final double defaultValue, final double min, final double max) {
        final String v = vars.get(key);
        if (v == null || v.isBlank()) {
            return defaultValue;
        }
        try {
            final double parsed = Double.parseDouble(v.trim());
            if (!(parsed >= min && parsed <= max)) {
                throw new ConfigException(key + "=" + v + ": must be between " + min + " and " + max);
            }
            return parsed;
        } catch (NumberFormatException e) {
            throw new ConfigException(key + "=" + v + ": not a number");
        }
    }

    /** A TCP port, 0 meaning "any free port". */
    public int port(final String key, final int defaultValue) {
        return integer(key, defaultValue, 0, 65_535);
    }

    /** A duration in milliseconds ({@code 250}) or with a unit ({@code 250ms}, {@code 10s}, {@code 5m}). */
    public Duration duration(final String key, final Duration defaultValue) {
        final String v = vars.get(key);
        if (v == null || v.isBlank()) {
            return defaultValue;
        }
        final String s = v.trim().toLowerCase();
        try {
            final Duration d;
            if (s.endsWith("ms")) {
                d = Duration.ofMillis(Long.parseLong(s.substring(0, s.length() - 2)));
            } else if (s.endsWith("s")) {
                d = Duration.ofSeconds(Long.parseLong(s.substring(0, s.length() - 1)));
            } else if (s.endsWith("m")) {
                d = Duration.ofMinutes(Long.parseLong(s.substring(0, s.length() - 1)));
            } else {
                d = Duration.ofMillis(Long.parseLong(s));
            }
            if (d.isNegative()) {
                throw new ConfigException(key + "=" + v + ": must not be negative");
            }
            return d;
        } catch (NumberFormatException | ArithmeticException e) {
            throw new ConfigException(key + "=" + v + ": not a duration (use 250, 250ms, 10s or 5m)");
        }
    }

    public boolean bool(final String key, final boolean defaultValue) {
        final String v = vars.get(key);
        if (v == null || v.isBlank()) {
            return defaultValue;
        }
        return switch (v.trim().toLowerCase()) {
            case "true", "yes", "1", "on" -> true;
            case "false", "no", "0", "off" -> false;
            default -> throw new ConfigException(key + "=" + v + ": must be true or false");
        };
    }

    /** Comma-separated values, blanks dropped; {@code defaultValue} when unset. */
    public List<String> list(final String key, final List<String> defaultValue) {
        final String v = vars.get(key);
        if (v == null || v.isBlank()) {
            return defaultValue;
        }
        return Arrays.stream(v.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
    }

    /** One of the given lower-case choices. */
    public String choice(final String key, final String defaultValue, final List<String> allowed) {
        final String v = string(key, defaultValue).toLowerCase();
        if (!allowed.contains(v)) {
            throw new ConfigException(key + "=" + vars.get(key) + ": must be one of " + allowed);
        }
        return v;
    }

    /**
     * Kafka client properties from the environment: every {@code KAFKA_<NAME>} becomes {@code <name>} lower-cased with
     * {@code _} as {@code .} ({@code KAFKA_SECURITY_PROTOCOL=SASL_SSL} → {@code security.protocol}), so a service
     * runs against a secured or managed cluster with no code change. {@code bootstrap.servers} defaults to
     * {@code localhost:9092}.
     */
    public Properties kafkaProperties() {
        final Properties props = new Properties();
        props.put("bootstrap.servers", "localhost:9092");
        vars.forEach((key, value) -> {
            if (key.startsWith("KAFKA_") && key.length() > "KAFKA_".length() && !value.isBlank()) {
                props.put(key.substring("KAFKA_".length()).toLowerCase().replace('_', '.'), value.trim());
            }
        });
        return props;
    }
}
