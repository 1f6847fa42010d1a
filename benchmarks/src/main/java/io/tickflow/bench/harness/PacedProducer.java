package io.tickflow.bench.harness;

import io.tickflow.runtime.PacingSchedule;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.Producer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;

/**
 * Sends a {@link PacingSchedule} open-loop on the calling thread: every message that is due goes out at once (a burst
 * after a stall, never a skipped or re-timed message), stamped with its due time; between due times the thread parks.
 */
final class PacedProducer {
    private static final Logger LOG = LoggerFactory.getLogger(PacedProducer.class);

    private final Producer<byte[], byte[]> producer;
    private final HarnessClock clock;
    private final LongAdder acked = new LongAdder();
    private final LongAdder failed = new LongAdder();
    private final Callback callback = (metadata, error) -> {
        if (error == null) {
            acked.increment();
        } else {
            countFailure(error);
        }
    };

    /**
     * Acknowledged and failed sends of one run, when the last message was handed to the producer, and how long the run
     * took until every send was answered.
     */
    record Outcome(long acked, long failed, long lastSendNanos, long elapsedNanos) {
        double achievedRate() {
            return PacingSchedule.perSecond(acked, elapsedNanos);
        }
    }

    PacedProducer(final Producer<byte[], byte[]> producer, final HarnessClock clock) {
        this.producer = producer;
        this.clock = clock;
    }

    /** Sends messages {@code 0 .. count - 1}, each when {@code schedule} says it is due. */
    Outcome run(final PacingSchedule schedule, final long count, final MessageSource source) {
        final long ackedBefore = acked.sum();
        final long failedBefore = failed.sum();
        long index = 0;
        while (index < count) {
            final long now = System.nanoTime();
            long due = schedule.dueNanos(index);
            if (due > now) {
                LockSupport.parkNanos(due - now);
                continue;
            }
            while (index < count && due <= now) {
                producer.send(source.message(index, clock.epochMicrosAt(due)), callback);
                index++;
                due = schedule.dueNanos(index);
            }
        }
        final long lastSend = System.nanoTime();
        producer.flush();
        final long elapsed = System.nanoTime() - schedule.startNanos();
        return new Outcome(acked.sum() - ackedBefore, failed.sum() - failedBefore, lastSend, elapsed);
    }

    private void countFailure(final Exception error) {
        failed.increment();
        final long failures = failed.sum();
        if (Long.bitCount(failures) == 1) {
            LOG.warn("send failed failures={} error={}", failures, error.toString());
        }
    }
}
