package io.tickflow.delivery;

import io.tickflow.model.ResultHeader;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * One indicator result as delivered: the JSON bytes exactly as read from Kafka plus the few header fields delivery
 * needs. The document is kept only inside its update frame, built at once, not beside it as well: the histories
 * hold up to {@code HISTORY_MAX_RESULTS} results, each for many seconds, so that halves what they keep. The other
 * frames that carry it are built lazily, once, and shared by every connection (encode once, fan out many).
 */
final class Result implements Conflatable, Sequenced {
    private static final byte[] UPDATE = "{\"type\":\"update\",\"data\":".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] CONFLATED = "{\"type\":\"update\",\"conflated\":true,\"data\":"
            .getBytes(StandardCharsets.US_ASCII);
    private static final byte[] SNAPSHOT = "{\"type\":\"snapshot\",\"data\":".getBytes(StandardCharsets.US_ASCII);

    private final String stockId;
    private final long seq;
    private final long ingestMicros;
    private final Frame update;
    private volatile Frame conflated;
    private volatile Frame snapshot;

    Result(final String stockId, final long seq, final long ingestMicros, final byte[] raw) {
        this.stockId = stockId;
        this.seq = seq;
        this.ingestMicros = ingestMicros;
        this.update = Frame.wrap(UPDATE, raw, Frame.Kind.UPDATE, this);
    }

    /**
     * Reads the header of a result document ({@link ResultHeader#read}: one JSON object with {@code stock_id} and
     * {@code seq}), without building the indicator map. Throws {@link IllegalArgumentException} naming the problem.
     */
    static Result parse(final byte[] raw) {
        final ResultHeader header = ResultHeader.read(raw);
        return new Result(header.stockId(), header.seq(), header.ingestMicros(), raw);
    }

    String stockId() {
        return stockId;
    }

    @Override
    public long seq() {
        return seq;
    }

    /** Epoch microseconds at which the tick entered the pipeline, 0 if unknown. */
    long ingestMicros() {
        return ingestMicros;
    }

    /** The JSON document (a copy: for the HTTP API). */
    byte[] raw() {
        return Arrays.copyOfRange(update.bytes(), UPDATE.length, rawEnd());
    }

    private int rawEnd() {
        return update.size() - 1; // the envelope's closing brace
    }

    @Override
    public String conflationKey() {
        return stockId;
    }

    @Override
    public boolean supersedes(final Conflatable older) {
        return older instanceof Result o && seq > o.seq;
    }

    Frame update() {
        return update;
    }

    private Frame rewrap(final byte[] prefix, final Frame.Kind kind) {
        return Frame.wrap(prefix, update.bytes(), UPDATE.length, rawEnd() - UPDATE.length, kind, this);
    }

    @Override
    public Frame conflated() {
        Frame f = conflated;
        if (f == null) {
            f = rewrap(CONFLATED, Frame.Kind.UPDATE);
            conflated = f;
        }
        return f;
    }

    Frame snapshot() {
        Frame f = snapshot;
        if (f == null) {
            f = rewrap(SNAPSHOT, Frame.Kind.SNAPSHOT);
            snapshot = f;
        }
        return f;
    }
}
