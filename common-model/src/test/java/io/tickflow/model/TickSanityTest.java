package io.tickflow.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tickflow.runtime.ConfigException;
import io.tickflow.runtime.Env;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TickSanityTest {
    private static final TickSanity RULE = TickSanity.DEFAULT;
    private static final Instant NOW = Instant.parse("2024-06-02T12:00:00Z");

    @Test
    void shouldRefuseOnlyPricesAbovePriceMax() {
        assertNull(RULE.priceOutOfRange(639.95));
        assertNull(RULE.priceOutOfRange(750_000)); // BRK.A
        assertEquals(TickSanity.PRICE_OUT_OF_RANGE, RULE.priceOutOfRange(1e12));
    }

    @Test
    void shouldCallAJumpOnlyBeyondTheFactorInEitherDirection() {
        assertFalse(RULE.isJump(300, 100));
        assertTrue(RULE.isJump(300.01, 100));
        assertFalse(RULE.isJump(100.0 / 3, 100));
        assertTrue(RULE.isJump(33.33, 100));
        assertFalse(RULE.isJump(100 * 1.4287, 100), "the largest move of the reference series passes");
    }

    @Test
    void shouldNameTheFieldAndTheLimitWhenTheGatewayRefuses() {
        final InvalidTickException price = assertThrows(InvalidTickException.class,
                () -> RULE.requireSane(Tick.of("AAPL", NOW, 1e12, 1), NOW));
        assertEquals("price", price.field());
        assertTrue(price.getMessage().contains("PRICE_MAX=1.0E7"), price.getMessage());
        final InvalidTickException ahead = assertThrows(InvalidTickException.class,
                () -> RULE.requireSane(Tick.of("AAPL", NOW.plusSeconds(61), 100, 1), NOW));
        assertEquals("timestamp", ahead.field());
        RULE.requireSane(Tick.of("AAPL", NOW.plusSeconds(60), 100, 1), NOW);
    }

    @Test
    void shouldReadTheRuleFromTheEnvironmentAndRefuseAJumpFactorOfOneOrLess() {
        final TickSanity rule = TickSanity.fromEnv(new Env(Map.of("PRICE_MAX", "5000", "PRICE_MAX_JUMP", "1.5",
                "PRICE_JUMP_CONFIRM", "2", "TIMESTAMP_MAX_AHEAD", "5s")));
        assertEquals(new TickSanity(5000, 1.5, 2, Duration.ofSeconds(5)), rule);
        final ConfigException e = assertThrows(ConfigException.class,
                () -> TickSanity.fromEnv(new Env(Map.of("PRICE_MAX_JUMP", "1"))));
        assertTrue(e.getMessage().startsWith("PRICE_MAX_JUMP=1"), e.getMessage());
    }
}
