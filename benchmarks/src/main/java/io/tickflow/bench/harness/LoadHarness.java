package io.tickflow.bench.harness;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.TopicDescription;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The end-to-end load and latency harness (issue 9): for each scenario, drives the tickflow pipeline with paced,
 * open-loop ticks and WebSocket clients, then the raw Kafka two-hop baseline on the same broker at the same rate, and
 * prints a Markdown table of both and their ratio. See {@code docs/benchmarks.md} for the command and the method.
 */
public final class LoadHarness {
    private static final Logger LOG = LoggerFactory.getLogger(LoadHarness.class);
    private static final Duration DRAIN_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration WARMUP_ROUND = Duration.ofSeconds(30);
    private static final Duration BACKLOG_TIMEOUT = Duration.ofMinutes(3);
    private static final int BURST_WARMUPS = 3;

    private final LoadHarnessOptions options;
    private final HarnessClock clock = new HarnessClock();

    LoadHarness(final LoadHarnessOptions options) {
        this.options = options;
    }

    public static void main(final String[] args) throws Exception {
        final LoadHarnessOptions options;
        try {
            options = LoadHarnessOptions.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.err.print(LoadHarnessOptions.USAGE);
            System.exit(2);
            return;
        }
        new LoadHarness(options).run("LoadHarness " + String.join(" ", args));
        System.exit(0);
    }

    void run(final String command) throws Exception {
        try (PipelineTarget target = openTarget()) {
            final ClientSettings settings = new ClientSettings(target.bootstrapServers(), options.lingerMs());
            final StringBuilder report = new StringBuilder();
            final Map<String, ScenarioReport.Measured> ours = new HashMap<>();
            emit(report, ScenarioReport.header(command, target.describe()));
            for (Scenario scenario : options.scenarios()) {
                LOG.info("scenario start name={} shape={}", scenario.name(), scenario.shape());
                try {
                    final ScenarioReport.Measured pipeline = options.baselineOnly()
                            ? null : measurePipeline(settings, target, scenario);
                    final ScenarioReport.Measured baseline = options.pipelineOnly()
                            ? null : measureBaseline(settings, scenario);
                    emit(report, ScenarioReport.table(scenario, pipeline, baseline));
                    if (pipeline != null) {
                        ours.put(scenario.name(), pipeline);
                    }
                } catch (RuntimeException e) {
                    // One scenario that breaks (an overloaded broker timing out, say) must not lose the others.
                    LOG.error("scenario failed name={}", scenario.name(), e);
                    emit(report, String.format("%n### %s — failed: %s%n", scenario.name(), e));
                }
            }
            if (ours.containsKey("s1") && ours.containsKey("s4")) {
                emit(report, ScenarioReport.clientScaling(ours.get("s1"), ours.get("s4")));
            }
            System.out.println();
            System.out.println(report);
        }
    }

    /** Prints a piece of the report as soon as it exists, and appends it to {@code --out}. */
    private void emit(final StringBuilder report, final String markdown) throws IOException {
        report.append(markdown);
        System.out.print(markdown);
        if (options.out() != null) {
            ScenarioReport.append(options.out(), markdown);
        }
    }

    private PipelineTarget openTarget() throws Exception {
        if (!options.local()) {
            return new ExternalTarget(options.bootstrap(), options.webSocket());
        }
        if (options.baselineOnly()) {
            return EmbeddedBrokerTarget.start();
        }
        return LocalStackTarget.start(options.partitions(), options.serviceEnv());
    }

    private ScenarioReport.Measured measurePipeline(final ClientSettings settings, final PipelineTarget target,
                                                    final Scenario scenario) throws InterruptedException {
        final StockUniverse stocks = new StockUniverse(scenario.stocks());
        try (LoadPath path = PipelineLoad.open(settings, clock, stocks, target.webSocket(), scenario.clients(),
                scenario.stocksPerClient(), options.ticksTopic(), options.indicatorGroup(), options.seed(),
                options.maxP99Millis())) {
            final ScenarioReport.Measured measured = measure(path, scenario);
            // A backlog left in the services would eat the CPU the baseline is measured with.
            path.awaitDrained(BACKLOG_TIMEOUT);
            return measured;
        }
    }

