package io.tickflow.delivery;

import org.java_websocket.drafts.Draft_6455;
import org.java_websocket.enums.Opcode;
import org.java_websocket.framing.Framedata;
import org.java_websocket.framing.TextFrame;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TextFramesTest {
    /** Each length encoding (7, 16 and 64 bits) and its edges, read back by the library's own frame parser. */
    @ParameterizedTest
    @ValueSource(ints = {0, 1, 125, 126, 1000, 65_535, 65_536, 200_000})
    void framesReadBackAsOneFinalTextFrameWithTheSamePayload(final int length) throws Exception {
        final byte[] payload = new byte[length];
        Arrays.fill(payload, (byte) 'x');
        final ByteBuffer wire = TextFrames.frame(payload);

        final TextFrame expected = new TextFrame();
        expected.setPayload(ByteBuffer.wrap(payload));
        expected.setFin(true);
        assertEquals(new Draft_6455().createBinaryFrame(expected), wire, "same bytes as the library's own framing");

        final Draft_6455 client = new Draft_6455();
        final List<Framedata> frames = client.translateFrame(wire.duplicate());
        assertEquals(1, frames.size());
        final Framedata f = frames.get(0);
        assertEquals(Opcode.TEXT, f.getOpcode());
        assertTrue(f.isFin());
        final ByteBuffer got = f.getPayloadData();
        final byte[] bytes = new byte[got.remaining()];
        got.get(bytes);
        assertArrayEquals(payload, bytes);
    }
}
