package io.tickflow.indicator;

import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.FencedInstanceIdException;
import org.apache.kafka.common.errors.OutOfOrderSequenceException;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.errors.UnsupportedVersionException;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The read-process-write loop, on one thread that alone touches the consumer and drives commits:
 * poll → hand each record to the lane of its key → every commit interval, a barrier on the lanes (each writes one
 * state record per stock it changed), then commit.
 *
 * <p>Exactly-once: one transaction per commit interval, begun at the interval's first record, holding its results, DLQ
 * records, state records and consumer offsets ({@code sendOffsetsToTransaction} with the consumer's group metadata,
 * so a zombie of an older group generation is fenced). At-least-once: results are written at once; each interval the
 * producer is flushed, then state is written and flushed, then offsets are committed — so the state on record never
 * covers a tick whose result is not durable, and replay after a crash skips what the state already holds.
 *
 * <p>Failure handling: an abortable error (failed send, commit timeout, stale generation) aborts the interval and
 * rewinds — the consumer seeks to its committed offsets and every lane reloads its stocks from the changelog, so the
 * interval is redone from a consistent point. A fatal error (fenced producer, authorization) stops the processor;
 * the service then reports unhealthy and exits non-zero. On revocation the interval is committed before the
 * partitions go; on loss it is aborted. A slow lane never stops polling: records that do not fit in their lane wait
 * in a backlog while every partition is paused, and {@code poll} keeps the membership alive.
 */
final class IndicatorProcessor implements Runnable {
    private static final Logger LOG = LoggerFactory.getLogger(IndicatorProcessor.class);
    private static final Duration BARRIER_TIMEOUT = Duration.ofSeconds(60);
    /** Per client: with the final commit, keeps a SIGTERM shutdown inside the 10 s ops contract. */
    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(3);
    private static final Duration IDLE_POLL = Duration.ofMillis(100);
    private static final long LAG_EVERY_NANOS = TimeUnit.SECONDS.toNanos(1);

    private final IndicatorConfig config;
    private final Consumer<byte[], byte[]> consumer;
    private final Producer<byte[], byte[]> producer;
    private final StateStore stateStore;
    private final WorkerLanes<LaneProcessor.Work> lanes;
    private final List<LaneProcessor> processors;
    private final IndicatorMetrics metrics;
    private final AtomicReference<Exception> asyncFailure;
    private final boolean exactlyOnce;
    private final long intervalNanos;

    private final ArrayDeque<ConsumerRecord<byte[], byte[]>> backlog = new ArrayDeque<>();
    private long backlogPolledNanos;
    private final Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
    private boolean periodOpen;
    private long periodStartNanos;
    private long lastLagNanos;

    private final CountDownLatch stopped = new CountDownLatch(1);
    private volatile boolean running = true;
    private volatile boolean joined;
    private volatile boolean restoring;
    private volatile boolean failed;

    IndicatorProcessor(final IndicatorConfig config, final Consumer<byte[], byte[]> consumer,
                       final Producer<byte[], byte[]> producer, final StateStore stateStore,
                       final WorkerLanes<LaneProcessor.Work> lanes, final List<LaneProcessor> processors,
                       final IndicatorMetrics metrics, final AtomicReference<Exception> asyncFailure) {
        this.config = config;
        this.consumer = consumer;
        this.producer = producer;
        this.stateStore = stateStore;
        this.lanes = lanes;
        this.processors = List.copyOf(processors);
        this.metrics = metrics;
        this.asyncFailure = asyncFailure;
        this.exactlyOnce = config.guarantee() == ProcessingGuarantee.EXACTLY_ONCE;
        this.intervalNanos = config.commitInterval().toNanos();
    }

    /** Joined the group (a possibly empty assignment) and not restoring state. */
    boolean ready() {
        return joined && !restoring && running && !failed;
    }

    boolean failed() {
        return failed;
    }

    @Override
    public void run() {
        try {
            if (exactlyOnce) {
                producer.initTransactions(); // fences an earlier incarnation with our transactional.id, aborting its open work
            }
            consumer.subscribe(List.of(config.ticksTopic()), new Rebalance());
            while (running) {
                step();
            }
        } catch (WakeupException e) {
            // close() was called
        } catch (Exception e) {
            failed = true;
            LOG.error("indicator processor stopped on a fatal error", e);
        } finally {
            shutdown();
            stopped.countDown();
        }
    }

