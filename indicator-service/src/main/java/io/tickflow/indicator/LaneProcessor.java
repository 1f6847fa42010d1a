package io.tickflow.indicator;

import io.prometheus.metrics.core.datapoints.CounterDataPoint;
import io.tickflow.indicator.bars.Bar;
import io.tickflow.indicator.bars.BarCloser;
import io.tickflow.indicator.bars.BarListener;
import io.tickflow.indicator.bars.BarSeries;
import io.tickflow.indicator.bars.BarSpec;
import io.tickflow.indicator.bars.StockBars;
import io.tickflow.indicator.ta.EngineSpec;
import io.tickflow.model.BarEncoder;
import io.tickflow.model.ResultEncoder;
import io.tickflow.model.Tick;
import io.tickflow.model.TickSanity;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentMap;
import java.util.function.LongSupplier;

/**
 * The work of one lane: act on a tick record's {@link TickGate} verdict, apply the price-jump rule, update its stock's
 * engine, write the result; with BARS, add the tick to its stock's bars through the lane's {@link BarCloser} of the
 * record's partition (stream time stamped by the poll thread) and write the bar records; track the stocks changed
 * since the last commit so each gets one state record per commit. Owns the {@link StockState} of every stock hashed
 * to this lane and one closer per partition that has such stocks; everything here runs on the lane's thread
 * (installs and drops come as lane control tasks, stream-time advances as {@link Work#advance} items).
 *
 * <p>Policies: a record that breaks the tick contract or the sanity rule ({@link TickSanity}: price out of range, a
 * price jump, a timestamp ahead of its record) goes to the dead-letter topic and does not count in {@code seq};
 * a tick whose bar of some interval is already final is still a tick (engine, seq, result) and goes into the bars of
 * the other intervals, and a copy goes to the dead-letter topic with code {@code late} naming the intervals;
 * a tick at or below its stock's restored source offset was already applied (replay after a crash) and is skipped;
 * a tick older than its stock's previous one is processed in Kafka order like any other and counted as out of order.
 */
final class LaneProcessor implements WorkerLanes.Handler<LaneProcessor.Work> {
    /**
     * One item of a lane: a polled record with its {@link TickGate} verdict ({@code tick}, or {@code code} and
     * {@code reason} for the dead-letter topic) and its partition's stream time as of this record; or, with
     * {@code record == null}, an advance of {@code partition}'s stream time broadcast to every lane after a poll.
     */
    record Work(ConsumerRecord<byte[], byte[]> record, long polledNanos, Tick tick, String code, String reason,
                int partition, long streamTime) {
        /** A stream-time advance of one partition (no record). */
        static Work advance(final int partition, final long streamTime) {
            return new Work(null, 0L, null, null, null, partition, streamTime);
        }

        boolean isAdvance() {
            return record == null;
        }

        /** The record's key, which picks its lane (an advance is targeted, it has none). */
        byte[] key() {
            return record == null ? null : record.key();
        }
    }

    private static final Logger LOG = LoggerFactory.getLogger(LaneProcessor.class);
    private static final long EVICTION_EVERY_NANOS = 60_000_000_000L;
    /** Least wall time between two sends of conflated forming bar updates when a lane drains. */
    private static final long FORMING_EVERY_NANOS = 10_000_000L;

    private final EngineSpec spec;
    private final TickSanity sanity;
    private final String resultsTopic;
    private final Producer<byte[], byte[]> producer;
    private final DeadLetters deadLetters;
    private final StateStore stateStore;
    private final IndicatorMetrics metrics;
    private final LongSupplier epochMicros;
    private final LongSupplier nanoTime;
    private final SendFailures failures;
    private final ResultEncoder encoder;
    private final Callback resultCallback;
    private final Callback stateCallback;
    private final Map<String, StockState> stocks = new HashMap<>();
    private final StockLimits limits;
    private long nextEvictionNanos;
    private final List<StockState> dirty = new ArrayList<>();
    /** BARS, or null when off. */
    private final BarSpec barSpec;
    private final String barsTopic;
    private final BarEncoder barEncoder;
    private final Callback barCallback;
    private final BarListener barListener = this::onBar;
    private final Map<Integer, BarCloser> closers = new HashMap<>();
    private final CounterDataPoint barsFinal;
    private final CounterDataPoint barsForming;
    private long lastFormingNanos = Long.MIN_VALUE / 2;

