package io.tickflow.bench.harness;

import io.tickflow.local.EmbeddedKafka;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerGroupMetadata;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;

/**
 * What Kafka alone does on the same broker: the pipeline's two hops with no processing. A paced producer writes
 * tick-sized records (key = stock id) to {@code in}; a relay consumer forwards each as a result-sized record to
 * {@code out}; a sink consumer records intended-send → poll latency. Same client settings as the pipeline's feed
 * ({@link ClientSettings}), same partition count. By default plain, not transactional, read_uncommitted: the lower
 * bound the pipeline's exactly-once hop is measured against. With {@code exactlyOnce} the relay is a read-process-write
 * transaction per poll (offsets in the transaction) and the sink reads committed: what Kafka's exactly-once costs
 * here, with no processing.
 * The 8-byte intended send time leads each payload; the rest is filler.
 */
final class KafkaBaseline {
    private static final Logger LOG = LoggerFactory.getLogger(KafkaBaseline.class);
    private static final Duration POLL = Duration.ofMillis(100);
    /** The feed's client id and the sink's group prefix: {@link CpuAccount} counts their threads as load. */
    static final String FEED_CLIENT = "bench-baseline-feed";
    static final String SINK_GROUP = "bench-baseline-sink-";

    private KafkaBaseline() {
    }

