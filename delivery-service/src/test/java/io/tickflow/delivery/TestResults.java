package io.tickflow.delivery;

import java.nio.charset.StandardCharsets;

/** Result documents for tests, in the contract's shape. */
final class TestResults {
    private TestResults() {
    }

    static byte[] result(final String stockId, final long seq) {
        return result(stockId, seq, 100.0 + seq, "");
    }

    /** A result with an extra {@code pad} field (to make frames big). */
    static byte[] result(final String stockId, final long seq, final double price, final String padding) {
        return ("{\"stock_id\":\"" + stockId + "\",\"seq\":" + seq + ",\"timestamp\":\"2024-06-02T12:34:56Z\","
                + "\"price\":" + price + ",\"volume\":1000,\"indicators\":{\"sma_20\":null},\"pad\":\"" + padding
                + "\",\"ingest_us\":" + System.currentTimeMillis() * 1000L + "}").getBytes(StandardCharsets.UTF_8);
    }
}
