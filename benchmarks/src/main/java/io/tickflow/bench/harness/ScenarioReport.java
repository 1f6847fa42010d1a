package io.tickflow.bench.harness;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.OperatingSystemMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import java.util.function.ToDoubleFunction;

/**
 * The Markdown the README takes: per scenario one table (tickflow, Kafka two-hop, ratio), the find-max steps when
 * there were any, and a header with the machine and the command.
 */
final class ScenarioReport {

    /** One path's figures in a scenario: the run at the scenario's rate, or the search and its best step. */
    record Measured(RunResult result, MaxRateSearch.Outcome search) {
        static Measured fixed(final RunResult result) {
            return new Measured(result, null);
        }

        static Measured searched(final MaxRateSearch.Outcome search) {
            final RunResult best = search.best();
            return new Measured(best != null ? best : search.steps().get(0), search);
        }
    }

    /** How a row compares ours with the baseline. */
    private enum Ratio { FACTOR, PERCENT, NONE }

    private ScenarioReport() {
    }

    static String header(final String command, final String target) {
        return String.format(Locale.ROOT, """
                ## Load harness run %s

                - command: `%s`
                - target: %s
                - machine: %s
                - JVM: %s %s, max heap %d MiB, args %s
                """,
                ZonedDateTime.now(ZoneOffset.UTC).format(DateTimeFormatter.ISO_LOCAL_DATE_TIME).substring(0, 16) + "Z",
                command, target, machine(),
                System.getProperty("java.vm.name"), System.getProperty("java.runtime.version"),
                Runtime.getRuntime().maxMemory() >> 20,
                ManagementFactory.getRuntimeMXBean().getInputArguments());
    }

    /** The scenario's table; {@code ours} is null in a baseline-only run. */
    static String table(final Scenario scenario, final Measured ours, final Measured baseline) {
        final StringBuilder md = new StringBuilder();
        md.append(String.format(Locale.ROOT, "%n### %s — %s%n%n%s%n%n", scenario.name(), scenario.title(),
                scenario.shape()));
        md.append("| metric | tickflow | Kafka two-hop | ratio |\n|---|---:|---:|---:|\n");
        if (scenario.findMax()) {
            row(md, "max sustainable rate (msg/s)", ours, baseline,
                    m -> m.search() == null ? Double.NaN : m.search().maxSustainableRate(), "%,.0f", Ratio.PERCENT);
        }
        row(md, "rate measured below (msg/s)", ours, baseline, m -> m.result().rate(), "%,.0f", Ratio.NONE);
        row(md, "achieved produce rate (msg/s)", ours, baseline, m -> m.result().achievedRate(), "%,.0f",
                Ratio.PERCENT);
        row(md, "updates received (msg/s)", ours, baseline, m -> m.result().receivedRate(), "%,.0f", Ratio.NONE);
        for (double p : new double[]{50, 90, 99, 99.9}) {
            final double percentile = p;
            row(md, "p" + (p == Math.rint(p) ? String.valueOf((int) p) : String.valueOf(p)) + " latency (ms)",
                    ours, baseline, m -> m.result().percentileMillis(percentile), "%.2f", Ratio.FACTOR);
        }
        row(md, "max latency (ms)", ours, baseline, m -> m.result().maxMillis(), "%.2f", Ratio.FACTOR);
        if (scenario.burst() > 0) {
            row(md, "burst: first send → last result received (ms)", ours, baseline,
                    m -> m.result().lastArrivalMillis(), "%.0f", Ratio.FACTOR);
        }
        if (ours != null && ours.result().computeStage().getTotalCount() > 0) {
            for (double p : new double[]{50, 99}) {
                final double percentile = p;
                row(md, "of which tick → computed, p" + (int) p + " (ms)", ours, null,
                        m -> RunResult.percentileMillis(m.result().computeStage(), percentile), "%.2f", Ratio.NONE);
                row(md, "of which computed → client, p" + (int) p + " (ms)", ours, null,
                        m -> RunResult.percentileMillis(m.result().deliveryStage(), percentile), "%.2f", Ratio.NONE);
            }
        }
        row(md, "CPU per message (µs): broker + services / broker + relay", ours, baseline,
                m -> m.result().cpuMicrosPerMessage(), "%.1f", Ratio.FACTOR);
        row(md, "of which the JIT compiler (µs per message; a warm window has little)", ours, baseline,
                m -> m.result().jitMicrosPerMessage(), "%.1f", Ratio.NONE);
        row(md, "cores busy (broker + services / broker + relay)", ours, baseline, m -> m.result().cores(), "%.2f",
                Ratio.FACTOR);
        row(md, "machine load average at end of run (1 min)", ours, baseline, m -> m.result().loadAverage(), "%.2f",
                Ratio.NONE);
        row(md, "consumer lag max (msgs)", ours, baseline, m -> m.result().maxLag(), "%,.0f", Ratio.NONE);
        row(md, "consumer lag at end (msgs)", ours, baseline, m -> m.result().endLag(), "%,.0f", Ratio.NONE);
        md.append("| sustainable (lag bounded, >= 95% produced, p99 in bound) | ")
                .append(text(ours, m -> yesNo(m.result())))
                .append(" | ").append(text(baseline, m -> yesNo(m.result()))).append(" | |\n");
        steps(md, "tickflow", ours);
        steps(md, "Kafka two-hop", baseline);
        return md.toString();
    }

