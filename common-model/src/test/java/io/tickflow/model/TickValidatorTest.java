package io.tickflow.model;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Instant;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TickValidatorTest {
    private static final Instant T = Instant.parse("2024-06-02T12:34:56Z");

    @ParameterizedTest
    @ValueSource(strings = {"A", "AAPL", "BRK.B", "BF-B", "ES_F", "NASDAQ:AAPL", "EUR/USD", "abc123",
            "ABCDEFGHIJKLMNOPQRSTUVWXYZ012345"})
    void shouldAcceptStockIdWhenItUsesAllowedCharactersAndLength(final String stockId) {
        assertDoesNotThrow(() -> TickValidator.requireStockId(stockId));
    }

    @ParameterizedTest
    @ValueSource(strings = {"AA PL", "AAPL;", "ÄAPL", "A\"B", "<script>", "A\nB"})
    void shouldRejectStockIdWhenItHoldsAForbiddenCharacter(final String stockId) {
        final InvalidTickException e = assertThrows(InvalidTickException.class,
                () -> TickValidator.requireStockId(stockId));
        assertEquals("stock_id", e.field());
        assertTrue(e.getMessage().contains(stockId.replace("\"", "\\\"")), e.getMessage());
    }

    @Test
    void shouldRejectStockIdWhenEmptyOrLongerThan32() {
        final String tooLong = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456";
        final InvalidTickException longer = assertThrows(InvalidTickException.class,
                () -> TickValidator.requireStockId(tooLong));
        assertEquals("stock_id", longer.field());
        assertTrue(longer.getMessage().contains(tooLong), longer.getMessage());
        assertTrue(longer.getMessage().contains("33"), longer.getMessage());

        assertEquals("stock_id", assertThrows(InvalidTickException.class,
                () -> TickValidator.requireStockId("")).field());
        assertEquals("stock_id", assertThrows(InvalidTickException.class,
                () -> TickValidator.requireStockId(null)).field());
    }

    @Test
    void shouldCutHostileStockIdWhenQuotingItInTheMessage() {
        final String huge = "X".repeat(10_000);
        final InvalidTickException e = assertThrows(InvalidTickException.class,
                () -> TickValidator.requireStockId(huge));
        assertTrue(e.getMessage().length() < 200, "message length " + e.getMessage().length());
    }

    @ParameterizedTest
    @ValueSource(doubles = {0.0, -0.0, -1.5, Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY})
    void shouldRejectPriceWhenNotFiniteOrNotPositive(final double price) {
        final InvalidTickException e = assertThrows(InvalidTickException.class,
                () -> TickValidator.requirePrice(price));
        assertEquals("price", e.field());
        assertTrue(e.getMessage().contains(Double.toString(price)), e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(doubles = {-1.0, -0.001, Double.NaN, Double.POSITIVE_INFINITY})
    void shouldRejectVolumeWhenNegativeOrNotFinite(final double volume) {
        final InvalidTickException e = assertThrows(InvalidTickException.class,
                () -> TickValidator.requireVolume(volume));
        assertEquals("volume", e.field());
        assertTrue(e.getMessage().contains(Double.toString(volume)), e.getMessage());
    }

    @Test
    void shouldAcceptZeroVolumeAndTinyPositivePrice() {
        assertDoesNotThrow(() -> TickValidator.requireVolume(0.0));
        assertDoesNotThrow(() -> TickValidator.requirePrice(Double.MIN_VALUE));
    }

    @Test
    void shouldValidateInTheTickConstructorWhenBuildingATick() {
        assertEquals("timestamp", assertThrows(InvalidTickException.class,
                () -> Tick.of("AAPL", null, 1.0, 1.0)).field());
        assertEquals("price", assertThrows(InvalidTickException.class,
                () -> Tick.of("AAPL", T, 0.0, 1.0)).field());
        assertEquals("volume", assertThrows(InvalidTickException.class,
                () -> Tick.of("AAPL", T, 1.0, -1.0)).field());
        assertEquals("stock_id", assertThrows(InvalidTickException.class,
                () -> Tick.of("A B", T, 1.0, 1.0)).field());
    }
}