    LaneProcessor(final EngineSpec spec, final TickSanity sanity, final String resultsTopic,
                  final Producer<byte[], byte[]> producer, final DeadLetters deadLetters, final StateStore stateStore,
                  final IndicatorMetrics metrics, final LongSupplier epochMicros, final LongSupplier nanoTime,
                  final SendFailures failures, final Optional<BarSpec> bars, final String barsTopic,
                  final StockLimits limits) {
        this.limits = limits;
        this.nextEvictionNanos = nanoTime.getAsLong() + EVICTION_EVERY_NANOS;
        this.spec = spec;
        this.sanity = sanity;
        this.resultsTopic = resultsTopic;
        this.producer = producer;
        this.deadLetters = deadLetters;
        this.stateStore = stateStore;
        this.metrics = metrics;
        this.epochMicros = epochMicros;
        this.nanoTime = nanoTime;
        this.failures = failures;
        this.encoder = new ResultEncoder(spec.outputKeys(), spec.outputParts());
        this.resultCallback = sendCallback("results");
        this.stateCallback = sendCallback("state");
        this.barSpec = bars.orElse(null);
        this.barsTopic = barsTopic;
        this.barEncoder = barSpec == null ? null
                : new BarEncoder(barSpec.indicators().outputKeys(), barSpec.indicators().outputParts());
        this.barCallback = sendCallback("bars");
        this.barsFinal = metrics.barsOut.labelValues("true");
        this.barsForming = metrics.barsOut.labelValues("false");
    }

    @Override
    public void handle(final Work work) {
        if (work.isAdvance()) {
            if (barSpec != null) {
                try {
                    closerOf(work.partition()).advance(work.streamTime(), barListener);
                } catch (RuntimeException e) {
                    LOG.error("bar advance failed partition={}", work.partition(), e);
                    failures.handOverFailed(e);
                }
            }
            return;
        }
        final ConsumerRecord<byte[], byte[]> record = work.record();
        metrics.ticksConsumed.inc();
        try {
            process(work);
        } catch (RuntimeException e) {
            // Not bad input (that is rejected above): a send or encoding failure. The commit must not go through.
            LOG.error("tick processing failed topic={} partition={} offset={}", record.topic(), record.partition(),
                    record.offset(), e);
            failures.handOverFailed(e, record);
        }
    }

    private void process(final Work work) {
        final ConsumerRecord<byte[], byte[]> record = work.record();
        if (work.code() != null) {
            deadLetters.reject(record, work.code(), work.reason());
            return;
        }
        final Tick tick = work.tick();
        final BarCloser closer = barSpec == null ? null : closerOf(record.partition());
        if (closer != null) {
            closer.advance(work.streamTime(), barListener); // the partition's stream time as of this record
        }
        if (!stocks.containsKey(tick.stockId()) && stocks.size() >= limits.perLane()) {
            deadLetters.reject(record, "stock_limit", "stock_id " + tick.stockId() + " is new and this lane holds "
                    + limits.perLane() + " stocks (MAX_STOCKS over WORKER_LANES); idle ones leave after "
                    + "STOCK_IDLE_EVICT");
            return;
        }
        final StockState state = stateOf(tick.stockId());
        state.lastActiveNanos = nanoTime.getAsLong();
        final byte[] key = state.key;
        if (record.partition() == state.sourcePartition && record.offset() <= state.sourceOffset) {
            metrics.replaySkipped.inc();
            return;
        }
        final Instant ts = tick.timestamp();
        final double last = state.anchor.last;
        if (!state.anchor.admit(tick.price(), sanity)) {
            deadLetters.reject(record, TickSanity.PRICE_JUMP, "price " + tick.price() + " is more than "
                    + sanity.maxJump() + "x away from the last accepted price " + last + " (PRICE_MAX_JUMP; "
                    + state.anchor.pendingTicks + " of " + sanity.jumpConfirmTicks()
                    + " agreeing ticks before a new level is accepted)");
            recordSource(state, record);
            if (state.bars != null) {
                // it moved the partition's stream time (the gate passed it): keep that in the stock's bar state,
                // which this record writes anyway (the anchor moved), so a restore rebuilds the same stream time
                state.bars.observe(ts.toEpochMilli());
            }
            markDirty(state);
            if (state.seq == 0) {
                stocks.remove(tick.stockId()); // do not keep an engine for a stock that never had a good tick
            }
            return;
        }
        if (state.seq > 0 && (ts.getEpochSecond() < state.lastEpochSecond
                || (ts.getEpochSecond() == state.lastEpochSecond && ts.getNano() < state.lastNano))) {
            metrics.outOfOrder.inc();
        }
        state.engine.update(tick.price(), tick.volume());
        state.seq++;
        recordSource(state, record);
        state.lastEpochSecond = ts.getEpochSecond();
        state.lastNano = ts.getNano();
        markDirty(state);
        final long ingest = tick.ingestMicros() != 0L ? tick.ingestMicros() : record.timestamp() * 1000L;
        final long computed = epochMicros.getAsLong();
        final byte[] json = encoder.encode(tick.stockId(), state.seq, ts, tick.price(), tick.volume(),
                state.engine.values(), ingest, computed);
        producer.send(new ProducerRecord<>(resultsTopic, key, json), resultCallback);
        metrics.resultsOut.inc();
        if (closer != null) {
            final int late = closer.onTick(state.bars, ts.toEpochMilli(), tick.price(), tick.volume(), barListener);
            if (late != 0) {
                deadLetters.reject(record, "late", "tick at " + ts + " is late for bars "
                        + barSpec.lateIntervals(late) + ": its bar was already final at stream time "
                        + Instant.ofEpochMilli(closer.streamTime()) + " (BAR_GRACE=" + barSpec.graceMillis()
                        + "ms); its result was written");
            }
        }
        metrics.processingLatency.observe((nanoTime.getAsLong() - work.polledNanos()) / 1e9);
        if (ingest > 0L) {
            metrics.tickToResultLatency.observe(Math.max(0L, computed - ingest) / 1e6);
        }
    }

