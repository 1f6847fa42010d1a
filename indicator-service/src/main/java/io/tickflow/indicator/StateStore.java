package io.tickflow.indicator;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;

/**
 * The per-stock state changelog: a compacted topic, key = stock_id, value = the state record below, co-partitioned
 * with the ticks topic (a stock's state is written to the partition number its ticks come from), so a newly assigned
 * ticks partition is restored by reading the same-numbered state partition from the beginning up to its end.
 * Reading is read_committed: in exactly-once mode a state record exists exactly when the offsets of the ticks it
 * covers were committed with it.
 *
 * <p>Value format, version 3 (big-endian): {@code byte 3, int sourcePartition, long sourceOffset, long seq,
 * long lastTimestampEpochSecond, int lastTimestampNano, double lastPrice, double pendingPrice, int pendingTicks,
 * int n, byte[n] engineSnapshot, int m, byte[m] barsSnapshot} ({@code StockBars.snapshot()}, the bar builders;
 * {@code m = 0} when BARS is off). Version 2 (no bars) and version 1 (no bars, no price anchor) are still read: their
 * stocks start their bars fresh, and a version 1 stock takes its next tick as the anchor.
 *
 * <p>With BARS and exactly_once, a stock has a second record, key = stock_id + {@code "#bars"} ({@code #} is not
 * allowed in a stock id), value = {@code StockBars.enginesSnapshot()}: its bar indicators' windows, most of its bytes,
 * which change only when one of its bars becomes final. It is written only in a commit where that happened (or where
 * the stock record alone could be paired with a stale one: see {@link StockState#barClosed}), in the same transaction
 * as the stock record, so the two are always of one commit. With at_least_once the two would not commit together,
 * so the stock record holds the engines itself ({@code StockBars.snapshotWithEngines()}) and no such record is
 * written.
 * The restore reader is used only by the poll thread.
 */
