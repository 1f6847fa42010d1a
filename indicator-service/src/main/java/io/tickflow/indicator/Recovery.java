package io.tickflow.indicator;

import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.function.LongSupplier;

/**
 * What the poll loop does after a turn failed in a way the interval could not absorb by an abort ({@link FailureKind}):
 * an outage longer than the producer's timeouts, a transaction the coordinator timed out and fenced, a state restore
 * that could not reach the broker. It gives up only for {@link FailureKind#GIVE_UP}; otherwise it forgets the
 * interval's work, then — until it succeeds, with a back-off from {@link #FIRST_BACKOFF} doubling to
 * {@link #MAX_BACKOFF} — renews the producer ({@link RenewableProducer#renew}, then {@code initTransactions}, which
 * also ends our transaction left open) and rewinds every assigned partition to its committed offsets and state. The
 * renewal comes first, so the committed point it rewinds to is final. Between attempts the loop polls with every
 * partition paused: the membership stays alive and the group can speak — a live instance that took our identity
 * fences our consumer ({@code FencedInstanceIdException}, {@link FailureKind#GIVE_UP}), partitions may be lost or
 * assigned. After a {@code ProducerFencedException} the first attempt waits {@link #FENCING_CHECK} for that answer,
 * so a zombie does not fence the newer instance back. Poll thread only.
 */
final class Recovery {
    static final Duration FIRST_BACKOFF = Duration.ofMillis(100);
    static final Duration MAX_BACKOFF = Duration.ofSeconds(5);
    /** Over three heartbeats (1.5 s by default): the group fences our consumer before it runs out. */
    static final Duration FENCING_CHECK = Duration.ofSeconds(5);
    private static final Logger LOG = LoggerFactory.getLogger(Recovery.class);

    private final Consumer<byte[], byte[]> consumer;
    private final RenewableProducer producer;
    private final CommitProtocol protocol;
    private final WorkInterval interval;
    private final PartitionOwnership ownership;
    private final SendFailures failures;
    private final LongSupplier nanoTime;
    private boolean pending;
    private boolean renew;
    private long nextAttemptNanos;
    private long backoffNanos = FIRST_BACKOFF.toNanos();
    private int attempts;
    private long failedNanos;

    Recovery(final Consumer<byte[], byte[]> consumer, final RenewableProducer producer, final CommitProtocol protocol,
             final WorkInterval interval, final PartitionOwnership ownership, final SendFailures failures,
             final LongSupplier nanoTime) {
        this.consumer = consumer;
        this.producer = producer;
        this.protocol = protocol;
        this.interval = interval;
        this.ownership = ownership;
        this.failures = failures;
        this.nanoTime = nanoTime;
    }

    /** Whether the loop is recovering: it must not hand records to the lanes until {@link #attempt} succeeds. */
    boolean pending() {
        return pending;
    }

    /** A turn failed with {@code failure}: rethrows it when the instance must give up, else starts recovering. */
    void failed(final RuntimeException failure) throws InterruptedException {
        if (FailureKind.of(failure) == FailureKind.GIVE_UP) {
            throw failure;
        }
        final boolean fenced = FailureKind.fenced(failure);
        LOG.warn("poll loop failed, renewing the producer and rewinding to the committed offsets: {}{}", failure,
                fenced ? " (first " + FENCING_CHECK.toSeconds() + " s for the group to fence us if another live "
                        + "instance holds our INSTANCE_ID)" : "");
        interval.discard(failure);
        if (!pending) {
            failedNanos = nanoTime.getAsLong();
            attempts = 0;
            backoffNanos = FIRST_BACKOFF.toNanos();
        }
        pending = true;
        renew = true;
        nextAttemptNanos = nanoTime.getAsLong() + (fenced ? FENCING_CHECK.toNanos() : 0L);
    }

    /**
     * One attempt, if its back-off has passed: renew the producer (unless an earlier attempt did and nothing has used
     * it since), rewind every assigned partition. True when recovered.
     */
    boolean attempt() throws InterruptedException {
        if (!pending || nanoTime.getAsLong() - nextAttemptNanos < 0) {
            return !pending;
        }
        attempts++;
        try {
            if (renew) {
                producer.renew(); // the stale client's callbacks have all run: their failures are not the next one's
                failures.clear();
                protocol.init();
                renew = false;
            }
            ownership.rewind(consumer.assignment());
        } catch (WakeupException e) {
            throw e;
        } catch (KafkaException | IllegalStateException e) {
            if (FailureKind.of(e) == FailureKind.GIVE_UP) {
                throw e;
            }
            nextAttemptNanos = nanoTime.getAsLong() + backoffNanos;
            LOG.warn("recovery attempt {} failed, next in {} ms: {}", attempts, backoffNanos / 1_000_000, e.toString());
            backoffNanos = Math.min(backoffNanos * 2, MAX_BACKOFF.toNanos());
            return false;
        }
        pending = false;
        LOG.info("recovered after {} attempts in {} ms", attempts, (nanoTime.getAsLong() - failedNanos) / 1_000_000);
        return true;
    }
}
