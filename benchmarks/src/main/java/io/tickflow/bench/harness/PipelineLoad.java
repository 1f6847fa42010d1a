package io.tickflow.bench.harness;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The tickflow pipeline as a {@link LoadPath}: ticks go straight into the ticks topic (the harness is the producer the
 * ingest service would be; its HTTP gateway is not on the measured path), {@link LatencyClients} at the WebSocket end,
 * lag of the indicator service's consumer group on the ticks topic.
 */
final class PipelineLoad {
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(60);

    private PipelineLoad() {
    }

    static LoadPath open(final ClientSettings settings, final HarnessClock clock, final StockUniverse stocks,
                         final URI webSocket, final int clients, final int stocksPerClient, final String ticksTopic,
                         final String indicatorGroup, final long seed, final double maxP99Millis)
            throws InterruptedException {
        final AtomicReference<LatencyRecording> recording = new AtomicReference<>();
        final LatencyClients receivers = LatencyClients.connect(webSocket, stocks, clients, stocksPerClient, recording,
                clock, CONNECT_TIMEOUT);
        final Admin admin = Admin.create(settings.admin());
        final LagProbe lag = new LagProbe(admin, List.of(new LagProbe.Watched(indicatorGroup, ticksTopic)));
        final Producer<byte[], byte[]> feed = new KafkaProducer<>(settings.producer(ClientSettings.FEED_CLIENT));
        return new LoadPath("tickflow", new PacedProducer(feed, clock), new TickMessages(ticksTopic, stocks, seed), lag,
                recording, receivers::updates, clock, CpuAccount.pipeline(), maxP99Millis, List.of(feed, receivers, admin));
    }
}
