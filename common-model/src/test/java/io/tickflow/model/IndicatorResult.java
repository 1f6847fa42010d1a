package io.tickflow.model;

import com.fasterxml.jackson.databind.JsonNode;

import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Test fixture: a whole result document as a value, for tests that compare results (the services read only the
 * {@link ResultHeader} and write with {@link ResultEncoder}). {@code indicators} maps a result key ({@code sma_20},
 * {@code macd_12_26_9}, …) to a {@link Double} — {@code null} while the look-back is not filled — or, for multi-output
 * indicators, to a {@code Map<String, Double>}, in document order.
 */
public record IndicatorResult(String stockId, long seq, Instant timestamp, double price, double volume,
                              Map<String, Object> indicators, long ingestMicros, long computedMicros) {

    /**
     * Reads a whole result document: the header through {@link ResultHeader#read}, the rest from Jackson's tree.
     * Throws {@link IllegalArgumentException} naming the problem.
     */
    public static IndicatorResult decode(final byte[] json) {
        final ResultHeader header = ResultHeader.read(json);
        final JsonNode root;
        try {
            root = Json.MAPPER.readTree(json);
        } catch (IOException e) {
            throw new IllegalArgumentException("malformed result: " + e.getMessage(), e);
        }
        final JsonNode timestamp = root.get("timestamp");
        if (timestamp == null || !timestamp.isTextual()) {
            throw new IllegalArgumentException("a result needs a timestamp");
        }
        final JsonNode indicators = root.get("indicators");
        if (indicators == null || !indicators.isObject()) {
            throw new IllegalArgumentException("indicators must be an object");
        }
        final Map<String, Object> values = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = indicators.fields(); it.hasNext(); ) {
            final Map.Entry<String, JsonNode> e = it.next();
            if (e.getValue().isObject()) {
                final Map<String, Double> parts = new LinkedHashMap<>();
                for (Iterator<Map.Entry<String, JsonNode>> p = e.getValue().fields(); p.hasNext(); ) {
                    final Map.Entry<String, JsonNode> part = p.next();
                    parts.put(part.getKey(), number(part.getKey(), part.getValue()));
                }
                values.put(e.getKey(), parts);
            } else {
                values.put(e.getKey(), number(e.getKey(), e.getValue()));
            }
        }
        return new IndicatorResult(header.stockId(), header.seq(), Instant.parse(timestamp.asText()),
                required("price", root.get("price")), required("volume", root.get("volume")), values,
                header.ingestMicros(), header.computedMicros());
    }

    /** Writes this result with the services' {@link ResultEncoder} (non-finite values as {@code null}). */
    public byte[] encode() {
        final List<String> keys = new ArrayList<>();
        final List<List<String>> parts = new ArrayList<>();
        final List<Double> flat = new ArrayList<>();
        indicators.forEach((key, value) -> {
            keys.add(key);
            if (value instanceof Map<?, ?> m) {
                final List<String> names = new ArrayList<>();
                m.forEach((part, v) -> {
                    names.add((String) part);
                    flat.add(v == null ? Double.NaN : (Double) v);
                });
                parts.add(names);
            } else {
                parts.add(List.of());
                flat.add(value == null ? Double.NaN : (Double) value);
            }
        });
        final double[] values = flat.stream().mapToDouble(Double::doubleValue).toArray();
        return new ResultEncoder(keys, parts).encode(stockId, seq, timestamp, price, volume, values, ingestMicros,
                computedMicros);
    }

    private static double required(final String field, final JsonNode node) {
        final Double v = number(field, node);
        if (v == null) {
            throw new IllegalArgumentException(field + " must be a number, was null");
        }
        return v;
    }

    private static Double number(final String field, final JsonNode node) {
        if (node == null) {
            throw new IllegalArgumentException(field + " is required");
        }
        if (node.isNull()) {
            return null;
        }
        if (!node.isNumber()) {
            throw new IllegalArgumentException(field + " must be a number or null, was " + node);
        }
        return node.doubleValue();
    }
}
