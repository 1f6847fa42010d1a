package io.tickflow.ingest;

import io.tickflow.model.Tick;
import io.tickflow.runtime.PacingSchedule;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Path;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;

/**
 * Replays CSV files (see {@link CsvTickReader}) as ticks, all files merged in time order (ties keep file and line
 * order). Pacing: {@code speed} N replays at N times the data's own gaps between ticks; {@code rate} N at a fixed N
 * ticks/s (open loop, see {@link PacingSchedule}); neither = as fast as the sink takes them.
 */
final class CsvReplay implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(CsvReplay.class);

    private final List<Tick> ticks;
    private final Consumer<Tick> sink;
    private final double speed;
    private final double rate;
    private volatile boolean running = true;

    /** {@code speed} and {@code rate}: at most one of them > 0; both 0 = as fast as possible. */
    CsvReplay(final List<Tick> ticks, final Consumer<Tick> sink, final double speed, final double rate) {
        if (speed > 0 && rate > 0) {
            throw new IllegalArgumentException("give speed or rate, not both");
        }
        this.ticks = ticks;
        this.sink = sink;
        this.speed = speed;
        this.rate = rate;
    }

    /** Reads every file and orders all their ticks by timestamp. */
    static List<Tick> load(final List<Path> files, final String symbol, final ZoneId zone) throws IOException {
        final List<Tick> all = new ArrayList<>();
        for (Path file : files) {
            final List<Tick> read = CsvTickReader.read(file, symbol, zone);
            LOG.info("replay loaded file={} ticks={}", file, read.size());
            all.addAll(read);
        }
        all.sort(Comparator.comparing(Tick::timestamp)); // stable: ties keep file and line order
        return all;
    }

    /** Sends the ticks, paced; returns how many were sent (fewer if closed first). */
    long run() {
        final long startNanos = System.nanoTime();
        final PacingSchedule schedule = rate > 0 ? new PacingSchedule(startNanos, rate) : null;
        final long firstMicros = ticks.isEmpty() ? 0 : micros(ticks.get(0));
        long sent = 0;
        for (Tick tick : ticks) {
            final long due;
            if (schedule != null) {
                due = schedule.dueNanos(sent);
            } else if (speed > 0) {
                due = startNanos + Math.round((micros(tick) - firstMicros) * 1000.0 / speed);
            } else {
                due = startNanos;
            }
            for (long now = System.nanoTime(); now < due && running; now = System.nanoTime()) {
                LockSupport.parkNanos(Math.min(due - now, TimeUnit.MILLISECONDS.toNanos(100)));
            }
            if (!running) {
                break;
            }
            sink.accept(tick);
            sent++;
        }
        final long elapsed = System.nanoTime() - startNanos;
        LOG.info("replay finished sent={} of={} elapsedMs={} rate={}", sent, ticks.size(),
                TimeUnit.NANOSECONDS.toMillis(elapsed), Math.round(PacingSchedule.perSecond(sent, elapsed)));
        return sent;
    }

    @Override
    public void close() {
        running = false;
    }

    private static long micros(final Tick tick) {
        return tick.timestamp().getEpochSecond() * 1_000_000L + tick.timestamp().getNano() / 1000;
    }
}
