package io.tickflow.delivery;

/** A receiver of a stock's frames. Both methods are called under the stock's lock: they must never block. */
interface Subscriber {
    /** A live frame. */
    void deliver(Frame frame);

    /**
     * A live update of a conflated batch ({@link StockHistory#release}): it may wait to leave with the others in one
     * frame, since the feed hands out many at once and a socket write per update would cost more than the batch.
     */
    default void deliverSoon(final Frame frame) {
        deliver(frame);
    }

    /** A past update sent again on {@code resume}: unlike a live one it is neither throttled nor conflated at once. */
    default void replay(final Frame frame) {
        deliver(frame);
    }
}
