package io.tickflow.indicator;

import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.tickflow.indicator.ta.EngineSpec;
import io.tickflow.model.Json;
import io.tickflow.model.Tick;
import io.tickflow.model.TickSanity;
import io.tickflow.runtime.AuthTokens;
import io.tickflow.runtime.HttpLimits;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.clients.consumer.ConsumerGroupMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;

import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The processor's production object graph ({@link IndicatorMain#processor}) without a broker: a {@link MockConsumer}
 * fed from an in-memory ticks log, a {@link MockProducer} that commits a transaction's offsets to that consumer as the
 * broker would, a changelog read back from the state records the producer wrote, and a manual nano clock. Driven step
 * by step on the test thread (which is then the poll thread).
 */
final class Rig implements AutoCloseable {
    static final String TICKS = "stock_data";
    static final String RESULTS = "indicator_results";
    static final String STATE = "indicator_state";
    static final String DLQ = "stock_data.dlq";
    static final String BARS = "indicator_bars";
    static final Duration INTERVAL = Duration.ofMillis(100);
    static final long COMPUTED_MICROS = 1_717_329_600_000_000L;
    private static final Instant T0 = Instant.parse("2024-06-02T12:00:00Z");
    private static final Pattern SEQ = Pattern.compile("\"seq\":(\\d+)");

    final AtomicLong nanos = new AtomicLong(5_000_000_000L);
    final ListeningConsumer consumer = new ListeningConsumer();
    /** Every producer the processor was given, the first one and each renewal's; the last is {@link #producer}. */
    final List<BrokerProducer> producers = new ArrayList<>();
    /** What each new producer's {@code initTransactions} throws, in turn (none when empty). */
    final java.util.Deque<RuntimeException> initFailures = new java.util.ArrayDeque<>();
    /** The dead-letter topic's size limit: a copy with a longer value fails as the broker fails it. */
    final java.util.concurrent.atomic.AtomicInteger deadLetterMaxBytes = new java.util.concurrent.atomic.AtomicInteger(
            Integer.MAX_VALUE);
    BrokerProducer producer;
    final IndicatorMetrics metrics = new IndicatorMetrics(new PrometheusRegistry());
    final IndicatorProcessor processor;
    private final List<ProducerRecord<byte[], byte[]>> earlierState;
    private final Map<TopicPartition, List<ConsumerRecord<byte[], byte[]>>> log = new HashMap<>();

    Rig(final ProcessingGuarantee guarantee) {
        this(guarantee, EngineSpec.DEFAULT, List.of());
    }

    /** @param earlierState state records an earlier instance committed (the changelog it leaves behind) */
    Rig(final ProcessingGuarantee guarantee, final String indicators,
        final List<ProducerRecord<byte[], byte[]>> earlierState) {
        this(guarantee, indicators, earlierState, java.util.Optional.empty());
    }

    /** @param bars BARS (empty = off) */
    Rig(final ProcessingGuarantee guarantee, final String indicators,
        final List<ProducerRecord<byte[], byte[]>> earlierState,
        final java.util.Optional<io.tickflow.indicator.bars.BarSpec> bars) {
        this(guarantee, indicators, earlierState, bars, Duration.ZERO);
    }

    /** @param barIdleClose BAR_IDLE_CLOSE (0 = off), on the rig's {@link #nanos} clock */
    Rig(final ProcessingGuarantee guarantee, final String indicators,
        final List<ProducerRecord<byte[], byte[]>> earlierState,
        final java.util.Optional<io.tickflow.indicator.bars.BarSpec> bars, final Duration barIdleClose) {
        this.earlierState = List.copyOf(earlierState);
        final Map<TopicPartition, Long> beginning = new HashMap<>();
        for (int p = 0; p < 4; p++) {
            beginning.put(new TopicPartition(TICKS, p), 0L);
        }
        consumer.updateBeginningOffsets(beginning);
        final IndicatorConfig config = new IndicatorConfig(new Properties(), TICKS, RESULTS, STATE, DLQ,
                EngineSpec.parse(indicators), TickSanity.DEFAULT, 2, 1024, INTERVAL, guarantee, "test-app",
                "test-instance", false, "127.0.0.1", 0, HttpLimits.DEFAULTS, AuthTokens.none(), bars, BARS,
                100_000, java.time.Duration.ZERO, 3, Duration.ofSeconds(30), barIdleClose);
        final Admin admin = (Admin) Proxy.newProxyInstance(Admin.class.getClassLoader(), new Class<?>[]{Admin.class},
                (proxy, method, args) -> null);
        final StateStore stateStore = new StateStore(STATE, new MockConsumer<>("earliest"), admin,
                guarantee == ProcessingGuarantee.EXACTLY_ONCE);
        // one client: the rig's broker follows one producer's transactions (the pair: TransactionalCommitProtocolTest)
        processor = IndicatorMain.processor(config, consumer, new RenewableProducer(slot -> newProducer(), 1),
                stateStore, this::loadState, MarkerWait.NONE, metrics, nanos::get, () -> COMPUTED_MICROS);
        processor.start();
    }

