package io.tickflow.delivery;

import io.tickflow.runtime.ConfigException;
import io.tickflow.runtime.Env;

import java.util.List;
import java.util.regex.Pattern;

/**
 * The bar part of the delivery configuration (a field of {@link DeliveryConfig}), read by {@link #fromEnv}.
 *
 * @param topic           topic of bars ({@code BARS_TOPIC}), read with the results' isolation level
 * @param intervals       intervals delivery accepts ({@code BARS}): a bar record or a request naming another interval
 *                        is rejected; a superset of the indicator service's {@code BARS} does no harm
 * @param historySize     final bars kept per stock and interval ({@code BARS_HISTORY_SIZE}); also the largest
 *                        {@code limit} of a snapshot or of {@code GET /api/bars}
 * @param historyBudget   final bars kept in all, shared by the series ({@code BARS_HISTORY_MAX_BARS})
 * @param snapshotDefault bars in a WebSocket snapshot when the request names no {@code limit}
 *                        ({@code BARS_SNAPSHOT_DEFAULT}, at most {@code BARS_HISTORY_SIZE})
 * @param warmupRecords   bar records read back per partition on start ({@code BARS_WARMUP_RECORDS})
 */
public record BarsConfig(String topic, List<String> intervals, int historySize, int historyBudget,
                         int snapshotDefault, int warmupRecords) {
    private static final Pattern INTERVAL = Pattern.compile("[1-9][0-9]{0,3}[smhd]");

    public BarsConfig {
        intervals = List.copyOf(intervals);
        for (String interval : intervals) {
            if (!INTERVAL.matcher(interval).matches()) {
                throw new ConfigException("BARS=" + String.join(",", intervals) + ": interval '" + interval
                        + "' is not a number and a unit s, m, h or d (e.g. 1m)");
            }
        }
        if (snapshotDefault > historySize) {
            throw new ConfigException("BARS_SNAPSHOT_DEFAULT=" + snapshotDefault + ": must be at most BARS_HISTORY_SIZE="
                    + historySize);
        }
    }

    static BarsConfig fromEnv(final Env env) {
        final int historySize = env.integer("BARS_HISTORY_SIZE", 500, 1, 100_000);
        return new BarsConfig(
                env.string("BARS_TOPIC", "indicator_bars"),
                env.list("BARS", List.of("1s", "1m", "5m", "15m", "1h", "1d")),
                historySize,
                env.integer("BARS_HISTORY_MAX_BARS", 500_000, 1, Integer.MAX_VALUE),
                env.integer("BARS_SNAPSHOT_DEFAULT", Math.min(200, historySize), 1, 100_000),
                env.integer("BARS_WARMUP_RECORDS", 100_000, 0, Integer.MAX_VALUE));
    }
}
