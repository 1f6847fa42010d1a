package io.tickflow.indicator;

import io.tickflow.indicator.ta.EngineSpec;
import io.tickflow.model.InvalidTickException;
import io.tickflow.model.Json;
import io.tickflow.model.ResultEncoder;
import io.tickflow.model.Tick;
import io.tickflow.model.TickSanity;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.LongSupplier;

/**
 * The work of one lane: validate a tick record, update its stock's engine, write the result; track the stocks changed
 * since the last commit so each gets one state record per commit. Owns the {@link StockState} of every stock hashed
 * to this lane; everything here runs on the lane's thread (installs and drops come as lane control tasks).
 *
 * <p>Policies: a record that breaks the tick contract or the sanity rule ({@link TickSanity}: price out of range, a
 * price jump, a timestamp ahead of its record) goes to the dead-letter topic and does not count in {@code seq};
 * a tick at or below its stock's restored source offset was already applied (replay after a crash) and is skipped;
 * a tick older than its stock's previous one is processed in Kafka order like any other and counted as out of order.
 */
final class LaneProcessor implements WorkerLanes.Handler<LaneProcessor.Work> {
    /** A polled record and when the poll returned it (on the loop's nano clock). */
    record Work(ConsumerRecord<byte[], byte[]> record, long polledNanos) {
        /** The record's key, which picks its lane. */
        byte[] key() {
            return record.key();
        }

        int partition() {
            return record.partition();
        }
    }

    private static final Logger LOG = LoggerFactory.getLogger(LaneProcessor.class);

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
    private final List<StockState> dirty = new ArrayList<>();

    LaneProcessor(final EngineSpec spec, final TickSanity sanity, final String resultsTopic,
                  final Producer<byte[], byte[]> producer, final DeadLetters deadLetters, final StateStore stateStore,
                  final IndicatorMetrics metrics, final LongSupplier epochMicros, final LongSupplier nanoTime,
                  final SendFailures failures) {
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
    }

    @Override
    public void handle(final Work work) {
        final ConsumerRecord<byte[], byte[]> record = work.record();
        metrics.ticksConsumed.inc();
        try {
            process(record, work.polledNanos());
        } catch (RuntimeException e) {
            // Not bad input (that is rejected above): a send or encoding failure. The commit must not go through.
            LOG.error("tick processing failed topic={} partition={} offset={}", record.topic(), record.partition(),
                    record.offset(), e);
            failures.handOverFailed(e);
        }
    }

    private void process(final ConsumerRecord<byte[], byte[]> record, final long polledNanos) {
        final byte[] key = record.key();
        if (key == null) {
            deadLetters.reject(record, "no_key", "record has no key (the key must be the tick's stock_id)");
            return;
        }
        if (record.value() == null) {
            deadLetters.reject(record, "malformed", "record has no value (a null/tombstone is not a tick)");
            return;
        }
        final Tick tick;
        try {
            tick = Json.decodeTick(record.value());
        } catch (InvalidTickException e) {
            deadLetters.reject(record, e.field().isEmpty() ? "malformed" : e.field(), e.getMessage());
            return;
        }
        final StockState state = stateOf(tick.stockId());
        if (!Arrays.equals(key, state.key)) {
            deadLetters.reject(record, "key_mismatch", "record key " + quoted(key)
                    + " differs from stock_id \"" + tick.stockId() + "\"");
            if (state.seq == 0) {
                stocks.remove(tick.stockId()); // do not keep an engine for a stock that never had a good tick
            }
            return;
        }
        if (record.partition() == state.sourcePartition && record.offset() <= state.sourceOffset) {
            metrics.replaySkipped.inc();
            return;
        }
        final String insane = insane(record, tick, state);
        if (insane != null) {
            if (state.seq == 0) {
                stocks.remove(tick.stockId()); // do not keep an engine for a stock that never had a good tick
            }
            return;
        }
        final Instant ts = tick.timestamp();
        if (state.seq > 0 && (ts.getEpochSecond() < state.lastEpochSecond
                || (ts.getEpochSecond() == state.lastEpochSecond && ts.getNano() < state.lastNano))) {
            metrics.outOfOrder.inc();
        }
        state.engine.update(tick.price(), tick.volume());
        state.seq++;
        state.sourcePartition = record.partition();
        state.sourceOffset = record.offset();
        state.lastEpochSecond = ts.getEpochSecond();
        state.lastNano = ts.getNano();
        markDirty(state);
        final long ingest = tick.ingestMicros() != 0L ? tick.ingestMicros() : record.timestamp() * 1000L;
        final long computed = epochMicros.getAsLong();
        final byte[] json = encoder.encode(tick.stockId(), state.seq, ts, tick.price(), tick.volume(),
                state.engine.values(), ingest, computed);
        producer.send(new ProducerRecord<>(resultsTopic, key, json), resultCallback);
        metrics.resultsOut.inc();
        metrics.processingLatency.observe((nanoTime.getAsLong() - polledNanos) / 1e9);
        if (ingest > 0L) {
            metrics.tickToResultLatency.observe(Math.max(0L, computed - ingest) / 1e6);
        }
    }