    /**
     * The lane has done what it was given: unless it sent less than {@link #FORMING_EVERY_NANOS} ago, its closers
     * send the forming updates of the bars changed since (one per stock and interval, however many ticks), into the
     * open interval; the commit sends what is left ({@link #writeState}). A lane that keeps up drains after nearly
     * every record, so the gap is what conflates under load; a tick after a quiet spell goes out at once.
     */
    @Override
    public void drained() {
        if (barSpec == null || nanoTime.getAsLong() - lastFormingNanos < FORMING_EVERY_NANOS) {
            return;
        }
        try {
            sendForming();
        } catch (RuntimeException e) {
            LOG.error("forming bar updates failed", e);
            failures.handOverFailed(e);
        }
    }

    private void sendForming() {
        lastFormingNanos = nanoTime.getAsLong();
        for (BarCloser closer : closers.values()) {
            closer.sendForming(barListener);
        }
    }

    /**
     * A bar record: to BARS_TOPIC with key = stock_id, in the open interval's transaction. A bar record changes its
     * stock's bar state (a final bar even when another stock's tick closed it; a forming one its throttle), so that
     * stock is marked dirty: its state record at the commit then holds the bar as final, never an older state that
     * would close it a second time after a restore.
     */
    private void onBar(final BarSeries series, final Bar bar, final boolean isFinal, final long seq,
                       final double[] indicators) {
        final StockState state = stocks.get(series.stockId());
        markDirty(state);
        state.barClosed |= isFinal;
        final byte[] json = barEncoder.encode(series.stockId(), series.interval().name(), bar, isFinal, seq,
                indicators);
        producer.send(new ProducerRecord<>(barsTopic, state.key, json), barCallback);
        (isFinal ? barsFinal : barsForming).inc();
    }

    private BarCloser closerOf(final int partition) {
        BarCloser closer = closers.get(partition);
        if (closer == null) {
            closer = new BarCloser();
            closers.put(partition, closer);
        }
        return closer;
    }

    private void markDirty(final StockState state) {
        if (!state.dirty) {
            state.dirty = true;
            dirty.add(state);
        }
    }

    private StockState stateOf(final String stockId) {
        StockState state = stocks.get(stockId);
        if (state == null) {
            state = newState(stockId);
            stocks.put(stockId, state);
        }
        return state;
    }

    /** A new stock: with BARS its first stock record takes the engines along ({@link StockState#barClosed}). */
    private StockState newState(final String stockId) {
        final StockState state = new StockState(stockId, spec.newEngine(),
                barSpec == null ? null : barSpec.newStockBars(stockId));
        state.barClosed = state.bars != null;
        return state;
    }

    /** The tick becomes the stock's replay boundary. */
    private static void recordSource(final StockState state, final ConsumerRecord<byte[], byte[]> record) {
        if (state.sourcePartition != record.partition()) {
            state.barClosed = state.bars != null; // its bar engines record is in the old partition's changelog
        }
        state.sourcePartition = record.partition();
        state.sourceOffset = record.offset();
    }

    /**
     * Sends the forming bar updates still held back by conflation: then every record of the interval but its state
     * records is sent. Lane thread, at the commit barrier.
     */
    void sendHeldBack() {
        if (barSpec != null) {
            sendForming();
        }
    }

    /** {@link #sendHeldBack}, then {@link #writeStateRecords}. Lane thread, at the commit barrier. */
    void writeState() {
        sendHeldBack();
        writeStateRecords();
    }

    /**
     * One state record for each stock changed since the last call, and its bar engines record when one of its bars
     * became final (and, at most once a minute, the tombstones of idle stocks). Lane thread, at the commit barrier.
     */
    void writeStateRecords() {
        for (StockState s : dirty) {
            for (ProducerRecord<byte[], byte[]> r : stateStore.records(s)) {
                producer.send(r, stateCallback);
            }
            s.barClosed = false;
            s.dirty = false;
        }
        dirty.clear();
        evictIdle();
    }

