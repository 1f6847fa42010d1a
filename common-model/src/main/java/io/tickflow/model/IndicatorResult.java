package io.tickflow.model;

import java.time.Instant;
import java.util.Map;

/**
 * The indicators of one stock after one accepted tick: the value of an {@code indicator_results} record.
 *
 * <p>{@code indicators} maps a result key ({@code sma_20}, {@code macd_12_26_9}, …) to a {@link Double} — {@code null}
 * while the indicator's look-back is not yet filled — or, for multi-output indicators, to a {@code Map<String, Double>}
 * ({@code macd/signal/hist}, {@code upper/middle/lower}), in configuration order.
 * {@code seq} counts the stock's accepted ticks from 1. {@code ingestMicros} and {@code computedMicros} are epoch
 * microseconds (tick accepted; result computed), 0 when unknown: they exist to measure latency.
 */
public record IndicatorResult(String stockId, long seq, Instant timestamp, double price, double volume,
                              Map<String, Object> indicators, long ingestMicros, long computedMicros) {
}
