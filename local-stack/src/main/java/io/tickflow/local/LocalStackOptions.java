package io.tickflow.local;

import io.tickflow.runtime.Env;

import java.nio.file.Path;
import java.util.Map;

/**
 * What the local stack runs: ports (0 = any free port), the simulated feed, and the broker's data directory.
 * {@link #fromEnv} reads the same keys a newcomer can set before the one-command run.
 *
 * @param stocks        simulated stocks (0 = no simulator: tests feed ticks themselves)
 * @param ticksPerSecond simulated feed rate
 * @param partitions    partitions of {@code stock_data} and {@code indicator_results}
 * @param dataDir       broker log directory; {@code null} = a temporary directory deleted on close
 * @param serviceEnv    extra environment for the three services (e.g. {@code INDICATORS}, {@code WS_AUTH_TOKENS})
 */
public record LocalStackOptions(int kafkaPort, int ingestPort, int indicatorPort, int deliveryHttpPort,
                                int deliveryWsPort, int stocks, int ticksPerSecond, long seed, int partitions,
                                Path dataDir, Map<String, String> serviceEnv) {

    /** Every port free-chosen, no simulator, temporary data: the end-to-end tests' fixture. */
    public static LocalStackOptions forTests(final Map<String, String> serviceEnv) {
        return new LocalStackOptions(0, 0, 0, 0, 0, 0, 0, 42L, 4, null, serviceEnv);
    }

    /** The one-command run: the default ports (README, "Configuration") and a 200-stock simulated feed. */
    public static LocalStackOptions fromEnv(final Map<String, String> vars) {
        final Env env = new Env(vars);
        return new LocalStackOptions(
                env.port("LOCAL_KAFKA_PORT", 9092),
                env.port("INGEST_HTTP_PORT", 8081),
                env.port("INDICATOR_HTTP_PORT", 8082),
                env.port("DELIVERY_HTTP_PORT", 8080),
                env.port("DELIVERY_WS_PORT", 8090),
                env.integer("SIM_STOCKS", 200, 0, 100_000),
                env.integer("SIM_RATE", 2_000, 1, 10_000_000),
                env.integer("SIM_SEED", 42, 0, Integer.MAX_VALUE),
                env.integer("TOPIC_PARTITIONS", 8, 1, 1_000),
                null,
                vars);
    }

    public LocalStackOptions withSimulator(final int stockCount, final int rate) {
        return new LocalStackOptions(kafkaPort, ingestPort, indicatorPort, deliveryHttpPort, deliveryWsPort,
                stockCount, rate, seed, partitions, dataDir, serviceEnv);
    }
}
