package io.tickflow.local;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class PromQlTest {
    @Test
    void shouldFindTheMetricAndItsJobInsideFunctionsAndAggregations() {
        assertEquals(List.of(new PromQl.MetricRef("tickflow_end_to_end_latency_seconds_bucket", "delivery")),
                PromQl.metrics("histogram_quantile(0.99, sum by (le) (rate("
                        + "tickflow_end_to_end_latency_seconds_bucket{job=\"delivery\"}[$__rate_interval])))"));
        assertEquals(List.of(new PromQl.MetricRef("jvm_memory_used_bytes", null)),
                PromQl.metrics("sum by (job, instance) (jvm_memory_used_bytes{area=\"heap\"})"));
    }

    @Test
    void shouldFindEveryMetricOfABinaryExpressionAndSkipKeywordsNumbersAndOffsets() {
        assertEquals(List.of(new PromQl.MetricRef("a_total", "x"), new PromQl.MetricRef("b_total", null)),
                PromQl.metrics("sum(rate(a_total{job=\"x\"}[5m] offset 1h)) / on (instance) group_left "
                        + "sum without (le) (b_total) * 100 > bool 0.5"));
    }
}
