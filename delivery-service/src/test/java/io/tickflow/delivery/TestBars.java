package io.tickflow.delivery;

import java.nio.charset.StandardCharsets;
import java.time.Instant;

/** Bar documents for tests, in the contract's shape: bar {@code n} of a stock starts at minute {@code n}. */
final class TestBars {
    static final Instant EPOCH = Instant.parse("2024-06-02T12:00:00Z");

    private TestBars() {
    }

    /** Final bar number {@code seq} of a 1m series. */
    static byte[] fin(final String stockId, final long seq) {
        return bar(stockId, "1m", seq, seq, true, 10, "");
    }

    /** The forming bar after final bar {@code seq - 1}, with {@code trades} trades so far. */
    static byte[] forming(final String stockId, final long seq, final int trades) {
        return bar(stockId, "1m", seq, 0, false, trades, "");
    }

    static byte[] bar(final String stockId, final String interval, final long minute, final long seq,
                      final boolean isFinal, final int trades, final String padding) {
        final Instant start = EPOCH.plusSeconds(60 * minute);
        final double close = 100.0 + minute + trades / 100.0;
        return ("{\"stock_id\":\"" + stockId + "\",\"interval\":\"" + interval + "\",\"start\":\"" + start
                + "\",\"end\":\"" + start.plusSeconds(60) + "\",\"open\":" + (100.0 + minute) + ",\"high\":"
                + (close + 1) + ",\"low\":" + (99.0 + minute) + ",\"close\":" + close + ",\"volume\":" + trades * 100
                + ",\"trades\":" + trades + ",\"vwap\":" + close + ",\"final\":" + isFinal + ",\"seq\":" + seq
                + ",\"indicators\":{\"sma_20\":null,\"rsi_14\":55.5,\"bbands_20_2\":{\"upper\":" + (close + 2)
                + ",\"middle\":" + close + ",\"lower\":" + (close - 2) + "}},\"pad\":\"" + padding + "\"}")
                .getBytes(StandardCharsets.UTF_8);
    }
}
