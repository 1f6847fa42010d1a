package io.tickflow.indicator.ta;

import java.util.List;

/**
 * One result key: scalar when {@code parts} is empty ({@code "sma_20"}), else an object
 * ({@code "macd_12_26_9"} → macd, signal, hist). Its values are {@code StockEngine.values()[offset ..
 * offset + max(1, parts.size()))}.
 */
public record OutputGroup(String key, List<String> parts, int offset) {
    public OutputGroup {
        parts = List.copyOf(parts);
    }

    /** How many doubles of {@code StockEngine.values()} belong to this key. */
    public int width() {
        return parts.isEmpty() ? 1 : parts.size();
    }
}