    /**
     * At most once a minute, at the barrier (inside the interval, so the tombstones commit with the offsets): forgets
     * the stocks idle past {@link StockLimits#idleNanos()} that have nothing unsent and no open bar.
     */
    private void evictIdle() {
        final long now = nanoTime.getAsLong();
        if (limits.idleNanos() == Long.MAX_VALUE || now - nextEvictionNanos < 0) {
            return;
        }
        nextEvictionNanos = now + EVICTION_EVERY_NANOS;
        for (Iterator<StockState> it = stocks.values().iterator(); it.hasNext(); ) {
            final StockState s = it.next();
            if (!s.dirty && now - s.lastActiveNanos >= limits.idleNanos() && !hasOpenBar(s)) {
                it.remove();
                if (s.sourcePartition >= 0) {
                    stateStore.tombstones(s).forEach(t -> producer.send(t, stateCallback));
                }
                metrics.stocksEvicted.inc();
            }
        }
    }

    private static boolean hasOpenBar(final StockState s) {
        if (s.bars == null) {
            return false;
        }
        for (int i = 0; i < s.bars.size(); i++) {
            if (s.bars.series(i).openBars() > 0) {
                return true;
            }
        }
        return false;
    }

    /**
     * Replaces the state of these stocks with what the changelog holds and tracks their bars in their partition's
     * closer. Lane thread, before their first tick. Returns how many snapshots could not be restored (their stocks keep
     * seq and replay boundary, indicators restart; bars restart too when only the bar snapshot does not fit). Merges
     * each partition's closer stream time (the max of its restored stocks' {@code maxTimestamp}) into
     * {@code streamTimes}.
     */
    int install(final Collection<StateStore.Saved> saved, final ConcurrentMap<Integer, Long> streamTimes) {
        int mismatched = 0;
        for (StateStore.Saved s : saved) {
            final StockState state = newState(s.stockId());
            try {
                state.engine.restore(s.snapshot());
            } catch (IllegalArgumentException e) {
                // INDICATORS changed since the snapshot: seq and the replay boundary carry on, indicators warm up anew
                mismatched++;
                LOG.warn("state snapshot not restorable, indicators restart stock={} reason={}", s.stockId(),
                        e.getMessage());
            }
            if (state.bars != null && s.barsSnapshot().length > 0) {
                // Paired with its own engines record, the two match; otherwise (a version 1 snapshot held them, or a
                // restart below) the next stock record takes the engines along, as for a new stock.
                state.barClosed = s.barEnginesSnapshot().length == 0 || StockBars.holdsEngines(s.barsSnapshot());
                try {
                    state.bars.restore(s.barsSnapshot(), s.barEnginesSnapshot());
                } catch (IllegalArgumentException e) {
                    // BARS / BAR_* changed since the snapshot: bars start fresh
                    state.bars = barSpec.newStockBars(s.stockId());
                    state.barClosed = true;
                    mismatched++;
                    LOG.warn("bar snapshot not restorable, bars restart stock={} reason={}", s.stockId(),
                            e.getMessage());
                }
            }
            state.seq = s.seq();
            state.sourcePartition = s.sourcePartition();
            state.sourceOffset = s.sourceOffset();
            state.lastEpochSecond = s.lastEpochSecond();
            state.lastNano = s.lastNano();
            state.anchor.last = s.lastPrice();
            state.anchor.pending = s.pendingPrice();
            state.anchor.pendingTicks = s.pendingTicks();
            state.lastActiveNanos = nanoTime.getAsLong();
            stocks.put(s.stockId(), state);
            if (state.bars != null && s.sourcePartition() >= 0) {
                final BarCloser closer = closerOf(s.sourcePartition());
                closer.track(state.bars);
                streamTimes.merge(s.sourcePartition(), closer.streamTime(), Math::max);
            }
        }
        return mismatched;
    }

    /**
     * Forgets the stocks whose last tick came from these partitions (revoked or lost), and those partitions' closers.
     * Uncommitted changes are dropped with them: the changelog has the truth. Lane thread.
     */
    void drop(final Set<Integer> partitions) {
        stocks.values().removeIf(s -> partitions.contains(s.sourcePartition));
        dirty.removeIf(s -> partitions.contains(s.sourcePartition));
        closers.keySet().removeAll(partitions);
    }

    /** Forgets every stock (the interval aborted: what stays ours is reloaded from the changelog). Lane thread. */
    void dropAll() {
        stocks.clear();
        dirty.clear();
        closers.clear();
    }

    private Callback sendCallback(final String kind) {
        return (metadata, e) -> {
            if (e != null) {
                failures.sendFailed(kind, e);
            }
        };
    }
}