    private BrokerProducer newProducer() {
        producer = new BrokerProducer(consumer, deadLetterMaxBytes);
        producer.initTransactionException = initFailures.poll();
        producers.add(producer);
        return producer;
    }

    /** What every producer wrote (committed, in EOS mode), the first producer's first. */
    List<ProducerRecord<byte[], byte[]>> history() {
        final List<ProducerRecord<byte[], byte[]>> all = new ArrayList<>();
        for (BrokerProducer p : producers) {
            all.addAll(p.history());
        }
        return all;
    }

    /** Appends a record with these bytes to the partition's log. */
    void raw(final int partition, final String key, final byte[] value) {
        final List<ConsumerRecord<byte[], byte[]>> records = log.computeIfAbsent(tp(partition), k -> new ArrayList<>());
        records.add(new ConsumerRecord<>(TICKS, partition, records.size(), key.getBytes(StandardCharsets.UTF_8),
                value));
    }

    static TopicPartition tp(final int partition) {
        return new TopicPartition(TICKS, partition);
    }

    /** Appends ticks of {@code stock} to the partition's log, prices following a deterministic walk. */
    void ticks(final int partition, final String stock, final int count) {
        final List<ConsumerRecord<byte[], byte[]>> records = log.computeIfAbsent(tp(partition), k -> new ArrayList<>());
        for (int i = 0; i < count; i++) {
            final long offset = records.size();
            final double price = 100.0 + 10.0 * Math.sin(offset * 0.7 + stock.hashCode() % 7) + offset * 0.01;
            final Tick tick = Tick.of(stock, T0.plusSeconds(offset), price, 100 + offset);
            records.add(new ConsumerRecord<>(TICKS, partition, offset, stock.getBytes(StandardCharsets.UTF_8),
                    Json.encodeTick(tick)));
        }
    }

    /** Appends one tick with the given timestamp to the partition's log. */
    void tick(final int partition, final String stock, final Instant timestamp, final double price,
              final double volume) {
        final List<ConsumerRecord<byte[], byte[]>> records = log.computeIfAbsent(tp(partition), k -> new ArrayList<>());
        records.add(new ConsumerRecord<>(TICKS, partition, records.size(), stock.getBytes(StandardCharsets.UTF_8),
                Json.encodeTick(Tick.of(stock, timestamp, price, volume))));
    }

    /** The bar documents in the producer's history (committed ones, in EOS mode), in order; of one stock if given. */
    List<String> bars(final String stock) {
        final byte[] key = stock == null ? null : stock.getBytes(StandardCharsets.UTF_8);
        return history().stream()
                .filter(r -> r.topic().equals(BARS) && (key == null || java.util.Arrays.equals(key, r.key())))
                .map(r -> new String(r.value(), StandardCharsets.UTF_8)).toList();
    }

    /** The dead letters' codes, in order. */
    List<String> deadLetterCodes() {
        return history().stream().filter(r -> r.topic().equals(DLQ))
                .map(r -> new String(r.headers().lastHeader(DeadLetters.CODE).value(), StandardCharsets.UTF_8))
                .toList();
    }

    /** A group rebalance that leaves us with {@code partitions}: revoke, then assign, as the consumer calls them. */
    void assign(final int... partitions) {
        final List<TopicPartition> tps = new ArrayList<>();
        for (int p : partitions) {
            tps.add(tp(p));
        }
        consumer.rebalance(tps);
    }

    /** The partitions are lost (session expired): the listener hears it, as from inside {@code poll}. */
    void lose(final Collection<TopicPartition> lost) {
        consumer.listener.onPartitionsLost(lost);
    }

    /** Feeds the consumer what its log holds at or after each assigned partition's position, then one loop turn. */
    void step() throws InterruptedException {
        for (TopicPartition tp : consumer.assignment()) {
            final long position = consumer.position(tp);
            for (ConsumerRecord<byte[], byte[]> r : log.getOrDefault(tp, List.of())) {
                if (r.offset() >= position) {
                    consumer.addRecord(r);
                }
            }
        }
        processor.step();
    }

    /** Lets the open interval come due and runs the turn that commits it. */
    void commitTurn() throws InterruptedException {
        nanos.addAndGet(INTERVAL.toNanos());
        step();
    }

    /** What the changelog holds: state records of earlier instances, then ours (committed ones, in EOS mode). */
    private Map<String, StateStore.Saved> loadState(final Collection<Integer> partitions) {
        final StateStore.Fold fold = new StateStore.Fold(Set.copyOf(partitions));
        final List<ProducerRecord<byte[], byte[]>> all = new ArrayList<>(earlierState);
        all.addAll(history());
        for (ProducerRecord<byte[], byte[]> r : all) {
            if (r.topic().equals(STATE) && partitions.contains(r.partition())) {
                fold.add(r.partition(), r.key(), r.value());
            }
        }
        return fold.states();
    }

