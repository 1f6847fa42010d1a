package io.tickflow.model;

import java.time.Instant;

/**
 * One trade or bar close of one stock: the value of a {@code stock_data} record.
 *
 * <p>JSON (seed format): {@code {"stock_id":"AAPL","timestamp":"2024-06-02T12:34:56Z","price":150.25,"volume":1000}}.
 * {@code ingestMicros} is the optional {@code ingest_us} field: epoch microseconds at which the pipeline accepted the
 * tick, carried into the result for tick-to-client latency measurement; 0 when unknown.
 * Instances are built by {@link Json#decodeTick} or {@link #of}, both of which validate.
 */
public record Tick(String stockId, Instant timestamp, double price, double volume, long ingestMicros) {

    public Tick {
        TickValidator.requireValid(stockId, timestamp, price, volume);
    }

    public static Tick of(final String stockId, final Instant timestamp, final double price, final double volume) {
        return new Tick(stockId, timestamp, price, volume, 0L);
    }

    /** The same tick stamped with the time the pipeline accepted it. */
    public Tick withIngestMicros(final long micros) {
        return new Tick(stockId, timestamp, price, volume, micros);
    }
}
