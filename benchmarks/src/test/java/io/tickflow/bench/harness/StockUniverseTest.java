package io.tickflow.bench.harness;

import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

class StockUniverseTest {

    @Test
    void shouldCoverEveryStockOnceWhenClientsTimesStocksEqualsUniverse() {
        final StockUniverse stocks = new StockUniverse(200);
        final Map<String, Integer> subscribers = new HashMap<>();
        for (int c = 0; c < 10; c++) {
            for (String s : stocks.subscriptionOf(c, 20)) {
                subscribers.merge(s, 1, Integer::sum);
            }
        }
        assertEquals(200, subscribers.size());
        assertEquals(1, subscribers.values().stream().mapToInt(Integer::intValue).max().orElseThrow());
    }

    @Test
    void shouldSpreadSubscribersEvenlyWhenClientsOutnumberStocks() {
        final StockUniverse stocks = new StockUniverse(200);
        final Map<String, Integer> subscribers = new HashMap<>();
        for (int c = 0; c < 1_000; c++) {
            for (String s : stocks.subscriptionOf(c, 20)) {
                subscribers.merge(s, 1, Integer::sum);
            }
        }
        assertEquals(200, subscribers.size());
        assertEquals(100, subscribers.values().stream().mapToInt(Integer::intValue).min().orElseThrow());
        assertEquals(100, subscribers.values().stream().mapToInt(Integer::intValue).max().orElseThrow());
    }

    @Test
    void shouldFeedStocksRoundRobinWhenIndexGrows() {
        final StockUniverse stocks = new StockUniverse(3);
        assertEquals("S00000", stocks.id(stocks.stockOf(0)));
        assertEquals("S00002", stocks.id(stocks.stockOf(5)));
        assertArrayEquals(new String[]{"S00002", "S00000"}, stocks.subscriptionOf(1, 2));
    }

    @Test
    void shouldWriteSubscribeFrameWhenGivenSymbols() {
        assertEquals("{\"op\":\"subscribe\",\"id\":1,\"symbols\":[\"S00000\",\"S00001\"]}",
                LatencyClients.subscribeFrame(new String[]{"S00000", "S00001"}));
    }
}
