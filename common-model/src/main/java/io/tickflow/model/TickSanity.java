package io.tickflow.model;

import io.tickflow.runtime.Env;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The sanity rule that keeps a bad price or clock out of the indicators' state, shared by the gateway (4xx naming the
 * field) and the indicator service (dead-letter topic with {@link #PRICE_OUT_OF_RANGE}, {@link #PRICE_JUMP} or
 * {@link #TIMESTAMP_AHEAD}). A tick passing the contract ({@link TickValidator}) can still be absurd: one fat-finger
 * {@code 1e12} turns the running sums of every window indicator to noise, and a timestamp far in the future would
 * close every bar of its partition at once.
 *
 * <p>Defaults, from the reference series (reference-data): their largest price is 640 and their largest move between
 * two consecutive bars is ×1.43 (MSFT, October 1987). {@code PRICE_MAX} 10,000,000 leaves room for any listed share
 * (BRK.A trades near 750,000); {@code PRICE_MAX_JUMP} 3 (a move to more than 3× or less than a third of the last
 * accepted price) is three times that crash in log terms. A real re-pricing (a reverse split, a feed switching
 * currency) is accepted once {@code PRICE_JUMP_CONFIRM} consecutive ticks agree on the new level: those go to the
 * dead-letter topic, the next one re-anchors the stock.
 *
 * @param maxPrice         {@code PRICE_MAX}: the largest price accepted
 * @param maxJump          {@code PRICE_MAX_JUMP}: the largest factor between a price and its stock's last accepted one
 * @param jumpConfirmTicks {@code PRICE_JUMP_CONFIRM}: agreeing ticks at a new level rejected before it is accepted
 * @param maxAhead         {@code TIMESTAMP_MAX_AHEAD}: how far a tick's timestamp may lie past the receiver's clock
 *                         (gateway) or its Kafka record timestamp (indicator service)
 */
public record TickSanity(double maxPrice, double maxJump, int jumpConfirmTicks, Duration maxAhead) {
    public static final String PRICE_OUT_OF_RANGE = "price_out_of_range";
    public static final String PRICE_JUMP = "price_jump";
    public static final String TIMESTAMP_AHEAD = "timestamp_ahead";

    public static final TickSanity DEFAULT = new TickSanity(1e7, 3.0, 5, Duration.ofMinutes(1));

    public TickSanity {
        if (!(maxPrice > 0.0) || !Double.isFinite(maxPrice)) {
            throw new IllegalArgumentException("PRICE_MAX must be finite and > 0, was " + maxPrice);
        }
        if (!(maxJump > 1.0)) {
            throw new IllegalArgumentException("PRICE_MAX_JUMP must be > 1, was " + maxJump);
        }
        if (jumpConfirmTicks < 1) {
            throw new IllegalArgumentException("PRICE_JUMP_CONFIRM must be >= 1, was " + jumpConfirmTicks);
        }
        if (maxAhead.isNegative()) {
            throw new IllegalArgumentException("TIMESTAMP_MAX_AHEAD must be >= 0, was " + maxAhead);
        }
    }

    public static TickSanity fromEnv(final Env env) {
        return new TickSanity(
                env.number("PRICE_MAX", DEFAULT.maxPrice, Double.MIN_VALUE, Double.MAX_VALUE),
                env.number("PRICE_MAX_JUMP", DEFAULT.maxJump, 1.000001, Double.POSITIVE_INFINITY),
                env.integer("PRICE_JUMP_CONFIRM", DEFAULT.jumpConfirmTicks, 1, 1_000_000),
                env.duration("TIMESTAMP_MAX_AHEAD", DEFAULT.maxAhead));
    }

    /** The reason code when the price is out of range on its own, else null. */
    public String priceOutOfRange(final double price) {
        return price > maxPrice ? PRICE_OUT_OF_RANGE : null;
    }

    /** True when {@code price} is more than {@code maxJump} times above or below {@code reference}. */
    public boolean isJump(final double price, final double reference) {
        return price > reference * maxJump || price * maxJump < reference;
    }

    /** True when {@code timestamp} lies more than {@code maxAhead} past {@code reference}. */
    public boolean isAhead(final Instant timestamp, final Instant reference) {
        return timestamp.isAfter(reference.plus(maxAhead));
    }

    /** The gateway's check against its clock: throws naming the field, the value and the limit. */
    public void requireSane(final Tick tick, final Instant now) {
        if (priceOutOfRange(tick.price()) != null) {
            throw new InvalidTickException("price", "price " + tick.price() + " is above PRICE_MAX=" + maxPrice);
        }
        if (isAhead(tick.timestamp(), now)) {
            throw new InvalidTickException("timestamp", "timestamp " + tick.timestamp() + " is more than "
                    + maxAhead.toSeconds() + " s ahead of this server's clock (" + now + "; TIMESTAMP_MAX_AHEAD)");
        }
    }

    /** The rule's keys and values, for the effective-config line at start. */
    public Map<String, Object> settings() {
        final Map<String, Object> out = new LinkedHashMap<>();
        out.put("PRICE_MAX", maxPrice);
        out.put("PRICE_MAX_JUMP", maxJump);
        out.put("PRICE_JUMP_CONFIRM", jumpConfirmTicks);
        out.put("TIMESTAMP_MAX_AHEAD", maxAhead.toMillis() + "ms");
        return out;
    }
}
