package io.tickflow.delivery;

/**
 * What an {@link Outbox} may conflate on a slow connection: a live update that a newer one of the same
 * {@link #conflationKey()} makes obsolete. Results conflate per stock, forming bars per stock and interval.
 */
interface Conflatable {
    /** Updates with equal keys supersede one another; the key never contains a space unless it is a bar's. */
    String conflationKey();

    /** Whether this update makes {@code older} (same key) obsolete. */
    boolean supersedes(Conflatable older);

    /** The frame sent for this update when it left the conflation map, marked {@code "conflated":true}. */
    Frame conflated();
}
