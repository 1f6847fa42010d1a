package io.tickflow.bench;

import io.tickflow.model.Json;
import io.tickflow.model.Tick;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;

/**
 * What the indicator service's poll thread pays for a tick's timestamp (stream-time stamping for bars): the full
 * decode it now does once ({@code Json.decodeTick}, the lane then does not decode again) against the alternative of a
 * scan of the {@code timestamp} field alone on the poll thread (and the full decode still in the lane).
 * {@code java -jar benchmarks/target/benchmarks.jar TickTimestampBenchmark -f 1 -wi 3 -i 5}
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@State(Scope.Thread)
public class TickTimestampBenchmark {
    private static final byte[] KEY = "\"timestamp\":\"".getBytes(StandardCharsets.US_ASCII);
    private final byte[] json = Json.encodeTick(new Tick("AAPL", Instant.parse("2024-06-02T12:34:56.789Z"), 150.25,
            1000, 1_717_331_696_789_000L));

    /** The full decode: what the poll thread does now, once per record. */
    @Benchmark
    public Tick decode() {
        return Json.decodeTick(json);
    }

    /** The field scan: find {@code "timestamp":"…"} and parse the instant (ISO form only). */
    @Benchmark
    public long scanTimestamp() {
        final byte[] b = json;
        outer:
        for (int i = 0; i + KEY.length < b.length; i++) {
            for (int k = 0; k < KEY.length; k++) {
                if (b[i + k] != KEY[k]) continue outer;
            }
            final int from = i + KEY.length;
            int to = from;
            while (to < b.length && b[to] != '"') to++;
            return Instant.parse(new String(b, from, to - from, StandardCharsets.US_ASCII)).toEpochMilli();
        }
        return Long.MIN_VALUE;
    }
}