    private ScenarioReport.Measured measureBaseline(final ClientSettings settings, final Scenario scenario) {
        final StockUniverse stocks = new StockUniverse(scenario.stocks());
        try (LoadPath path = KafkaBaseline.open(settings, clock, stocks, baselinePartitions(settings),
                TickMessages.typicalSize(stocks), options.resultBytes(), options.maxP99Millis(),
                options.baselineExactlyOnce())) {
            return measure(path, scenario);
        }
    }

    /**
     * A warm-up run (JIT, connections, transactions, first fetches; its figures are thrown away) and a drain, then
     * the measured run(s) on a warm path with no backlog.
     */
    private ScenarioReport.Measured measure(final LoadPath path, final Scenario scenario) {
        if (scenario.burst() > 0) {
            return ScenarioReport.Measured.fixed(burst(path, scenario));
        }
        warmUp(path, scenario.findMax() ? options.startRate() : scenario.rate());
        path.awaitDrained(DRAIN_TIMEOUT); // a cold path's warm-up backlog must not count against the first step
        if (scenario.findMax()) {
            return ScenarioReport.Measured.searched(MaxRateSearch.search(path, options.startRate(),
                    options.stepFactor(), options.maxRate(), options.settle(), options.stepDuration(),
                    options.stepRetries()));
        }
        return ScenarioReport.Measured.fixed(path.run(scenario.rate(), options.settle(), options.duration()));
    }

    /**
     * Discarded runs at {@code rate} in rounds of {@link #WARMUP_ROUND}: at least {@code --warmup} in all, then on
     * while the JIT's compiler threads took more than {@code --warmup-jit-below} µs of CPU per message in the last
     * round, up to {@code --warmup-max}. On a slower or busier host C2 takes longer to catch up, and a window measured
     * while it still compiles measures the compiler (seen: 35–44 µs per message after 90 s on 2 busy cores).
     */
    private void warmUp(final LoadPath path, final long rate) {
        final long minimum = options.warmup().toNanos();
        if (minimum == 0) {
            return;
        }
        final long maximum = Math.max(minimum, options.warmupMax().toNanos());
        long done = 0;
        double jit = Double.MAX_VALUE;
        while (done < minimum || (jit >= options.warmupJitBelow() && done < maximum)) {
            final long round = Math.min(WARMUP_ROUND.toNanos(), done < minimum ? minimum - done : maximum - done);
            LOG.info("warm-up path={} rate={} round={}s done={}s", path.name(), rate, round / 1_000_000_000L,
                    done / 1_000_000_000L);
            jit = path.run(rate, Duration.ZERO, Duration.ofNanos(round)).jitMicrosPerMessage();
            done += round;
        }
        LOG.info("warm-up done path={} seconds={} jitUsPerMsgLastRound={}", path.name(), done / 1_000_000_000L,
                String.format(Locale.ROOT, "%.1f", jit));
    }

    /** Warm-up bursts (the JIT, the first transactions), each drained, then the measured one. */
    private static RunResult burst(final LoadPath path, final Scenario scenario) {
        final Duration sending = Duration.ofNanos(scenario.burst() * 1_000_000_000L / scenario.rate());
        for (int i = 0; i < BURST_WARMUPS; i++) {
            LOG.info("warm-up burst path={} ticks={} round={}", path.name(), scenario.burst(), i + 1);
            path.run(scenario.rate(), Duration.ZERO, sending);
            path.awaitDrained(DRAIN_TIMEOUT);
        }
        return path.run(scenario.rate(), Duration.ZERO, sending);
    }

    /** As many partitions as the pipeline's ticks topic has, so both paths get the same parallelism. */
    private int baselinePartitions(final ClientSettings settings) {
        try (Admin admin = Admin.create(settings.admin())) {
            final Map<String, TopicDescription> topics = admin.describeTopics(List.of(options.ticksTopic()))
                    .allTopicNames().get(10, TimeUnit.SECONDS);
            return topics.get(options.ticksTopic()).partitions().size();
        } catch (Exception e) {
            LOG.info("no topic {} to copy partitions from ({}): baseline uses --partitions {}", options.ticksTopic(),
                    e.getClass().getSimpleName(), options.partitions());
            return options.partitions();
        }
    }
}
