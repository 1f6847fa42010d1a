package io.tickflow.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class ActiveStocksTest {
    private final AtomicLong now = new AtomicLong();
    private final ActiveStocks stocks = new ActiveStocks(2, 100, now::get);

    @Test
    void shouldRefuseANewStockAtTheLimitAndAdmitItOnceAnotherWentIdle() {
        assertTrue(stocks.admit("A"));
        assertTrue(stocks.admit("B"));
        assertFalse(stocks.admit("C"));
        now.set(60);
        assertTrue(stocks.admit("A"), "an active stock always passes");
        now.set(150); // B idle since 0, A seen at 60
        assertTrue(stocks.admit("C"), "B went idle: C takes its slot");
        assertEquals(2, stocks.size());
        assertFalse(stocks.admit("D"), "A and C are active");
    }
}
