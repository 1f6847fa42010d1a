package io.tickflow.delivery;

/** A record with a per-stream sequence number, as kept in a {@link SeqRing}. */
interface Sequenced {
    long seq();
}
