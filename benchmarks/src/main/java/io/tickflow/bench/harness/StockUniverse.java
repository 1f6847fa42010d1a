package io.tickflow.bench.harness;

import java.nio.charset.StandardCharsets;

/**
 * The simulated stocks: ids {@code S00000}, {@code S00001}, … and the round-robin order the producer feeds them in
 * (message {@code i} is for stock {@code i mod n}, so every stock gets {@code rate / n} ticks a second).
 */
final class StockUniverse {
    private final String[] ids;
    private final byte[][] keys;

    StockUniverse(final int count) {
        if (count < 1) {
            throw new IllegalArgumentException("stocks must be >= 1, was " + count);
        }
        ids = new String[count];
        keys = new byte[count][];
        for (int i = 0; i < count; i++) {
            ids[i] = String.format("S%05d", i);
            keys[i] = ids[i].getBytes(StandardCharsets.UTF_8);
        }
    }

    int size() {
        return ids.length;
    }

    int stockOf(final long messageIndex) {
        return (int) (messageIndex % ids.length);
    }

    String id(final int stock) {
        return ids[stock];
    }

    byte[] key(final int stock) {
        return keys[stock];
    }

    /**
     * The {@code perClient} stocks of client {@code client}: consecutive blocks wrapping around, so M clients × K
     * stocks cover the universe as evenly as they can.
     */
    String[] subscriptionOf(final int client, final int perClient) {
        final String[] symbols = new String[perClient];
        for (int j = 0; j < perClient; j++) {
            symbols[j] = ids[(int) (((long) client * perClient + j) % ids.length)];
        }
        return symbols;
    }
}
