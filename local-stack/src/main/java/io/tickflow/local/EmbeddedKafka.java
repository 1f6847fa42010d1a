package io.tickflow.local;

import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import kafka.tools.StorageTool;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.utils.Time;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;

/**
 * A real Apache Kafka broker in this JVM: one KRaft node that is both broker and controller, listening on 127.0.0.1.
 * The log directory is formatted with Kafka's own {@link StorageTool}, then {@link KafkaRaftServer} runs it.
 * Replication factors and min ISR of the internal topics are 1, so transactions and consumer groups work on one node.
 * {@link #stop()} and {@link #start()} may be repeated: the broker comes back on the same port with its data.
 */
public final class EmbeddedKafka implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedKafka.class);

    private final Path logDir;
    private final boolean deleteOnClose;
    private final int brokerPort;
    private final KafkaConfig config;
    private KafkaRaftServer server;

    private EmbeddedKafka(final Path logDir, final boolean deleteOnClose, final int brokerPort,
                          final Map<String, String> overrides) throws IOException {
        this.logDir = logDir;
        this.deleteOnClose = deleteOnClose;
        this.brokerPort = brokerPort == 0 ? freePort() : brokerPort;
        final int controllerPort = freePort();
        final Properties props = new Properties();
        props.put("process.roles", "broker,controller");
        props.put("node.id", "1");
        props.put("controller.quorum.voters", "1@127.0.0.1:" + controllerPort);
        props.put("listeners", "PLAINTEXT://127.0.0.1:" + this.brokerPort + ",CONTROLLER://127.0.0.1:" + controllerPort);
        props.put("advertised.listeners", "PLAINTEXT://127.0.0.1:" + this.brokerPort);
        props.put("controller.listener.names", "CONTROLLER");
        props.put("inter.broker.listener.name", "PLAINTEXT");
        props.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
        props.put("log.dirs", logDir.toString());
        props.put("offsets.topic.replication.factor", "1");
        props.put("offsets.topic.num.partitions", "1");
        props.put("transaction.state.log.replication.factor", "1");
        props.put("transaction.state.log.min.isr", "1");
        props.put("transaction.state.log.num.partitions", "4");
        props.put("share.coordinator.state.topic.replication.factor", "1");
        props.put("share.coordinator.state.topic.min.isr", "1");
        props.put("group.initial.rebalance.delay.ms", "0");
        // A dead instance's open transaction blocks read_committed readers (and the state restore of whoever takes
        // its partitions) until the coordinator aborts it: look for expired transactions every second, not every 10 s
        // (ops.md recommends the same for production brokers that want fail-over in seconds).
        props.put("transaction.abort.timed.out.transaction.cleanup.interval.ms", "1000");
        props.put("auto.create.topics.enable", "false");
        props.put("num.partitions", "4");
        // A local broker lives in a temp dir: bound each partition's log (256 MiB kept, in 64 MiB segments) so a
        // long ./run-local or a load run at 300k msgs/s cannot fill the disk (one unbounded benchmark wrote 77 GB).
        // Compacted topics (indicator_state) are cleaned by key instead.
        props.put("log.retention.bytes", Long.toString(256L << 20));
        props.put("log.segment.bytes", Integer.toString(64 << 20));
        props.put("log.retention.check.interval.ms", "10000");
        // Each cleaning pass of a compacted log first zeroes the whole dedupe map: Kafka's 128 MiB made that fill 8 %
        // of all CPU samples with 10,000 stocks writing state (JFR, s3). 16 MiB still maps ~600k keys per pass, and a
        // 64 MiB segment of state records holds at most ~60k.
        props.put("log.cleaner.dedupe.buffer.size", Integer.toString(16 << 20));
        props.putAll(overrides);
        this.config = KafkaConfig.fromProps(props, false);
        format(props);
    }

    /** A broker on a free port with a fresh temporary log directory, deleted on {@link #close()}. */
    public static EmbeddedKafka startTemporary() throws IOException {
        return start(Files.createTempDirectory("tickflow-kafka-"), true, 0, Map.of());
    }

    /**
     * A broker on {@code port} (0 = any free port) whose data lives in {@code logDir} (created and formatted here:
     * it must not hold an earlier broker's data).
     */
    public static EmbeddedKafka start(final Path logDir, final boolean deleteOnClose, final int port,
                                      final Map<String, String> overrides) throws IOException {
        Files.createDirectories(logDir);
        final EmbeddedKafka kafka = new EmbeddedKafka(logDir, deleteOnClose, port, overrides);
        kafka.start();
        return kafka;
    }

    /** Starts (or restarts after {@link #stop()}) the broker and waits until it answers. */
    public synchronized void start() {
        if (server != null) {
            return;
        }
        final long began = System.nanoTime();
        server = new KafkaRaftServer(config, Time.SYSTEM);
        server.startup();
        awaitReady();
        LOG.info("Kafka broker ready bootstrap={} logDir={} startMs={}", bootstrapServers(), logDir,
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - began));
    }

    /** Stops the broker, keeping its data (for tests that need Kafka to go away and come back). */
    public synchronized void stop() {
        if (server == null) {
            return;
        }
        server.shutdown();
        server.awaitShutdown();
        server = null;
        LOG.info("Kafka broker stopped bootstrap={}", bootstrapServers());
    }

    public String bootstrapServers() {
        return "127.0.0.1:" + brokerPort;
    }

    /** Creates topics (name → partitions) if they do not exist yet; {@code configs} apply to each. */
    public void createTopics(final Map<String, Integer> partitionsByTopic, final Map<String, String> configs) {
        createTopics(bootstrapServers(), partitionsByTopic, configs);
    }

    /** Creates topics on any cluster; existing topics are left as they are. */
    public static void createTopics(final String bootstrapServers, final Map<String, Integer> partitionsByTopic,
                                    final Map<String, String> configs) {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers))) {
            final List<NewTopic> topics = partitionsByTopic.entrySet().stream()
                    .map(e -> new NewTopic(e.getKey(), e.getValue(), (short) 1).configs(configs))
                    .toList();
            for (Map.Entry<String, KafkaFuture<Void>> created : admin.createTopics(topics).values().entrySet()) {
                try {
                    created.getValue().get(30, TimeUnit.SECONDS);
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        throw new IllegalStateException("cannot create topic " + created.getKey(), e.getCause());
                    }
                }
            }
            awaitDescribable(admin, partitionsByTopic.keySet());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while creating topics", e);
        } catch (TimeoutException e) {
            throw new IllegalStateException("timed out creating topics " + partitionsByTopic.keySet(), e);
        }
    }

    /** A created topic is not yet in every metadata cache: wait until it can be described, so callers never race. */
    private static void awaitDescribable(final Admin admin, final Collection<String> topics)
            throws InterruptedException, TimeoutException {
        final long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (true) {
            try {
                admin.describeTopics(topics).allTopicNames().get(10, TimeUnit.SECONDS);
                return;
            } catch (ExecutionException e) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("topics " + topics + " not describable within 30 s", e.getCause());
                }
                Thread.sleep(50); // metadata propagation: a retry back-off, not a wait for a condition we could observe
            }
        }
    }

    @Override
    public void close() {
        stop();
        if (deleteOnClose) {
            deleteRecursively(logDir);
        }
    }

    private void format(final Properties props) throws IOException {
        final Path configFile = logDir.resolve("server.properties");
        try (var out = Files.newOutputStream(configFile)) {
            props.store(out, "tickflow embedded broker");
        }
        final ByteArrayOutputStream output = new ByteArrayOutputStream();
        final int rc = StorageTool.execute(new String[]{"format", "-t", Uuid.randomUuid().toString(),
                "-c", configFile.toString(), "--ignore-formatted"}, new PrintStream(output, true, StandardCharsets.UTF_8));
        if (rc != 0) {
            throw new IllegalStateException("kafka storage format failed (rc=" + rc + "): " + output);
        }
    }

    private void awaitReady() {
        final long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers()))) {
            while (true) {
                try {
                    admin.describeCluster().nodes().get(5, TimeUnit.SECONDS);
                    return;
                } catch (ExecutionException | TimeoutException e) {
                    if (System.nanoTime() > deadline) {
                        throw new IllegalStateException("Kafka broker not ready within 60 s", e);
                    }
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the broker", e);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        }
    }

    private static void deleteRecursively(final Path dir) {
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + dir, e);
        }
    }
}
