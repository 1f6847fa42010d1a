package io.tickflow.bench;

import io.tickflow.indicator.ta.EngineSpec;
import io.tickflow.indicator.ta.StockEngine;
import io.tickflow.model.ResultEncoder;
import io.tickflow.model.ResultHeader;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.infra.Blackhole;

/**
 * The per-tick JSON work on either side of {@code indicator_results}, on real values: the indicator service's
 * {@link ResultEncoder#encode} of the default set and delivery's {@link ResultHeader#read} of what it wrote. 200 stocks
 * warmed on real SPY prices; one invocation encodes (or reads) one result per stock, so scores read ns/result and
 * {@code -prof gc}'s B/op reads bytes/result. These two were half of a lane's and of delivery's feed thread's CPU in
 * the s2 profile (docs/benchmarks.md).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@State(Scope.Thread)
public class ResultCodecBenchmark {
    static final int STOCKS = EngineBenchmark.STOCKS;

    ResultEncoder encoder;
    String[] ids;
    double[][] values;
    double[] price;
    double[] volume;
    byte[][] documents;
    Instant timestamp;

    @Setup
    public void setup() {
        final PriceFeed feed = PriceFeed.spy();
        final EngineSpec spec = EngineSpec.parse(EngineSpec.DEFAULT);
        encoder = new ResultEncoder(spec.outputKeys(), spec.outputParts());
        ids = new String[STOCKS];
        values = new double[STOCKS][];
        price = new double[STOCKS];
        volume = new double[STOCKS];
        documents = new byte[STOCKS][];
        timestamp = Instant.parse("2025-07-01T14:30:01.123456Z");
        for (int s = 0; s < STOCKS; s++) {
            final StockEngine engine = spec.newEngine();
            int i = feed.offset(s, STOCKS);
            for (int t = 0; t < EngineBenchmark.WINDOW; t++, i = (i + 1) % feed.length()) {
                engine.update(feed.price[i], feed.volume[i]);
            }
            ids[s] = "S" + s;
            values[s] = engine.values().clone();
            price[s] = feed.price[i];
            volume[s] = feed.volume[i];
            documents[s] = encode(s);
        }
    }

    private byte[] encode(final int s) {
        return encoder.encode(ids[s], 1_000 + s, timestamp, price[s], volume[s], values[s], 1_751_380_201_123_456L,
                1_751_380_201_125_000L);
    }

    @Benchmark
    @OperationsPerInvocation(STOCKS)
    public void encodeResult(final Blackhole bh) {
        for (int s = 0; s < STOCKS; s++) {
            bh.consume(encode(s));
        }
    }

    @Benchmark
    @OperationsPerInvocation(STOCKS)
    public void readHeader(final Blackhole bh) {
        for (int s = 0; s < STOCKS; s++) {
            bh.consume(ResultHeader.read(documents[s]));
        }
    }
}
