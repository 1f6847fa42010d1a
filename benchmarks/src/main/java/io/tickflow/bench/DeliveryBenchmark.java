package io.tickflow.bench;

import io.tickflow.delivery.DeliveryConfig;
import io.tickflow.delivery.DeliveryMain;
import io.tickflow.runtime.PacingSchedule;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;

/**
 * WebSocket fan-out under load: N real WebSocket clients (JDK client, over loopback) each subscribe to K of S stocks;
 * results are injected in-process at a fixed rate (no Kafka: this measures delivery alone). Reports frames delivered
 * per second and the delivery latency (injection to client receipt, same JVM clock) as an HdrHistogram.
 *
 * <p>Arguments (all optional, {@code name=value}): clients=1000 perClient=20 stocks=1000 rate=5000 (results/s)
 * seconds=20 warmup=5.
 */
public final class DeliveryBenchmark {
    private DeliveryBenchmark() {
    }

    public static void main(final String[] args) throws Exception {
        final Map<String, Integer> opts = new HashMap<>(Map.of("clients", 1_000, "perClient", 20,
                "stocks", 1_000, "rate", 5_000, "seconds", 20, "warmup", 5));
        for (String arg : args) {
            final String[] kv = arg.split("=", 2);
            opts.put(kv[0], Integer.parseInt(kv[1]));
        }
        final int clients = opts.get("clients");
        final int perClient = opts.get("perClient");
        final int stocks = opts.get("stocks");
        final int rate = opts.get("rate");
        final Recorder latency = new Recorder(3);
        final LongAdder frames = new LongAdder();

        try (DeliveryMain delivery = DeliveryMain.startWithoutFeed(DeliveryConfig.fromEnv(Map.of(
                "HTTP_HOST", "127.0.0.1", "HTTP_PORT", "0", "WS_HOST", "127.0.0.1", "WS_PORT", "0",
                "WS_MAX_SUBSCRIPTIONS", Integer.toString(perClient))))) {
            final List<HttpClient> https = List.of(HttpClient.newHttpClient(), HttpClient.newHttpClient(),
                    HttpClient.newHttpClient(), HttpClient.newHttpClient());
            final CountDownLatch acked = new CountDownLatch(clients);
            final List<WebSocket> sockets = new ArrayList<>();
            for (int c = 0; c < clients; c++) {
                final WebSocket ws = https.get(c % https.size()).newWebSocketBuilder()
                        .buildAsync(URI.create("ws://127.0.0.1:" + delivery.wsPort() + "/"),
                                new Listener(latency, frames, acked)).join();
                final StringBuilder symbols = new StringBuilder();
                for (int k = 0; k < perClient; k++) {
                    symbols.append(k == 0 ? "" : ",").append("\"S").append((c * perClient + k) % stocks).append('"');
                }
                ws.sendText("{\"op\":\"subscribe\",\"symbols\":[" + symbols + "]}", true).join();
                sockets.add(ws);
            }
            if (!acked.await(60, TimeUnit.SECONDS)) {
                throw new IllegalStateException("not every client was subscribed within 60 s");
            }
            System.out.printf("%d clients x %d stocks (universe %d) connected; injecting %d results/s%n",
                    clients, perClient, stocks, rate);

            final long[] seqs = new long[stocks];
            inject(delivery, seqs, rate, opts.get("warmup"));
            latency.reset();
            frames.reset();
            final long start = System.nanoTime();
            final long results = inject(delivery, seqs, rate, opts.get("seconds"));
            final double elapsed = (System.nanoTime() - start) / 1e9;
            Thread.sleep(500); // let the tail arrive before reading the counters
            final Histogram h = latency.getIntervalHistogram();
            System.out.printf("results injected: %d (%.0f/s)%n", results, results / elapsed);
            System.out.printf("frames delivered: %d (%.0f/s)%n", frames.sum(), frames.sum() / elapsed);
            System.out.printf("delivery latency us: p50=%d p90=%d p99=%d p99.9=%d max=%d (n=%d)%n",
                    h.getValueAtPercentile(50) / 1_000, h.getValueAtPercentile(90) / 1_000,
                    h.getValueAtPercentile(99) / 1_000, h.getValueAtPercentile(99.9) / 1_000,
                    h.getMaxValue() / 1_000, h.getTotalCount());
            System.out.printf("conflations=%d slowClientCloses=%d connections=%d%n",
                    (long) delivery.metrics().conflations.get(), (long) delivery.metrics().slowClientCloses.get(),
                    (long) delivery.metrics().connections.get());
            for (WebSocket ws : sockets) {
                ws.abort();
            }
        }
    }

    /** Injects results round-robin over the stocks at {@code rate} per second for {@code seconds}. */
    private static long inject(final DeliveryMain delivery, final long[] seqs, final int rate, final int seconds) {
        final PacingSchedule schedule = new PacingSchedule(System.nanoTime(), rate);
        final long end = schedule.startNanos() + TimeUnit.SECONDS.toNanos(seconds);
        long sent = 0;
        int stock = 0;
        while (true) {
            final long now = System.nanoTime();
            if (now >= end) {
                return sent;
            }
            while (schedule.dueNanos(sent) <= now) {
                final String id = "S" + stock;
                final byte[] json = ("{\"stock_id\":\"" + id + "\",\"seq\":" + (++seqs[stock])
                        + ",\"timestamp\":\"2024-06-02T12:34:56Z\",\"price\":101.25,\"volume\":300,\"indicators\":"
                        + "{\"sma_20\":101.1,\"ema_20\":101.0,\"rsi_14\":55.2,\"macd_12_26_9\":{\"macd\":0.12,"
                        + "\"signal\":0.1,\"hist\":0.02},\"bbands_20_2\":{\"upper\":102.0,\"middle\":101.1,"
                        + "\"lower\":100.2}},\"bench_ns\":" + System.nanoTime() + "}").getBytes(StandardCharsets.UTF_8);
                delivery.sink().accept(json);
                sent++;
                stock = (stock + 1) % seqs.length;
            }
            LockSupport.parkNanos(200_000);
        }
    }

    /** Records, per update frame, the time since its result was injected. */
    private static final class Listener implements WebSocket.Listener {
        private final Recorder latency;
        private final LongAdder frames;
        private final CountDownLatch acked;
        private final StringBuilder partial = new StringBuilder();

        Listener(final Recorder latency, final LongAdder frames, final CountDownLatch acked) {
            this.latency = latency;
            this.frames = frames;
            this.acked = acked;
        }

        @Override
        public CompletionStage<?> onText(final WebSocket webSocket, final CharSequence data, final boolean last) {
            partial.append(data);
            if (last) {
                final long now = System.nanoTime();
                final int at = partial.indexOf("\"bench_ns\":");
                if (at >= 0) {
                    int end = at + 11;
                    while (Character.isDigit(partial.charAt(end))) {
                        end++;
                    }
                    latency.recordValue(Math.max(0, now - Long.parseLong(partial, at + 11, end, 10)));
                    frames.increment();
                } else if (partial.indexOf("\"subscribed\"") >= 0) {
                    acked.countDown();
                }
                partial.setLength(0);
            }
            webSocket.request(1);
            return null;
        }
    }
}
