package io.tickflow.local;

import com.fasterxml.jackson.databind.JsonNode;
import io.tickflow.delivery.DeliveryConfig;
import io.tickflow.delivery.DeliveryMain;
import io.tickflow.model.Json;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Delivery against a real broker: results committed before start are warmed into the history, results committed
 * after are followed live to WebSocket clients; read_committed, results of an aborted transaction never reach anyone;
 * read_uncommitted, results reach clients before their commit and the redo of an aborted transaction is not sent twice.
 */
class DeliveryKafkaIT {
    private static final String[] STOCKS = {"AAPL", "MSFT", "NVDA"};

    @Test
    void shouldWarmHistoryFollowLiveAndSkipAbortedResultsWhenReadingCommitted() throws Exception {
        final String bootstrap = KafkaFixture.bootstrapServers();
        final String topic = KafkaFixture.uniqueTopic("delivery-results");
        KafkaFixture.createTopics(bootstrap, Map.of(topic, 2));
        try (KafkaProducer<String, byte[]> producer = transactionalProducer(bootstrap)) {
            producer.initTransactions();
            commit(producer, topic, 1, 50, 100.0);
            abort(producer, topic, 51, 999.0); // must never be seen: not in history, not live

            try (DeliveryMain delivery = DeliveryMain.start(config(bootstrap, topic, "read_committed"))) {
                await(delivery::isWarm);
                for (String stock : STOCKS) {
                    final List<byte[]> history = delivery.book().history(stock, 20);
                    assertEquals(20, history.size());
                    assertEquals(31, seqOf(history.get(0)));
                    assertEquals(50, seqOf(history.get(19)));
                }

                final Client client = new Client(delivery.wsPort());
                client.socket.sendText("{\"op\":\"subscribe\",\"symbols\":[\"AAPL\"]}", true).join();
                assertEquals("subscribed", client.next().path("type").asText());
                final JsonNode snapshot = client.next();
                assertEquals("snapshot", snapshot.path("type").asText());
                assertEquals(50, snapshot.path("data").path("seq").asLong());

                abort(producer, topic, 51, 999.0);
                commit(producer, topic, 51, 52, 100.0);
                for (long seq = 51; seq <= 52; seq++) {
                    final JsonNode update = client.next();
                    assertEquals("update", update.path("type").asText());
                    assertEquals(seq, update.path("data").path("seq").asLong());
                    assertTrue(update.path("data").path("price").asDouble() < 999.0, "no aborted result");
                }
                client.socket.abort();
            }
        }
    }

    @Test
    void shouldShowResultsBeforeTheirCommitAndDropTheRedoOfAnAbortedTransactionWhenReadingUncommitted()
            throws Exception {
        final String bootstrap = KafkaFixture.bootstrapServers();
        final String topic = KafkaFixture.uniqueTopic("delivery-speculative");
        KafkaFixture.createTopics(bootstrap, Map.of(topic, 2));
        try (KafkaProducer<String, byte[]> producer = transactionalProducer(bootstrap);
             DeliveryMain delivery = DeliveryMain.start(config(bootstrap, topic, "read_uncommitted"))) {
            producer.initTransactions();
            await(delivery::isWarm);
            final Client client = new Client(delivery.wsPort());
            client.socket.sendText("{\"op\":\"subscribe\",\"symbols\":[\"AAPL\"]}", true).join();
            assertEquals("subscribed", client.next().path("type").asText());

            // a transaction still open: its results reach the client before any commit
            producer.beginTransaction();
            send(producer, topic, 1, 10, 100.0);
            producer.flush();
            for (long seq = 1; seq <= 10; seq++) {
                assertEquals(seq, client.next().path("data").path("seq").asLong());
            }
            // the processor aborts and redoes the interval deterministically: same seqs, same values, then more
            producer.abortTransaction();
            commit(producer, topic, 1, 12, 100.0);
            for (long seq = 11; seq <= 12; seq++) {
                final JsonNode update = client.next();
                assertEquals("update", update.path("type").asText());
                assertEquals(seq, update.path("data").path("seq").asLong(), "the redo of 1..10 is not sent again");
            }
            assertEquals(12, seqOf(delivery.book().latest("AAPL").orElseThrow()));
            assertEquals(12, delivery.book().history("AAPL", 100).size(), "history holds each seq once");
            client.socket.abort();
        }
    }

