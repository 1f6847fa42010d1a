package io.tickflow.runtime;

/** A configuration value that cannot be used; the message names the key and the value. Fails a service at start. */
public final class ConfigException extends IllegalArgumentException {
    public ConfigException(final String message) {
        super(message);
    }
}
