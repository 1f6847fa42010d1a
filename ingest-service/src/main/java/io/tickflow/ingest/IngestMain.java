package io.tickflow.ingest;

import io.prometheus.metrics.instrumentation.jvm.JvmMetrics;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.tickflow.runtime.AuthFailures;
import io.tickflow.runtime.BearerAuth;
import io.tickflow.runtime.ConfigException;
import io.tickflow.runtime.EffectiveConfig;
import io.tickflow.runtime.ServiceHttpServer;
import io.tickflow.runtime.ServiceStart;
import io.tickflow.runtime.StartFailure;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.ZoneId;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

/**
 * The ingest service's entry point. Subcommands: {@code serve} (default) runs the HTTP tick gateway,
 * {@code simulate} a synthetic feed and {@code replay} CSV files, the last two publishing straight to Kafka. Each has
 * {@code --help}; Kafka and the topic come from the environment ({@link IngestConfig}). Each first waits for Kafka
 * ({@link ServiceStart#requireKafka}). Exit codes: 0 done, 1 failed (e.g. ticks Kafka did not acknowledge; a start
 * that cannot listen or reach Kafka, in one line), 2 bad command line or configuration.
 */
public final class IngestMain implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(IngestMain.class);
    private static final Duration READY_CHECK_INTERVAL = Duration.ofSeconds(2);

    private final TickPublisher publisher;
    private final KafkaHealth health;
    private final ServiceHttpServer http;
    private final CountDownLatch closed = new CountDownLatch(1);

    private IngestMain(final TickPublisher publisher, final KafkaHealth health, final ServiceHttpServer http) {
        this.publisher = publisher;
        this.health = health;
        this.http = http;
    }

    public static void main(final String[] args) {
        System.exit(run(Arrays.asList(args), System.getenv(), System.out, System.err));
    }

    /** Runs the HTTP gateway ({@code serve}) and returns once it accepts requests. */
    public static IngestMain start(final IngestConfig config) {
        EffectiveConfig.log(LOG, "ingest", config.settings(), config.kafka());
        final PrometheusRegistry registry = new PrometheusRegistry();
        JvmMetrics.builder().register(registry);
        final IngestMetrics metrics = new IngestMetrics(registry);
        final TickPublisher publisher = TickPublisher.create(config.kafka(), config.publishTimeout(),
                config.ticksTopic(), "http", metrics);
        final KafkaHealth health = new KafkaHealth(config.kafka(), READY_CHECK_INTERVAL);
        try {
            final ServiceHttpServer http = new ServiceHttpServer("ingest", config.httpHost(), config.httpPort(),
                    config.httpThreads(), config.httpLimits(), registry);
            final AuthFailures authFailures = new AuthFailures();
            http.route("/ticks", new TickGateway(publisher, metrics, Clock.systemUTC(), config.maxBodyBytes(),
                    config.publishTimeout(), config.retryAfter(), config.sanity(),
                    new ActiveStocks(config.maxStocks(), config.stockIdle().toNanos(), System::nanoTime),
                    new BearerAuth(config.authTokens(), authFailures)));
            http.protectMetrics(new BearerAuth(config.metricsTokens(), authFailures));
            http.readyWhen("kafka", health::reachable);
            health.start();
            http.start();
            return new IngestMain(publisher, health, http);
        } catch (IOException | UncheckedIOException e) { // a port in use fails the bind (IOException) or start
            health.close();
            publisher.close();
            throw StartFailure.cannotListen(config.httpHost(), config.httpPort(), "HTTP_PORT", e);
        }
    }

    /** The bound HTTP port. */
    public int httpPort() {
        return http.port();
    }

    /** Stops accepting requests, then flushes and closes the producer. */
    @Override
    public void close() {
        if (closed.getCount() == 0) {
            return;
        }
        LOG.info("ingest stopping");
        http.close();
        health.close();
        publisher.close();
        closed.countDown();
        LOG.info("ingest stopped");
    }

    /** Runs a command line; returns the exit code. */
    public static int run(final List<String> args, final Map<String, String> env, final PrintStream out,
                   final PrintStream err) {
        final String command = args.isEmpty() || args.get(0).startsWith("-") ? "serve" : args.get(0);
        final List<String> rest = args.isEmpty() || args.get(0).startsWith("-") ? args : args.subList(1, args.size());
        try {
            final CommandLine cli = switch (command) {
                case "serve" -> serveCommand();
                case "simulate" -> simulateCommand();
                case "replay" -> replayCommand();
                default -> throw new CommandLine.UsageException("unknown command " + command
                        + ": use serve (default), simulate or replay, each with --help");
            };
            cli.parse(rest);
            if (cli.help()) {
                out.print(cli.usage());
                return 0;
            }
            return switch (command) {
                case "simulate" -> simulate(cli, IngestConfig.fromEnv(env), out);
                case "replay" -> replay(cli, IngestConfig.fromEnv(env), out);
                default -> serve(cli, IngestConfig.fromEnv(env));
            };
        } catch (CommandLine.UsageException | ConfigException e) {
            err.println("error: " + e.getMessage());
            return 2;
        } catch (StartFailure e) {
            return ServiceStart.report("ingest-service", e, err);
        } catch (CsvTickReader.CsvFormatException e) {
            err.println("error: " + e.getMessage());
            return 1;
        } catch (IOException e) {
            err.println("error: " + e);
            return 1;
        }
    }

    static CommandLine serveCommand() {
        final StringBuilder env = new StringBuilder("\nconfigured by environment variables:");
        for (String[] key : IngestConfig.describe()) {
            env.append(String.format("%n  %-24s %s (default: %s)", key[0], key[2], key[1].isEmpty() ? "-" : key[1]));
        }
        return new CommandLine("serve", "ingest-service [serve] [--help]\n"
                + "  HTTP tick gateway: POST /ticks (application/json tick or array, application/x-ndjson),\n"
                + "  GET /health, /ready, /metrics", List.of(), List.of(env.toString()));
    }

    static CommandLine simulateCommand() {
        return new CommandLine("simulate", "ingest-service simulate [options]\n"
                + "  publishes a synthetic feed to TICKS_TOPIC: prices a GBM in event time with a bid/ask bounce\n"
                + "  on a 0.01 grid, Pareto volumes", List.of(
                new CommandLine.Option("stocks", "200", "number of stocks, SIM000 …"),
                new CommandLine.Option("rate", "20000", "ticks per second in total (open-loop schedule)"),
                new CommandLine.Option("seed", "42", "random seed: same seed and options, same ticks"),
                new CommandLine.Option("count", null, "stop after this many ticks"),
                new CommandLine.Option("duration", null, "stop after this long (90, 30s, 5m, 1h)"),
                new CommandLine.Option("start", null, "first tick's timestamp, ISO-8601; none = now")),
                List.of("\nKafka from KAFKA_BOOTSTRAP_SERVERS (default localhost:9092), topic from TICKS_TOPIC "
                        + "(default stock_data). Runs until a limit or Ctrl-C."));
    }

    static CommandLine replayCommand() {
        return new CommandLine("replay", "ingest-service replay FILE... [options]\n"
                + "  publishes the closes of OHLCV CSV files as ticks, all files merged in time order", List.of(
                new CommandLine.Option("speed", null, "replay at N times the data's own time gaps"),
                new CommandLine.Option("rate", null, "replay at a fixed N ticks per second"),
                new CommandLine.Option("symbol", null, "stock id for every row; none = the symbol column or the file name"),
                new CommandLine.Option("zone", "UTC", "time zone of times without an offset")),
                List.of("", "without --speed or --rate: as fast as possible.",
                        "columns (header, any case): time|timestamp|date|datetime, close|price, volume (optional),",
                        "  symbol|ticker|stock_id (optional); others ignored. Layouts: the repository's reference-data",
                        "  (index,price,volume,…,time), Date,Open,High,Low,Close,Volume, timestamp,open,high,low,close,volume.",
                        "stock id without a symbol column or --symbol: the file name without extension, up to the first",
                        "  '_', upper-cased (AAPL_1m_2019.csv -> AAPL)."));
    }

    private static int serve(final CommandLine cli, final IngestConfig config) {
        if (!cli.positional().isEmpty()) {
            throw new CommandLine.UsageException("serve takes no arguments, got " + cli.positional());
        }
        ServiceStart.requireKafka(config.kafka(), ServiceStart.KAFKA_WAIT);
        final IngestMain main = start(config);
        Runtime.getRuntime().addShutdownHook(new Thread(main::close, "ingest-shutdown"));
        try {
            main.closed.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return 0;
    }

    private static int simulate(final CommandLine cli, final IngestConfig config, final PrintStream out) {
        if (!cli.positional().isEmpty()) {
            throw new CommandLine.UsageException("simulate takes no arguments, got " + cli.positional());
        }
        final SimulatorOptions options;
        try {
            options = new SimulatorOptions((int) cli.integer("stocks", 1, 100_000), cli.positive("rate"),
                    cli.integer("seed", Long.MIN_VALUE, Long.MAX_VALUE),
                    cli.has("count") ? cli.integer("count", 1, Long.MAX_VALUE) : 0L,
                    cli.has("duration") ? cli.duration("duration") : null,
                    cli.has("start") ? cli.instant("start") : null);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.UsageException("simulate: " + e.getMessage());
        }
        ServiceStart.requireKafka(config.kafka(), ServiceStart.KAFKA_WAIT);
        final TickPublisher publisher = TickPublisher.create(config.kafka(), config.publishTimeout(),
                config.ticksTopic(), "simulate", new IngestMetrics(new PrometheusRegistry()));
        final Simulator simulator = new Simulator(options, publisher::send, Clock.systemUTC());
        final Thread hook = new Thread(() -> {
            simulator.close();
            publisher.close();
        }, "ingest-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        simulator.start();
        try {
            while (!simulator.awaitFinished(Duration.ofHours(1))) {
                LOG.debug("simulator still running");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        publisher.flush();
        publisher.close();
        out.printf("simulate: sent=%d failed=%d achievedRate=%.0f/s requestedRate=%.0f/s maxBehindMs=%d topic=%s%n",
                simulator.sent(), publisher.failures(), simulator.achievedRate(), options.rate(),
                simulator.maxBehind().toMillis(), config.ticksTopic());
        removeHook(hook);
        return publisher.failures() == 0 ? 0 : 1;
    }

    private static int replay(final CommandLine cli, final IngestConfig config, final PrintStream out)
            throws IOException {
        if (cli.positional().isEmpty()) {
            throw new CommandLine.UsageException("replay: give at least one CSV file (see replay --help)");
        }
        if (cli.has("speed") && cli.has("rate")) {
            throw new CommandLine.UsageException("replay: give --speed or --rate, not both");
        }
        final double speed = cli.has("speed") ? cli.positive("speed") : 0;
        final double rate = cli.has("rate") ? cli.positive("rate") : 0;
        final ZoneId zone;
        try {
            zone = ZoneId.of(cli.string("zone"));
        } catch (DateTimeException e) {
            throw new CommandLine.UsageException("--zone " + cli.string("zone") + ": not a time zone");
        }
        final var ticks = CsvReplay.load(cli.positional().stream().map(Path::of).toList(), cli.string("symbol"), zone);
        ServiceStart.requireKafka(config.kafka(), ServiceStart.KAFKA_WAIT);
        final TickPublisher publisher = TickPublisher.create(config.kafka(), config.publishTimeout(),
                config.ticksTopic(), "replay", new IngestMetrics(new PrometheusRegistry()));
        final CsvReplay replay = new CsvReplay(ticks, publisher::send, speed, rate);
        final Thread hook = new Thread(() -> {
            replay.close();
            publisher.close();
        }, "ingest-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        final long sent = replay.run();
        publisher.flush();
        publisher.close();
        out.printf("replay: sent=%d of=%d failed=%d topic=%s%n", sent, ticks.size(), publisher.failures(),
                config.ticksTopic());
        removeHook(hook);
        return publisher.failures() == 0 ? 0 : 1;
    }

    private static void removeHook(final Thread hook) {
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException e) {
            // already shutting down: the hook is running
        }
    }
}
