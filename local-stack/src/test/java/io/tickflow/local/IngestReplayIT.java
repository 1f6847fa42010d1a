package io.tickflow.local;

import io.tickflow.ingest.IngestMain;
import io.tickflow.model.Json;
import io.tickflow.model.Tick;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** {@code replay} of real {@code shared/refdata} series: each row's close, volume and time, in order, key = stock. */
class IngestReplayIT {
    private static final DateTimeFormatter MINUTE = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");

    /** The refdata rows as ticks, read independently of the ingest code: price = close, UTC times. */
    private static List<Tick> expected(final Path file, final String stock) throws IOException {
        final List<String> lines = Files.readAllLines(file);
        final List<String> header = List.of(lines.get(0).split(","));
        final int price = header.indexOf("price");
        final int volume = header.indexOf("volume");
        final int time = header.indexOf("time");
        final List<Tick> ticks = new ArrayList<>();
        for (String line : lines.subList(1, lines.size())) {
            final String[] cells = line.split(",", -1);
            final String t = cells[time];
            ticks.add(Tick.of(stock, t.length() == 10 ? LocalDate.parse(t).atStartOfDay().toInstant(ZoneOffset.UTC)
                            : LocalDateTime.parse(t, MINUTE).toInstant(ZoneOffset.UTC),
                    Double.parseDouble(cells[price]), Double.parseDouble(cells[volume])));
        }
        return ticks;
    }

    @Test
    void shouldPublishEveryRowInOrderWhenReplayingRefdataFiles() throws Exception {
        final Path aapl = IngestTestSupport.refdata().resolve("AAPL_1m_2019.csv");
        final Path msft = IngestTestSupport.refdata().resolve("MSFT_1d.csv");
        final String topic = KafkaFixture.uniqueTopic("ingest-replay");
        KafkaFixture.createTopics(KafkaFixture.bootstrapServers(), Map.of(topic, 2));
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        final ByteArrayOutputStream err = new ByteArrayOutputStream();

        final int rc = IngestMain.run(List.of("replay", aapl.toString(), msft.toString()),
                Map.of("KAFKA_BOOTSTRAP_SERVERS", KafkaFixture.bootstrapServers(), "TICKS_TOPIC", topic),
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));

        assertEquals(0, rc, err.toString(StandardCharsets.UTF_8));
        final List<Tick> expectedAapl = expected(aapl, "AAPL");
        final List<Tick> expectedMsft = expected(msft, "MSFT");
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
