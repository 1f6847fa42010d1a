package io.tickflow.delivery;

/**
 * Where results enter delivery: the Kafka {@link ResultFeed} in production, a test or benchmark directly otherwise.
 * {@link BarBook} is the sink of the bar feed (the same {@link ResultFeed} over {@code indicator_bars}).
 * Implementations must be safe to call from any thread, one result at a time per stock.
 */
public interface ResultSink {
    /**
     * Takes one result document (the {@code indicator_results} record value, UTF-8 JSON).
     *
     * @return {@code true} if it was new, {@code false} if its seq was not above the stock's latest (a duplicate)
     * @throws IllegalArgumentException naming the problem if the bytes are not a result
     */
    boolean accept(byte[] resultJson);

    /**
     * Takes a result like {@link #accept} while the feed is behind: a sink that can may record it at once but keep its
     * fan-out back until {@link #release()}, so that a newer result of the same stock in the batch replaces it. Called
     * from one thread only, which then calls {@link #release()}.
     */
    default boolean hold(final byte[] resultJson) {
        return accept(resultJson);
    }

    /** Fans out what {@link #hold} kept back: the newest result of each stock. */
    default void release() {
    }
}
