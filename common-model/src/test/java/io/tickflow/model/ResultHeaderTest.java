package io.tickflow.model;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class ResultHeaderTest {

    @Test
    void shouldReadTheHeaderWhenTheEncoderWroteIt() {
        final byte[] json = new ResultEncoder(List.of("macd_1_2_3"), List.of(List.of("macd", "signal", "hist")))
                .encode("BRK.B", 42, Instant.EPOCH, 1, 2, new double[]{1, 2, 3}, 7, 9);

        assertEquals(new ResultHeader("BRK.B", 42, 7, 9), ResultHeader.read(json));
    }

    @Test
    void shouldReadZeroStampsWhenTheyAreAbsent() {
        assertEquals(new ResultHeader("A", 1, 0, 0), ResultHeader.read(bytes("{\"stock_id\":\"A\",\"seq\":1}")));
    }

    @ParameterizedTest
    @ValueSource(strings = {"[]", "{\"stock_id\":\"AAPL\"}", "{\"stock_id\":\"AAPL\",", "{\"seq\":1}",
            "{\"stock_id\":\"\",\"seq\":1}", "{\"stock_id\":1,\"seq\":1}", "{\"stock_id\":\"A\",\"seq\":0}",
            "{\"stock_id\":\"A\",\"seq\":1} {}", "not json"})
    void shouldRejectTheDocumentWhenItIsNotAResult(final String json) {
        assertThrows(IllegalArgumentException.class, () -> ResultHeader.read(bytes(json)));
    }

    @Test
    void shouldRejectNullWhenTheRecordIsATombstone() {
        assertThrows(IllegalArgumentException.class, () -> ResultHeader.read(null));
    }

    private static byte[] bytes(final String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
