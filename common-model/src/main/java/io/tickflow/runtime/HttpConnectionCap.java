package io.tickflow.runtime;

import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.NetworkConnectionLimit;

/**
 * Jetty's {@link NetworkConnectionLimit} (stop accepting at the limit, shorten the held connections' idle timeout)
 * made race-free for a burst: Jetty shortens only the endpoints registered when the limit is hit, so connections
 * accepted just before it kept their full idle timeout and a burst of stalled ones could hold the port for all of it.
 * As a {@link Connection.Listener} of the connector this also shortens every connection opened while at the limit.
 */
final class HttpConnectionCap extends NetworkConnectionLimit implements Connection.Listener {
    private final long limitedIdleMillis;
    private volatile boolean limiting;

    HttpConnectionCap(final int maxConnections, final long limitedIdleMillis, final Connector connector) {
        super(maxConnections, connector);
        this.limitedIdleMillis = limitedIdleMillis;
        setEndPointIdleTimeout(limitedIdleMillis);
    }

    @Override
    protected void limit() {
        limiting = true; // before Jetty walks the registered endpoints: one registered later sees it in onOpened
        super.limit();
    }

    @Override
    protected void unlimit() {
        limiting = false;
        super.unlimit();
    }

    @Override
    public void onOpened(final Connection connection) {
        if (limiting) {
            connection.getEndPoint().setIdleTimeout(limitedIdleMillis);
        }
    }
}