    /** The 1,000-client target: s4's p99 over s1's. */
    static String clientScaling(final Measured s1, final Measured s4) {
        final double s1p99 = s1.result().percentileMillis(99);
        final double s4p99 = s4.result().percentileMillis(99);
        return String.format(Locale.ROOT, "%n1,000 clients (s4) vs 10 clients (s1), tickflow p99: %.2f ms vs %.2f ms ="
                + " %.2fx (target <= 2x: %s)%n", s4p99, s1p99, s4p99 / s1p99, s4p99 / s1p99 <= 2.0 ? "met" : "missed");
    }

    static void append(final Path file, final String markdown) throws IOException {
        Files.writeString(file, markdown, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }

    private static void row(final StringBuilder md, final String metric, final Measured ours, final Measured baseline,
                            final ToDoubleFunction<Measured> value, final String format, final Ratio ratio) {
        final double a = ours == null ? Double.NaN : value.applyAsDouble(ours);
        final double b = baseline == null ? Double.NaN : value.applyAsDouble(baseline);
        md.append("| ").append(metric).append(" | ").append(number(format, a)).append(" | ").append(number(format, b))
                .append(" | ").append(ratio(a, b, ratio)).append(" |\n");
    }

    private static void steps(final StringBuilder md, final String path, final Measured measured) {
        if (measured == null || measured.search() == null) {
            return;
        }
        md.append(String.format(Locale.ROOT, "%n%s steps:%n%n| rate | achieved | p50 ms | p99 ms | CPU µs/msg | lag max"
                + " | lag end | load | sustainable |%n|---:|---:|---:|---:|---:|---:|---:|---:|---|%n", path));
        final List<RunResult> steps = measured.search().steps();
        for (RunResult r : steps) {
            md.append(String.format(Locale.ROOT, "| %,d | %,.0f | %.2f | %.2f | %.1f | %,d | %,d | %.2f | %s |%n",
                    r.rate(), r.achievedRate(), r.percentileMillis(50), r.percentileMillis(99),
                    r.cpuMicrosPerMessage(), r.maxLag(), r.endLag(), r.loadAverage(), yesNo(r)));
        }
    }

    private static String yesNo(final RunResult r) {
        return r.sustainable() ? "yes" : "no";
    }

    private static String text(final Measured m, final Function<Measured, String> value) {
        return m == null ? "–" : value.apply(m);
    }

    private static String number(final String format, final double value) {
        return Double.isNaN(value) ? "–" : String.format(Locale.ROOT, format, value);
    }

    /** Latency: ours / baseline as a factor; throughput: ours as a percentage of the baseline. */
    private static String ratio(final double ours, final double baseline, final Ratio ratio) {
        if (ratio == Ratio.NONE || Double.isNaN(ours) || Double.isNaN(baseline) || baseline == 0.0) {
            return "";
        }
        return ratio == Ratio.PERCENT
                ? String.format(Locale.ROOT, "%.0f%%", 100.0 * ours / baseline)
                : String.format(Locale.ROOT, "%.2fx", ours / baseline);
    }

    private static String machine() {
        final int cores = Runtime.getRuntime().availableProcessors();
        String cpu = "unknown CPU";
        try {
            cpu = Files.readAllLines(Path.of("/proc/cpuinfo")).stream()
                    .filter(l -> l.startsWith("model name"))
                    .map(l -> l.substring(l.indexOf(':') + 1).trim())
                    .findFirst().orElse(cpu);
        } catch (IOException | RuntimeException e) {
            // not Linux: the core count and OS still say enough
        }
        return String.format(Locale.ROOT, "%d cores (%s), %s %s, %d GiB RAM", cores, cpu,
                System.getProperty("os.name"), System.getProperty("os.version"), physicalMemoryGiB());
    }

    private static long physicalMemoryGiB() {
        final OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
        return os instanceof com.sun.management.OperatingSystemMXBean sun ? sun.getTotalMemorySize() >> 30 : -1;
    }
}
