package io.tickflow.bench.harness;

import io.tickflow.local.EmbeddedKafka;

import java.io.IOException;
import java.net.URI;

/** Just an embedded broker in this JVM, for {@code --baseline-only} runs: what Kafka alone does on this machine. */
final class EmbeddedBrokerTarget implements PipelineTarget {
    private final EmbeddedKafka kafka;

    private EmbeddedBrokerTarget(final EmbeddedKafka kafka) {
        this.kafka = kafka;
    }

    static EmbeddedBrokerTarget start() throws IOException {
        return new EmbeddedBrokerTarget(EmbeddedKafka.startTemporary());
    }

    @Override
    public String bootstrapServers() {
        return kafka.bootstrapServers();
    }

    @Override
    public URI webSocket() {
        throw new IllegalStateException("an embedded broker alone runs no pipeline: use the local stack");
    }

    @Override
    public String describe() {
        return "embedded Kafka broker in the harness JVM (baseline only)";
    }

    @Override
    public void close() {
        kafka.close();
    }
}
