package io.tickflow.local;

import io.tickflow.ingest.IngestMain;
import io.tickflow.model.Json;
import io.tickflow.model.Tick;
import io.tickflow.refdata.RefData;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** {@code replay} of real reference series: each row's close, volume and time, in order, key = stock. */
class IngestReplayIT {

    /** The reference rows as ticks, read independently of the ingest code: price = close, UTC times. */
    private static List<Tick> expected(final String file, final String stock) {
        final RefData series = RefData.load(file);
        final List<Tick> ticks = new ArrayList<>();
        for (int row = 0; row < series.rows(); row++) {
            ticks.add(Tick.of(stock, series.time(row), series.value(row, "price"), series.value(row, "volume")));
        }
        return ticks;
    }

    @Test
    void shouldPublishEveryRowInOrderWhenReplayingReferenceFiles(@TempDir final Path dir) throws Exception {
        final Path aapl = RefData.copyTo("AAPL_1m_2019.csv", dir);
        final Path msft = RefData.copyTo("MSFT_1d.csv", dir);
        final String topic = KafkaFixture.uniqueTopic("ingest-replay");
        KafkaFixture.createTopics(KafkaFixture.bootstrapServers(), Map.of(topic, 2));
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        final ByteArrayOutputStream err = new ByteArrayOutputStream();

        final int rc = IngestMain.run(List.of("replay", aapl.toString(), msft.toString()),
                Map.of("KAFKA_BOOTSTRAP_SERVERS", KafkaFixture.bootstrapServers(), "TICKS_TOPIC", topic),
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));

        assertEquals(0, rc, err.toString(StandardCharsets.UTF_8));
        final List<Tick> expectedAapl = expected("AAPL_1m_2019.csv", "AAPL");
        final List<Tick> expectedMsft = expected("MSFT_1d.csv", "MSFT");
        final List<ConsumerRecord<String, byte[]>> records =
                IngestTestSupport.readAll(KafkaFixture.bootstrapServers(), topic);
        assertEquals(expectedAapl.size() + expectedMsft.size(), records.size());
        assertEquals(expectedAapl, ticksOf(records, "AAPL"));
        assertEquals(expectedMsft, ticksOf(records, "MSFT"));
    }

    private static List<Tick> ticksOf(final List<ConsumerRecord<String, byte[]>> records, final String stock) {
        return records.stream().filter(r -> r.key().equals(stock)).map(r -> Json.decodeTick(r.value())).toList();
    }
}
