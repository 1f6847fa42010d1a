package io.tickflow.indicator.ta;

import java.nio.ByteBuffer;

/** Reading and writing the plain-data parts that indicator states share. */
final class States {
    private States() {
    }

    static int ringBytes(final int length) {
        return length * Double.BYTES;
    }

    static void putRing(final ByteBuffer buffer, final double[] ring) {
        for (final double v : ring) buffer.putDouble(v);
    }

    static void getRing(final ByteBuffer buffer, final double[] ring) {
        for (int i = 0; i < ring.length; i++) ring[i] = buffer.getDouble();
    }

    /** An int that must lie in 0..max, else the snapshot is not one this configuration wrote. */
    static int getIndex(final ByteBuffer buffer, final String name, final int max) {
        final int v = buffer.getInt();
        if (v < 0 || v > max) {
            throw new IllegalArgumentException("snapshot field " + name + " must be in 0.." + max + ", was " + v);
        }
        return v;
    }

    /** A boolean written as one byte (0 or 1). */
    static boolean getFlag(final ByteBuffer buffer, final String name) {
        final byte v = buffer.get();
        if (v != 0 && v != 1) throw new IllegalArgumentException("snapshot field " + name + " must be 0 or 1, was " + v);
        return v == 1;
    }
}