final class StateStore implements StateSource, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(StateStore.class);
    private static final byte VERSION = 3;
    private static final byte VERSION_WITHOUT_BARS = 2;
    private static final byte VERSION_WITHOUT_ANCHOR = 1;
    private static final byte[] NO_BARS = new byte[0];
    private static final Duration RESTORE_TIMEOUT = Duration.ofMinutes(2);
    private static final String BAR_ENGINES_SUFFIX = "#bars";

    /** One stock's state as read back from the changelog. */
    record Saved(String stockId, int sourcePartition, long sourceOffset, long seq, long lastEpochSecond,
                 int lastNano, double lastPrice, double pendingPrice, int pendingTicks, byte[] snapshot,
                 byte[] barsSnapshot, byte[] barEnginesSnapshot) {
        /** With the stock's bar engines record ({@code StockBars.enginesSnapshot()}); empty when it has none. */
        Saved withBarEngines(final byte[] engines) {
            return new Saved(stockId, sourcePartition, sourceOffset, seq, lastEpochSecond, lastNano, lastPrice,
                    pendingPrice, pendingTicks, snapshot, barsSnapshot, engines);
        }
    }

    private final String topic;
    private final Consumer<byte[], byte[]> reader;
    private final Admin admin;
    private final boolean barEnginesApart;

    /**
     * @param barEnginesApart the bar engines go in their own record: only when a commit's records are atomic
     *                        (exactly_once); otherwise every stock record holds them (a version 1 bar snapshot)
     */
    StateStore(final String topic, final Consumer<byte[], byte[]> reader, final Admin admin,
               final boolean barEnginesApart) {
        this.topic = topic;
        this.reader = reader;
        this.admin = admin;
        this.barEnginesApart = barEnginesApart;
    }

    /**
     * The records of a stock changed since the last commit: its stock record, and its bar engines record when they
     * are kept apart and one of its bars became final ({@link StockState#barClosed}, which the caller then clears).
     */
    List<ProducerRecord<byte[], byte[]>> records(final StockState s) {
        return barEnginesApart && s.barClosed ? List.of(record(s), barEnginesRecord(s)) : List.of(record(s));
    }

    /** The tombstones of an evicted stock, its bar engines' key too: compaction removes its state. */
    List<ProducerRecord<byte[], byte[]>> tombstones(final StockState s) {
        return List.of(new ProducerRecord<>(topic, s.sourcePartition, s.key, null),
                new ProducerRecord<>(topic, s.sourcePartition, barEnginesKey(s), null));
    }

    /** The bar engines record of a stock (BARS on), for a commit in which one of its bars became final. */
    ProducerRecord<byte[], byte[]> barEnginesRecord(final StockState s) {
        return new ProducerRecord<>(topic, s.sourcePartition, barEnginesKey(s), s.bars.enginesSnapshot());
    }

    private static byte[] barEnginesKey(final StockState s) {
        return (s.stockId + BAR_ENGINES_SUFFIX).getBytes(StandardCharsets.UTF_8);
    }

    /** The state record of a stock, to the partition its ticks come from. */
    ProducerRecord<byte[], byte[]> record(final StockState s) {
        final byte[] snapshot = s.engine.snapshot();
        final byte[] bars = s.bars == null ? NO_BARS : barEnginesApart ? s.bars.snapshot() : s.bars.snapshotWithEngines();
        final ByteBuffer b = ByteBuffer.allocate(1 + 4 + 8 + 8 + 8 + 4 + 8 + 8 + 4 + 4 + snapshot.length
                + 4 + bars.length);
        b.put(VERSION).putInt(s.sourcePartition).putLong(s.sourceOffset).putLong(s.seq)
                .putLong(s.lastEpochSecond).putInt(s.lastNano)
                .putDouble(s.anchor.last).putDouble(s.anchor.pending).putInt(s.anchor.pendingTicks)
                .putInt(snapshot.length).put(snapshot).putInt(bars.length).put(bars);
        return new ProducerRecord<>(topic, s.sourcePartition, s.key, b.array());
    }

    static Saved decode(final byte[] key, final byte[] value) {
        try {
            final ByteBuffer b = ByteBuffer.wrap(value);
            final byte version = b.get();
            if (version != VERSION && version != VERSION_WITHOUT_BARS && version != VERSION_WITHOUT_ANCHOR) {
                throw new IllegalArgumentException("state record version " + version + " is not supported");
            }
            final int partition = b.getInt();
            final long offset = b.getLong();
            final long seq = b.getLong();
            final long second = b.getLong();
            final int nano = b.getInt();
            final boolean anchored = version != VERSION_WITHOUT_ANCHOR;
            final double lastPrice = anchored ? b.getDouble() : Double.NaN;
            final double pendingPrice = anchored ? b.getDouble() : Double.NaN;
            final int pendingTicks = anchored ? b.getInt() : 0;
            if (pendingTicks < 0) {
                throw new IllegalArgumentException("state record pending ticks " + pendingTicks + " is negative");
            }
            final boolean withBars = version == VERSION;
            final int n = b.getInt();
            if (n < 0 || (withBars ? n > b.remaining() : n != b.remaining())) {
                throw new IllegalArgumentException("state record snapshot length " + n + " does not match");
            }
            final byte[] snapshot = new byte[n];
            b.get(snapshot);
            byte[] bars = NO_BARS;
            if (withBars) {
                final int m = b.getInt();
                if (m < 0 || m != b.remaining()) {
                    throw new IllegalArgumentException("state record bar snapshot length " + m + " does not match");
                }
                bars = new byte[m];
                b.get(bars);
            }
            return new Saved(new String(key, StandardCharsets.UTF_8), partition, offset, seq, second, nano,
                    lastPrice, pendingPrice, pendingTicks, snapshot, bars, NO_BARS);
        } catch (BufferUnderflowException e) {
            throw new IllegalArgumentException("state record is truncated (" + value.length + " bytes)", e);
        }
    }

    /**
     * Reads the latest committed state of every stock whose ticks come from {@code ticksPartitions} (partition
     * numbers of the ticks topic): the same-numbered state partitions, from the beginning to their end.
     */
    @Override
    public Map<String, Saved> load(final Collection<Integer> ticksPartitions) {
        if (ticksPartitions.isEmpty()) {
            return new HashMap<>();
        }
        final long began = System.nanoTime();
        final Set<Integer> wanted = Set.copyOf(ticksPartitions);
        final Fold fold = new Fold(wanted);
        final List<TopicPartition> partitions = new ArrayList<>();
        for (Integer p : wanted) {
            partitions.add(new TopicPartition(topic, p));
        }
        awaitNoPendingTransaction(partitions);
        reader.assign(partitions);
        reader.seekToBeginning(partitions);
        final Map<TopicPartition, Long> end = reader.endOffsets(partitions, RESTORE_TIMEOUT);
        final long deadline = System.nanoTime() + RESTORE_TIMEOUT.toNanos();
        int bad = 0;
        while (!reached(end)) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("state restore of " + topic + " " + wanted + " did not finish in "
                        + RESTORE_TIMEOUT);
            }
            for (ConsumerRecord<byte[], byte[]> r : reader.poll(Duration.ofMillis(100))) {
                try {
                    fold.add(r.partition(), r.key(), r.value());
                } catch (IllegalArgumentException e) {
                    bad++;
                    LOG.warn("unreadable state record topic={} partition={} offset={} key={} reason={}", topic,
                            r.partition(), r.offset(), new String(r.key(), StandardCharsets.UTF_8), e.getMessage());
                }
            }
        }
        reader.unsubscribe();
        final Map<String, Saved> states = fold.states();
        LOG.info("state restored topic={} partitions={} stocks={} unreadable={} ms={}", topic,
                wanted.stream().sorted().map(String::valueOf).collect(Collectors.joining(",")), states.size(), bad,
                Duration.ofNanos(System.nanoTime() - began).toMillis());
        return states;
    }

    /**
     * The previous owner's last transaction may be committed while its markers are still on their way to these
     * partitions: read_committed would then stop before that final state while the (stable) committed offsets are
     * already past its ticks. So wait until no transaction is open here (last stable offset = high watermark); a
     * crashed owner's open transaction ends by its timeout.
     */
    private void awaitNoPendingTransaction(final List<TopicPartition> partitions) {
        final Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
        partitions.forEach(tp -> latest.put(tp, OffsetSpec.latest()));
        final long deadline = System.nanoTime() + RESTORE_TIMEOUT.toNanos();
        try {
            while (true) {
                try {
                    final var stable = admin.listOffsets(latest,
                            new ListOffsetsOptions(IsolationLevel.READ_COMMITTED)).all()
                            .get(RESTORE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
                    final var written = admin.listOffsets(latest,
                            new ListOffsetsOptions(IsolationLevel.READ_UNCOMMITTED)).all()
                            .get(RESTORE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
                    if (partitions.stream().allMatch(tp -> stable.get(tp).offset() == written.get(tp).offset())) {
                        return;
                    }
                } catch (ExecutionException e) {
                    // A state topic another instance has just created may not be known to every broker yet.
                    if (!(e.getCause() instanceof UnknownTopicOrPartitionException)) {
                        throw new IllegalStateException("cannot read the offsets of " + partitions, e);
                    }
                }
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("a transaction on " + partitions + " stayed open (or the topic"
                            + " stayed unknown) for " + RESTORE_TIMEOUT);
                }
                Thread.sleep(20); // markers in flight, or topic metadata on its way: a short back-off between looks
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for open transactions on " + partitions, e);
        } catch (TimeoutException e) {
            throw new IllegalStateException("cannot read the offsets of " + partitions, e);
        }
    }

    private boolean reached(final Map<TopicPartition, Long> end) {
        for (Map.Entry<TopicPartition, Long> e : end.entrySet()) {
            if (reader.position(e.getKey()) < e.getValue()) {
                return false;
            }
        }
        return true;
    }

    /**
     * What a changelog's records, read in order, leave of each stock: its latest stock record with its latest bar
     * engines record, a tombstone removing either. Only stocks whose ticks come from the wanted partitions are kept.
     */
    static final class Fold {
        private final Set<Integer> wanted;
        private final Map<String, Saved> stocks = new HashMap<>();
        private final Map<String, byte[]> barEngines = new HashMap<>();

        Fold(final Set<Integer> wanted) {
            this.wanted = wanted;
        }

        /** One record of the changelog; IllegalArgumentException when it is an unreadable stock record. */
        void add(final int partition, final byte[] key, final byte[] value) {
            if (key == null) {
                return;
            }
            final String name = new String(key, StandardCharsets.UTF_8);
            if (name.endsWith(BAR_ENGINES_SUFFIX)) {
                final String stock = name.substring(0, name.length() - BAR_ENGINES_SUFFIX.length());
                if (value == null) {
                    barEngines.remove(stock);
                } else if (wanted.contains(partition)) { // written to its stock's source partition
                    barEngines.put(stock, value);
                }
            } else if (value == null) {
                stocks.remove(name);
            } else {
                final Saved saved = decode(key, value);
                if (wanted.contains(saved.sourcePartition())) {
                    stocks.put(name, saved);
                }
            }
        }

        /** Each kept stock with its bar engines record (empty when it has none). */
        Map<String, Saved> states() {
            final Map<String, Saved> states = new HashMap<>(stocks);
            states.replaceAll((stock, saved) -> saved.withBarEngines(barEngines.getOrDefault(stock, NO_BARS)));
            return states;
        }
    }

    @Override
    public void close() {
        reader.close();
        admin.close(Duration.ofSeconds(2));
    }
}
