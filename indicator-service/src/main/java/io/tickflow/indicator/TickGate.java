package io.tickflow.indicator;

import io.tickflow.model.InvalidTickException;
import io.tickflow.model.Json;
import io.tickflow.model.Tick;
import io.tickflow.model.TickSanity;
import org.apache.kafka.clients.consumer.ConsumerRecord;

import java.nio.charset.StandardCharsets;
import java.time.Instant;

/**
 * The checks a tick record passes or fails on its own bytes, run once on the poll thread before the record goes to its
 * lane: a key, a value, the tick contract ({@link Json#decodeTick}), key = stock_id, and the stateless part of the
 * sanity rule ({@code PRICE_MAX}, {@code TIMESTAMP_MAX_AHEAD}). The verdict travels with the record in
 * {@link LaneProcessor.Work}: the decoded {@link Tick}, or the code and reason the lane sends to the dead-letter topic
 * (the lane sends it, so a stock's outputs stay in its lane's order). Only a record that passes here moves its
 * partition's stream time ({@link StreamTimes}); the price-jump rule needs the stock's history and stays in the lane.
 * Decoding here, once, is what gives the poll thread the tick's timestamp; the lane does not decode again.
 * Stateless, used by the poll thread only.
 */
final class TickGate {
    private final TickSanity sanity;

    TickGate(final TickSanity sanity) {
        this.sanity = sanity;
    }

    /**
     * The record with its verdict, stamped with its partition's stream time as of itself: a record that passes moves
     * {@code times} to its timestamp first; a rejected one carries the time unchanged.
     */
    LaneProcessor.Work admit(final ConsumerRecord<byte[], byte[]> record, final long polledNanos,
                             final StreamTimes times) {
        final byte[] key = record.key();
        if (key == null) {
            return rejected(record, polledNanos, times, "no_key",
                    "record has no key (the key must be the tick's stock_id)");
        }
        if (record.value() == null) {
            return rejected(record, polledNanos, times, "malformed",
                    "record has no value (a null/tombstone is not a tick)");
        }
        final Tick tick;
        try {
            tick = Json.decodeTick(record.value());
        } catch (InvalidTickException e) {
            return rejected(record, polledNanos, times, e.field().isEmpty() ? "malformed" : e.field(),
                    e.getMessage());
        }
        if (!sameAscii(key, tick.stockId())) {
            return rejected(record, polledNanos, times, "key_mismatch", "record key " + quoted(key)
                    + " differs from stock_id \"" + tick.stockId() + "\"");
        }
        final String outOfRange = sanity.priceOutOfRange(tick.price());
        if (outOfRange != null) {
            return rejected(record, polledNanos, times, outOfRange, "price " + tick.price() + " is above PRICE_MAX="
                    + sanity.maxPrice());
        }
        if (record.timestamp() >= 0 && sanity.isAhead(tick.timestamp(), Instant.ofEpochMilli(record.timestamp()))) {
            return rejected(record, polledNanos, times, TickSanity.TIMESTAMP_AHEAD, "timestamp " + tick.timestamp()
                    + " is more than " + sanity.maxAhead().toSeconds() + " s ahead of its Kafka record timestamp "
                    + Instant.ofEpochMilli(record.timestamp()) + " (TIMESTAMP_MAX_AHEAD)");
        }
        return new LaneProcessor.Work(record, polledNanos, tick, null, null, record.partition(),
                times.stamp(record.partition(), tick.timestamp().toEpochMilli()));
    }

    private static LaneProcessor.Work rejected(final ConsumerRecord<byte[], byte[]> record, final long polledNanos,
                                               final StreamTimes times, final String code, final String reason) {
        return new LaneProcessor.Work(record, polledNanos, null, code, reason, record.partition(),
                times.of(record.partition()));
    }

    /** The key bytes spell the stock id (stock ids are ASCII by contract): no allocation. */
    private static boolean sameAscii(final byte[] key, final String stockId) {
        if (key.length != stockId.length()) return false;
        for (int i = 0; i < key.length; i++) {
            if (key[i] != (byte) stockId.charAt(i) || stockId.charAt(i) > 0x7f) return false;
        }
        return true;
    }

    private static String quoted(final byte[] key) {
        final String text = new String(key, StandardCharsets.UTF_8);
        return '"' + (text.length() > 64 ? text.substring(0, 64) + "…" : text) + '"';
    }
}