    /** The state records written and (in EOS mode) committed. */
    List<ProducerRecord<byte[], byte[]>> stateRecords() {
        return history().stream().filter(r -> r.topic().equals(STATE)).toList();
    }

    /** The result documents of one stock in the producer's history (committed ones, in EOS mode), in order. */
    List<String> results(final String stock) {
        final byte[] key = stock.getBytes(StandardCharsets.UTF_8);
        return history().stream()
                .filter(r -> r.topic().equals(RESULTS) && java.util.Arrays.equals(key, r.key()))
                .map(r -> new String(r.value(), StandardCharsets.UTF_8)).toList();
    }

    static long seqOf(final String result) {
        final Matcher m = SEQ.matcher(result);
        if (!m.find()) {
            throw new AssertionError("no seq in " + result);
        }
        return Long.parseLong(m.group(1));
    }

    /** The group's committed offset of an assigned partition (MockConsumer reports 0 for any other). */
    OffsetAndMetadata committed(final int partition) {
        return consumer.committed(java.util.Set.of(tp(partition))).get(tp(partition));
    }

    /** The offset of the partition that the last committed transaction carrying it committed (EOS), else null. */
    Long committedByTransaction(final int partition) {
        Long offset = null;
        for (Map<String, Map<TopicPartition, OffsetAndMetadata>> byGroup : producers.stream()
                .flatMap(p -> p.consumerGroupOffsetsHistory().stream()).toList()) {
            for (Map<TopicPartition, OffsetAndMetadata> offsets : byGroup.values()) {
                if (offsets.containsKey(tp(partition))) {
                    offset = offsets.get(tp(partition)).offset();
                }
            }
        }
        return offset;
    }

    double counter(final io.prometheus.metrics.core.metrics.Counter counter, final String label) {
        return counter.labelValues(label).get();
    }

    @Override
    public void close() {
        processor.shutdown();
    }

    /**
     * A MockConsumer that keeps the rebalance listener it was subscribed with, and whose {@code committed} can be made
     * to fail as an offset fetch the group coordinator does not answer.
     */
    static final class ListeningConsumer extends MockConsumer<byte[], byte[]> {
        ConsumerRebalanceListener listener;
        volatile RuntimeException committedFailure;

        ListeningConsumer() {
            super("earliest");
        }

        @Override
        public void subscribe(final Collection<String> topics, final ConsumerRebalanceListener callback) {
            listener = callback;
            super.subscribe(topics, callback);
        }

        @Override
        public synchronized Map<TopicPartition, OffsetAndMetadata> committed(final Set<TopicPartition> parts) {
            if (committedFailure != null) {
                throw committedFailure;
            }
            return super.committed(parts);
        }
    }

    /**
     * A MockProducer (auto-completing) that, like the broker, commits the offsets sent to a transaction to the group
     * when the transaction commits; that can fail the callback of the next result send; and that fails a dead letter
     * longer than the topic's size limit as the broker does.
     */
    static final class BrokerProducer extends MockProducer<byte[], byte[]> {
        private final MockConsumer<byte[], byte[]> group;
        private final java.util.concurrent.atomic.AtomicInteger deadLetterMaxBytes;
        private final Map<TopicPartition, OffsetAndMetadata> pending = new HashMap<>();
        private RuntimeException failNextResult;

        BrokerProducer(final MockConsumer<byte[], byte[]> group,
                       final java.util.concurrent.atomic.AtomicInteger deadLetterMaxBytes) {
            super(true, null, new ByteArraySerializer(), new ByteArraySerializer());
            this.group = group;
            this.deadLetterMaxBytes = deadLetterMaxBytes;
        }

        synchronized void failNextResult(final RuntimeException e) {
            failNextResult = e;
        }

        @Override
        public synchronized void sendOffsetsToTransaction(final Map<TopicPartition, OffsetAndMetadata> offsets,
                                                          final ConsumerGroupMetadata metadata) {
            super.sendOffsetsToTransaction(offsets, metadata);
            pending.putAll(offsets);
        }

        @Override
        public synchronized void commitTransaction() {
            super.commitTransaction();
            group.commitSync(pending);
            pending.clear();
        }

        @Override
        public synchronized void abortTransaction() {
            super.abortTransaction();
            pending.clear();
        }

        @Override
        public synchronized Future<RecordMetadata> send(final ProducerRecord<byte[], byte[]> record,
                                                        final Callback callback) {
            if (failNextResult != null && record.topic().equals(RESULTS)) {
                final RuntimeException e = failNextResult;
                failNextResult = null;
                callback.onCompletion(null, e);
                return CompletableFuture.failedFuture(e);
            }
            if (record.topic().equals(DLQ) && record.value() != null
                    && record.value().length > deadLetterMaxBytes.get()) {
                final RuntimeException e = new org.apache.kafka.common.errors.RecordTooLargeException(
                        "The request included a message larger than the max message size the server will accept.");
                callback.onCompletion(null, e);
                return CompletableFuture.failedFuture(e);
            }
            return super.send(record, callback);
        }
    }
}
