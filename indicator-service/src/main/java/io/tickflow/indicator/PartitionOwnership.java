package io.tickflow.indicator;

import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Which ticks partitions are ours, and the lanes' stocks that go with them. On assignment the partitions' state is
 * restored from the changelog before their first tick is polled; on revocation the commit in flight is settled and
 * the open interval committed while the partitions are still ours, then their stocks are forgotten; on loss (they may
 * already be someone else's) the commit in flight is settled, the open interval aborted and what stays ours rewound.
 * A rewind seeks the kept partitions to their committed offsets and reloads their stocks, so an aborted interval is
 * redone from a consistent point. Callbacks run inside {@code poll}, on the poll thread; everything here runs there.
 */
final class PartitionOwnership implements ConsumerRebalanceListener {
    private static final Logger LOG = LoggerFactory.getLogger(PartitionOwnership.class);

    private final Consumer<byte[], byte[]> consumer;
    private final WorkInterval interval;
    private final WorkerLanes<LaneProcessor.Work, LaneProcessor> lanes;
    private final StateSource changelog;
    private final LagGauge lag;
    private final IndicatorMetrics metrics;
    private final StreamTimes streamTimes;
    private final CommittedPoint point;
    private volatile boolean joined;
    private volatile boolean restoring;

    PartitionOwnership(final Consumer<byte[], byte[]> consumer, final WorkInterval interval,
                       final WorkerLanes<LaneProcessor.Work, LaneProcessor> lanes, final StateSource changelog,
                       final LagGauge lag, final IndicatorMetrics metrics, final StreamTimes streamTimes,
                       final CommittedPoint point) {
        this.consumer = consumer;
        this.interval = interval;
        this.lanes = lanes;
        this.changelog = changelog;
        this.lag = lag;
        this.metrics = metrics;
        this.streamTimes = streamTimes;
        this.point = point;
    }

    /** Joined the group (a possibly empty assignment) and not restoring state. Any thread. */
    boolean settled() {
        return joined && !restoring;
    }

    @Override
    public void onPartitionsAssigned(final Collection<TopicPartition> partitions) {
        try {
            point.forget(partitions); // another owner may have committed them meanwhile
            restore(partitions); // before the first tick of these partitions is polled
            joined = true;
            LOG.info("partitions assigned {} now={}", partitions, consumer.assignment());
        } catch (InterruptedException e) {
            throw interrupted();
        }
    }

    @Override
    public void onPartitionsRevoked(final Collection<TopicPartition> partitions) {
        if (partitions.isEmpty()) {
            return;
        }
        try {
            final Set<TopicPartition> kept = keptWithout(partitions);
            if (!interval.commit()) { // the interval's work is durable while the partitions are ours
                rewind(kept);
            }
            forget(partitions);
            LOG.info("partitions revoked {}", partitions);
        } catch (InterruptedException e) {
            throw interrupted();
        }
    }

    @Override
    public void onPartitionsLost(final Collection<TopicPartition> partitions) {
        try {
            LOG.warn("partitions lost {}: their open interval is abandoned", partitions);
            if (!interval.settle()) { // the commit in flight failed: its abort took the open interval with it
                rewind(keptWithout(partitions));
            } else if (interval.isOpen()) {
                interval.abort(new KafkaException("partitions lost"));
                rewind(keptWithout(partitions));
            }
            forget(partitions);
        } catch (InterruptedException e) {
            throw interrupted();
        }
    }

    /**
     * Commits the open interval, which may go on in the background ({@link WorkInterval#commitInBackground}); when it
     * or the commit in flight before it had to be aborted, redoes {@code kept} from its committed point.
     */
    void commitOrRewind(final Collection<TopicPartition> kept) throws InterruptedException {
        if (!interval.commitInBackground()) {
            rewind(kept);
        }
    }

    /** Counts the commit in flight once it has ended; when it had to be aborted, redoes {@code kept} as above. */
    void settleOrRewind(final Collection<TopicPartition> kept) throws InterruptedException {
        if (!interval.settle()) {
            rewind(kept);
        }
    }

    /**
     * After an abort: seeks {@code kept} to its committed offsets (the beginning if none) and reloads its stocks. The
     * offsets come from the {@link CommittedPoint} where it knows them, else from the group coordinator.
     */
    void rewind(final Collection<TopicPartition> kept) throws InterruptedException {
        if (kept.isEmpty()) {
            LOG.warn("rewinding partitions=[] to their committed offsets and state");
            return;
        }
        final Set<TopicPartition> parts = new HashSet<>(kept);
        final Map<TopicPartition, Long> known = point.known(parts);
        final Set<TopicPartition> ask = new HashSet<>(parts);
        ask.removeAll(known.keySet());
        LOG.warn("rewinding partitions={} to their committed offsets and state (known={} asked={})", kept,
                known, ask);
        final Map<TopicPartition, Long> fetched = new HashMap<>();
        if (!ask.isEmpty()) {
            final Map<TopicPartition, OffsetAndMetadata> committed = consumer.committed(ask);
            for (TopicPartition tp : ask) {
                final OffsetAndMetadata at = committed.get(tp);
                if (at == null) {
                    consumer.seekToBeginning(List.of(tp));
                } else {
                    fetched.put(tp, at.offset());
                }
            }
            point.learned(fetched);
        }
        final Map<TopicPartition, Long> seek = new HashMap<>(known);
        seek.putAll(fetched);
        seek.forEach(consumer::seek);
        restore(parts);
    }

    private void restore(final Collection<TopicPartition> partitions) throws InterruptedException {
        restoring = true;
        try {
            final Map<String, StateStore.Saved> saved = changelog.load(
                    partitions.stream().map(TopicPartition::partition).toList());
            final AtomicInteger unrestorable = new AtomicInteger();
            final ConcurrentMap<Integer, Long> restoredTimes = new ConcurrentHashMap<>();
            lanes.runOnEveryLane(saved.values(), s -> s.stockId().getBytes(StandardCharsets.UTF_8),
                    (lane, share) -> unrestorable.addAndGet(lane.install(share, restoredTimes)));
            // A partition's stream time is the max over its stocks' bar maxTimestamp: the value the interrupted run
            // had at the commit these states come from (every tick that moved it is in its stock's committed state).
            for (TopicPartition tp : partitions) {
                streamTimes.reset(tp.partition(), restoredTimes.getOrDefault(tp.partition(), StreamTimes.NONE));
            }
            metrics.statesRestored.inc(saved.size());
            if (unrestorable.get() > 0) {
                metrics.snapshotsUnrestorable.inc(unrestorable.get());
                LOG.warn("state installed partitions={} stocks={} snapshotsNotRestorable={}: those stocks keep seq "
                        + "and replay boundary, their indicators warm up anew", partitions, saved.size(),
                        unrestorable.get());
            }
        } finally {
            restoring = false;
        }
    }

    private void forget(final Collection<TopicPartition> partitions) throws InterruptedException {
        final Set<TopicPartition> gone = new HashSet<>(partitions);
        final Set<Integer> goneNumbers = new HashSet<>();
        for (TopicPartition tp : gone) {
            goneNumbers.add(tp.partition());
            streamTimes.reset(tp.partition(), StreamTimes.NONE);
        }
        lanes.discardBacklog(w -> goneNumbers.contains(w.partition())); // one topic: the number names it
        interval.forget(gone);
        lag.forget(gone);
        final Set<Integer> numbers = new HashSet<>();
        for (TopicPartition tp : gone) {
            numbers.add(tp.partition());
        }
        lanes.runOnEveryLane(lane -> lane.drop(numbers));
    }

    private Set<TopicPartition> keptWithout(final Collection<TopicPartition> partitions) {
        final Set<TopicPartition> kept = new HashSet<>(consumer.assignment());
        kept.removeAll(partitions);
        return kept;
    }

    private static WakeupException interrupted() {
        Thread.currentThread().interrupt();
        return new WakeupException();
    }
}
