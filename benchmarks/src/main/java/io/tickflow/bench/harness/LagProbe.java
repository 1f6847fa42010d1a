package io.tickflow.bench.harness;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Consumer lag sampled once a second: for each watched (group, topic), the sum over partitions of the latest offset
 * minus the group's committed offset (Admin {@code listOffsets} vs {@code listConsumerGroupOffsets}). A partition
 * the group has not committed yet counts from where the topic ended when the probe started. Several watched pairs
 * add up (the baseline's two hops).
 */
final class LagProbe implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(LagProbe.class);
    static final long PERIOD_MILLIS = 1_000;

    /** A consumer group and the topic whose lag it owns. */
    record Watched(String group, String topic) {
    }

    /** One sample: when (nanoTime) and the total lag in messages (-1 when the sample failed). */
    record Sample(long nanos, long lag) {
    }

    private final Admin admin;
    private final List<Watched> watched;
    private final Map<String, Map<TopicPartition, OffsetSpec>> latestRequests = new HashMap<>();
    private final Map<TopicPartition, Long> startOffsets = new HashMap<>();
    private final List<Sample> samples = new ArrayList<>();
    private final ScheduledExecutorService timer;

    LagProbe(final Admin admin, final List<Watched> watched) {
        this.admin = admin;
        this.watched = List.copyOf(watched);
        for (Watched w : watched) {
            final int partitions = await(admin.describeTopics(List.of(w.topic())).allTopicNames())
                    .get(w.topic()).partitions().size();
            final Map<TopicPartition, OffsetSpec> request = new HashMap<>();
            for (int p = 0; p < partitions; p++) {
                request.put(new TopicPartition(w.topic(), p), OffsetSpec.latest());
            }
            latestRequests.put(w.topic(), request);
            startOffsets.putAll(endOffsets(w.topic()));
        }
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            final Thread t = new Thread(r, "lag-probe");
            t.setDaemon(true);
            return t;
        });
        timer.scheduleAtFixedRate(this::sample, 0, PERIOD_MILLIS, TimeUnit.MILLISECONDS);
    }

    /** Total lag now, read synchronously; -1 when the broker did not answer (an overloaded broker times out). */
    long lagNow() {
        try {
            long total = 0;
            for (Watched w : watched) {
                total += lagOf(w);
            }
            return total;
        } catch (RuntimeException e) {
            LOG.warn("lag read failed error={}", e.toString());
            return -1;
        }
    }

    /** Lag samples (messages) taken in [fromNanos, toNanos], oldest first; failed samples left out. */
    synchronized long[] samplesBetween(final long fromNanos, final long toNanos) {
        return samples.stream()
                .filter(s -> s.nanos() >= fromNanos && s.nanos() <= toNanos && s.lag() >= 0)
                .mapToLong(Sample::lag)
                .toArray();
    }

    private void sample() {
        final long lag = lagNow();
        synchronized (this) {
            samples.add(new Sample(System.nanoTime(), lag));
        }
    }

    private long lagOf(final Watched w) {
        final Map<TopicPartition, Long> ends = endOffsets(w.topic());
        final Map<TopicPartition, OffsetAndMetadata> committed = await(
                admin.listConsumerGroupOffsets(w.group()).partitionsToOffsetAndMetadata());
        long lag = 0;
        for (Map.Entry<TopicPartition, Long> end : ends.entrySet()) {
            final OffsetAndMetadata offset = committed.get(end.getKey());
            final long consumed = offset != null ? offset.offset() : startOffsets.getOrDefault(end.getKey(), 0L);
            lag += Math.max(0L, end.getValue() - consumed);
        }
        return lag;
    }

    private Map<TopicPartition, Long> endOffsets(final String topic) {
        final Map<TopicPartition, Long> ends = new HashMap<>();
        await(admin.listOffsets(latestRequests.get(topic)).all()).forEach((tp, info) -> ends.put(tp, info.offset()));
        return ends;
    }

    private static <T> T await(final KafkaFuture<T> future) {
        try {
            return future.get(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while reading offsets", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("cannot read offsets: " + e, e);
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
