package io.tickflow.ingest;

import io.tickflow.runtime.KafkaClientProperties;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.Properties;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Whether the Kafka cluster answers, for {@code /ready}: a background thread asks for the cluster's nodes every
 * {@code interval} and caches the answer, so probes never wait on Kafka. Logs changes only.
 */
final class KafkaHealth implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(KafkaHealth.class);

    private final Admin admin;
    private final Duration interval;
    private final ScheduledExecutorService scheduler;
    private volatile boolean reachable;

    KafkaHealth(final Properties kafka, final Duration interval) {
        // each probe bounded by the interval, whatever KAFKA_* says: /ready must never wait on Kafka for long
        this.admin = Admin.create(KafkaClientProperties.admin(kafka)
                .force(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, interval.toMillis())
                .force(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, interval.toMillis())
                .build());
        this.interval = interval;
        this.scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            final Thread t = new Thread(r, "ingest-kafka-health");
            t.setDaemon(true);
            return t;
        });
    }

    void start() {
        scheduler.scheduleWithFixedDelay(this::check, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    boolean reachable() {
        return reachable;
    }

    private void check() {
        boolean now;
        try {
            now = !admin.describeCluster().nodes().get(interval.toMillis(), TimeUnit.MILLISECONDS).isEmpty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        } catch (Exception e) {
            now = false;
        }
        if (now != reachable) {
            LOG.info("kafka reachable={}", now);
        }
        reachable = now;
    }

    @Override
    public void close() {
        scheduler.shutdownNow();
        admin.close(Duration.ofSeconds(2));
    }
}
