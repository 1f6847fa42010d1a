package io.tickflow.runtime;

import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.utils.Utils;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

/**
 * How a service run alone starts, and fails: {@link #orExit} runs its start and, if that throws, prints one line
 * naming the cause on stderr ({@code indicator-service: cannot start: port 8082 (HTTP_PORT) is in use: …}) and exits
 * 2 for a bad configuration value, 1 otherwise; the stack trace goes to the DEBUG log only. A start's first step is
 * {@link #requireKafka}: a broker that does not answer within {@link #KAFKA_WAIT} fails it, rather than a service that
 * runs on and retries in its logs.
 */
public final class ServiceStart {
    private static final Logger LOG = LoggerFactory.getLogger(ServiceStart.class);
    /** How long a start waits for Kafka: a broker started at the same time (compose, a restart) has this long. */
    public static final Duration KAFKA_WAIT = Duration.ofSeconds(30);
    private static final long RETRY_MILLIS = 500;
    private static final int CONNECT_TIMEOUT_MILLIS = 2_000;

    private ServiceStart() {
    }

    /** {@code start}'s result; if it throws, one line on stderr and {@code System.exit} with {@link #report}'s code. */
    public static <T> T orExit(final String service, final Supplier<T> start) {
        try {
            return start.get();
        } catch (RuntimeException e) {
            System.exit(report(service, e, System.err));
            throw e; // not reached
        }
    }

    /**
     * Prints {@code "<service>: cannot start: <why>"} on {@code err} — a {@link StartFailure}'s own message, else the
     * messages of the exception and its causes — and returns the exit code: 2 for a bad configuration value, else 1.
     */
    public static int report(final String service, final RuntimeException e, final PrintStream err) {
        LOG.debug("{} start failed", service, e);
        err.println(service + ": cannot start: " + (e instanceof StartFailure ? e.getMessage() : oneLine(e)));
        return e instanceof ConfigException ? 2 : 1;
    }

    /**
     * Returns once a broker of {@code kafka}'s {@code bootstrap.servers} accepts a connection and answers for the
     * cluster, trying for up to {@code wait}; else throws a {@link StartFailure} that names the servers, the key and
     * the last error. The connection attempts are plain sockets, so a broker that is not up yet leaves no Kafka client
     * warnings in the log; a configuration Kafka rejects is a {@link ConfigException}.
     */
    public static void requireKafka(final Properties kafka, final Duration wait) {
        final String servers = String.valueOf(kafka.get(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG));
        final List<String[]> addresses = addresses(servers);
        final long deadline = System.nanoTime() + wait.toNanos();
        IOException refused = connect(addresses);
        for (int attempt = 0; refused != null; attempt++) {
            if (attempt == 0) {
                LOG.info("kafka not reachable yet at {} ({}), waiting up to {} s", servers, describe(refused),
                        wait.toSeconds());
            }
            final long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
            if (left <= 0) {
                throw unreachable(servers, wait, describe(refused), refused);
            }
            sleep(Math.min(RETRY_MILLIS, left));
            refused = connect(addresses);
        }
        final long answerMillis = Math.max(1_000, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime()));
        final Admin admin;
        try {
            admin = Admin.create(KafkaClientProperties.admin(kafka)
                    .force(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, answerMillis)
                    .force(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, answerMillis)
                    .build());
        } catch (KafkaException e) {
            throw new ConfigException("KAFKA_* client properties: " + oneLine(e));
        }
        try {
            admin.describeCluster().nodes().get(answerMillis + 1_000, TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw unreachable(servers, wait, oneLine(e.getCause()), e.getCause());
        } catch (TimeoutException e) {
            throw unreachable(servers, wait, "no answer", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StartFailure("interrupted while waiting for Kafka at " + servers, e);
        } finally {
            admin.close(Duration.ZERO);
        }
    }

    /** Tries each address once; null when one accepted a connection, else the last attempt's error. */
    private static IOException connect(final List<String[]> addresses) {
        IOException last = null;
        for (String[] address : addresses) {
            final InetSocketAddress resolved = new InetSocketAddress(address[0], Integer.parseInt(address[1]));
            if (resolved.isUnresolved()) {
                last = new UnknownHostException("unknown host " + address[0]);
                continue;
            }
            try (Socket socket = new Socket()) {
                socket.connect(resolved, CONNECT_TIMEOUT_MILLIS);
                return null;
            } catch (IOException e) {
                last = e;
            }
        }
        return last;
    }

    private static StartFailure unreachable(final String servers, final Duration wait, final String why,
                                            final Throwable cause) {
        return new StartFailure("cannot reach Kafka at " + servers + " (KAFKA_BOOTSTRAP_SERVERS) within "
                + wait.toSeconds() + " s: " + why, cause);
    }

    /** {@code host:port} pairs of a {@code bootstrap.servers} value, as Kafka's clients parse them. */
    private static List<String[]> addresses(final String servers) {
        final List<String[]> addresses = new ArrayList<>();
        for (String server : servers.split(",")) {
            final String s = server.trim();
            if (s.isEmpty()) {
                continue;
            }
            final String host = Utils.getHost(s);
            final Integer port = Utils.getPort(s);
            if (host == null || port == null) {
                throw new ConfigException("KAFKA_BOOTSTRAP_SERVERS=" + servers + ": " + s + " is not host:port");
            }
            addresses.add(new String[]{host, port.toString()});
        }
        if (addresses.isEmpty()) {
            throw new ConfigException("KAFKA_BOOTSTRAP_SERVERS=" + servers + ": no host:port");
        }
        return addresses;
    }

    private static String describe(final IOException e) {
        return e == null ? "no answer" : e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }

    private static void sleep(final long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StartFailure("interrupted while waiting for Kafka", e);
        }
    }

    /** The messages of an exception and its causes, each once, on one line. */
    static String oneLine(final Throwable e) {
        final StringBuilder line = new StringBuilder();
        for (Throwable t = e; t != null; t = t.getCause()) {
            final String message = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
            if (line.indexOf(message) < 0) {
                line.append(line.length() == 0 ? "" : ": ").append(message);
            }
        }
        return line.toString().replace('\n', ' ');
    }
}
