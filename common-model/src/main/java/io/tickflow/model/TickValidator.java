package io.tickflow.model;

import java.time.Instant;

/**
 * The tick contract ({@code stock_data}'s value, docs/ingest.md), in one place: every surface (HTTP gateway, indicator service, simulators)
 * rejects the same ticks with the same words. Messages name the field and the value.
 */
public final class TickValidator {
    public static final int MAX_STOCK_ID_LENGTH = 32;

    private TickValidator() {
    }

    static void requireValid(final String stockId, final Instant timestamp, final double price, final double volume) {
        requireStockId(stockId);
        if (timestamp == null) {
            throw new InvalidTickException("timestamp", "timestamp is required");
        }
        requirePrice(price);
        requireVolume(volume);
    }

    public static void requireStockId(final String stockId) {
        if (stockId == null) {
            throw new InvalidTickException("stock_id", "stock_id is required");
        }
        final int length = stockId.length();
        if (length == 0 || length > MAX_STOCK_ID_LENGTH) {
            throw new InvalidTickException("stock_id",
                    "stock_id must be 1-" + MAX_STOCK_ID_LENGTH + " characters, was " + length + ": " + quote(stockId));
        }
        for (int i = 0; i < length; i++) {
            if (!isStockIdChar(stockId.charAt(i))) {
                throw new InvalidTickException("stock_id",
                        "stock_id may hold only A-Z a-z 0-9 . - _ : /, was " + quote(stockId));
            }
        }
    }

    public static void requirePrice(final double price) {
        if (!Double.isFinite(price) || price <= 0.0) {
            throw new InvalidTickException("price", "price must be finite and > 0, was " + price);
        }
    }

    public static void requireVolume(final double volume) {
        if (!Double.isFinite(volume) || volume < 0.0) {
            throw new InvalidTickException("volume", "volume must be finite and >= 0, was " + volume);
        }
    }

    private static boolean isStockIdChar(final char c) {
        return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')
                || c == '.' || c == '-' || c == '_' || c == ':' || c == '/';
    }

    /** Quotes a value for an error message, cut short so a hostile input cannot flood the logs. */
    static String quote(final String value) {
        final String cut = value.length() > 64 ? value.substring(0, 64) + "…" : value;
        return '"' + cut.replace("\"", "\\\"") + '"';
    }
}
