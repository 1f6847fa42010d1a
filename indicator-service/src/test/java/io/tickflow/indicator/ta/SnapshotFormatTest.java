package io.tickflow.indicator.ta;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/** The snapshot envelope both engines share; {@link #assertRejectsDamagedCopies} is what each engine's test runs. */
class SnapshotFormatTest {
    private static final SnapshotFormat FORMAT = new SnapshotFormat(0x54455354, (byte) 1, "a test", "TEST_SPEC");

    private static byte[] snapshot(final String spec, final long state) {
        final ByteBuffer buffer = FORMAT.begin(spec, Long.BYTES);
        buffer.putLong(state);
        return FORMAT.seal(buffer);
    }

    @Test
    void shouldReturnTheStateWhenTheEnvelopeIsIntact() {
        final byte[] snapshot = snapshot("x:1", 42);
        assertEquals(Integer.BYTES + 1 + Integer.BYTES + 3 + Long.BYTES + Integer.BYTES, snapshot.length);
        assertEquals(0x54455354, ByteBuffer.wrap(snapshot).getInt());
        assertEquals(42, FORMAT.open(snapshot, "x:1", Long.BYTES).getLong());
    }

    @Test
    void shouldNameTheDamageWhenTheEnvelopeIsNotIntact() {
        final byte[] snapshot = snapshot("x:1", 42);
        final Consumer<byte[]> open = s -> FORMAT.open(s, "x:1", Long.BYTES);
        assertRejectsDamagedCopies(snapshot, open);
        final byte[] magic = snapshot.clone();
        magic[0] = 0;
        assertRejected(open, magic, "not a test snapshot");
        assertRejected(s -> FORMAT.open(s, "y:2", Long.BYTES), snapshot,
                "snapshot was taken with TEST_SPEC 'x:1', engine has 'y:2'");
    }

    /** {@code restore} rejects a flipped bit, a truncated copy, one byte short and another version, naming each. */
    static void assertRejectsDamagedCopies(final byte[] snapshot, final Consumer<byte[]> restore) {
        final byte[] flipped = snapshot.clone();
        flipped[flipped.length / 2] ^= 0x10;
        assertRejected(restore, flipped, "CRC32");
        assertRejected(restore, Arrays.copyOf(snapshot, 3), "truncated");
        assertRejected(restore, Arrays.copyOf(snapshot, snapshot.length - 1), "expected");
        final byte[] version = snapshot.clone();
        version[4] = 99;
        assertRejected(restore, version, "version 99");
    }

    /** {@code restore} throws IllegalArgumentException whose message contains {@code expected}. */
    static void assertRejected(final Consumer<byte[]> restore, final byte[] snapshot, final String expected) {
        final String message = assertThrows(IllegalArgumentException.class, () -> restore.accept(snapshot))
                .getMessage();
        assertTrue(message.contains(expected), message);
    }
}
