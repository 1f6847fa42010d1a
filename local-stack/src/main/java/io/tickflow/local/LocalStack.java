package io.tickflow.local;

import io.tickflow.delivery.DeliveryConfig;
import io.tickflow.delivery.DeliveryMain;
import io.tickflow.indicator.IndicatorConfig;
import io.tickflow.indicator.IndicatorMain;
import io.tickflow.ingest.IngestConfig;
import io.tickflow.ingest.IngestMain;
import io.tickflow.ingest.Simulator;
import io.tickflow.ingest.SimulatorOptions;
import io.tickflow.model.Topics;
import io.tickflow.runtime.Env;
import io.tickflow.runtime.ServiceStart;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

/**
 * Everything on one machine, in one JVM, with no Docker: a real embedded Kafka broker, the topics, the three services
 * (each started through the same {@code XMain.start} it uses alone) and, optionally, a simulated feed.
 * It is the README's one-command run and the end-to-end tests' fixture. {@link #close()} stops in reverse order.
 */
public final class LocalStack implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(LocalStack.class);

    private final EmbeddedKafka kafka;
    private final IndicatorMain indicator;
    private final DeliveryMain delivery;
    private final IngestMain ingest;
    private final AutoCloseable simulator;

    private LocalStack(final EmbeddedKafka kafka, final IndicatorMain indicator, final DeliveryMain delivery,
                       final IngestMain ingest, final AutoCloseable simulator) {
        this.kafka = kafka;
        this.indicator = indicator;
        this.delivery = delivery;
        this.ingest = ingest;
        this.simulator = simulator;
    }

    public static void main(final String[] args) throws Exception {
        // one line that names the cause, not a stack trace a newcomer has to read from the bottom
        final LocalStack stack = ServiceStart.orExit("tickflow", () -> {
            try {
                return start(LocalStackOptions.fromEnv(System.getenv()));
            } catch (IOException e) {
                throw new UncheckedIOException(e.getMessage(), e);
            }
        });
        final CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            stack.close();
            stopped.countDown();
        }, "local-stack-shutdown"));
        System.out.println(stack.banner());
        stopped.await();
    }

    public static LocalStack start(final LocalStackOptions options) throws IOException {
        requireFreePorts(options);
        final EmbeddedKafka kafka = options.dataDir() == null
                ? EmbeddedKafka.start(Files.createTempDirectory("tickflow-kafka-"), true, options.kafkaPort(), Map.of())
                : EmbeddedKafka.start(options.dataDir(), false, options.kafkaPort(), Map.of());
        IndicatorMain indicator = null;
        DeliveryMain delivery = null;
        IngestMain ingest = null;
        try {
            final int partitions = options.partitions();
            kafka.createTopics(Map.of(Topics.TICKS, partitions, Topics.RESULTS, partitions,
                    Topics.deadLetterOf(Topics.TICKS), 1), Map.of());
            kafka.createTopics(Map.of(Topics.STATE, partitions), Map.of("cleanup.policy", "compact"));

            final Map<String, String> base = new HashMap<>(options.serviceEnv());
            base.put("KAFKA_BOOTSTRAP_SERVERS", kafka.bootstrapServers());
            base.put("HTTP_HOST", "127.0.0.1");
            base.put("WS_HOST", "127.0.0.1");

            indicator = IndicatorMain.start(IndicatorConfig.fromEnv(
                    with(base, "HTTP_PORT", options.indicatorPort())));
            delivery = DeliveryMain.start(DeliveryConfig.fromEnv(
                    with(with(base, "HTTP_PORT", options.deliveryHttpPort()), "WS_PORT", options.deliveryWsPort())));
            ingest = IngestMain.start(IngestConfig.fromEnv(with(base, "HTTP_PORT", options.ingestPort())));
            final AutoCloseable simulator = options.stocks() > 0
                    ? Simulator.publishing(SimulatorOptions.of(options.stocks(), options.ticksPerSecond(),
                    options.seed()), new Env(base).kafkaProperties(), Topics.TICKS).start()
                    : () -> { };
            return new LocalStack(kafka, indicator, delivery, ingest, simulator);
        } catch (RuntimeException e) {
            // e.g. a port in use: stop what already runs, or its threads would keep the JVM alive
            closeQuietly("ingest-service", ingest);
            closeQuietly("delivery-service", delivery);
            closeQuietly("indicator-service", indicator);
            kafka.close();
            throw e;
        }
    }

    public String bootstrapServers() {
        return kafka.bootstrapServers();
    }

    public int ingestHttpPort() {
        return ingest.httpPort();
    }

    public int indicatorHttpPort() {
        return indicator.httpPort();
    }

    public int deliveryHttpPort() {
        return delivery.httpPort();
    }

    public int deliveryWsPort() {
        return delivery.wsPort();
    }

    public EmbeddedKafka kafka() {
        return kafka;
    }

    String banner() {
        return String.join(System.lineSeparator(),
                "",
                "tickflow is running (Ctrl-C stops everything)",
                "  dashboard      http://localhost:" + deliveryHttpPort() + "/",
                "  WebSocket      ws://localhost:" + deliveryWsPort() + "/",
                "  REST           http://localhost:" + deliveryHttpPort() + "/api/stocks",
                "  post ticks     curl -X POST -H 'Content-Type: application/json' http://localhost:" + ingestHttpPort()
                        + "/ticks -d '{\"stock_id\":\"AAPL\",\"timestamp\":\"2024-06-02T12:34:56Z\",\"price\":150.25,\"volume\":1000}'",
                "  Kafka          " + bootstrapServers(),
                "  metrics        http://localhost:" + indicatorHttpPort() + "/metrics (indicator), :"
                        + ingestHttpPort() + "/metrics (ingest), :" + deliveryHttpPort() + "/metrics (delivery)",
                "");
    }

    /** Stops the feed, then ingest, delivery, indicator and the broker: each drains before the next goes. */
    @Override
    public void close() {
        closeQuietly("simulator", simulator);
        closeQuietly("ingest-service", ingest);
        closeQuietly("delivery-service", delivery);
        closeQuietly("indicator-service", indicator);
        closeQuietly("kafka", kafka);
        LOG.info("local stack stopped");
    }

    private static void closeQuietly(final String what, final AutoCloseable closeable) {
        if (closeable == null) {
            return;
        }
        try {
            closeable.close();
        } catch (Exception e) {
            LOG.warn("closing {} failed", what, e);
        }
    }

    /** Fails before anything starts when a fixed port is taken, naming the port and the key that moves it. */
    static void requireFreePorts(final LocalStackOptions options) {
        final Map<String, Integer> ports = new LinkedHashMap<>();
        ports.put("LOCAL_KAFKA_PORT", options.kafkaPort());
        ports.put("INDICATOR_HTTP_PORT", options.indicatorPort());
        ports.put("DELIVERY_HTTP_PORT", options.deliveryHttpPort());
        ports.put("DELIVERY_WS_PORT", options.deliveryWsPort());
        ports.put("INGEST_HTTP_PORT", options.ingestPort());
        for (Map.Entry<String, Integer> port : ports.entrySet()) {
            if (port.getValue() == 0) {
                continue;
            }
            try (ServerSocket probe = new ServerSocket()) {
                probe.setReuseAddress(true);
                probe.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port.getValue()));
            } catch (IOException e) {
                throw new IllegalStateException("port " + port.getValue() + " (" + port.getKey() + ") is in use ("
                        + e.getMessage() + "): stop what listens there, or set " + port.getKey()
                        + " to a free port", e);
            }
        }
    }

    private static Map<String, String> with(final Map<String, String> env, final String key, final int port) {
        final Map<String, String> copy = new HashMap<>(env);
        copy.put(key, Integer.toString(port));
        return copy;
    }
}
