package io.tickflow.indicator;

import io.tickflow.model.TickSanity;

/**
 * One stock's reference for the price-jump rule ({@link TickSanity}): the last accepted price, and the new level that
 * consecutive jumping ticks agree on so far. Plain data, kept in the state record, so a crash redo rejects and
 * accepts exactly the same ticks. Confined to the lane thread that owns the stock.
 */
final class PriceAnchor {
    /** The last accepted price; NaN before the stock's first tick (the first tick is its own reference). */
    double last = Double.NaN;
    /** The level the current run of jumping ticks agrees on, and how many ticks the run has had. */
    double pending = Double.NaN;
    int pendingTicks;

    /**
     * Whether {@code price} may reach the engine. A jump from the last accepted price is refused, unless it is the
     * tick after {@code jumpConfirmTicks} consecutive refused ticks that agree (within the rule) on the new level.
     * Either way the anchor moves: call it only for ticks that would otherwise be applied.
     */
    boolean admit(final double price, final TickSanity rule) {
        if (Double.isNaN(last) || !rule.isJump(price, last)) {
            accept(price);
            return true;
        }
        pendingTicks = pendingTicks > 0 && !rule.isJump(price, pending) ? pendingTicks + 1 : 1;
        pending = price;
        if (pendingTicks > rule.jumpConfirmTicks()) {
            accept(price);
            return true;
        }
        return false;
    }

    private void accept(final double price) {
        last = price;
        pending = Double.NaN;
        pendingTicks = 0;
    }
}
