package io.tickflow.local;

import io.tickflow.indicator.IndicatorConfig;
import io.tickflow.indicator.IndicatorMain;
import io.tickflow.local.IndicatorTestSupport.ResultCollector;
import io.tickflow.model.IndicatorResult;
import io.tickflow.model.Json;
import io.tickflow.model.Tick;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static io.tickflow.local.IndicatorTestSupport.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** Issue 4 (d): per-stock order holds with 8 worker lanes under load (200 stocks, ticks produced as fast as possible). */
class IndicatorOrderingIT {
    private static final int STOCKS = 200;
    private static final int TICKS_PER_STOCK = 150;

    private IndicatorMain service;

    @AfterEach
    void stop() {
        if (service != null) {
            service.close();
        }
    }

    @Test
    void shouldKeepPerStockOrderWhenEightLanesRunUnderLoad() throws Exception {
        final String bootstrap = KafkaFixture.bootstrapServers();
        final String ticks = KafkaFixture.uniqueTopic("order-ticks");
        KafkaFixture.createTopics(bootstrap, Map.of(ticks, 4, ticks + "-results", 4, ticks + ".dlq", 1));
        final Map<String, String> env = IndicatorTestSupport.env(bootstrap, ticks, "order-" + ticks);
        env.put("WORKER_LANES", "8");
        env.put("LANE_QUEUE_CAPACITY", "64"); // small lanes: the poll loop has to pause and resume
        service = IndicatorMain.start(IndicatorConfig.fromEnv(env));
        await("service ready", Duration.ofSeconds(30), service::ready);

        try (ResultCollector results = new ResultCollector(bootstrap, ticks + "-results");
             KafkaProducer<byte[], byte[]> producer = IndicatorTestSupport.producer(bootstrap)) {
            final Instant t0 = Instant.parse("2024-06-03T13:30:00Z");
            for (int i = 1; i <= TICKS_PER_STOCK; i++) {
                for (int s = 0; s < STOCKS; s++) {
                    final String stock = "S" + s;
                    // price encodes the tick's position in its stock's stream
                    IndicatorTestSupport.send(producer, ticks, stock, Json.encodeTick(
                            Tick.of(stock, t0.plusSeconds(i), i, 100)));
                }
            }
            producer.flush();
            final long total = (long) STOCKS * TICKS_PER_STOCK;
            await("all results", Duration.ofSeconds(90), () -> results.count.get() >= total);

            final Map<String, List<IndicatorResult>> byStock = new HashMap<>();
            for (IndicatorResult r : new ArrayList<>(results.all)) {
                byStock.computeIfAbsent(r.stockId(), k -> new ArrayList<>()).add(r);
            }
            assertEquals(STOCKS, byStock.size());
            for (Map.Entry<String, List<IndicatorResult>> e : byStock.entrySet()) {
                final List<IndicatorResult> list = e.getValue();
                assertEquals(TICKS_PER_STOCK, list.size(), e.getKey());
                for (int i = 0; i < list.size(); i++) {
                    assertEquals(i + 1, list.get(i).seq(), e.getKey() + " seq in topic order");
                    assertEquals(i + 1.0, list.get(i).price(), e.getKey() + " tick order");
                }
            }
        }
    }
}
