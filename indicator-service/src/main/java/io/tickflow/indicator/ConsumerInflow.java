package io.tickflow.indicator;

import org.apache.kafka.clients.consumer.Consumer;

/**
 * The consumer as the lanes' inflow: paused, it keeps its group membership through {@code poll} but fetches nothing
 * new. Pauses every assigned partition (also those assigned since the last pause), resumes the paused ones. Poll
 * thread only.
 */
final class ConsumerInflow implements WorkerLanes.Inflow {
    private final Consumer<byte[], byte[]> consumer;

    ConsumerInflow(final Consumer<byte[], byte[]> consumer) {
        this.consumer = consumer;
    }

    @Override
    public void pause() {
        consumer.pause(consumer.assignment());
    }

    @Override
    public void resume() {
        if (!consumer.paused().isEmpty()) {
            consumer.resume(consumer.paused());
        }
    }
}
