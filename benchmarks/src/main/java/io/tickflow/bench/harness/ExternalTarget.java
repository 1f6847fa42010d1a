package io.tickflow.bench.harness;

import java.net.URI;

/** A pipeline someone else runs ({@code --bootstrap host:port --ws ws://host:8090/}); nothing to start or stop. */
record ExternalTarget(String bootstrapServers, URI webSocketOrNull) implements PipelineTarget {

    @Override
    public URI webSocket() {
        if (webSocketOrNull == null) {
            throw new IllegalStateException("no --ws given: only the baseline can run against " + bootstrapServers);
        }
        return webSocketOrNull;
    }

    @Override
    public String describe() {
        return "external pipeline, Kafka " + bootstrapServers + (webSocketOrNull == null ? "" : ", WebSocket "
                + webSocketOrNull);
    }

    @Override
    public void close() {
        // not ours to stop
    }
}
