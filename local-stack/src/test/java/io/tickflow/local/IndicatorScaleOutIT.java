package io.tickflow.local;

import io.tickflow.indicator.IndicatorConfig;
import io.tickflow.indicator.IndicatorMain;
import io.tickflow.local.IndicatorTestSupport.ResultCollector;
import io.tickflow.local.IndicatorTestSupport.Row;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static io.tickflow.local.IndicatorTestSupport.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Issue 4 (b): instances of one consumer group go from 2 to 3 to 1 while a real series streams; stocks move with their
 * state. Results read read_committed are gap-free (and duplicate-free in exactly-once mode) and identical to an uninterrupted run and TA-Lib.
 */
class IndicatorScaleOutIT {
    private static final Logger LOG = LoggerFactory.getLogger(IndicatorScaleOutIT.class);
    private static final int ROWS = 900;
    private static final List<String> STOCKS = List.of("MSFT", "GOOG", "AMZN", "NVDA", "TSLA", "META");

    private final List<IndicatorMain> instances = new ArrayList<>();

    @AfterEach
    void stop() {
        instances.forEach(IndicatorMain::close);
    }

    @ParameterizedTest
    @ValueSource(strings = {"exactly_once", "at_least_once"})
    void shouldStayExactWhenInstancesGoFromTwoToThreeToOne(final String guarantee) throws Exception {
        final String bootstrap = KafkaFixture.bootstrapServers();
        final String ticks = KafkaFixture.uniqueTopic("scale-ticks");
        KafkaFixture.createTopics(bootstrap, Map.of(ticks, 6, ticks + "-results", 6, ticks + ".dlq", 1));
        final List<Row> rows = IndicatorTestSupport.series("AAPL_1m_2019.csv", ROWS);
        final Map<String, String> env = IndicatorTestSupport.env(bootstrap, ticks, "scale-" + ticks);
        env.put("WORKER_LANES", "2");
        env.put("PROCESSING_GUARANTEE", guarantee);

        try (ResultCollector results = new ResultCollector(bootstrap, ticks + "-results");
             KafkaProducer<byte[], byte[]> producer = IndicatorTestSupport.producer(bootstrap)) {
            instances.add(IndicatorMain.start(instance(env, "scale-1")));
            instances.add(IndicatorMain.start(instance(env, "scale-2")));
            // ~670 ticks/s: the stream outlives the instance changes
            final Thread feed = IndicatorTestSupport.startFeed(producer, ticks, STOCKS, rows, 60);
            final long total = (long) ROWS * STOCKS.size();
            await("first results", Duration.ofSeconds(60), () -> results.distinctTotal() >= total / 6);
            final IndicatorMain third = IndicatorMain.start(instance(env, "scale-3"));
            instances.add(third);
            await("third instance ready", Duration.ofSeconds(60), third::ready);
            final long atThree = results.distinctTotal();
            LOG.info("three instances at {} results", atThree);
            await("progress with three", Duration.ofSeconds(60), () -> results.distinctTotal() >= atThree + total / 6);
            instances.remove(0).close();
            instances.remove(0).close();
            LOG.info("one instance left at {} results", results.distinctTotal());
            feed.join(60_000);
            try {
                await("all " + total + " results", Duration.ofSeconds(60), () -> results.distinctTotal() >= total);
            } catch (AssertionError e) {
                throw new AssertionError(e.getMessage() + " at " + results.distinctTotal() + "; undecodable "
                        + results.undecodable + "; reader alive " + results.alive() + "; "
                        + IndicatorTestSupport.diagnose(bootstrap, ticks + "-results"), e);
            }
            assertEquals(List.of(), results.undecodable, "every result is a valid result document");
            final int duplicates = IndicatorTestSupport.assertExact(results.all, STOCKS, rows);
            LOG.info("guarantee={} duplicatesDropped={}", guarantee, duplicates);
            if (guarantee.equals("exactly_once")) {
                assertEquals(0, duplicates, "read_committed results must hold no duplicate in exactly-once mode");
            }
        }
    }

    /** Instances in one JVM share a hostname: each needs an INSTANCE_ID of its own. */
    private static IndicatorConfig instance(final Map<String, String> env, final String id) {
        final Map<String, String> own = new java.util.HashMap<>(env);
        own.put("INSTANCE_ID", id);
        return IndicatorConfig.fromEnv(own);
    }
}
