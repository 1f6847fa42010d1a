package io.tickflow.model;

/** The Kafka topic names of the public contract (defaults; each service may override them by config). */
public final class Topics {
    /** Ticks, key = stock_id, value = tick JSON. */
    public static final String TICKS = "stock_data";
    /**
     * Indicator results, key = stock_id, value = result JSON. A consumer that cannot de-duplicate by seq reads it
     * read_committed; the delivery service reads it read_uncommitted by default (results are deterministic and it drops
     * any seq it already has).
     */
    public static final String RESULTS = "indicator_results";
    /** Per-stock engine state of the indicator service (compacted changelog), key = stock_id. */
    public static final String STATE = "indicator_state";

    private Topics() {
    }

    /** The dead-letter topic of a tick topic: rejected records with the reason in headers. */
    public static String deadLetterOf(final String ticksTopic) {
        return ticksTopic + ".dlq";
    }
}
