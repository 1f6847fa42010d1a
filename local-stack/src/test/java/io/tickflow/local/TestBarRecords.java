package io.tickflow.local;

import java.nio.charset.StandardCharsets;
import java.time.Instant;

/** {@code indicator_bars} record values per the bar contract, written straight to the topic by tests. */
final class TestBarRecords {
    private TestBarRecords() {
    }

    /** The 1m bar {@code minute} minutes after {@code t0}: final with {@code seq}, or forming with {@code trades}. */
    static byte[] bar(final String stock, final Instant t0, final int minute, final long seq, final boolean isFinal,
                      final int trades) {
        final Instant start = t0.plusSeconds(60L * minute);
        final double open = 100.0 + minute;
        final double close = open + (trades % 7 - 3) * 0.1;
        final double high = Math.max(open, close) + 0.5;
        final double low = Math.min(open, close) - 0.5;
        final String indicators = minute < 3 ? "{\"sma_20\":null,\"rsi_14\":null,\"bbands_20_2\":null,"
                + "\"macd_12_26_9\":null,\"stoch_14_3_3\":null}"
                : "{\"sma_20\":" + (open - 0.2) + ",\"ema_20\":" + (open - 0.1) + ",\"rsi_14\":" + (50 + minute % 20)
                + ",\"bbands_20_2\":{\"upper\":" + (open + 2) + ",\"middle\":" + open + ",\"lower\":" + (open - 2)
                + "},\"macd_12_26_9\":{\"macd\":0.12,\"signal\":0.10,\"hist\":0.02},"
                + "\"stoch_14_3_3\":{\"k\":71.2,\"d\":65.0},\"atr_14\":0.21}";
        return ("{\"stock_id\":\"" + stock + "\",\"interval\":\"1m\",\"start\":\"" + start + "\",\"end\":\""
                + start.plusSeconds(60) + "\",\"open\":" + open + ",\"high\":" + high + ",\"low\":" + low
                + ",\"close\":" + close + ",\"volume\":" + trades * 100 + ",\"trades\":" + trades + ",\"vwap\":"
                + (open + close) / 2 + ",\"final\":" + isFinal + ",\"seq\":" + seq + ",\"indicators\":" + indicators
                + "}").getBytes(StandardCharsets.UTF_8);
    }
}
