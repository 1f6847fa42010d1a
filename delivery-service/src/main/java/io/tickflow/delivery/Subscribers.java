package io.tickflow.delivery;

import java.util.Arrays;

/**
 * The subscribers of one stream, copy-on-write (an add or remove copies the array; a fan-out reads it without one).
 * Not thread-safe: the owner's monitor guards it.
 */
final class Subscribers {
    private static final Subscriber[] NONE = new Subscriber[0];

    private Subscriber[] all;

    Subscribers(final Subscriber[] initial) {
        this.all = initial.length == 0 ? NONE : initial.clone();
    }

    Subscribers() {
        this(NONE);
    }

    /** Adds a subscriber unless it is there; returns whether it was new. */
    boolean add(final Subscriber subscriber) {
        for (Subscriber s : all) {
            if (s == subscriber) {
                return false;
            }
        }
        final Subscriber[] copy = Arrays.copyOf(all, all.length + 1);
        copy[all.length] = subscriber;
        all = copy;
        return true;
    }

    void remove(final Subscriber subscriber) {
        for (int i = 0; i < all.length; i++) {
            if (all[i] == subscriber) {
                final Subscriber[] copy = new Subscriber[all.length - 1];
                System.arraycopy(all, 0, copy, 0, i);
                System.arraycopy(all, i + 1, copy, i, copy.length - i);
                all = copy;
                return;
            }
        }
    }

    boolean isEmpty() {
        return all.length == 0;
    }

    void deliver(final Frame frame) {
        for (Subscriber s : all) {
            s.deliver(frame);
        }
    }

    void deliverSoon(final Frame frame) {
        for (Subscriber s : all) {
            s.deliverSoon(frame);
        }
    }
}
