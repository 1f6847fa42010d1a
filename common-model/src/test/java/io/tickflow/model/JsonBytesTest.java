package io.tickflow.model;

import com.fasterxml.jackson.core.JsonProcessingException;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;

class JsonBytesTest {
    private static String written(final JsonBytes out) {
        return new String(out.toByteArray(), StandardCharsets.UTF_8);
    }

    @Test
    void shouldWriteLongsAsJacksonDoesIncludingEveryPowerOfTenBoundaryAndTheExtremes() throws Exception {
        final JsonBytes out = new JsonBytes();
        long power = 1;
        for (int k = 0; k < 19; k++, power *= 10) {
            for (long v : new long[]{power - 1, power, power + 1, -power, -(power - 1)}) {
                out.reset();
                assertEquals(Json.MAPPER.writeValueAsString(v), written(out.number(v)), "v=" + v);
            }
        }
        for (long v : new long[]{Long.MAX_VALUE, Long.MIN_VALUE, Long.MIN_VALUE + 1}) {
            out.reset();
            assertEquals(Long.toString(v), written(out.number(v)));
        }
    }

    @Test
    void shouldWriteDoublesAsJacksonsGeneratorDoesAndNonFiniteAsNull() throws JsonProcessingException {
        final Random random = new Random(7);
        final JsonBytes out = new JsonBytes();
        for (int i = 0; i < 100_000; i++) {
            final double v = i % 2 == 0 ? Double.longBitsToDouble(random.nextLong()) : random.nextDouble() * 1000;
            out.reset();
            final String text = written(out.number(v));
            if (Double.isFinite(v)) {
                assertEquals(Json.MAPPER.writeValueAsString(v), text);
                assertEquals(Double.doubleToRawLongBits(v), Double.doubleToRawLongBits(Double.parseDouble(text)));
            } else {
                assertEquals("null", text);
            }
        }
    }

    @Test
    void shouldWriteIntegralQuantitiesWithoutAFractionUpToTwoToThe53() {
        final JsonBytes out = new JsonBytes();
        assertEquals("1000", written(out.quantity(1000.0)));
        out.reset();
        assertEquals("150.25", written(out.quantity(150.25)));
        out.reset();
        assertEquals("9.007199254740992E15", written(out.quantity(9007199254740992.0)), "2^53 keeps its exponent");
        out.reset();
        assertEquals("0", written(out.quantity(-0.0)), "integral, as the seed format wrote it");
    }

    @Test
    void shouldEscapeAStringThatNeedsItAsJacksonDoesAndCopyAPlainOne() throws JsonProcessingException {
        for (String s : new String[]{"AAPL", "BRK.B", "EUR/USD:FX", "", "a\"b", "back\\slash", "tab\t", "é", "日本"}) {
            final JsonBytes out = new JsonBytes();
            assertEquals(Json.MAPPER.writeValueAsString(s), written(out.string(s)), s);
        }
    }

    @Test
    void shouldGrowPastItsFirstBufferAndStartOverOnReset() {
        final JsonBytes out = new JsonBytes();
        final String name = "x".repeat(2_000);
        out.string(name).raw(JsonBytes.fragment(","));
        assertEquals('"' + name + "\",", written(out));
        out.reset();
        assertEquals("7", written(out.number(7L)));
    }
}
