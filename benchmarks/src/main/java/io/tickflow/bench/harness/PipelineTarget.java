package io.tickflow.bench.harness;

import java.net.URI;

/** Where the load goes: a broker, and the delivery service's WebSocket when the pipeline is measured. */
interface PipelineTarget extends AutoCloseable {
    String bootstrapServers();

    /** The delivery service's WebSocket endpoint; fails when this target runs no pipeline (baseline only). */
    URI webSocket();

    String describe();

    @Override
    void close();
}
