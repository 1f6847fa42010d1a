package io.tickflow.indicator;

import io.tickflow.indicator.ta.EngineSpec;
import io.tickflow.model.InvalidTickException;
import io.tickflow.model.Json;
import io.tickflow.model.ResultEncoder;
import io.tickflow.model.Tick;
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
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * The work of one lane: validate a tick record, update its stock's engine, write the result; track the stocks changed
 * since the last commit so each gets one state record per commit. Owns the {@link StockState} of every stock hashed
 * to this lane; everything here runs on the lane's thread (installs and drops come as lane control tasks).
 *
 * <p>Policies: a record that breaks the tick contract goes to the dead-letter topic and does not count in {@code seq};
 * a tick at or below its stock's restored source offset was already applied (replay after a crash) and is skipped;
 * a tick older than its stock's previous one is processed in Kafka order like any other and counted as out of order.
 */
final class LaneProcessor implements WorkerLanes.Handler<LaneProcessor.Work> {
    /** A polled record and when the poll returned it. */
    record Work(ConsumerRecord<byte[], byte[]> record, long polledNanos) {
    }

    private static final Logger LOG = LoggerFactory.getLogger(LaneProcessor.class);

    private final EngineSpec spec;
    private final String resultsTopic;
    private final Producer<byte[], byte[]> producer;
    private final DeadLetters deadLetters;
    private final StateStore stateStore;
    private final IndicatorMetrics metrics;
    private final LongSupplier epochMicros;
    private final Consumer<Exception> onFailure;
    private final ResultEncoder encoder;
    private final Callback resultCallback;
    private final Callback stateCallback;
    private final Map<String, StockState> stocks = new HashMap<>();
    private final List<StockState> dirty = new ArrayList<>();

    LaneProcessor(final EngineSpec spec, final String resultsTopic, final Producer<byte[], byte[]> producer,
                  final DeadLetters deadLetters, final StateStore stateStore, final IndicatorMetrics metrics,
                  final LongSupplier epochMicros, final Consumer<Exception> onFailure) {
        this.spec = spec;
        this.resultsTopic = resultsTopic;
        this.producer = producer;
        this.deadLetters = deadLetters;
        this.stateStore = stateStore;
        this.metrics = metrics;
        this.epochMicros = epochMicros;
        this.onFailure = onFailure;
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
            onFailure.accept(e);
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
        if (!state.dirty) {
            state.dirty = true;
            dirty.add(state);
        }
        final long ingest = tick.ingestMicros() != 0L ? tick.ingestMicros() : record.timestamp() * 1000L;
        final long computed = epochMicros.getAsLong();
        final byte[] json = encoder.encode(tick.stockId(), state.seq, ts, tick.price(), tick.volume(),
                state.engine.values(), ingest, computed);
        producer.send(new ProducerRecord<>(resultsTopic, key, json), resultCallback);
        metrics.resultsOut.inc();
        metrics.processingLatency.observe((System.nanoTime() - polledNanos) / 1e9);
        if (ingest > 0L) {
            metrics.tickToResultLatency.observe(Math.max(0L, computed - ingest) / 1e6);
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

    /** Replaces the state of these stocks with what the changelog holds. Lane thread, before their first tick. */
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
            stocks.put(s.stockId(), state);
        }
        return mismatched;
    }

    /**
     * Forgets the stocks whose last tick came from these partitions (revoked), or every stock when {@code partitions}
     * is null (rewind after an abort). Uncommitted changes are dropped with them: the changelog has the truth.
     */
    void drop(final Set<Integer> partitions) {
        if (partitions == null) {
            stocks.clear();
        } else {
            stocks.values().removeIf(s -> partitions.contains(s.sourcePartition));
        }
        dirty.removeIf(s -> partitions == null || partitions.contains(s.sourcePartition));
    }

    int stocks() {
        return stocks.size();
    }

    private static String quoted(final byte[] key) {
        final String text = new String(key, StandardCharsets.UTF_8);
        return '"' + (text.length() > 64 ? text.substring(0, 64) + "…" : text) + '"';
    }

    private Callback sendCallback(final String kind) {
        return (metadata, e) -> {
            if (e != null) {
                metrics.sendFailures.labelValues(kind).inc();
                LOG.error("send failed kind={} topic={}", kind, metadata == null ? "?" : metadata.topic(), e);
                onFailure.accept(e);
            }
        };
    }
}