    /** Creates fresh baseline topics and starts relay and sink; closing the path stops them and deletes the topics. */
    static LoadPath open(final ClientSettings settings, final HarnessClock clock, final StockUniverse stocks,
                         final int partitions, final int tickBytes, final int resultBytes,
                         final double maxP99Millis, final boolean exactlyOnce) {
        final String run = UUID.randomUUID().toString().substring(0, 8);
        final String in = "bench_baseline_in_" + run;
        final String out = "bench_baseline_out_" + run;
        EmbeddedKafka.createTopics(settings.bootstrapServers(), Map.of(in, partitions, out, partitions), Map.of());
        final String relayGroup = "bench-baseline-relay-" + run;
        final String sinkGroup = SINK_GROUP + run;

        final AtomicReference<LatencyRecording> recording = new AtomicReference<>();
        final LongAdder arrived = new LongAdder();
        final Map<String, Object> relayConfig = settings.producer("bench-baseline-relay");
        if (exactlyOnce) {
            relayConfig.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "bench-baseline-relay-" + run);
        }
        final Producer<byte[], byte[]> relayProducer = new KafkaProducer<>(relayConfig);
        if (exactlyOnce) {
            relayProducer.initTransactions();
        }
        final LongAdder relayFailures = new LongAdder();
        final Callback relayed = (metadata, error) -> {
            if (error != null) {
                relayFailures.increment();
                if (Long.bitCount(relayFailures.sum()) == 1) {
                    LOG.warn("baseline relay send failed failures={} error={}", relayFailures.sum(), error.toString());
                }
            }
        };
        final Hop relay = new Hop("baseline-relay", new KafkaConsumer<>(consumerConfig(settings, relayGroup, "relay",
                exactlyOnce)), in, !exactlyOnce,
                (records, group) -> {
                    if (exactlyOnce) {
                        relayProducer.beginTransaction();
                    }
                    for (ConsumerRecord<byte[], byte[]> record : records) {
                        final byte[] result = filler(resultBytes);
                        System.arraycopy(record.value(), 0, result, 0, Long.BYTES);
                        relayProducer.send(new ProducerRecord<>(out, record.key(), result), relayed);
                    }
                    if (exactlyOnce) {
                        relayProducer.sendOffsetsToTransaction(nextOffsets(records), group);
                        relayProducer.commitTransaction();
                    }
                });
        final Hop sink = new Hop("baseline-sink", new KafkaConsumer<>(consumerConfig(settings, sinkGroup, "sink",
                exactlyOnce)), out, true,
                (records, group) -> {
                    final long now = clock.nowMicros();
                    arrived.add(records.count());
                    final LatencyRecording current = recording.get();
                    if (current != null) {
                        for (ConsumerRecord<byte[], byte[]> record : records) {
                            current.record(ByteBuffer.wrap(record.value()).getLong(0), now);
                        }
                    }
                });
        final Admin admin = Admin.create(settings.admin());
        final LagProbe lag = new LagProbe(admin, List.of(new LagProbe.Watched(relayGroup, in),
                new LagProbe.Watched(sinkGroup, out)));
        final Producer<byte[], byte[]> feed = new KafkaProducer<>(settings.producer(FEED_CLIENT));
        final MessageSource messages = (index, intendedMicros) -> {
            final byte[] tick = filler(tickBytes);
            ByteBuffer.wrap(tick).putLong(0, intendedMicros);
            return new ProducerRecord<>(in, stocks.key(stocks.stockOf(index)), tick);
        };
        LOG.info("baseline ready in={} out={} partitions={} tickBytes={} resultBytes={} exactlyOnce={}", in, out,
                partitions, tickBytes, resultBytes, exactlyOnce);
        return new LoadPath(exactlyOnce ? "kafka-two-hop-eos" : "kafka-two-hop", new PacedProducer(feed, clock),
                messages, lag, recording, arrived::sum, clock, CpuAccount.baseline(), maxP99Millis,
                List.of(feed, relay, relayProducer, sink, () -> deleteTopics(admin, in, out), admin));
    }

    private static Map<String, Object> consumerConfig(final ClientSettings settings, final String group,
                                                      final String clientId, final boolean readCommitted) {
        final Map<String, Object> config = settings.consumer(group, clientId);
        if (readCommitted) {
            config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        }
        return config;
    }

    /** The offsets to commit after a poll: one past the last record of each partition. */
    private static Map<TopicPartition, OffsetAndMetadata> nextOffsets(final ConsumerRecords<byte[], byte[]> records) {
        final Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
        for (TopicPartition partition : records.partitions()) {
            final List<ConsumerRecord<byte[], byte[]>> batch = records.records(partition);
            offsets.put(partition, new OffsetAndMetadata(batch.get(batch.size() - 1).offset() + 1));
        }
        return offsets;
    }

    private static byte[] filler(final int size) {
        final byte[] bytes = new byte[Math.max(Long.BYTES, size)];
        Arrays.fill(bytes, Long.BYTES, bytes.length, (byte) 'x');
        return bytes;
    }

    private static void deleteTopics(final Admin admin, final String... topics) throws Exception {
        admin.deleteTopics(List.of(topics)).all().get(30, TimeUnit.SECONDS);
    }

    /** What a hop does with one poll's records (and its consumer's group, for transactions), on the hop's thread. */
    @FunctionalInterface
    private interface RecordHandler {
        void accept(ConsumerRecords<byte[], byte[]> records, ConsumerGroupMetadata group);
    }

    /**
     * One consuming hop on its own thread: assigned every partition of its topic from the current end, hands each
     * poll's records to {@code handler} and, when {@code commits}, commits asynchronously after each poll (so the lag
     * probe sees its progress; a transactional handler commits its offsets itself).
     */
    private static final class Hop implements AutoCloseable {
        private final Consumer<byte[], byte[]> consumer;
        private final Thread thread;
        private volatile boolean running = true;

        Hop(final String name, final Consumer<byte[], byte[]> consumer, final String topic, final boolean commits,
            final RecordHandler handler) {
            this.consumer = consumer;
            final List<TopicPartition> partitions = new ArrayList<>();
            consumer.partitionsFor(topic).forEach(p -> partitions.add(new TopicPartition(topic, p.partition())));
            consumer.assign(partitions);
            consumer.seekToEnd(partitions);
            partitions.forEach(consumer::position);
            consumer.commitSync();
            this.thread = new Thread(() -> loop(handler, commits), name);
            thread.setDaemon(true);
            thread.start();
        }

        private void loop(final RecordHandler handler, final boolean commits) {
            try {
                while (running) {
                    final ConsumerRecords<byte[], byte[]> records = consumer.poll(POLL);
                    if (!records.isEmpty()) {
                        handler.accept(records, consumer.groupMetadata());
                        if (commits) {
                            consumer.commitAsync();
                        }
                    }
                }
            } catch (WakeupException e) {
                // close() woke the poll: fall through to close the consumer on its own thread
            } finally {
                consumer.close();
            }
        }

        @Override
        public void close() {
            running = false;
            consumer.wakeup();
            try {
                thread.join(TimeUnit.SECONDS.toMillis(30));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
