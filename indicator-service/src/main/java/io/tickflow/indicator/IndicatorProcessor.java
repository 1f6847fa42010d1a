package io.tickflow.indicator;

import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * The read-process-write loop, on one thread that alone touches the consumer: poll → hand the records to the lanes of
 * their keys → when the commit interval is due, commit it. Its collaborators each do one part:
 * {@link WorkerLanes} (the lanes and their back-pressure), {@link WorkInterval} with its {@link CommitProtocol}
 * (transactional or flush-then-commit), {@link PartitionOwnership} (rebalances, restore, rewind after an abort) and
 * {@link LagGauge}, {@link PoisonRecords} (records parked after failing their interval too often), {@link Recovery}
 * (after a failure an abort could not absorb) and {@link ProgressWatch}. See docs/indicator-service.md for the
 * guarantees.
 *
 * <p>Only a failure that means giving up ({@link FailureKind#GIVE_UP}) stops the processor; the service then reports
 * unhealthy and exits non-zero. {@link #stop} commits the open interval, leaves the group and closes the clients.
 */
final class IndicatorProcessor implements Runnable {
    private static final Logger LOG = LoggerFactory.getLogger(IndicatorProcessor.class);
    /** Per client: with the final commit, keeps a SIGTERM shutdown inside the 10 s ops contract. */
    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(3);
    private static final Duration IDLE_POLL = Duration.ofMillis(100);
    /** The longest a full lane holds up the loop before the rest waits in the backlog. */
    private static final long OFFER_WAIT_NANOS = TimeUnit.MILLISECONDS.toNanos(10);

    private final String ticksTopic;
    private final Consumer<byte[], byte[]> consumer;
    private final Producer<byte[], byte[]> producer;
    private final StateStore stateStore;
    private final WorkerLanes<LaneProcessor.Work, LaneProcessor> lanes;
    private final CommitProtocol protocol;
    private final WorkInterval interval;
    private final PartitionOwnership ownership;
    private final LagGauge lag;
    private final Recovery recovery;
    private final PoisonRecords poison;
    private final ProgressWatch progress;
    private final LongSupplier nanoTime;
    private final TickGate gate;
    private final StreamTimes streamTimes;
    private final boolean broadcastStreamTime;
    private final long idleCloseNanos;
    private final LongSupplier offerWait = this::offerWaitNanos;
    private final java.util.function.Consumer<LaneProcessor.Work> handedOver;

    private final CountDownLatch stopped = new CountDownLatch(1);
    private volatile boolean running = true;
    private volatile boolean failed;

    IndicatorProcessor(final String ticksTopic, final Consumer<byte[], byte[]> consumer,
                       final Producer<byte[], byte[]> producer, final StateStore stateStore,
                       final WorkerLanes<LaneProcessor.Work, LaneProcessor> lanes, final CommitProtocol protocol,
                       final WorkInterval interval, final PartitionOwnership ownership, final LagGauge lag,
                       final Recovery recovery, final PoisonRecords poison, final ProgressWatch progress,
                       final LongSupplier nanoTime, final TickGate gate, final StreamTimes streamTimes,
                       final boolean broadcastStreamTime, final Duration idleClose) {
        this.ticksTopic = ticksTopic;
        this.consumer = consumer;
        this.producer = producer;
        this.stateStore = stateStore;
        this.lanes = lanes;
        this.protocol = protocol;
        this.interval = interval;
        this.ownership = ownership;
        this.lag = lag;
        this.recovery = recovery;
        this.poison = poison;
        this.progress = progress;
        this.nanoTime = nanoTime;
        this.gate = gate;
        this.streamTimes = streamTimes;
        this.broadcastStreamTime = broadcastStreamTime;
        this.idleCloseNanos = idleClose.toNanos();
        this.handedOver = w -> {
            if (!w.isAdvance()) {
                interval.handedOver(w);
            }
        };
    }

    /** Joined the group (a possibly empty assignment) and not restoring state. */
    boolean ready() {
        return ownership.settled() && running && !failed;
    }

    boolean failed() {
        return failed;
    }

    /** False when work has waited PROGRESS_TIMEOUT without a commit ({@link ProgressWatch}). Any thread. */
    boolean progressing() {
        return progress.progressing();
    }

    @Override
    public void run() {
        try {
            start();
            while (running) {
                step();
            }
        } catch (WakeupException e) {
            // stop() was called
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

    /** Before the first poll: the protocol's set-up, and the subscription with its rebalance listener. */
    void start() {
        protocol.init();
        consumer.subscribe(List.of(ticksTopic), ownership);
    }

    /**
     * One turn of the loop, or while recovering one {@link Recovery#attempt} and a poll with every partition paused
     * (what it returns from a partition assigned in it is redone from the rewind that ends the recovery). A failure
     * the interval could not absorb starts the recovery, unless it means giving up.
     */
    void step() throws InterruptedException {
        try {
            if (recovery.pending() && !recovery.attempt()) {
                consumer.pause(consumer.assignment());
                consumer.poll(IDLE_POLL);
                return;
            }
            turn();
        } catch (WakeupException e) {
            throw e;
        } catch (KafkaException | IllegalStateException e) {
            recovery.failed(e);
        }
    }

    /**
     * poll → gate and stamp each record (a parked one becomes its dead letter) → hand to the lanes (then, with bars,
     * each touched partition's stream time to every lane) → with BAR_IDLE_CLOSE, the stream time of partitions quiet
     * that long to every lane → maybe commit. A record that passes the {@link TickGate} moves its partition's stream
     * time; every record carries the stream time as of itself. An advance opens the interval like a record, so the
     * finals it closes are in a transaction and committed with the next commit. A commit that ended in the background
     * is counted at the next turn.
     */
    private void turn() throws InterruptedException {
        handOver();
        final ConsumerRecords<byte[], byte[]> records =
                consumer.poll(lanes.backlogged() ? Duration.ZERO : interval.pollTimeout(IDLE_POLL));
        if (!records.isEmpty()) {
            final long polledNanos = nanoTime.getAsLong();
            for (ConsumerRecord<byte[], byte[]> r : records) {
                final String parked = poison.parkedReason(r);
                lanes.submit(parked == null ? gate.admit(r, polledNanos, streamTimes)
                        : new LaneProcessor.Work(r, polledNanos, null, PoisonRecords.SEND_FAILED, parked,
                                r.partition(), streamTimes.of(r.partition())));
            }
            if (broadcastStreamTime) {
                broadcastStreamTimes();
            }
            handOver();
        }
        if (idleCloseNanos > 0 && advanceIdle()) {
            broadcastStreamTimes();
            handOver();
        }
        if (interval.due()) {
            ownership.commitOrRewind(consumer.assignment());
        } else if (interval.landed()) {
            ownership.settleOrRewind(consumer.assignment());
        }
        lag.maybeUpdate();
    }

    /**
     * BAR_IDLE_CLOSE: moves the stream time of the partitions quiet that long on the wall clock ({@link StreamTimes}).
     * Not while a backlog holds the inflow paused: records waiting in Kafka are not quiet, so that wait does not count.
     */
    private boolean advanceIdle() {
        if (lanes.backlogged()) {
            streamTimes.restartIdleClocks();
            return false;
        }
        return streamTimes.advanceIdle(nanoTime.getAsLong(), idleCloseNanos);
    }

    /** A lane whose stocks were quiet in this batch still closes their bars: each touched partition's time. */
    private void broadcastStreamTimes() {
        for (int p = 0; p < streamTimes.partitions(); p++) {
            if (streamTimes.touched(p)) {
                final LaneProcessor.Work advance = LaneProcessor.Work.advance(p, streamTimes.of(p));
                lanes.submitToEveryLane(lane -> advance);
            }
        }
        streamTimes.clearTouched();
    }

    private void handOver() throws InterruptedException {
        if (lanes.backlogged()) {
            interval.open();
        }
        lanes.handOver(offerWait, handedOver);
    }

    private long offerWaitNanos() {
        return Math.min(interval.remainingNanos(), OFFER_WAIT_NANOS);
    }

    /**
     * Commits the open interval (after a fatal failure: only waits for the commit in flight), leaves the group, closes
     * the lanes and clients. Poll thread.
     */
    void shutdown() {
        try {
            if (failed) {
                interval.abandon(); // the next owner redoes the open interval
            } else {
                interval.commit(); // when it aborts instead, the next owner redoes the interval
            }
        } catch (Exception e) {
            LOG.warn("final commit failed; the interval will be redone by the next owner", e);
            try {
                interval.abandon();
            } catch (InterruptedException interrupted) {
                Thread.currentThread().interrupt();
            }
        }
        try {
            consumer.close(CloseOptions.groupMembershipOperation(CloseOptions.GroupMembershipOperation.LEAVE_GROUP)
                    .withTimeout(CLOSE_TIMEOUT));
        } catch (Exception e) {
            LOG.warn("consumer close failed", e);
        }
        lanes.close();
        protocol.close(); // before the clients: no commit may still be running on one
        producer.close(CLOSE_TIMEOUT);
        stateStore.close();
        LOG.info("indicator processor stopped failed={}", failed);
    }
}
