package io.tickflow.bench.harness;

import io.tickflow.runtime.PacingSchedule;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import java.util.function.LongSupplier;

/**
 * One path under load (the tickflow pipeline or the raw Kafka baseline), measured the same way: a paced producer at
 * the head, receivers at the tail recording into the current {@link LatencyRecording}, a {@link LagProbe} on the
 * consumer(s) that must keep up. {@link #run} is one measured run at one rate; runs on one path follow each other.
 */
final class LoadPath implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(LoadPath.class);
    private static final long START_DELAY_NANOS = TimeUnit.MILLISECONDS.toNanos(100);
    private static final long QUIET_NANOS = TimeUnit.SECONDS.toNanos(1);
    private static final long MAX_DRAIN_NANOS = TimeUnit.SECONDS.toNanos(30);

    private final String name;
    private final PacedProducer producer;
    private final MessageSource source;
    private final LagProbe lag;
    private final AtomicReference<LatencyRecording> recording;
    private final LongSupplier arrivals;
    private final HarnessClock clock;
    private final CpuAccount cpu;
    private final double maxP99Millis;
    private final List<AutoCloseable> resources;

    /**
     * @param recording    the slot the receivers record into (null between runs)
     * @param arrivals     how many messages the receivers have seen in all (drained = it stopped moving)
     * @param cpu          what counts as this path's CPU time
     * @param maxP99Millis p99 latency above which a run does not count as sustainable
     * @param resources    closed in this order by {@link #close()} (receivers first, then producer and admin)
     */
    LoadPath(final String name, final PacedProducer producer, final MessageSource source, final LagProbe lag,
             final AtomicReference<LatencyRecording> recording, final LongSupplier arrivals, final HarnessClock clock,
             final CpuAccount cpu, final double maxP99Millis, final List<AutoCloseable> resources) {
        this.name = name;
        this.producer = producer;
        this.source = source;
        this.lag = lag;
        this.recording = recording;
        this.arrivals = arrivals;
        this.clock = clock;
        this.cpu = cpu;
        this.maxP99Millis = maxP99Millis;
        this.resources = List.copyOf(resources);
    }

    String name() {
        return name;
    }

    /**
     * Sends {@code rate} messages/s for settle + measured time, then waits for stragglers and reports. Messages
     * intended during the first {@code settle} are not recorded (the step from idle to the rate). The path's CPU time
     * is taken over the whole run, from the first send until the tail has delivered the last message (a second of
     * quiet included), and divided by every message sent.
     */
    RunResult run(final long rate, final Duration settle, final Duration measured) {
        final long start = System.nanoTime() + START_DELAY_NANOS;
        final long measureFrom = start + settle.toNanos();
        final LatencyRecording current = new LatencyRecording(clock.epochMicrosAt(measureFrom));
        recording.set(current);
        final double totalSeconds = (settle.toNanos() + measured.toNanos()) / 1e9;
        final PacingSchedule schedule = new PacingSchedule(start, rate);
        final CpuAccount.Reading cpuBefore = cpu.read();
        LOG.info("run start path={} rate={} settleS={} measuredS={}", name, rate, settle.toSeconds(),
                measured.toSeconds());

        final PacedProducer.Outcome outcome = producer.run(schedule, PacingSchedule.countFor(rate, totalSeconds), source);
        final double measuredSeconds = Math.max(1e-9, (outcome.lastSendNanos() - measureFrom) / 1e9);
        final double receivedRate = current.measuredSamples() / measuredSeconds;
        awaitQuiet(current);
        final CpuAccount.Reading cpuAfter = cpu.read();
        recording.set(null);

        final long[] lagSamples = lag.samplesBetween(measureFrom, outcome.lastSendNanos());
        final long maxLag = lagSamples.length == 0 ? -1 : Arrays.stream(lagSamples).max().orElse(-1);
        final long endLag = lagSamples.length == 0 ? -1 : lagSamples[lagSamples.length - 1];
        final boolean lagBounded = LagVerdict.bounded(lagSamples, LagProbe.PERIOD_MILLIS / 1e3, rate);
        final RunResult result = new RunResult(name, rate, measuredSeconds, current.snapshot(),
                current.computeStage(), current.deliveryStage(), outcome.achievedRate(), receivedRate, maxLag, endLag,
                lagBounded, maxP99Millis, outcome.failed(), outcome.acked(), cpuAfter.pathNanosSince(cpuBefore),
                cpuAfter.microsPerMessageSince(cpuBefore, CpuAccount.Role.JIT, outcome.acked()),
                cpuAfter.coresSince(cpuBefore), MachineLoad.oneMinute(), (current.lastSampleNanos() - start) / 1e6);
        LOG.info("run done {} lagSamples={}", result.summary(), Arrays.toString(lagSamples));
        LOG.info("run cpu path={} perMsg {}", name, cpuAfter.breakdownSince(cpuBefore, outcome.acked()));
        return result;
    }

    /**
     * Waits until the path is empty — the watched consumers have caught up (lag 0) and nothing has reached the
     * receivers for a second (a hop without a group, like the delivery service, may still hold a backlog) — at most
     * {@code timeout}; logs when it is not. A lag that cannot be read (-1) counts as not drained.
     */
    void awaitDrained(final Duration timeout) {
        final long deadline = System.nanoTime() + timeout.toNanos();
        long current = lag.lagNow();
        long seen = arrivals.getAsLong();
        long quietSince = System.nanoTime();
        while (System.nanoTime() < deadline && (current != 0 || System.nanoTime() - quietSince < QUIET_NANOS)) {
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(200));
            current = lag.lagNow();
            final long now = arrivals.getAsLong();
            if (now != seen) {
                seen = now;
                quietSince = System.nanoTime();
            }
        }
        if (current != 0 || System.nanoTime() - quietSince < QUIET_NANOS) {
            LOG.warn("path not drained path={} lag={} stillArriving={} waitedS={}", name, current,
                    System.nanoTime() - quietSince < QUIET_NANOS, timeout.toSeconds());
        }
    }

    /** Until no sample has arrived for a second (the tail has delivered what was sent), at most 30 s. */
    private static void awaitQuiet(final LatencyRecording current) {
        final long deadline = System.nanoTime() + MAX_DRAIN_NANOS;
        while (System.nanoTime() < deadline && System.nanoTime() - current.lastSampleNanos() < QUIET_NANOS) {
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(100));
        }
    }

    @Override
    public void close() {
        lag.close();
        for (AutoCloseable resource : resources) {
            try {
                resource.close();
            } catch (Exception e) {
                LOG.warn("close failed path={} error={}", name, e.toString());
            }
        }
    }
}