    /**
     * Applies the sanity rule; a refused tick goes to the dead-letter topic and its code is returned. A refused jump
     * still moves the stock's price anchor, so it advances the replay boundary and is written with the state.
     */
    private String insane(final ConsumerRecord<byte[], byte[]> record, final Tick tick, final StockState state) {
        final String outOfRange = sanity.priceOutOfRange(tick.price());
        if (outOfRange != null) {
            deadLetters.reject(record, outOfRange, "price " + tick.price() + " is above PRICE_MAX="
                    + sanity.maxPrice());
            return outOfRange;
        }
        final Instant recordTime = Instant.ofEpochMilli(record.timestamp());
        if (record.timestamp() >= 0 && sanity.isAhead(tick.timestamp(), recordTime)) {
            deadLetters.reject(record, TickSanity.TIMESTAMP_AHEAD, "timestamp " + tick.timestamp() + " is more than "
                    + sanity.maxAhead().toSeconds() + " s ahead of its Kafka record timestamp " + recordTime
                    + " (TIMESTAMP_MAX_AHEAD)");
            return TickSanity.TIMESTAMP_AHEAD;
        }
        final double last = state.anchor.last;
        if (!state.anchor.admit(tick.price(), sanity)) {
            deadLetters.reject(record, TickSanity.PRICE_JUMP, "price " + tick.price() + " is more than "
                    + sanity.maxJump() + "x away from the last accepted price " + last + " (PRICE_MAX_JUMP; "
                    + state.anchor.pendingTicks + " of " + sanity.jumpConfirmTicks()
                    + " agreeing ticks before a new level is accepted)");
            state.sourcePartition = record.partition();
            state.sourceOffset = record.offset();
            markDirty(state);
            return TickSanity.PRICE_JUMP;
        }
        return null;
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
            state = new StockState(stockId, spec.newEngine());
            stocks.put(stockId, state);
        }
        return state;
    }

    /** Sends one state record for each stock changed since the last call. Lane thread, at the commit barrier. */
    void writeState() {
        for (StockState s : dirty) {
            producer.send(stateStore.record(s), stateCallback);
            s.dirty = false;
        }
        dirty.clear();
    }

    /**
     * Replaces the state of these stocks with what the changelog holds. Lane thread, before their first tick.
     * Returns how many snapshots could not be restored (their stocks keep seq and replay boundary, indicators restart).
     */
    int install(final Collection<StateStore.Saved> saved) {
        int mismatched = 0;
        for (StateStore.Saved s : saved) {
            final StockState state = new StockState(s.stockId(), spec.newEngine());
            try {
                state.engine.restore(s.snapshot());
            } catch (IllegalArgumentException e) {
                // INDICATORS changed since the snapshot: seq and the replay boundary carry on, indicators warm up anew
                mismatched++;
                LOG.warn("state snapshot not restorable, indicators restart stock={} reason={}", s.stockId(),
                        e.getMessage());
            }
            state.seq = s.seq();
            state.sourcePartition = s.sourcePartition();
            state.sourceOffset = s.sourceOffset();
            state.lastEpochSecond = s.lastEpochSecond();
            state.lastNano = s.lastNano();
            state.anchor.last = s.lastPrice();
            state.anchor.pending = s.pendingPrice();
            state.anchor.pendingTicks = s.pendingTicks();
            stocks.put(s.stockId(), state);
        }
        return mismatched;
    }

    /**
     * Forgets the stocks whose last tick came from these partitions (revoked or lost). Uncommitted changes are dropped
     * with them: the changelog has the truth. Lane thread.
     */
    void drop(final Set<Integer> partitions) {
        stocks.values().removeIf(s -> partitions.contains(s.sourcePartition));
        dirty.removeIf(s -> partitions.contains(s.sourcePartition));
    }

    /** Forgets every stock (the interval aborted: what stays ours is reloaded from the changelog). Lane thread. */
    void dropAll() {
        stocks.clear();
        dirty.clear();
    }

    private static String quoted(final byte[] key) {
        final String text = new String(key, StandardCharsets.UTF_8);
        return '"' + (text.length() > 64 ? text.substring(0, 64) + "…" : text) + '"';
    }

    private Callback sendCallback(final String kind) {
        return (metadata, e) -> {
            if (e != null) {
                LOG.error("send failed kind={} topic={}", kind, metadata == null ? "?" : metadata.topic(), e);
                failures.sendFailed(kind, e);
            }
        };
    }
}
