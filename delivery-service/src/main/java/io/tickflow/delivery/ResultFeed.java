package io.tickflow.delivery;

import io.tickflow.runtime.KafkaClientProperties;
import io.tickflow.runtime.WarnLimiter;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * Reads {@code indicator_results} into a {@link ResultSink}. It assigns itself every partition (no consumer group,
 * nothing committed), so each delivery instance sees every result and any number of instances can serve clients.
 * On start it warms the history by seeking each partition back {@code warmupRecords} from its end, then follows live;
 * partitions added later are picked up from their beginning.
 *
 * <p>Isolation. By default the feed reads {@code read_uncommitted}: a result reaches clients as soon as the indicator
 * service has written it, not when its transaction commits up to a commit interval later (that wait was most of the
 * tick → client latency). This is safe because results are deterministic: an aborted transaction's ticks are redone
 * from the committed offsets and the committed state, and produce the same results with the same {@code seq}, bit for
 * bit; {@link StockHistory} drops a result whose {@code seq} is not above its stock's latest, so clients see each
 * result once, in order, with the values of an uninterrupted run. {@code read_committed} is there for a producer of
 * results that is not deterministic.
 *
 * <p>Behind. A poll batch whose oldest record was written {@code conflateAfter} or longer ago (its Kafka timestamp)
 * means the feed cannot fan out every result in time: then every result of the batch is recorded but only each
 * stock's newest goes out ({@link ResultSink#hold}, {@link ResultSink#release}), marked {@code "conflated"} when it
 * replaces others. Fan-out then costs one update per stock and batch instead of one per result, so the feed catches
 * up within a batch or two and what clients get stays fresh; a feed that keeps up fans out every result.
 *
 * <p>The bars ({@code indicator_bars}, equally deterministic) come through a second instance with the {@link BarBook}
 * as its sink, on its own thread and consumer.
 *
 * <p>One thread ({@code delivery-feed}, {@code delivery-bars}) owns the consumer; {@link #close()} wakes it and joins.
 */
public final class ResultFeed implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ResultFeed.class);
    private static final Duration POLL = Duration.ofMillis(200);
    private static final long PARTITION_REFRESH_MILLIS = 30_000;
    /** Records per poll: large, so that a feed that fell behind takes its backlog in one batch (and conflates it). */
    private static final int MAX_POLL_RECORDS = 10_000;

    private final Consumer<byte[], byte[]> consumer;
    private final String topic;
    private final int warmupRecords;
    private final ResultSink sink;
    private final long conflateAfterMillis;
    private final Thread thread;
    private final Set<TopicPartition> assigned = new HashSet<>();
    private volatile Map<TopicPartition, Long> warmupEnd = Map.of();
    private volatile boolean warm;
    private volatile boolean running = true;
    private long lastRefreshMillis;
    private final WarnLimiter unreadableWarnings = new WarnLimiter(10, TimeUnit.SECONDS);
    private final WarnLimiter topicWaits = new WarnLimiter(1, TimeUnit.MINUTES);

    /** @param conflateAfter age of a batch's oldest record from which the feed counts as behind; zero = never */
    public ResultFeed(final Consumer<byte[], byte[]> consumer, final String topic, final int warmupRecords,
                      final ResultSink sink, final Duration conflateAfter) {
        this(consumer, topic, warmupRecords, sink, conflateAfter, "delivery-feed");
    }

    /**
     * A feed of another deterministic topic with the same handling (the bars), on a thread named {@code name}; it
     * hands the sink every record with {@link ResultSink#accept}.
     */
    public ResultFeed(final Consumer<byte[], byte[]> consumer, final String topic, final int warmupRecords,
                      final ResultSink sink, final String name) {
        this(consumer, topic, warmupRecords, sink, Duration.ZERO, name);
    }

    private ResultFeed(final Consumer<byte[], byte[]> consumer, final String topic, final int warmupRecords,
                       final ResultSink sink, final Duration conflateAfter, final String name) {
        this.consumer = consumer;
        this.topic = topic;
        this.warmupRecords = warmupRecords;
        this.sink = sink;
        this.conflateAfterMillis = conflateAfter.isZero() ? Long.MAX_VALUE : conflateAfter.toMillis();
        this.thread = new Thread(this::run, name);
    }

    /** A byte-array consumer with no group, from the service's Kafka properties; {@code clientId} by default. */
    public static Consumer<byte[], byte[]> consumer(final Properties kafka, final String isolationLevel,
                                                    final String clientId) {
        return new KafkaConsumer<>(KafkaClientProperties.consumer(kafka)
                .byDefault(ConsumerConfig.CLIENT_ID_CONFIG, clientId)
                .without(ConsumerConfig.GROUP_ID_CONFIG) // each instance reads every partition from the start
                .without(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG)
                .force(ConsumerConfig.ISOLATION_LEVEL_CONFIG, isolationLevel) // RESULTS_ISOLATION chooses it
                .force(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false")
                .force(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest")
                .byDefault(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, MAX_POLL_RECORDS)
                .build(), new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    public void start() {
        thread.start();
    }

    /** False once the feed thread has ended: closed, or failed on an error it cannot retry. */
    public boolean isRunning() {
        return thread.isAlive();
    }

    /** True once the history has been read back up to the end offsets seen at start. */
    public boolean isWarm() {
        return warm;
    }

    @Override
    public void close() {
        running = false;
        consumer.wakeup();
        try {
            thread.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void run() {
        try {
            while (running && assigned.isEmpty()) {
                refreshPartitions(true);
                if (assigned.isEmpty()) {
                    if (topicWaits.tryAcquire() >= 0) {
                        LOG.info("waiting for topic={} to exist", topic);
                    }
                    sleep(1_000);
                }
            }
            while (running) {
                final ConsumerRecords<byte[], byte[]> records = consumer.poll(POLL);
                if (behind(records)) {
                    for (ConsumerRecord<byte[], byte[]> record : records) {
                        accept(record, true);
                    }
                    release();
                } else {
                    for (ConsumerRecord<byte[], byte[]> record : records) {
                        accept(record, false);
                    }
                }
                if (!warm) {
                    checkWarm();
                }
                if (System.currentTimeMillis() - lastRefreshMillis >= PARTITION_REFRESH_MILLIS) {
                    refreshPartitions(false);
                }
            }
        } catch (WakeupException e) {
            if (running) {
                LOG.error("result feed woken unexpectedly", e);
            }
        } catch (RuntimeException e) {
            LOG.error("result feed failed: topic={}", topic, e);
        } finally {
            consumer.close(CloseOptions.timeout(Duration.ofSeconds(2)));
            LOG.info("result feed stopped: topic={}", topic);
        }
    }

    /** Whether the batch's oldest record was written {@code conflateAfter} ago or longer (untimed records: no). */
    private boolean behind(final ConsumerRecords<byte[], byte[]> records) {
        if (records.count() < 2) {
            return false; // nothing to conflate
        }
        long oldest = Long.MAX_VALUE;
        for (ConsumerRecord<byte[], byte[]> record : records) {
            if (record.timestamp() >= 0) {
                oldest = Math.min(oldest, record.timestamp());
            }
        }
        return oldest != Long.MAX_VALUE && System.currentTimeMillis() - oldest >= conflateAfterMillis;
    }

    private void accept(final ConsumerRecord<byte[], byte[]> record, final boolean hold) {
        try {
            if (hold) {
                sink.hold(record.value());
            } else {
                sink.accept(record.value());
            }
        } catch (IllegalArgumentException e) {
            final long suppressed = unreadableWarnings.tryAcquire();
            if (suppressed >= 0) {
                LOG.warn("skipping unreadable record topic={} partition={} offset={} key={} reason={} "
                                + "suppressedSinceLast={}", record.topic(), record.partition(), record.offset(),
                        record.key() == null ? null : new String(record.key(), StandardCharsets.UTF_8),
                        e.getMessage(), suppressed);
            }
        } catch (RuntimeException e) {
            // a bug, not bad data: log it with the record's coordinates and keep serving every other result
            LOG.error("delivering result failed topic={} partition={} offset={}", record.topic(), record.partition(),
                    record.offset(), e);
        }
    }

    private void release() {
        try {
            sink.release();
        } catch (RuntimeException e) {
            LOG.error("fanning out a conflated batch failed topic={}", topic, e); // a bug: keep serving
        }
    }

    /**
     * Assigns every partition of the topic. At start, each is positioned {@code warmupRecords} before its end; a
     * partition that appears later starts at its beginning (everything in it is new).
     */
    private void refreshPartitions(final boolean initial) {
        lastRefreshMillis = System.currentTimeMillis();
        final List<PartitionInfo> infos;
        final Map<TopicPartition, Long> begin;
        final Map<TopicPartition, Long> end;
        try {
            infos = consumer.partitionsFor(topic, Duration.ofSeconds(10));
            if (infos == null || infos.isEmpty()) {
                return;
            }
            // read before anything is assigned, so a timeout leaves the feed as it was for the next try
            final List<TopicPartition> all = infos.stream().map(i -> new TopicPartition(topic, i.partition())).toList();
            begin = initial ? consumer.beginningOffsets(all) : Map.of();
            end = initial ? consumer.endOffsets(all) : Map.of();
        } catch (TimeoutException e) {
            // Kafka unreachable: keep the feed alive and try again (the start-up loop or the next refresh)
            LOG.warn("cannot read the partitions of topic={}, will retry: {}", topic, e.getMessage());
            return;
        }
        final List<TopicPartition> added = new ArrayList<>();
        for (PartitionInfo info : infos) {
            final TopicPartition tp = new TopicPartition(topic, info.partition());
            if (!assigned.contains(tp)) {
                added.add(tp);
            }
        }
        if (added.isEmpty()) {
            return;
        }
        assigned.addAll(added);
        consumer.assign(new ArrayList<>(assigned));
        if (initial) {
            final Map<TopicPartition, Long> target = new HashMap<>();
            for (TopicPartition tp : added) {
                final long from = Math.max(begin.get(tp), end.get(tp) - warmupRecords);
                consumer.seek(tp, from);
                target.put(tp, end.get(tp));
            }
            warmupEnd = Map.copyOf(target);
            LOG.info("assigned topic={} partitions={} warming from end-{} up to offsets={}", topic, added.size(),
                    warmupRecords, target);
        } else {
            consumer.seekToBeginning(added);
            LOG.info("topic={} grew: assigned new partitions={} from their beginning", topic, added);
        }
    }

    private void checkWarm() {
        for (Map.Entry<TopicPartition, Long> e : warmupEnd.entrySet()) {
            if (consumer.position(e.getKey()) < e.getValue()) {
                return;
            }
        }
        warm = true;
        LOG.info("history warm: topic={} read up to the end offsets seen at start", topic);
    }

    private void sleep(final long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
        }
    }
}
