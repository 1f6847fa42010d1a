package io.tickflow.delivery;

import io.tickflow.model.ResultHeader;

import java.nio.charset.StandardCharsets;

/**
 * One indicator result as delivered: the raw JSON bytes exactly as read from Kafka plus the few header fields
 * delivery needs. The WebSocket frames that carry it are built lazily, once, and shared by every connection
 * (encode once, fan out many).
 */
final class Result implements Conflatable, Sequenced {
    private static final byte[] UPDATE = "{\"type\":\"update\",\"data\":".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] CONFLATED = "{\"type\":\"update\",\"conflated\":true,\"data\":"
            .getBytes(StandardCharsets.US_ASCII);
    private static final byte[] SNAPSHOT = "{\"type\":\"snapshot\",\"data\":".getBytes(StandardCharsets.US_ASCII);

    private final String stockId;
    private final long seq;
    private final long ingestMicros;
    private final byte[] raw;
    private volatile Frame update;
    private volatile Frame conflated;
    private volatile Frame snapshot;

    Result(final String stockId, final long seq, final long ingestMicros, final byte[] raw) {
        this.stockId = stockId;
        this.seq = seq;
        this.ingestMicros = ingestMicros;
        this.raw = raw;
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

    byte[] raw() {
        return raw;
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
        Frame f = update;
        if (f == null) {
            f = Frame.wrap(UPDATE, raw, Frame.Kind.UPDATE, this);
            update = f;
        }
        return f;
    }

    @Override
    public Frame conflated() {
        Frame f = conflated;
        if (f == null) {
            f = Frame.wrap(CONFLATED, raw, Frame.Kind.UPDATE, this);
            conflated = f;
        }
        return f;
    }

    Frame snapshot() {
        Frame f = snapshot;
        if (f == null) {
            f = Frame.wrap(SNAPSHOT, raw, Frame.Kind.SNAPSHOT, this);
            snapshot = f;
        }
        return f;
    }
}
