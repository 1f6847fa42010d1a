package io.tickflow.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.tickflow.model.Json;
import io.tickflow.model.Tick;
import io.tickflow.model.Topics;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static io.tickflow.local.IndicatorTestSupport.await;
import static io.tickflow.local.IngestTestSupport.status;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 18 (3): every metric the provisioned Grafana dashboard (ops/monitoring/grafana/dashboards/tickflow.json)
 * queries is exported by the service its query names with {@code job="…"} (or, without a job, by every service),
 * checked against the live {@code /metrics} of a local stack that has seen traffic of every kind the panels show
 * (good and bad ticks over HTTP, a dead letter, a WebSocket client). The names come from the dashboard itself, so a
 * renamed metric fails here until the dashboard follows. The jobs are those of ops/monitoring/prometheus.yml.
 */
class MonitoringDashboardIT {
    static final Path DASHBOARD = Path.of("..", "ops", "monitoring", "grafana", "dashboards", "tickflow.json");
    static final Path PROMETHEUS = Path.of("..", "ops", "monitoring", "prometheus.yml");
    private static final Instant START = Instant.parse("2024-06-02T12:00:00Z");

    @RegisterExtension
    static final LocalStackExtension STACK = new LocalStackExtension();
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @Test
    void shouldQueryOnlyMetricsTheServicesReallyExport() throws Exception {
        final Map<String, Integer> portByJob = Map.of("ingest", STACK.ingestHttpPort(),
                "indicator", STACK.indicatorHttpPort(), "delivery", STACK.deliveryHttpPort());
        final JsonNode prometheus = new ObjectMapper(new YAMLFactory()).readTree(Files.readAllBytes(PROMETHEUS));
        final Set<String> jobs = new TreeSet<>();
        prometheus.path("scrape_configs").forEach(c -> jobs.add(c.path("job_name").asText()));
        assertTrue(jobs.containsAll(portByJob.keySet()), "prometheus.yml jobs " + jobs);

        final List<PromQl.MetricRef> refs = new ArrayList<>();
        for (String expr : expressions(Json.MAPPER.readTree(Files.readAllBytes(DASHBOARD)))) {
            refs.addAll(PromQl.metrics(expr));
        }
        assertTrue(refs.size() >= 15, "metric references found in the dashboard: " + refs);

        try (WsTestClient client = new WsTestClient(STACK.deliveryWsPort())) {
            traffic(client);
            final Map<String, PrometheusText> scrapes = new TreeMap<>();
            portByJob.forEach((job, port) -> scrapes.put(job, scrape(port)));
            final List<String> missing = new ArrayList<>();
            for (PromQl.MetricRef ref : refs) {
                final Set<String> targets = ref.job() == null ? portByJob.keySet() : Set.of(ref.job());
                for (String job : targets) {
                    assertTrue(portByJob.containsKey(job), "dashboard queries unknown job " + job + ": " + ref);
                    if (!exported(scrapes.get(job), ref.metric())) {
                        missing.add(ref.metric() + " (job=" + job + ")");
                    }
                }
            }
            assertTrue(missing.isEmpty(), "the dashboard queries metrics the services do not export: " + missing
                    + "; they export "
                    + scrapes.entrySet().stream().map(e -> e.getKey() + "=" + new TreeSet<>(e.getValue().families().keySet()))
                    .collect(Collectors.joining("; ")));
        }
    }

    /** Every panel's target expressions, rows' nested panels included. */
    static List<String> expressions(final JsonNode dashboard) {
        final List<String> out = new ArrayList<>();
        final List<JsonNode> panels = new ArrayList<>();
        dashboard.path("panels").forEach(panels::add);
        for (int i = 0; i < panels.size(); i++) {
            panels.get(i).path("panels").forEach(panels::add);
            panels.get(i).path("targets").forEach(t -> out.add(t.path("expr").asText()));
        }
        return out;
    }

    /** A sample name is exported when its family is declared: itself, or a histogram/summary it is a series of. */
    private static boolean exported(final PrometheusText text, final String sample) {
        if (text.families().containsKey(sample)) {
            return true;
        }
        for (String suffix : List.of("_bucket", "_count", "_sum")) {
            if (sample.endsWith(suffix)) {
                final PrometheusText.Family family = text.families()
                        .get(sample.substring(0, sample.length() - suffix.length()));
                if (family != null && (family.type().equals("histogram")
                        || (family.type().equals("summary") && !suffix.equals("_bucket")))) {
                    return true;
                }
            }
        }
        return false;
    }

    /** Traffic that makes every labelled series the dashboard shows appear (a labelled metric needs a first value). */
    private void traffic(final WsTestClient client) throws Exception {
        await("indicator and delivery ready", Duration.ofSeconds(60),
                () -> status(http, STACK.indicatorHttpPort(), "/ready") == 200
                        && status(http, STACK.deliveryHttpPort(), "/ready") == 200);
        client.send("{\"op\":\"subscribe\",\"id\":1,\"symbols\":[\"MON.A\"]}");
        client.next(f -> f.path("type").asText().equals("subscribed"), Duration.ofSeconds(10));
        final String good = IntStream.range(0, 30)
                .mapToObj(i -> new String(Json.encodeTick(Tick.of("MON.A", START.plusSeconds(i), 100 + i, 10)),
                        StandardCharsets.UTF_8))
                .collect(Collectors.joining("\n"));
        assertEquals(202, IngestTestSupport.post(http, STACK.ingestHttpPort(), "application/x-ndjson",
                good.getBytes(StandardCharsets.UTF_8)).statusCode());
        assertEquals(400, IngestTestSupport.post(http, STACK.ingestHttpPort(), "application/json",
                "{\"stock_id\":\"MON.A\",\"timestamp\":\"2024-06-02T12:00:00Z\",\"price\":-1,\"volume\":1}"
                        .getBytes(StandardCharsets.UTF_8)).statusCode());
        try (var producer = IndicatorTestSupport.producer(STACK.bootstrapServers())) {
            IndicatorTestSupport.send(producer, Topics.TICKS, "MON.BAD", "not json".getBytes(StandardCharsets.UTF_8));
            producer.flush();
        }
        client.results(r -> r.size() >= 30, Duration.ofSeconds(60));
        await("the dead letter, a commit and lag in the indicator's metrics", Duration.ofSeconds(30), () -> {
            final PrometheusText indicator = scrape(STACK.indicatorHttpPort());
            return indicator.sum("tickflow_ticks_dead_lettered_total") >= 1
                    && !indicator.samples("tickflow_commits_total").isEmpty()
                    && !indicator.samples("tickflow_consumer_lag").isEmpty();
        });
    }

    private PrometheusText scrape(final int port) {
        try {
            final HttpResponse<String> r = IngestTestSupport.get(http, port, "/metrics");
            assertEquals(200, r.statusCode());
            return PrometheusText.parse(r.body());
        } catch (Exception e) {
            throw new AssertionError("scraping :" + port + "/metrics failed", e);
        }
    }
}
