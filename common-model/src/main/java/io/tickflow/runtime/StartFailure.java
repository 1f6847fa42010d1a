package io.tickflow.runtime;

import java.net.BindException;

/**
 * Why a service cannot start, in words an operator acts on: the message names the cause and the key that changes it
 * ({@code port 8081 (HTTP_PORT) is in use: …}), whole: {@link ServiceStart} prints it, and only it, as the one line
 * a failed start leaves.
 */
public final class StartFailure extends RuntimeException {

    public StartFailure(final String message, final Throwable cause) {
        super(message, cause);
    }

    /** A listener that could not bind {@code host:port}, the port set by {@code portKey}. */
    public static StartFailure cannotListen(final String host, final int port, final String portKey,
                                            final Throwable cause) {
        for (Throwable t = cause; t != null; t = t.getCause()) {
            if (t instanceof BindException && t.getMessage() != null && t.getMessage().contains("in use")) {
                return new StartFailure("port " + port + " (" + portKey + ") is in use: stop what listens there, or set "
                        + portKey + " to a free port", cause);
            }
        }
        return new StartFailure("cannot listen on " + host + ":" + port + " (" + portKey + "): "
                + ServiceStart.oneLine(cause), cause);
    }
}
