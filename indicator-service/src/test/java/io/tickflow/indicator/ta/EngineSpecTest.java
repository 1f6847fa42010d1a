package io.tickflow.indicator.ta;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class EngineSpecTest {

    @Test
    void shouldMapTheDefaultListToDesignKeysWhenParsed() {
        final EngineSpec spec = EngineSpec.parse(EngineSpec.DEFAULT);
        assertEquals(List.of(
                new OutputGroup("sma_20", List.of(), 0),
                new OutputGroup("ema_20", List.of(), 1),
                new OutputGroup("rsi_14", List.of(), 2),
                new OutputGroup("macd_12_26_9", List.of("macd", "signal", "hist"), 3),
                new OutputGroup("bbands_20_2", List.of("upper", "middle", "lower"), 6)), spec.outputs());
        assertEquals(9, spec.width());
        assertEquals(EngineSpec.DEFAULT, spec.canonical());
        assertEquals(9, spec.newEngine().values().length);
    }

    @Test
    void shouldNormaliseCaseWhitespaceAndDefaultDeviationsWhenParsed() {
        final EngineSpec spec = EngineSpec.parse(
                " SMA:20 , wma:10,BBands:20, bbands:10:2:3, bbands:5:1.5:1.5, stddev:20:1, stddev:10:1.5, roc:10,"
                        + " mom:10, vwap:20, ema:50 ");
        assertEquals("sma:20,wma:10,bbands:20:2,bbands:10:2:3,bbands:5:1.5,stddev:20,stddev:10:1.5,roc:10,"
                + "mom:10,vwap:20,ema:50", spec.canonical());
        assertEquals(List.of("sma_20", "wma_10", "bbands_20_2", "bbands_10_2_3", "bbands_5_1.5", "stddev_20",
                        "stddev_10_1.5", "roc_10", "mom_10", "vwap_20", "ema_50"),
                spec.outputs().stream().map(OutputGroup::key).toList());
        assertEquals(EngineSpec.parse(spec.canonical()), spec);
    }

    @ParameterizedTest(name = "[{0}] -> {1}")
    @CsvSource(delimiter = '|', value = {
        "foo:3               | unknown indicator 'foo'",
        "sma                 | sma takes 1 parameter(s), got 0",
        "sma:20:5            | sma takes 1 parameter(s), got 2",
        "macd:12:26          | macd takes 3 parameter(s), got 2",
        "bbands:20:2:2:2     | bbands takes 1..3 parameter(s), got 4",
        "ema:x               | period 'x' is not an integer",
        "ema:2.5             | period '2.5' is not an integer",
        "rsi:0               | period 0 is outside 2..100000",
        "sma:1               | period 1 is outside 2..100000",
        "roc:-3              | period -3 is outside 1..100000",
        "vwap:100001         | period 100001 is outside 1..100000",
        "macd:26:12:9        | fast period 26 must be < slow period 12",
        "macd:12:12:9        | fast period 12 must be < slow period 12",
        "bbands:20:abc       | deviation 'abc' is not a number",
        "bbands:20:-2        | deviation -2 must be finite and > 0",
        "stddev:20:NaN       | deviation NaN must be finite and > 0",
        "wma:50000           | WMA period must be in 2..46340, was 50000",
    })
    void shouldNameTheTokenAndWhatIsAllowedWhenATokenIsBad(final String token, final String reason) {
        final String message = assertThrows(IllegalArgumentException.class,
                () -> EngineSpec.parse("sma:20," + token)).getMessage();
        assertTrue(message.contains("'" + token + "'"), message);
        assertTrue(message.contains(reason), message);
        assertTrue(message.contains(EngineSpec.ALLOWED), message);
    }

    @Test
    void shouldRejectTheSecondTokenWhenTwoMapToTheSameKey() {
        final String message = assertThrows(IllegalArgumentException.class,
                () -> EngineSpec.parse("ema:20,sma:5,EMA:20")).getMessage();
        assertTrue(message.contains("'EMA:20'") && message.contains("duplicate"), message);
        assertThrows(IllegalArgumentException.class, () -> EngineSpec.parse("bbands:20,bbands:20:2:2"));
    }

    @Test
    void shouldRejectTheListWhenEmptyOrHoldingAnEmptyToken() {
        assertThrows(IllegalArgumentException.class, () -> EngineSpec.parse(" "));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> EngineSpec.parse("sma:20,,ema:20"))
                .getMessage().contains("empty token"));
    }
}
