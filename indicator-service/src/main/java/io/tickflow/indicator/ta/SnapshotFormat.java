package io.tickflow.indicator.ta;

import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.zip.CRC32;

/**
 * The envelope of an engine snapshot: magic, format version, the length and bytes of the spec's canonical string, the
 * engine's state, and a CRC32 over everything before it. The engines write and read their own state in between.
 * Allocates; not for the per-tick path. Immutable.
 */
public final class SnapshotFormat {
    private static final int HEADER_BYTES = Integer.BYTES + 1 + Integer.BYTES;

    private final int magic;
    private final byte version;
    private final String what;
    private final String specKey;

    /** {@code what} names the snapshot kind in errors ("an engine"), {@code specKey} the setting the spec comes from. */
    public SnapshotFormat(final int magic, final byte version, final String what, final String specKey) {
        this.magic = magic;
        this.version = version;
        this.what = what;
        this.specKey = specKey;
    }

    /** A buffer of the whole snapshot's size with the header written, positioned for {@code stateSize} bytes of state. */
    public ByteBuffer begin(final String spec, final int stateSize) {
        final byte[] specBytes = spec.getBytes(StandardCharsets.UTF_8);
        final ByteBuffer buffer = ByteBuffer.allocate(size(specBytes.length, stateSize));
        buffer.putInt(magic).put(version).putInt(specBytes.length).put(specBytes);
        return buffer;
    }

    /** Appends the CRC32 of what {@link #begin} and the state wrote; returns the snapshot. */
    public byte[] seal(final ByteBuffer buffer) {
        final CRC32 crc = new CRC32();
        crc.update(buffer.array(), 0, buffer.position());
        buffer.putInt((int) crc.getValue());
        return buffer.array();
    }

    /**
     * Checks magic, version, spec, size and checksum, and returns the snapshot positioned at its state.
     * IllegalArgumentException, naming what is wrong, when any check fails.
     */
    public ByteBuffer open(final byte[] snapshot, final String spec, final int stateSize) {
        final ByteBuffer buffer = openHeader(snapshot, spec);
        final int expected = size(spec.getBytes(StandardCharsets.UTF_8).length, stateSize);
        if (snapshot.length != expected) {
            throw new IllegalArgumentException("snapshot has " + snapshot.length + " bytes, expected "
                    + expected + " for '" + spec + "'");
        }
        checkCrc(snapshot);
        return buffer;
    }

    /**
     * The same checks for a state whose size is known only while reading it (bars: their open bars): everything but
     * the exact size. The caller reads the state and then checks that just the CRC32 remains.
     */
    public ByteBuffer openVariable(final byte[] snapshot, final String spec) {
        final ByteBuffer buffer = openHeader(snapshot, spec);
        if (snapshot.length < buffer.position() + Integer.BYTES) {
            throw new IllegalArgumentException("snapshot is truncated (" + snapshot.length + " bytes)");
        }
        checkCrc(snapshot);
        return buffer;
    }

    /** The spec a snapshot was taken with, or {@code null} when its header cannot be read (the checks then say why). */
    public static String specOf(final byte[] snapshot) {
        if (snapshot.length < HEADER_BYTES) {
            return null;
        }
        final int length = ByteBuffer.wrap(snapshot, Integer.BYTES + 1, Integer.BYTES).getInt();
        return length < 0 || length > snapshot.length - HEADER_BYTES ? null
                : new String(snapshot, HEADER_BYTES, length, StandardCharsets.UTF_8);
    }

    private ByteBuffer openHeader(final byte[] snapshot, final String spec) {
        final byte[] specBytes = spec.getBytes(StandardCharsets.UTF_8);
        final ByteBuffer buffer = ByteBuffer.wrap(snapshot);
        try {
            final int foundMagic = buffer.getInt();
            if (foundMagic != magic) {
                throw new IllegalArgumentException("not " + what + " snapshot (magic " + foundMagic + ")");
            }
            final byte foundVersion = buffer.get();
            if (foundVersion != version) {
                throw new IllegalArgumentException("snapshot version " + foundVersion + " is not supported (" + version + ")");
            }
            final int specLength = buffer.getInt();
            if (specLength < 0 || specLength > buffer.remaining()) {
                throw new IllegalArgumentException("snapshot is truncated or corrupt (spec length " + specLength + ")");
            }
            final byte[] found = new byte[specLength];
            buffer.get(found);
            if (!Arrays.equals(found, specBytes)) {
                throw new IllegalArgumentException("snapshot was taken with " + specKey + " '"
                        + new String(found, StandardCharsets.UTF_8) + "', engine has '" + spec + "'");
            }
        } catch (BufferUnderflowException e) {
            throw new IllegalArgumentException("snapshot is truncated (" + snapshot.length + " bytes)", e);
        }
        return buffer;
    }

    private static void checkCrc(final byte[] snapshot) {
        final CRC32 crc = new CRC32();
        crc.update(snapshot, 0, snapshot.length - Integer.BYTES);
        if ((int) crc.getValue() != ByteBuffer.wrap(snapshot, snapshot.length - Integer.BYTES, Integer.BYTES).getInt()) {
            throw new IllegalArgumentException("snapshot is corrupt (CRC32 mismatch)");
        }
    }

    private static int size(final int specLength, final int stateSize) {
        return HEADER_BYTES + specLength + stateSize + Integer.BYTES;
    }
}
