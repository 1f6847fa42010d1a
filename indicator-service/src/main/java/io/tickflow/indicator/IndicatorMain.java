package io.tickflow.indicator;

import io.prometheus.metrics.instrumentation.jvm.JvmMetrics;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.tickflow.runtime.ConfigException;
import io.tickflow.runtime.AuthFailures;
import io.tickflow.runtime.BearerAuth;
import io.tickflow.runtime.EffectiveConfig;
import io.tickflow.runtime.ServiceHttpServer;
import io.tickflow.runtime.ServiceStart;
import io.tickflow.runtime.StartFailure;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.LongSupplier;

/**
 * The indicator service: consumes ticks, computes indicators per stock in worker lanes, writes results, dead letters
 * and the state changelog, with exactly-once (default) or at-least-once effect. HTTP: /health, /ready, /metrics.
 */
public final class IndicatorMain implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(IndicatorMain.class);
    /** How long a barrier on the lanes (state write, commit, install or drop of state) may take. */
    private static final Duration BARRIER_TIMEOUT = Duration.ofSeconds(60);

    private final IndicatorProcessor processor;
    private final Thread pollThread;
    private final ServiceHttpServer http;

    private IndicatorMain(final IndicatorProcessor processor, final Thread pollThread, final ServiceHttpServer http) {
        this.processor = processor;
        this.pollThread = pollThread;
        this.http = http;
    }

    public static void main(final String[] args) throws InterruptedException {
        final IndicatorMain service = ServiceStart.orExit("indicator-service", () -> {
            final IndicatorConfig config = IndicatorConfig.fromEnv(System.getenv());
            ServiceStart.requireKafka(config.kafka(), ServiceStart.KAFKA_WAIT);
            return start(config);
        });
        Runtime.getRuntime().addShutdownHook(new Thread(service::close, "indicator-shutdown"));
        service.processor.awaitStop();
        if (service.processor.failed()) {
            LOG.error("indicator service exits after a fatal processing error");
            System.exit(1);
        }
    }

    public static IndicatorMain start(final IndicatorConfig config) {
        EffectiveConfig.log(LOG, "indicator", config.settings(), config.kafka());
        if (config.createTopics()) {
            ensureTopics(config);
        }
        final PrometheusRegistry registry = new PrometheusRegistry();
        JvmMetrics.builder().register(registry);
        final IndicatorMetrics metrics = new IndicatorMetrics(registry);
        final ServiceHttpServer http;
        try {
            http = new ServiceHttpServer("indicator", config.httpHost(), config.httpPort(), 2, config.httpLimits(),
                    registry);
            http.protectMetrics(new BearerAuth(config.metricsTokens(), new AuthFailures()));
        } catch (IOException e) {
            throw StartFailure.cannotListen(config.httpHost(), config.httpPort(), "HTTP_PORT", e);
        }
        final IndicatorProcessor processor;
        try {
            final KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(config.consumerProperties(),
                    new ByteArrayDeserializer(), new ByteArrayDeserializer());
            final Admin admin = Admin.create(config.adminProperties());
            final StateStore stateStore = new StateStore(config.stateTopic(), new KafkaConsumer<>(
                    config.restoreConsumerProperties(), new ByteArrayDeserializer(), new ByteArrayDeserializer()),
                    admin, config.guarantee() == ProcessingGuarantee.EXACTLY_ONCE);
            final LongSupplier epochMicros = () -> {
                final Instant now = Instant.now();
                return now.getEpochSecond() * 1_000_000L + now.getNano() / 1_000L;
            };
            final MarkerWait markers = config.guarantee() == ProcessingGuarantee.EXACTLY_ONCE
                    ? new CoordinatorMarkerWait(admin, config.transactionalIds(), System::nanoTime) : MarkerWait.NONE;
            processor = processor(config, consumer, new RenewableProducer(slot -> new KafkaProducer<>(
                    config.producerProperties(slot), new ByteArraySerializer(), new ByteArraySerializer()),
                    config.producerSlots()), stateStore, stateStore, markers, metrics, System::nanoTime, epochMicros);
        } catch (RuntimeException e) {
            http.close();
            throw e;
        }
        http.readyWhen("partitions_assigned_and_state_restored", processor::ready);
        http.readyWhen("processor_running", () -> !processor.failed());
        http.readyWhen("making_progress", processor::progressing);
        final Thread pollThread = new Thread(processor, "indicator-poll");
        pollThread.start();
        final IndicatorMain service = new IndicatorMain(processor, pollThread, http);
        try {
            http.start();
        } catch (UncheckedIOException e) {
            service.close();
            throw StartFailure.cannotListen(config.httpHost(), config.httpPort(), "HTTP_PORT", e);
        }
        LOG.info("indicator service started http={}", http.port());
        return service;
    }

    /**
     * The processor's object graph. The processing guarantee is decided here, once: it picks the
     * {@link CommitProtocol}. {@code producer} is the service's one producer, whose clients {@link Recovery} renews
     * in place. {@code stateStore} writes the state records and is closed with the clients; {@code changelog} is where the
     * state is restored from (the same store outside tests).
     */
    static IndicatorProcessor processor(final IndicatorConfig config, final Consumer<byte[], byte[]> consumer,
                                        final RenewableProducer producer,
                                        final StateStore stateStore, final StateSource changelog,
                                        final MarkerWait markers, final IndicatorMetrics metrics,
                                        final LongSupplier nanoTime, final LongSupplier epochMicros) {
        final SendFailures failures = new SendFailures(metrics.sendFailures);
        final DeadLetters deadLetters = new DeadLetters(producer, config.deadLetterTopic(), metrics, failures);
        final List<LaneProcessor> handlers = new ArrayList<>();
        for (int i = 0; i < config.workerLanes(); i++) {
            handlers.add(new LaneProcessor(config.indicators(), config.sanity(), config.resultsTopic(), producer,
                    deadLetters, stateStore, metrics, epochMicros, nanoTime, failures, config.bars(),
                    config.barsTopic(),
                    StockLimits.of(config.maxStocks(), config.stockIdleEvict(), config.workerLanes())));
        }
        final WorkerLanes<LaneProcessor.Work, LaneProcessor> lanes = new WorkerLanes<>("indicator",
                config.laneCapacity(), handlers, LaneProcessor.Work::key, BARRIER_TIMEOUT,
                new ConsumerInflow(consumer));
        final CommittedPoint point = new CommittedPoint();
        final CommitProtocol protocol = switch (config.guarantee()) {
            case EXACTLY_ONCE -> new TransactionalCommitProtocol(producer, consumer, lanes, failures, markers, point,
                    Executors.newSingleThreadExecutor(IndicatorMain::committerThread));
            case AT_LEAST_ONCE -> new FlushThenCommitProtocol(producer, consumer, lanes, failures, point);
        };
        final PoisonRecords poison = new PoisonRecords(config.recordMaxAborts());
        final ProgressWatch progress = new ProgressWatch(nanoTime, config.progressTimeout());
        final WorkInterval interval = new WorkInterval(protocol, lanes, failures, metrics, poison, progress, nanoTime,
                config.commitInterval(), point);
        final LagGauge lag = new LagGauge(consumer, metrics.consumerLag, progress, nanoTime);
        final StreamTimes streamTimes = new StreamTimes();
        final PartitionOwnership ownership = new PartitionOwnership(consumer, interval, lanes, changelog, lag,
                metrics, streamTimes, point);
        final Recovery recovery = new Recovery(consumer, producer, protocol, interval, ownership, failures, nanoTime);
        return new IndicatorProcessor(config.ticksTopic(), consumer, producer, stateStore, lanes, protocol, interval,
                ownership, lag, recovery, poison, progress, nanoTime, new TickGate(config.sanity()), streamTimes,
                config.bars().isPresent(), config.bars().isPresent() ? config.barIdleClose() : Duration.ZERO);
    }

    private static Thread committerThread(final Runnable commits) {
        final Thread thread = new Thread(commits, "indicator-committer");
        thread.setDaemon(true); // idle between commits; the poll thread settles the last one before it stops
        return thread;
    }

    public int httpPort() {
        return http.port();
    }

    /** True once the processor has joined the group and restored the state of its partitions. */
    public boolean ready() {
        return processor.ready();
    }

    @Override
    public void close() {
        try {
            processor.stop(Duration.ofSeconds(8)); // the ops contract: stopped within 10 s of SIGTERM
            pollThread.join(TimeUnit.SECONDS.toMillis(1));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        http.close();
        LOG.info("indicator service stopped");
    }

    /** The topic's partition count, 0 if it does not exist; retries briefly (a topic just created may not be known). */
    private static int partitionsOf(final Admin admin, final String topic)
            throws InterruptedException, ExecutionException, TimeoutException {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (true) {
            try {
                final TopicDescription d = admin.describeTopics(List.of(topic)).allTopicNames()
                        .get(30, TimeUnit.SECONDS).get(topic);
                return d.partitions().size();
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof UnknownTopicOrPartitionException)) {
                    throw e;
                }
                if (System.nanoTime() > deadline) {
                    return 0;
                }
                Thread.sleep(100);
            }
        }
    }

    /**
     * A topic just created: wait (up to 10 s) until every partition has a leader in the metadata, so the producer's
     * first batch does not meet NOT_LEADER_OR_FOLLOWER — after which the idempotent producer of Kafka 4.3 was seen
     * retrying the batch forever on OUT_OF_ORDER_SEQUENCE_NUMBER (a bars topic created at start, in the benchmark).
     */
    private static void awaitLeaders(final Admin admin, final String topic)
            throws InterruptedException, ExecutionException, TimeoutException {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline) {
            try {
                final TopicDescription d = admin.describeTopics(List.of(topic)).allTopicNames()
                        .get(30, TimeUnit.SECONDS).get(topic);
                if (d.partitions().stream().allMatch(p -> p.leader() != null && !p.leader().isEmpty())) {
                    return;
                }
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof UnknownTopicOrPartitionException)) {
                    throw e;
                }
            }
            Thread.sleep(50); // metadata on its way: a short back-off between looks
        }
        LOG.warn("topic {} has partitions without a leader 10 s after it was created", topic);
    }

    /**
     * Creates the output topics if they are missing, with the ticks topic's partition count: results, bars (with BARS),
     * the DLQ and the compacted state changelog (which must have at least as many partitions as the ticks topic: it is
     * co-partitioned).
     */
    private static void ensureTopics(final IndicatorConfig config) {
        try (Admin admin = Admin.create(config.adminProperties())) {
            final int partitions = partitionsOf(admin, config.ticksTopic());
            if (partitions == 0) {
                throw new ConfigException("TICKS_TOPIC=" + config.ticksTopic() + ": topic does not exist");
            }
            final List<NewTopic> wanted = new ArrayList<>(List.of(
                    new NewTopic(config.resultsTopic(), partitions, (short) -1),
                    new NewTopic(config.deadLetterTopic(), partitions, (short) -1),
                    new NewTopic(config.stateTopic(), partitions, (short) -1).configs(Map.of(
                            TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT,
                            TopicConfig.SEGMENT_BYTES_CONFIG, Integer.toString(16 * 1024 * 1024)))));
            if (config.bars().isPresent()) {
                wanted.add(new NewTopic(config.barsTopic(), partitions, (short) -1));
            }
            for (NewTopic topic : wanted) {
                try {
                    admin.createTopics(List.of(topic)).all().get(30, TimeUnit.SECONDS);
                    awaitLeaders(admin, topic.name());
                    LOG.info("created topic {} partitions={}", topic.name(), partitions);
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        throw new IllegalStateException("cannot create topic " + topic.name(), e.getCause());
                    }
                    if (topic.name().equals(config.stateTopic())) {
                        final int stateParts = partitionsOf(admin, config.stateTopic());
                        if (stateParts < partitions) {
                            throw new ConfigException("STATE_TOPIC=" + config.stateTopic() + ": has " + stateParts
                                    + " partitions, needs at least the " + partitions + " of " + config.ticksTopic());
                        }
                    }
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while checking topics", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("cannot check topics at " + config.kafka().get("bootstrap.servers"), e);
        }
    }
}