    private static DeliveryConfig config(final String bootstrap, final String topic, final String isolation) {
        return DeliveryConfig.fromEnv(Map.of(
                "KAFKA_BOOTSTRAP_SERVERS", bootstrap, "RESULTS_TOPIC", topic, "RESULTS_ISOLATION", isolation,
                "HISTORY_SIZE", "20", "HTTP_HOST", "127.0.0.1", "HTTP_PORT", "0", "WS_HOST", "127.0.0.1",
                "WS_PORT", "0", "WS_BATCH_MAX", "1")); // the checks read one update per frame
    }

    private static KafkaProducer<String, byte[]> transactionalProducer(final String bootstrap) {
        final Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "delivery-it-" + UUID.randomUUID());
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        return new KafkaProducer<>(props);
    }

    private static void commit(final KafkaProducer<String, byte[]> producer, final String topic, final long fromSeq,
                               final long toSeq, final double price) {
        producer.beginTransaction();
        send(producer, topic, fromSeq, toSeq, price);
        producer.commitTransaction();
    }

    private static void send(final KafkaProducer<String, byte[]> producer, final String topic, final long fromSeq,
                             final long toSeq, final double price) {
        for (long seq = fromSeq; seq <= toSeq; seq++) {
            for (String stock : STOCKS) {
                producer.send(new ProducerRecord<>(topic, stock, result(stock, seq, price)));
            }
        }
    }

    private static void abort(final KafkaProducer<String, byte[]> producer, final String topic, final long seq,
                              final double price) {
        producer.beginTransaction();
        for (String stock : STOCKS) {
            producer.send(new ProducerRecord<>(topic, stock, result(stock, seq, price)));
        }
        producer.flush();
        producer.abortTransaction();
    }

    private static byte[] result(final String stock, final long seq, final double price) {
        return ("{\"stock_id\":\"" + stock + "\",\"seq\":" + seq + ",\"timestamp\":\"2024-06-02T12:34:56Z\",\"price\":"
                + price + ",\"volume\":10,\"indicators\":{\"sma_20\":null}}").getBytes(StandardCharsets.UTF_8);
    }

    private static long seqOf(final byte[] json) throws Exception {
        return Json.MAPPER.readTree(json).path("seq").asLong();
    }

    private static void await(final BooleanSupplier condition) throws InterruptedException {
        final long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!condition.getAsBoolean()) {
            assertTrue(System.nanoTime() < deadline, "condition not met within 30 s");
            Thread.sleep(50);
        }
    }

    /** A JDK WebSocket client collecting text messages. */
    private static final class Client implements WebSocket.Listener {
        private final LinkedBlockingQueue<String> messages = new LinkedBlockingQueue<>();
        private final StringBuilder partial = new StringBuilder();
        private final WebSocket socket;

        Client(final int port) {
            socket = HttpClient.newHttpClient().newWebSocketBuilder()
                    .buildAsync(URI.create("ws://127.0.0.1:" + port + "/"), this).join();
        }

        JsonNode next() throws Exception {
            final String m = messages.poll(15, TimeUnit.SECONDS);
            assertNotNull(m, "no message within 15 s");
            return Json.MAPPER.readTree(m);
        }

        @Override
        public CompletionStage<?> onText(final WebSocket webSocket, final CharSequence data, final boolean last) {
            partial.append(data);
            if (last) {
                messages.add(partial.toString());
                partial.setLength(0);
            }
            webSocket.request(1);
            return null;
        }
    }
}
