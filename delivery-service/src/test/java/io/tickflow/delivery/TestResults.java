package io.tickflow.delivery;

import java.nio.charset.StandardCharsets;

/** Result documents for tests, in the contract's shape. */
final class TestResults {
    /** ingest_us of seq 0: a redo of a seq repeats its ingest_us, as the indicator service's do. */
    private static final long INGEST_BASE_MICROS = System.currentTimeMillis() * 1000L;

    private TestResults() {
    }

    static byte[] result(final String stockId, final long seq) {
        return result(stockId, seq, 100.0 + seq, "");
    }

    /** A result with an extra {@code pad} field (to make frames big). */
    static byte[] result(final String stockId, final long seq, final double price, final String padding) {
        return ("{\"stock_id\":\"" + stockId + "\",\"seq\":" + seq + ",\"timestamp\":\"2024-06-02T12:34:56Z\","
                + "\"price\":" + price + ",\"volume\":1000,\"indicators\":{\"sma_20\":null},\"pad\":\"" + padding
                + "\",\"ingest_us\":" + (INGEST_BASE_MICROS + seq) + "}").getBytes(StandardCharsets.UTF_8);
    }
}
