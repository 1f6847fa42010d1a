package io.tickflow.bench.harness;

import java.util.List;

/**
 * A load shape from issue 9: how many stocks, at what rate (or the maximum sustainable rate when {@code findMax}),
 * and how many WebSocket clients subscribed to how many stocks each.
 */
record Scenario(String name, String title, int stocks, long rate, boolean findMax, int clients, int stocksPerClient) {

    static final List<Scenario> STANDARD = List.of(
            new Scenario("s1", "200 stocks at 10k ticks/s", 200, 10_000, false, 10, 20),
            new Scenario("s2", "200 stocks at the maximum sustainable rate", 200, 0, true, 10, 20),
            new Scenario("s3", "10,000 stocks at 50k ticks/s", 10_000, 50_000, false, 10, 1_000),
            new Scenario("s4", "1,000 WebSocket clients x 20 stocks, 200 stocks at 10k ticks/s", 200, 10_000, false,
                    1_000, 20));

    Scenario {
        if (stocks < 1 || clients < 0 || stocksPerClient < 1 || (!findMax && rate < 1)) {
            throw new IllegalArgumentException("bad scenario " + name + ": stocks=" + stocks + " rate=" + rate
                    + " clients=" + clients + " stocksPerClient=" + stocksPerClient);
        }
    }

    static Scenario named(final String name) {
        return STANDARD.stream().filter(s -> s.name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("unknown scenario '" + name
                        + "': expected s1, s2, s3, s4, all or custom"));
    }

    String shape() {
        return (findMax ? "max rate" : String.format("%,d ticks/s", rate)) + String.format(", %,d stocks, %,d clients"
                + " x %,d stocks", stocks, clients, stocksPerClient);
    }
}
