package io.tickflow.delivery;

/** A receiver of a stock's frames. {@link #deliver} is called under the stock's lock: it must never block. */
interface Subscriber {
    void deliver(Frame frame);
}
