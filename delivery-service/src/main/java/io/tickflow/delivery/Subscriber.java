package io.tickflow.delivery;

/** A receiver of a stock's frames. Both methods are called under the stock's lock: they must never block. */
interface Subscriber {
    /** A live frame. */
    void deliver(Frame frame);

    /** A past update sent again on {@code resume}: unlike a live one it is neither throttled nor conflated at once. */
    default void replay(final Frame frame) {
        deliver(frame);
    }
}
