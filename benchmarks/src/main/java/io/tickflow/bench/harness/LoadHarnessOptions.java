package io.tickflow.bench.harness;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Command line of {@link LoadHarness}: {@code --name value} pairs and flags, each default next to its name in
 * {@link #parse}. A bad or unknown option fails naming it.
 */
record LoadHarnessOptions(List<Scenario> scenarios, String bootstrap, URI webSocket, boolean baselineOnly,
                          boolean pipelineOnly, boolean baselineExactlyOnce,
                          Duration duration, Duration warmup, double warmupJitBelow, Duration warmupMax,
                          Duration settle, Duration stepDuration,
                          long startRate, int stepRetries,
                          double stepFactor, long maxRate, double maxP99Millis, int lingerMs, int resultBytes,
                          int partitions,
                          String ticksTopic, String indicatorGroup, long seed, Map<String, String> serviceEnv,
                          Path out) {

    static final String USAGE = """
            usage: LoadHarness [--scenario s1|s2|s3|s4|burst|all|custom] [target] [load] [timing]
              target (default: --local, the whole stack in this JVM)
                --local                      embedded Kafka + the three services in this JVM (LocalStack)
                --bootstrap host:port        an external pipeline's Kafka ...
                --ws ws://host:8090/         ... and its delivery WebSocket
                --baseline-only              measure only raw Kafka (an embedded broker unless --bootstrap is given)
                --pipeline-only              skip the baseline (tuning runs)
                --baseline-eos               baseline relay as a transaction per poll, sink read_committed
                --service-env KEY=VALUE      extra environment for the local stack's services (repeatable)
                --partitions 4               partitions of the local topics (and of the baseline's)
              load (for --scenario custom; they also override the standard scenarios' values)
                --stocks 200  --rate 10000  --clients 10  --stocks-per-client 20  --find-max
              timing
                --warmup 90s                          discarded runs first, per path and scenario (JIT: the
                                                      pipeline still compiles after 30 s of load; backlog) ...
                --warmup-jit-below 10                 ... in 30 s rounds, until the JIT took less than this many
                                                      µs of CPU per message in the last round (0 = off) ...
                --warmup-max 300s                     ... or this much warm-up has run
                --duration 60s                        measured window of a fixed-rate run
                --settle 2s                           start of each run not recorded (idle -> rate)
                --step-duration 60s                   measured window of each --find-max step
                --start-rate 20000  --step-factor 1.25  --max-rate 1000000  --step-retries 1
                --max-p99-ms 1000                     a run whose p99 is above this is not sustainable
              clients and payloads
                --linger-ms 1  --result-bytes 400  --ticks-topic stock_data  --indicator-group tickflow-indicator
                --seed 42  --out results.md (append the Markdown report)
            """;

    static LoadHarnessOptions parse(final String[] args) {
        final Map<String, String> values = new LinkedHashMap<>();
        final Map<String, String> serviceEnv = new HashMap<>();
        for (int i = 0; i < args.length; i++) {
            final String arg = args[i];
            switch (arg) {
                case "--local", "--baseline-only", "--pipeline-only", "--baseline-eos", "--find-max" ->
                        values.put(arg, "true");
                case "--help", "-h" -> throw new IllegalArgumentException("help requested");
                case "--service-env" -> {
                    final String pair = valueAfter(args, i++);
                    final int eq = pair.indexOf('=');
                    if (eq < 1) {
                        throw new IllegalArgumentException("--service-env wants KEY=VALUE, was '" + pair + "'");
                    }
                    serviceEnv.put(pair.substring(0, eq), pair.substring(eq + 1));
                }
                default -> {
                    if (!arg.startsWith("--")) {
                        throw new IllegalArgumentException("unexpected argument '" + arg + "'");
                    }
                    values.put(arg, valueAfter(args, i++));
                }
            }
        }
        final Options o = new Options(values);
        final String bootstrap = o.string("--bootstrap", null);
        final String ws = o.string("--ws", null);
        if (o.flag("--local") && bootstrap != null) {
            throw new IllegalArgumentException("--local and --bootstrap exclude each other");
        }
        final boolean baselineOnly = o.flag("--baseline-only");
        if (bootstrap != null && ws == null && !baselineOnly) {
            throw new IllegalArgumentException("--bootstrap needs --ws (the delivery WebSocket), or --baseline-only");
        }
        final boolean pipelineOnly = o.flag("--pipeline-only");
        if (baselineOnly && pipelineOnly) {
            throw new IllegalArgumentException("--baseline-only and --pipeline-only exclude each other");
        }
        final List<Scenario> scenarios = scenarios(o);
        final LoadHarnessOptions options = new LoadHarnessOptions(
                scenarios,
                bootstrap,
                ws == null ? null : URI.create(ws),
                baselineOnly,
                pipelineOnly,
                o.flag("--baseline-eos"),
                o.duration("--duration", Duration.ofSeconds(60)),
                o.duration("--warmup", Duration.ofSeconds(90)),
                o.decimal("--warmup-jit-below", 10.0),
                o.duration("--warmup-max", Duration.ofSeconds(300)),
                o.duration("--settle", Duration.ofSeconds(2)),
                o.duration("--step-duration", Duration.ofSeconds(60)),
                o.integer("--start-rate", 20_000),
                (int) o.integer("--step-retries", 1),
                o.decimal("--step-factor", 1.25),
                o.integer("--max-rate", 1_000_000),
                o.decimal("--max-p99-ms", 1_000.0),
                (int) o.integer("--linger-ms", 1),
                (int) o.integer("--result-bytes", 400),
                (int) o.integer("--partitions", 4),
                o.string("--ticks-topic", "stock_data"),
                o.string("--indicator-group", "tickflow-indicator"),
                o.integer("--seed", 42),
                Map.copyOf(serviceEnv),
                o.string("--out", null) == null ? null : Path.of(o.string("--out", null)));
        o.rejectUnused();
        if (options.warmupJitBelow() < 0) {
            throw new IllegalArgumentException("--warmup-jit-below must be >= 0, was " + options.warmupJitBelow());
        }
        if (options.stepFactor() <= 1.0) {
            throw new IllegalArgumentException("--step-factor must be > 1, was " + options.stepFactor());
        }
        return options;
    }

    boolean local() {
        return bootstrap == null;
    }

    private static List<Scenario> scenarios(final Options o) {
        final String name = o.string("--scenario", "s1");
        final List<Scenario> base = switch (name) {
            case "all" -> Scenario.STANDARD;
            case "custom" -> List.of(new Scenario("custom", "custom load", 200, 10_000, false, 10, 20, 0));
            default -> {
                final List<Scenario> named = new ArrayList<>();
                for (String n : name.split(",")) {
                    named.add(Scenario.named(n.trim()));
                }
                yield named;
            }
        };
        final List<Scenario> result = new ArrayList<>();
        for (Scenario s : base) {
            final boolean findMax = o.flag("--find-max") || s.findMax();
            result.add(new Scenario(s.name(), s.title(),
                    (int) o.integer("--stocks", s.stocks()),
                    findMax ? 0 : o.integer("--rate", s.rate()),
                    findMax,
                    (int) o.integer("--clients", s.clients()),
                    (int) o.integer("--stocks-per-client", s.stocksPerClient()),
                    s.burst()));
        }
        return result;
    }

    private static String valueAfter(final String[] args, final int i) {
        if (i + 1 >= args.length) {
            throw new IllegalArgumentException(args[i] + " needs a value");
        }
        return args[i + 1];
    }

    /** Typed reads of the parsed values, remembering which were used so leftovers can be reported as unknown. */
    private static final class Options {
        private final Map<String, String> values;
        private final Map<String, String> unused;

        Options(final Map<String, String> values) {
            this.values = values;
            this.unused = new HashMap<>(values);
        }

        String string(final String name, final String fallback) {
            unused.remove(name);
            return values.getOrDefault(name, fallback);
        }

        boolean flag(final String name) {
            unused.remove(name);
            return values.containsKey(name);
        }

        long integer(final String name, final long fallback) {
            final String raw = string(name, null);
            if (raw == null) {
                return fallback;
            }
            try {
                final long value = Long.parseLong(raw.replace("_", "").replace(",", ""));
                if (value < 0) {
                    throw new NumberFormatException("negative");
                }
                return value;
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(name + " wants a non-negative integer, was '" + raw + "'");
            }
        }

        double decimal(final String name, final double fallback) {
            final String raw = string(name, null);
            try {
                return raw == null ? fallback : Double.parseDouble(raw);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(name + " wants a number, was '" + raw + "'");
            }
        }

        /** {@code 500ms}, {@code 30s}, {@code 2m}, or plain seconds. */
        Duration duration(final String name, final Duration fallback) {
            final String raw = string(name, null);
            if (raw == null) {
                return fallback;
            }
            try {
                if (raw.endsWith("ms")) {
                    return Duration.ofMillis(Long.parseLong(raw.substring(0, raw.length() - 2)));
                }
                if (raw.endsWith("s")) {
                    return Duration.ofSeconds(Long.parseLong(raw.substring(0, raw.length() - 1)));
                }
                if (raw.endsWith("m")) {
                    return Duration.ofMinutes(Long.parseLong(raw.substring(0, raw.length() - 1)));
                }
                return Duration.ofSeconds(Long.parseLong(raw));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(name + " wants a duration like 500ms, 30s or 2m, was '" + raw + "'");
            }
        }

        void rejectUnused() {
            if (!unused.isEmpty()) {
                throw new IllegalArgumentException("unknown option(s) " + unused.keySet());
            }
        }
    }
}
