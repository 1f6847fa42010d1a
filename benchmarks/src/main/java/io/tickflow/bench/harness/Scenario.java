package io.tickflow.bench.harness;

import java.util.List;

/**
 * A load shape from issues 9 and 17: how many stocks, at what rate (or the maximum sustainable rate when
 * {@code findMax}), and how many WebSocket clients subscribed to how many stocks each. A scenario with {@code burst}
 * ticks sends that many at {@code rate} (high enough to be "at once"), after as many warm-up bursts, instead of a
 * steady run: its figure is how long until the last result is out.
 */
record Scenario(String name, String title, int stocks, long rate, boolean findMax, int clients, int stocksPerClient,
                long burst) {

    static final List<Scenario> STANDARD = List.of(
            new Scenario("s1", "200 stocks at 10k ticks/s", 200, 10_000, false, 10, 20, 0),
            new Scenario("s2", "200 stocks at the maximum sustainable rate", 200, 0, true, 10, 20, 0),
            new Scenario("s3", "10,000 stocks at 50k ticks/s", 10_000, 50_000, false, 10, 1_000, 0),
            new Scenario("s4", "1,000 WebSocket clients x 20 stocks, 200 stocks at 10k ticks/s", 200, 10_000, false,
                    1_000, 20, 0),
            new Scenario("burst", "a back-fill burst: 50k ticks of 8 stocks sent at once", 8, 1_000_000, false, 1, 8,
                    50_000));

    Scenario {
        if (stocks < 1 || clients < 0 || stocksPerClient < 1 || (!findMax && rate < 1) || burst < 0) {
            throw new IllegalArgumentException("bad scenario " + name + ": stocks=" + stocks + " rate=" + rate
                    + " clients=" + clients + " stocksPerClient=" + stocksPerClient);
        }
    }

    static Scenario named(final String name) {
        return STANDARD.stream().filter(s -> s.name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("unknown scenario '" + name
                        + "': expected s1, s2, s3, s4, burst, all or custom"));
    }

    String shape() {
        if (burst > 0) {
            return String.format("%,d ticks at %,d ticks/s, %,d stocks, %,d clients x %,d stocks", burst, rate, stocks,
                    clients, stocksPerClient);
        }
        return (findMax ? "max rate" : String.format("%,d ticks/s", rate)) + String.format(", %,d stocks, %,d clients"
                + " x %,d stocks", stocks, clients, stocksPerClient);
    }
}
