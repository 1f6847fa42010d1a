package io.tickflow.delivery;

import io.prometheus.metrics.model.registry.PrometheusRegistry;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The history's memory bound: a per-stock length and a total shared by however many stocks there are. */
class StockBookTest {
    private final StockBook book = new StockBook(10, 20, new DeliveryMetrics(new PrometheusRegistry()));

    private void publish(final String stock, final int results) {
        final long from = book.history(stock, Integer.MAX_VALUE).size() == 0
                ? 1 : book.latestResult(stock).seq() + 1;
        for (long seq = from; seq < from + results; seq++) {
            book.accept(TestResults.result(stock, seq));
        }
    }

    @Test
    void shouldShareTheHistoryBudgetAmongStocksAndKeepTheNewestOfEach() {
        publish("A", 12);
        assertEquals(10, book.history("A", 100).size(), "one stock: HISTORY_SIZE bounds it");

        for (String stock : new String[] {"B", "C", "D"}) {
            publish(stock, 10);
        }
        assertEquals(5, book.history("D", 100).size(), "four stocks share 20 results");
        publish("A", 1); // a stock trims to its share with its next result
        assertEquals(5, book.history("A", 100).size());
        assertEquals(13, book.latestResult("A").seq());
        assertEquals(9, Result.parse(book.history("A", 100).get(0)).seq(), "the oldest kept: 13 - 5 + 1");
    }
}
