package io.tickflow.delivery;

import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.tickflow.model.ServiceHttpServer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.concurrent.CountDownLatch;

/**
 * The delivery service: {@code indicator_results} → per-stock latest and history → WebSocket clients and REST.
 * {@link #start} builds the object graph with {@code new} and starts it; {@link #close()} shuts down in reverse order
 * (stop reading Kafka, close client connections, stop HTTP).
 */
public final class DeliveryMain implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(DeliveryMain.class);

    private final StockBook book;
    private final DeliveryMetrics metrics;
    private final StreamServer stream;
    private final ServiceHttpServer http;
    private final ResultFeed feed;

    private DeliveryMain(final StockBook book, final DeliveryMetrics metrics, final StreamServer stream,
                         final ServiceHttpServer http, final ResultFeed feed) {
        this.book = book;
        this.metrics = metrics;
        this.stream = stream;
        this.http = http;
        this.feed = feed;
    }

    public static void main(final String[] args) throws InterruptedException {
        final DeliveryMain service = start(DeliveryConfig.fromEnv(System.getenv()));
        final CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            service.close();
            stopped.countDown();
        }, "delivery-shutdown"));
        stopped.await();
    }

    /** Starts the service reading results from Kafka. */
    public static DeliveryMain start(final DeliveryConfig config) {
        return start(config, true);
    }

    /**
     * Starts the service without a Kafka feed: results enter only through {@link #sink()}. For protocol tests and
     * benchmarks that need real sockets but no broker.
     */
    public static DeliveryMain startWithoutFeed(final DeliveryConfig config) {
        return start(config, false);
    }

    private static DeliveryMain start(final DeliveryConfig config, final boolean withFeed) {
        LOG.info("starting delivery: resultsTopic={} historySize={} warmupRecords={} http={}:{} ws={}:{} feed={}",
                config.resultsTopic(), config.historySize(), config.warmupRecords(), config.httpHost(),
                config.httpPort(), config.wsHost(), config.wsPort(), withFeed);
        final PrometheusRegistry registry = new PrometheusRegistry();
        final DeliveryMetrics metrics = new DeliveryMetrics(registry);
        final StockBook book = new StockBook(config.historySize(), config.historyBudget(), metrics);
        final StreamServer stream = new StreamServer(config, book, metrics);
        stream.startAndWait();
        final ServiceHttpServer http;
        try {
            http = new ServiceHttpServer("delivery", config.httpHost(), config.httpPort(), config.httpThreads(),
                    config.httpLimits(), registry);
        } catch (IOException e) {
            stream.close();
            throw new UncheckedIOException("delivery HTTP failed to bind " + config.httpHost() + ":"
                    + config.httpPort(), e);
        }
        final int publicWsPort = config.wsPublicPort() != 0 ? config.wsPublicPort() : stream.port();
        new HttpApi(book, () -> publicWsPort).register(http);
        ResultFeed feed = null;
        if (withFeed) {
            feed = new ResultFeed(ResultFeed.consumer(config.kafka(), config.resultsIsolation()), config.resultsTopic(),
                    config.warmupRecords(), book);
            http.readyWhen("history_warm", feed::isWarm);
            http.readyWhen("feed_running", feed::isRunning);
            feed.start();
        }
        http.start();
        return new DeliveryMain(book, metrics, stream, http, feed);
    }

    /** Where results enter (the Kafka feed uses it too). */
    public ResultSink sink() {
        return book;
    }

    public StockBook book() {
        return book;
    }

    public DeliveryMetrics metrics() {
        return metrics;
    }

    public int httpPort() {
        return http.port();
    }

    public int wsPort() {
        return stream.port();
    }

    /** True once the Kafka history has been read back (always true without a feed). */
    public boolean isWarm() {
        return feed == null || feed.isWarm();
    }

    @Override
    public void close() {
        LOG.info("stopping delivery");
        if (feed != null) {
            feed.close();
        }
        stream.close();
        http.close();
        LOG.info("delivery stopped");
    }
}
