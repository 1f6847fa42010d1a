package io.tickflow.local;

import io.tickflow.indicator.IndicatorConfig;
import io.tickflow.indicator.IndicatorMain;
import io.tickflow.local.IndicatorTestSupport.ResultCollector;
import io.tickflow.model.IndicatorResult;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static io.tickflow.local.IndicatorTestSupport.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 4 (c): one poison record of each kind lands in the dead-letter topic with its original bytes, its reason and
 * its source coordinates; the stock's good ticks around it still produce results with the right seq.
 */
class IndicatorDeadLetterIT {
    private IndicatorMain service;

    @AfterEach
    void stop() {
        if (service != null) {
            service.close();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"exactly_once", "at_least_once"})
    void shouldDeadLetterEachPoisonKindWhenTheStockKeepsItsSeq(final String guarantee) throws Exception {
        final String bootstrap = KafkaFixture.bootstrapServers();
        final String ticks = KafkaFixture.uniqueTopic("dlq-ticks");
        KafkaFixture.createTopics(bootstrap, Map.of(ticks, 2, ticks + "-results", 2, ticks + ".dlq", 1));
        final Map<String, String> env = IndicatorTestSupport.env(bootstrap, ticks, "dlq-" + ticks);
        env.put("PROCESSING_GUARANTEE", guarantee);
        service = IndicatorMain.start(IndicatorConfig.fromEnv(env));

        final String stock = "IBM";
        final byte[] key = stock.getBytes(StandardCharsets.UTF_8);
        final Map<String, byte[][]> poison = new LinkedHashMap<>(); // code -> {key, value}
        poison.put("malformed", new byte[][]{key, "{\"stock_id\":\"IBM\",\"price\":".getBytes(StandardCharsets.UTF_8)});
        poison.put("utf8", new byte[][]{key, new byte[]{'{', '"', 's', (byte) 0xC3, (byte) 0x28, '"', ':', '1', '}'}});
        poison.put("price", new byte[][]{key, tick("IBM", "\"price\":\"abc\",\"volume\":1")});
        poison.put("missing", new byte[][]{key, tick("IBM", "\"volume\":1")});
        poison.put("zero", new byte[][]{key, tick("IBM", "\"price\":0,\"volume\":1")});
        poison.put("negative", new byte[][]{key, tick("IBM", "\"price\":-3.5,\"volume\":1")});
        poison.put("infinite", new byte[][]{key, tick("IBM", "\"price\":1e999,\"volume\":1")});
        poison.put("volume", new byte[][]{key, tick("IBM", "\"price\":10,\"volume\":-1")});
        poison.put("stock_id", new byte[][]{"I B M".getBytes(StandardCharsets.UTF_8), tick("I B M", "\"price\":10,\"volume\":1")});
        poison.put("no_key", new byte[][]{null, tick("IBM", "\"price\":10,\"volume\":1")});
        poison.put("key_mismatch", new byte[][]{"MSFT".getBytes(StandardCharsets.UTF_8), tick("IBM", "\"price\":10,\"volume\":1")});
        final Map<String, String> expectedCode = Map.ofEntries(Map.entry("malformed", "malformed"),
                Map.entry("utf8", "malformed"), Map.entry("price", "price"), Map.entry("missing", "price"),
                Map.entry("zero", "price"), Map.entry("negative", "price"), Map.entry("infinite", "price"),
                Map.entry("volume", "volume"), Map.entry("stock_id", "stock_id"), Map.entry("no_key", "no_key"),
                Map.entry("key_mismatch", "key_mismatch"));

        try (ResultCollector results = new ResultCollector(bootstrap, ticks + "-results");
             KafkaProducer<byte[], byte[]> producer = IndicatorTestSupport.producer(bootstrap)) {
            producer.send(new ProducerRecord<>(ticks, key, tick("IBM", "\"price\":100,\"volume\":5")));
            for (byte[][] record : poison.values()) {
                producer.send(new ProducerRecord<>(ticks, record[0], record[1]));
            }
            producer.send(new ProducerRecord<>(ticks, key, tick("IBM", "\"price\":101,\"volume\":5")));
            producer.send(new ProducerRecord<>(ticks, key, tick("IBM", "\"price\":102.5,\"volume\":5")));
            producer.flush();

            await("3 results", Duration.ofSeconds(30), () -> results.count.get() >= 3);
            final List<IndicatorResult> ibm = results.all.stream().filter(r -> r.stockId().equals("IBM")).toList();
            assertEquals(List.of(1L, 2L, 3L), ibm.stream().map(IndicatorResult::seq).toList());
            assertEquals(List.of(100.0, 101.0, 102.5), ibm.stream().map(IndicatorResult::price).toList());

            final List<ConsumerRecord<byte[], byte[]>> dead = new ArrayList<>();
            try (KafkaConsumer<byte[], byte[]> consumer = IndicatorTestSupport.readCommitted(bootstrap)) {
                consumer.subscribe(List.of(ticks + ".dlq"));
                final long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
                while (dead.size() < poison.size() && System.nanoTime() < deadline) {
                    consumer.poll(Duration.ofMillis(100)).forEach(dead::add);
                }
            }
            assertEquals(poison.size(), dead.size(), "dead letters");
            for (Map.Entry<String, byte[][]> p : poison.entrySet()) {
                final ConsumerRecord<byte[], byte[]> d = dead.stream()
                        .filter(r -> Arrays.equals(r.value(), p.getValue()[1]) && Arrays.equals(r.key(), p.getValue()[0]))
                        .findFirst().orElseThrow();
                assertArrayEquals(p.getValue()[0], d.key(), p.getKey() + " key");
                assertArrayEquals(p.getValue()[1], d.value(), p.getKey() + " value");
                assertEquals(expectedCode.get(p.getKey()), header(d, "tickflow.error.code"), p.getKey() + " code");
                final String reason = header(d, "tickflow.error.reason");
                assertTrue(reason != null && !reason.isBlank(), p.getKey() + " reason");
                assertEquals(ticks, header(d, "tickflow.source.topic"));
                assertTrue(Integer.parseInt(header(d, "tickflow.source.partition")) >= 0);
                assertTrue(Long.parseLong(header(d, "tickflow.source.offset")) >= 0);
                if (!p.getKey().equals("malformed") && !p.getKey().equals("utf8") && !p.getKey().startsWith("no_")
                        && !p.getKey().equals("key_mismatch")) {
                    assertTrue(reason.contains(expectedCode.get(p.getKey())), p.getKey() + " reason names the field: "
                            + reason);
                }
            }
            final String metrics = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + service.httpPort() + "/metrics")).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
            assertTrue(metrics.contains("tickflow_ticks_dead_lettered_total{reason=\"price\"} 5.0"), metrics);
            System.out.println(metrics.lines().filter(l -> l.startsWith("tickflow_commits") || l.startsWith("tickflow_states")).toList());
        }
    }

    private static byte[] tick(final String stock, final String fields) {
        return ("{\"stock_id\":\"" + stock + "\",\"timestamp\":\"2024-06-02T12:34:56Z\"," + fields + "}")
                .getBytes(StandardCharsets.UTF_8);
    }

    private static String header(final ConsumerRecord<byte[], byte[]> record, final String name) {
        final Header h = record.headers().lastHeader(name);
        return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }

}
