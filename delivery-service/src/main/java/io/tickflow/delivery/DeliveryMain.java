package io.tickflow.delivery;

import io.prometheus.metrics.instrumentation.jvm.JvmMetrics;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.tickflow.runtime.AuthFailures;
import io.tickflow.runtime.BearerAuth;
import io.tickflow.runtime.EffectiveConfig;
import io.tickflow.runtime.ServiceHttpServer;
import io.tickflow.runtime.ServiceStart;
import io.tickflow.runtime.StartFailure;
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
    private final BarBook bars;
    private final DeliveryMetrics metrics;
    private final StreamServer stream;
    private final ServiceHttpServer http;
    private final ResultFeed feed;
    private final ResultFeed barFeed;

    private DeliveryMain(final StockBook book, final BarBook bars, final DeliveryMetrics metrics,
                         final StreamServer stream, final ServiceHttpServer http, final ResultFeed feed,
                         final ResultFeed barFeed) {
        this.book = book;
        this.bars = bars;
        this.metrics = metrics;
        this.stream = stream;
        this.http = http;
        this.feed = feed;
        this.barFeed = barFeed;
    }

    public static void main(final String[] args) throws InterruptedException {
        final DeliveryMain service = ServiceStart.orExit("delivery-service", () -> {
            final DeliveryConfig config = DeliveryConfig.fromEnv(System.getenv());
            ServiceStart.requireKafka(config.kafka(), ServiceStart.KAFKA_WAIT);
            return start(config);
        });
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
        EffectiveConfig.log(LOG, withFeed ? "delivery" : "delivery (no feed)", config.settings(), config.kafka());
        final PrometheusRegistry registry = new PrometheusRegistry();
        JvmMetrics.builder().register(registry);
        final DeliveryMetrics metrics = new DeliveryMetrics(registry);
        final StockBook book = new StockBook(config.historySize(), config.historyBudget(), config.maxStocks(),
                config.idleEvict(), metrics);
        final BarsConfig barsConfig = config.bars();
        final BarBook bars = new BarBook(barsConfig.intervals(), barsConfig.historySize(), barsConfig.historyBudget(),
                new BarMetrics(registry));
        final AuthFailures authFailures = new AuthFailures(); // one count of wrong tokens for every door
        final StreamServer stream = new StreamServer(config, book, bars, metrics, authFailures);
        try {
            stream.startAndWait();
        } catch (UncheckedIOException e) {
            throw StartFailure.cannotListen(config.wsHost(), config.wsPort(), "WS_PORT", e);
        }
        final ServiceHttpServer http;
        try {
            http = new ServiceHttpServer("delivery", config.httpHost(), config.httpPort(), config.httpThreads(),
                    config.httpLimits(), registry);
        } catch (IOException e) {
            stream.close();
            throw StartFailure.cannotListen(config.httpHost(), config.httpPort(), "HTTP_PORT", e);
        }
        final int publicWsPort = config.wsPublicPort() != 0 ? config.wsPublicPort() : stream.port();
        final BearerAuth restAuth = new BearerAuth(config.authTokens(), authFailures);
        http.protectMetrics(new BearerAuth(config.metricsTokens(), authFailures));
        new HttpApi(book, () -> publicWsPort, restAuth).register(http);
        new BarsApi(bars, restAuth).register(http);
        ResultFeed feed = null;
        ResultFeed barFeed = null;
        if (withFeed) {
            feed = new ResultFeed(ResultFeed.consumer(config.kafka(), config.resultsIsolation(), "delivery-feed"), config.resultsTopic(),
                    config.warmupRecords(), book, config.conflateAfter());
            http.readyWhen("history_warm", feed::isWarm);
            http.readyWhen("feed_running", feed::isRunning);
            feed.start();
            // not a readiness condition: the bar topic may not exist yet (the indicator side makes it)
            barFeed = new ResultFeed(ResultFeed.consumer(config.kafka(), config.resultsIsolation(), "delivery-bars"),
                    barsConfig.topic(), barsConfig.warmupRecords(), bars, "delivery-bars");
            barFeed.start();
        }
        final DeliveryMain service = new DeliveryMain(book, bars, metrics, stream, http, feed, barFeed);
        try {
            http.start();
        } catch (UncheckedIOException e) {
            service.close();
            throw StartFailure.cannotListen(config.httpHost(), config.httpPort(), "HTTP_PORT", e);
        }
        return service;
    }

    /** Where results enter (the Kafka feed uses it too). */
    public ResultSink sink() {
        return book;
    }

    public StockBook book() {
        return book;
    }

    /** Where bars enter (the Kafka bar feed uses it too). */
    public ResultSink barSink() {
        return bars;
    }

    public BarBook bars() {
        return bars;
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
        if (barFeed != null) {
            barFeed.close();
        }
        if (feed != null) {
            feed.close();
        }
        stream.close();
        http.close();
        LOG.info("delivery stopped");
    }
}