    /** Stops polling, commits the open interval, leaves the group and closes the clients; waits for all of it. */
    void stop(final Duration timeout) throws InterruptedException {
        running = false;
        if (stopped.getCount() > 0) {
            consumer.wakeup();
        }
        if (!stopped.await(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            LOG.warn("indicator processor did not stop within {}", timeout);
        }
    }

    void awaitStop() throws InterruptedException {
        stopped.await();
    }

    private void step() throws InterruptedException {
        if (!backlog.isEmpty()) {
            drainBacklog();
        }
        final Duration timeout;
        if (!backlog.isEmpty()) {
            consumer.pause(consumer.assignment()); // lanes are full: keep the membership, fetch nothing new
            timeout = Duration.ZERO;
        } else {
            if (!consumer.paused().isEmpty()) {
                consumer.resume(consumer.paused());
            }
            timeout = periodOpen
                    ? Duration.ofNanos(Math.max(0L, intervalNanos - (System.nanoTime() - periodStartNanos)))
                    : IDLE_POLL;
        }
        final ConsumerRecords<byte[], byte[]> records = consumer.poll(timeout);
        if (!records.isEmpty()) {
            backlogPolledNanos = System.nanoTime();
            for (ConsumerRecord<byte[], byte[]> r : records) {
                backlog.add(r);
            }
            drainBacklog();
        }
        if (periodOpen && System.nanoTime() - periodStartNanos >= intervalNanos) {
            commit(consumer.assignment());
        }
        if (System.nanoTime() - lastLagNanos >= LAG_EVERY_NANOS) {
            lastLagNanos = System.nanoTime();
            for (TopicPartition tp : consumer.assignment()) {
                consumer.currentLag(tp).ifPresent(lag ->
                        metrics.consumerLag.labelValues(Integer.toString(tp.partition())).set(lag));
            }
        }
    }

    /** Hands backlog records to their lanes in order until one does not fit (waiting briefly for room). */
    private void drainBacklog() throws InterruptedException {
        while (!backlog.isEmpty()) {
            final ConsumerRecord<byte[], byte[]> r = backlog.peekFirst();
            if (!periodOpen) {
                if (exactlyOnce) {
                    producer.beginTransaction();
                }
                periodOpen = true;
                periodStartNanos = System.nanoTime();
            }
            final long waitNanos = Math.max(0L, intervalNanos - (System.nanoTime() - periodStartNanos));
            if (!lanes.offer(lanes.laneOf(r.key()), new LaneProcessor.Work(r, backlogPolledNanos),
                    Math.min(waitNanos, TimeUnit.MILLISECONDS.toNanos(10)), TimeUnit.NANOSECONDS)) {
                return;
            }
            backlog.pollFirst();
            offsets.put(new TopicPartition(r.topic(), r.partition()), new OffsetAndMetadata(r.offset() + 1));
        }
    }

    /**
     * Commits the open interval; on an abortable failure aborts it and rewinds {@code rewind} (the partitions that
     * stay ours) to their committed offsets and state. Fatal errors propagate.
     */
    private void commit(final Collection<TopicPartition> rewind) throws InterruptedException {
        if (!periodOpen) {
            return;
        }
        final long began = System.nanoTime();
        try {
            if (exactlyOnce) {
                lanes.runOnEveryLane(i -> processors.get(i).writeState(), BARRIER_TIMEOUT);
                throwIfSendFailed();
                if (!offsets.isEmpty()) {
                    producer.sendOffsetsToTransaction(offsets, consumer.groupMetadata());
                }
                producer.commitTransaction();
            } else {
                lanes.runOnEveryLane(i -> { }, BARRIER_TIMEOUT);
                producer.flush(); // results durable before the state that claims them
                throwIfSendFailed();
                lanes.runOnEveryLane(i -> processors.get(i).writeState(), BARRIER_TIMEOUT);
                producer.flush(); // state durable before the offsets that rely on it
                throwIfSendFailed();
                if (!offsets.isEmpty()) {
                    consumer.commitSync(offsets);
                }
            }
            LOG.debug("committed offsets={} ms={}", offsets, (System.nanoTime() - began) / 1_000_000);
            metrics.transactions.labelValues("committed").inc();
            metrics.commitDuration.observe((System.nanoTime() - began) / 1e9);
            offsets.clear();
            periodOpen = false;
        } catch (WakeupException e) {
            throw e; // stop() woke commitSync: the interval stays open and shutdown commits it
        } catch (KafkaException | IllegalStateException e) {
            if (isFatal(e)) {
                throw e;
            }
            abortAndRewind(e, rewind);
        }
    }

    private void throwIfSendFailed() {
        final Exception e = asyncFailure.get();
        if (e != null) {
            throw new KafkaException("a send of this interval failed", e);
        }
    }

    /** Abandons the open interval and redoes it from the committed offsets and state of {@code rewind}. */
    private void abortAndRewind(final Exception cause, final Collection<TopicPartition> rewind)
            throws InterruptedException {
        LOG.warn("commit failed, aborting and rewinding partitions={} cause={}", rewind, cause.toString());
        metrics.transactions.labelValues("aborted").inc();
        lanes.runOnEveryLane(i -> { }, BARRIER_TIMEOUT); // no lane may still send into the aborted interval
        if (exactlyOnce && periodOpen) {
            producer.abortTransaction();
        }
        asyncFailure.set(null);
        periodOpen = false;
        offsets.clear();
        backlog.clear();
        lanes.runOnEveryLane(i -> processors.get(i).drop(null), BARRIER_TIMEOUT);
        if (rewind.isEmpty()) {
            return;
        }
        final Set<TopicPartition> parts = new HashSet<>(rewind);
        final Map<TopicPartition, OffsetAndMetadata> committed = consumer.committed(parts);
        for (TopicPartition tp : parts) {
            final OffsetAndMetadata at = committed.get(tp);
            if (at == null) {
                consumer.seekToBeginning(List.of(tp));
            } else {
                consumer.seek(tp, at.offset());
            }
        }
        restore(parts);
    }

    private void restore(final Collection<TopicPartition> partitions) throws InterruptedException {
        restoring = true;
        try {
            final List<Integer> numbers = partitions.stream().map(TopicPartition::partition).toList();
            final Map<String, StateStore.Saved> saved = stateStore.load(numbers);
            final List<List<StateStore.Saved>> byLane = new ArrayList<>();
            for (int i = 0; i < lanes.size(); i++) {
                byLane.add(new ArrayList<>());
            }
            for (StateStore.Saved s : saved.values()) {
                byLane.get(lanes.laneOf(s.stockId().getBytes(java.nio.charset.StandardCharsets.UTF_8))).add(s);
            }
            lanes.runOnEveryLane(i -> processors.get(i).install(byLane.get(i)), BARRIER_TIMEOUT);
            metrics.statesRestored.inc(saved.size());
        } finally {
            restoring = false;
        }
    }

    private void forget(final Collection<TopicPartition> partitions) throws InterruptedException {
        final Set<TopicPartition> gone = new HashSet<>(partitions);
        backlog.removeIf(r -> gone.contains(new TopicPartition(r.topic(), r.partition())));
        offsets.keySet().removeAll(gone);
        final Set<Integer> numbers = new HashSet<>();
        for (TopicPartition tp : gone) {
            numbers.add(tp.partition());
            metrics.consumerLag.remove(Integer.toString(tp.partition()));
        }
        lanes.runOnEveryLane(i -> processors.get(i).drop(numbers), BARRIER_TIMEOUT);
    }

    private void shutdown() {
        try {
            if (!failed && periodOpen) {
                commit(List.of());
            }
        } catch (Exception e) {
            LOG.warn("final commit failed; the interval will be redone by the next owner", e);
            if (exactlyOnce && periodOpen) {
                try {
                    producer.abortTransaction();
                } catch (Exception abortFailure) {
                    LOG.debug("abort after failed final commit", abortFailure);
                }
            }
        }
        try {
            consumer.close(CloseOptions.groupMembershipOperation(CloseOptions.GroupMembershipOperation.LEAVE_GROUP)
                    .withTimeout(CLOSE_TIMEOUT));
        } catch (Exception e) {
            LOG.warn("consumer close failed", e);
        }
        lanes.close();
        producer.close(CLOSE_TIMEOUT);
        stateStore.close();
        LOG.info("indicator processor stopped failed={}", failed);
    }

    private static boolean isFatal(final Exception e) {
        return e instanceof ProducerFencedException || e instanceof OutOfOrderSequenceException
                || e instanceof AuthorizationException || e instanceof AuthenticationException
                || e instanceof UnsupportedVersionException || e instanceof FencedInstanceIdException;
    }

    /** Runs inside {@code poll} on the poll thread. */
    private final class Rebalance implements ConsumerRebalanceListener {
        @Override
        public void onPartitionsRevoked(final Collection<TopicPartition> partitions) {
            if (partitions.isEmpty()) {
                return;
            }
            try {
                final Set<TopicPartition> kept = new HashSet<>(consumer.assignment());
                kept.removeAll(partitions);
                commit(kept); // the interval's work is committed while the partitions are still ours
                forget(partitions);
                LOG.info("partitions revoked {}", partitions);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new WakeupException();
            }
        }

        @Override
        public void onPartitionsAssigned(final Collection<TopicPartition> partitions) {
            try {
                restore(partitions); // before the first tick of these partitions is polled
                joined = true;
                LOG.info("partitions assigned {} now={}", partitions, consumer.assignment());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new WakeupException();
            }
        }

        @Override
        public void onPartitionsLost(final Collection<TopicPartition> partitions) {
            try {
                LOG.warn("partitions lost {}: their open interval is abandoned", partitions);
                final Set<TopicPartition> kept = new HashSet<>(consumer.assignment());
                kept.removeAll(partitions);
                if (periodOpen) {
                    abortAndRewind(new KafkaException("partitions lost"), kept);
                }
                forget(partitions);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new WakeupException();
            }
        }
    }
}
