package io.tickflow.bench.harness;

import io.tickflow.local.LocalStack;
import io.tickflow.local.LocalStackOptions;

import java.io.IOException;
import java.net.URI;
import java.util.Map;

/**
 * The whole pipeline in the harness JVM ({@link LocalStack}: embedded broker, ingest, indicator and delivery services,
 * free ports, no simulator): "everything in one local stack", the setup issue 9's targets are stated for.
 */
final class LocalStackTarget implements PipelineTarget {
    private final LocalStack stack;
    private final int partitions;

    private LocalStackTarget(final LocalStack stack, final int partitions) {
        this.stack = stack;
        this.partitions = partitions;
    }

    static LocalStackTarget start(final int partitions, final Map<String, String> serviceEnv) throws IOException {
        final LocalStackOptions defaults = LocalStackOptions.forTests(serviceEnv);
        final LocalStackOptions options = new LocalStackOptions(defaults.kafkaPort(), defaults.ingestPort(),
                defaults.indicatorPort(), defaults.deliveryHttpPort(), defaults.deliveryWsPort(), 0, 0,
                defaults.seed(), partitions, null, serviceEnv);
        return new LocalStackTarget(LocalStack.start(options), partitions);
    }

    @Override
    public String bootstrapServers() {
        return stack.bootstrapServers();
    }

    @Override
    public URI webSocket() {
        return URI.create("ws://127.0.0.1:" + stack.deliveryWsPort() + "/");
    }

    @Override
    public String describe() {
        return "local stack in the harness JVM (embedded Kafka + ingest, indicator, delivery), " + partitions
                + " partitions";
    }

    @Override
    public void close() {
        stack.close();
    }
}
