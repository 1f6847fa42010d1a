package io.tickflow.bench.harness;

import io.tickflow.model.Json;
import io.tickflow.model.Tick;
import org.apache.kafka.clients.producer.ProducerRecord;

import java.time.Instant;
import java.util.SplittableRandom;

/**
 * Ticks in the contract's JSON ({@link Json#encodeTick}), key = stock id, each stock's price a random walk (±0.05%
 * per tick, so indicators move like a real series), {@code ingest_us} = the intended send time. Confined to the
 * producer thread.
 */
final class TickMessages implements MessageSource {
    private final String topic;
    private final StockUniverse stocks;
    private final double[] prices;
    private final SplittableRandom random;

    TickMessages(final String topic, final StockUniverse stocks, final long seed) {
        this.topic = topic;
        this.stocks = stocks;
        this.prices = new double[stocks.size()];
        this.random = new SplittableRandom(seed);
        for (int i = 0; i < prices.length; i++) {
            prices[i] = 20.0 + random.nextDouble() * 480.0;
        }
    }

    @Override
    public ProducerRecord<byte[], byte[]> message(final long index, final long intendedMicros) {
        final int stock = stocks.stockOf(index);
        final double price = Math.max(0.01, prices[stock] * (1.0 + (random.nextDouble() - 0.5) * 0.001));
        prices[stock] = price;
        final double roundedPrice = Math.round(price * 100.0) / 100.0;
        final Tick tick = new Tick(stocks.id(stock), Instant.ofEpochSecond(0, intendedMicros * 1_000L),
                roundedPrice, 1 + random.nextInt(1_000), intendedMicros);
        return new ProducerRecord<>(topic, stocks.key(stock), Json.encodeTick(tick));
    }

    /** Size in bytes of a typical encoded tick, for sizing the baseline's first hop. */
    static int typicalSize(final StockUniverse stocks) {
        return new TickMessages("sizing", stocks, 1L).message(0, 1_717_331_696_000_000L).value().length;
    }
}
