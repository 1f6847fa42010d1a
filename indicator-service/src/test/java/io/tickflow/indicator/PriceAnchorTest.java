package io.tickflow.indicator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tickflow.model.TickSanity;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class PriceAnchorTest {
    private static final TickSanity RULE = new TickSanity(1e7, 3.0, 3, Duration.ofMinutes(1));

    @Test
    void shouldAcceptTheFirstPriceAndMovesWithinTheFactor() {
        final PriceAnchor anchor = new PriceAnchor();
        assertTrue(anchor.admit(100, RULE));
        assertTrue(anchor.admit(290, RULE));
        assertTrue(anchor.admit(100, RULE));
        assertEquals(100, anchor.last);
    }

    @Test
    void shouldRefuseASpikeAndKeepTheOldAnchor() {
        final PriceAnchor anchor = new PriceAnchor();
        anchor.admit(100, RULE);
        assertFalse(anchor.admit(1e6, RULE));
        assertTrue(anchor.admit(101, RULE));
        assertEquals(101, anchor.last);
        assertEquals(0, anchor.pendingTicks);
    }

    @Test
    void shouldAcceptANewLevelAfterConfirmTicksAgreeOnIt() {
        final PriceAnchor anchor = new PriceAnchor();
        anchor.admit(100, RULE);
        assertFalse(anchor.admit(2000, RULE)); // a 1:20 reverse split
        assertFalse(anchor.admit(2010, RULE));
        assertFalse(anchor.admit(1990, RULE));
        assertEquals(3, anchor.pendingTicks);
        assertTrue(anchor.admit(2005, RULE), "the tick after three agreeing ones re-anchors the stock");
        assertEquals(2005, anchor.last);
        assertTrue(anchor.admit(2000, RULE));
    }

    @Test
    void shouldRestartTheCountWhenJumpingTicksDisagree() {
        final PriceAnchor anchor = new PriceAnchor();
        anchor.admit(100, RULE);
        assertFalse(anchor.admit(2000, RULE));
        assertFalse(anchor.admit(2000, RULE));
        assertFalse(anchor.admit(1e6, RULE)); // a different level: the run starts over
        assertEquals(1, anchor.pendingTicks);
        assertFalse(anchor.admit(2000, RULE));
        assertEquals(1, anchor.pendingTicks);
    }
}
