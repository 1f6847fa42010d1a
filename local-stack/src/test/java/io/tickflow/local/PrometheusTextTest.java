package io.tickflow.local;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class PrometheusTextTest {
    private static final String TYPES = "# TYPE c_total counter\n# TYPE h histogram\n";

    @Test
    void shouldReadWhatClientJavaWritesWhenEveryKindIsPresent() throws Exception {
        final PrometheusRegistry registry = new PrometheusRegistry();
        Counter.builder().name("c_total").help("with \\ and\nnewline").register(registry).inc(3);
        Counter.builder().name("r_total").help("h").labelNames("reason").register(registry)
                .labelValues("a\"b\\c\nd").inc();
        Gauge.builder().name("g").help("h").labelNames("partition").register(registry).labelValues("0").set(-2);
        Histogram.builder().name("h_seconds").help("h").classicOnly().classicUpperBounds(0.00005, 0.001, 1)
                .register(registry).observe(0.0001);
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrometheusTextFormatWriter.create().write(out, registry.scrape());

        final PrometheusText text = PrometheusText.parse(out.toString(StandardCharsets.UTF_8));

        assertEquals(3.0, text.value("c_total"));
        assertEquals("with \\ and\nnewline", text.families().get("c_total").help());
        assertEquals(1.0, text.value("r_total", "reason", "a\"b\\c\nd"));
        assertEquals(-2.0, text.value("g", "partition", "0"));
        assertEquals(1.0, text.value("h_seconds_bucket", "le", "0.001"));
        assertEquals(0.0, text.value("h_seconds_bucket", "le", "5.0E-5"));
        assertEquals(1.0, text.value("h_seconds_count"));
        assertEquals("histogram", text.families().get("h_seconds").type());
    }

    @Test
    void shouldAcceptTimestampsCommentsAndTrailingCommaWhenWellFormed() {
        final PrometheusText text = PrometheusText.parse("# a comment\n# TYPE g gauge\ng{a=\"1\",} NaN 1700000000000\n"
                + "g{a=\"2\"} -Inf\n");
        assertEquals(2, text.samples("g").size());
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "c_total 1\n",                                            // no TYPE
            "# TYPE c_total counter\nc_total 1",                      // no final line feed
            "# TYPE c_total counter\n\nc_total 1\n",                  // empty line
            "# TYPE c_total counter\nc_total  1\n",                   // two spaces
            "# TYPE c_total counter\nc_total 1 2 3\n",                // too many fields
            "# TYPE c_total counter\nc_total 0x1p3\n",                // not a Prometheus float
            "# TYPE c_total counter\nc_total 1 1.5\n",                // timestamp not integer
            "# TYPE c_total counter\nc_total -1\n",                   // negative counter
            "# TYPE c counter\nc 1\n",                                // counter not *_total
            "# TYPE c_total counter\n# TYPE c_total counter\nc_total 1\n", // second TYPE
            "# TYPE c_total kounter\nc_total 1\n",                    // unknown type
            "# TYPE c_total counter\nc_total 1\nc_total 2\n",         // duplicate series
            "# TYPE c_total counter\nc_total{a=\"1\",a=\"2\"} 1\n",   // label twice
            "# TYPE c_total counter\nc_total{a=\"\\t\"} 1\n",         // bad escape
            "# TYPE c_total counter\nc_total{a=\"1} 1\n",             // unterminated value
            "# TYPE c_total counter\nc_total{a=1} 1\n",               // unquoted value
            "# TYPE c_total counter\nc_total{1a=\"1\"} 1\n",          // bad label name
            "# TYPE c_total counter\nc_total{__a=\"1\"} 1\n",         // reserved label name
            "# TYPE c_total counter\nc_total{a=\"1\" b=\"2\"} 1\n",   // no comma
            "# TYPE 1c_total counter\n",                              // bad metric name
            "# HELP x help\n",                                        // HELP without TYPE
            "# TYPE a gauge\n# TYPE b gauge\na 1\nb 1\na{x=\"1\"} 1\n", // family not contiguous
            "# TYPE h histogram\nh 1\n",                                                      // bare histogram
            "# TYPE h histogram\nh_bucket{le=\"+Inf\"} 1\nh_count 1\n",                       // no _sum
            "# TYPE h histogram\nh_bucket{le=\"1\"} 1\nh_count 1\nh_sum 1\n",                 // no +Inf
            "# TYPE h histogram\nh_bucket{le=\"1\"} 2\nh_bucket{le=\"+Inf\"} 1\nh_count 1\nh_sum 1\n", // not monotone
            "# TYPE h histogram\nh_bucket{le=\"2\"} 0\nh_bucket{le=\"1\"} 0\nh_bucket{le=\"+Inf\"} 0\nh_count 0\nh_sum 0\n",
            "# TYPE h histogram\nh_bucket{le=\"+Inf\"} 2\nh_count 1\nh_sum 1\n",             // +Inf != count
            "# TYPE h histogram\nh_bucket{le=\"x\"} 1\nh_bucket{le=\"+Inf\"} 1\nh_count 1\nh_sum 1\n", // le not a number
            "# TYPE h histogram\nh_bucket 1\nh_count 1\nh_sum 1\n",                           // bucket without le
    })
    void shouldRejectWhenMalformed(final String exposition) {
        assertThrows(IllegalArgumentException.class, () -> PrometheusText.parse(exposition));
    }

    @Test
    void shouldNameTheLineWhenRejecting() {
        final IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> PrometheusText.parse(TYPES + "c_total{a=\"1\"} one\n"));
        assertEquals("line 3: expected 'value [timestamp]', got 'one': c_total{a=\"1\"} one", e.getMessage());
    }
}
