package io.tickflow.ingest;

import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.tickflow.model.Tick;
import io.tickflow.runtime.PacingSchedule;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;

/**
 * Sends the ticks of a {@link SimulatedMarket} to a sink at a fixed rate, open loop: tick {@code i} is due at
 * {@code start + i / rate} whatever happened before, so a stall is followed by a catch-up burst and the offered rate
 * never drops silently; how far behind schedule it fell is tracked and logged. Runs on the caller's thread
 * ({@link #run()}) or its own ({@link #start()}, thread {@code ingest-simulator}); {@link #close()} stops it.
 *
 * <p>In-process use (the local stack):
 * <pre>{@code
 * Simulator feed = Simulator.publishing(SimulatorOptions.of(200, 20_000, 42), kafkaProps, "stock_data").start();
 * ...
 * feed.close();   // stops the thread, flushes and closes its producer
 * }</pre>
 */
public final class Simulator implements Runnable, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Simulator.class);
    private static final long PROGRESS_INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(10);
    private static final long BEHIND_WARN_NANOS = TimeUnit.SECONDS.toNanos(1);

    private final SimulatorOptions options;
    private final Consumer<Tick> sink;
    private final Clock clock;
    private final AutoCloseable owned;
    private final CountDownLatch finished = new CountDownLatch(1);
    private volatile boolean running = true;
    private volatile long sent;
    private volatile double achievedRate;
    private volatile long maxBehindNanos;
    private Thread thread;

    /**
     * @param sink  receives each tick (e.g. {@code publisher::send}); called on the simulator's thread only
     * @param clock gives the first tick's timestamp when the options have no {@code start}
     */
    public Simulator(final SimulatorOptions options, final Consumer<Tick> sink, final Clock clock) {
        this(options, sink, clock, null);
    }

    private Simulator(final SimulatorOptions options, final Consumer<Tick> sink, final Clock clock,
                      final AutoCloseable owned) {
        this.options = options;
        this.sink = sink;
        this.clock = clock;
        this.owned = owned;
    }

    /**
     * A simulator publishing to {@code topic} with its own producer (acks=all, idempotent), which {@link #close()}
     * flushes and closes. {@code kafka} holds at least {@code bootstrap.servers}.
     */
    public static Simulator publishing(final SimulatorOptions options, final Properties kafka, final String topic) {
        final TickPublisher publisher = TickPublisher.create(kafka, Duration.ofSeconds(30), topic, "simulate",
                new IngestMetrics(new PrometheusRegistry()));
        return new Simulator(options, publisher::send, Clock.systemUTC(), publisher);
    }

    /** Runs on a new thread named {@code ingest-simulator}; returns this. */
    public synchronized Simulator start() {
        if (thread != null) {
            throw new IllegalStateException("simulator already started");
        }
        thread = new Thread(this, "ingest-simulator");
        thread.setDaemon(true);
        thread.start();
        return this;
    }

    /** Sends until the options' limit is reached or {@link #close()} is called. */
    @Override
    public void run() {
        try {
            pace();
        } finally {
            finished.countDown();
        }
    }

    private void pace() {
        final Instant start = options.start() != null ? options.start() : clock.instant();
        final SimulatedMarket market = new SimulatedMarket(options.stocks(), options.rate(), options.seed(), start);
        final long limit = options.limit();
        final long startNanos = System.nanoTime();
        final PacingSchedule schedule = new PacingSchedule(startNanos, options.rate());
        LOG.info("simulator started stocks={} rate={} seed={} limit={} start={}", options.stocks(), options.rate(),
                options.seed(), limit == 0 ? "none" : limit, start);
        long i = 0;
        long nextProgress = startNanos + PROGRESS_INTERVAL_NANOS;
        long lastBehindWarn = startNanos - PROGRESS_INTERVAL_NANOS;
        while (running && (limit == 0 || i < limit)) {
            final long due = schedule.dueNanos(i);
            long now = System.nanoTime();
            if (now < due) {
                LockSupport.parkNanos(due - now);
                continue;
            }
            final long behind = now - due;
            if (behind > maxBehindNanos) {
                maxBehindNanos = behind;
            }
            if (behind > BEHIND_WARN_NANOS && now - lastBehindWarn > PROGRESS_INTERVAL_NANOS) {
                lastBehindWarn = now;
                LOG.warn("simulator behind schedule behindMs={} rate={}: the sink cannot keep up",
                        TimeUnit.NANOSECONDS.toMillis(behind), options.rate());
            }
            sink.accept(market.next());
            sent = ++i;
            if (now >= nextProgress) {
                nextProgress += PROGRESS_INTERVAL_NANOS;
                achievedRate = schedule.achievedRate(i, now);
                LOG.info("simulator progress sent={} achievedRate={} maxBehindMs={}", i,
                        Math.round(achievedRate), TimeUnit.NANOSECONDS.toMillis(maxBehindNanos));
            }
        }
        achievedRate = schedule.achievedRate(i, System.nanoTime());
        LOG.info("simulator stopped sent={} achievedRate={} requestedRate={} maxBehindMs={}", i,
                Math.round(achievedRate), options.rate(), TimeUnit.NANOSECONDS.toMillis(maxBehindNanos));
    }

    /** Ticks handed to the sink so far. */
    public long sent() {
        return sent;
    }

    /** Ticks per second achieved, from the start to the last progress report or the end. */
    public double achievedRate() {
        return achievedRate;
    }

    /** The furthest the simulator has fallen behind its schedule. */
    public Duration maxBehind() {
        return Duration.ofNanos(maxBehindNanos);
    }

    /** Waits until {@link #run()} has returned (limit reached or closed). */
    public boolean awaitFinished(final Duration timeout) throws InterruptedException {
        return finished.await(timeout.toNanos(), TimeUnit.NANOSECONDS);
    }

    /** Stops sending, waits for the thread, then flushes and closes the producer it owns (if any). */
    @Override
    public void close() {
        running = false;
        final Thread t;
        synchronized (this) {
            t = thread;
        }
        if (t != null) {
            try {
                t.join(TimeUnit.SECONDS.toMillis(10));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (owned != null) {
            try {
                owned.close();
            } catch (Exception e) {
                LOG.warn("simulator publisher close failed", e);
            }
        }
    }
}
