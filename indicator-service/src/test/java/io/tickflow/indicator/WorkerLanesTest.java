package io.tickflow.indicator;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class WorkerLanesTest {
    private static final Duration BARRIER = Duration.ofSeconds(10);
    private static final long WAIT = TimeUnit.MILLISECONDS.toNanos(10);

    private record Item(String key, int n) {
        byte[] keyBytes() {
            return key.getBytes(StandardCharsets.UTF_8);
        }
    }

    /** A handler that remembers what it was given, on which thread. */
    private static final class Recorder implements WorkerLanes.Handler<Item> {
        final Map<String, List<Integer>> seen;
        final Map<String, Set<String>> threads;
        final List<String> shares = new ArrayList<>();

        Recorder(final Map<String, List<Integer>> seen, final Map<String, Set<String>> threads) {
            this.seen = seen;
            this.threads = threads;
        }

        @Override
        public void handle(final Item item) {
            seen.computeIfAbsent(item.key(), k -> new ArrayList<>()).add(item.n());
            threads.computeIfAbsent(item.key(), k -> ConcurrentHashMap.newKeySet()).add(Thread.currentThread().getName());
        }
    }

    /** Counts pause and resume calls. */
    private static final class CountingInflow implements WorkerLanes.Inflow {
        int pauses;
        int resumes;

        @Override
        public void pause() {
            pauses++;
        }

        @Override
        public void resume() {
            resumes++;
        }
    }

    private static <H extends WorkerLanes.Handler<Item>> WorkerLanes<Item, H> lanes(final int capacity,
                                                                                final List<H> handlers,
                                                                                final WorkerLanes.Inflow inflow) {
        return new WorkerLanes<>("test", capacity, handlers, Item::keyBytes, BARRIER, inflow);
    }

    @Test
    void shouldKeepPerKeyOrderAndUseOneThreadPerKeyWhenManyKeysShareEightLanes() throws Exception {
        final Map<String, List<Integer>> seen = new ConcurrentHashMap<>();
        final Map<String, Set<String>> threads = new ConcurrentHashMap<>();
        final List<Recorder> handlers = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            handlers.add(new Recorder(seen, threads));
        }
        try (WorkerLanes<Item, Recorder> lanes = lanes(16, handlers, new CountingInflow())) {
            for (int n = 0; n < 500; n++) {
                for (int k = 0; k < 50; k++) {
                    lanes.submit(new Item("K" + k, n));
                }
                while (!lanes.handOver(() -> WAIT, item -> { })) {
                    Thread.onSpinWait(); // a full lane: the loop retries, as the poll loop does
                }
            }
            lanes.runOnEveryLane(lane -> { });
        }
        assertEquals(50, seen.size());
        for (Map.Entry<String, List<Integer>> e : seen.entrySet()) {
            assertEquals(500, e.getValue().size(), e.getKey());
            for (int n = 0; n < 500; n++) {
                assertEquals(n, e.getValue().get(n), e.getKey() + " order");
            }
            assertEquals(1, threads.get(e.getKey()).size(), e.getKey() + " confined to one lane thread");
        }
    }

    @Test
    void shouldRunBarrierOnEachLanesHandlerAfterQueuedItemsWhenRunOnEveryLane() throws Exception {
        final AtomicInteger handled = new AtomicInteger();
        final Map<WorkerLanes.Handler<Item>, Integer> handledAtBarrier = new HashMap<>();
        final List<WorkerLanes.Handler<Item>> handlers = List.of(item -> handled.incrementAndGet(),
                item -> handled.incrementAndGet());
        try (WorkerLanes<Item, WorkerLanes.Handler<Item>> lanes = lanes(1000, handlers, new CountingInflow())) {
            for (int n = 0; n < 200; n++) {
                lanes.submit(new Item("k" + n, n));
            }
            assertTrue(lanes.handOver(() -> TimeUnit.SECONDS.toNanos(1), item -> { }));
            lanes.runOnEveryLane(handler -> {
                synchronized (handledAtBarrier) {
                    handledAtBarrier.put(handler, handled.get());
                }
            });
            assertEquals(200, handled.get());
            assertEquals(Set.copyOf(handlers), handledAtBarrier.keySet());
            final IllegalStateException failure = assertThrows(IllegalStateException.class,
                    () -> lanes.runOnEveryLane(handler -> {
                        throw new IllegalStateException("boom");
                    }));
            assertEquals("boom", failure.getMessage());
        }
    }

    @Test
    void shouldGiveEachLaneTheShareOfItemsThatHashesToItWhenRunWithItems() throws Exception {
        final List<Recorder> handlers = List.of(new Recorder(new HashMap<>(), new HashMap<>()),
                new Recorder(new HashMap<>(), new HashMap<>()), new Recorder(new HashMap<>(), new HashMap<>()));
        try (WorkerLanes<Item, Recorder> lanes = lanes(16, handlers, new CountingInflow())) {
            final List<Item> items = new ArrayList<>();
            for (int k = 0; k < 30; k++) {
                items.add(new Item("S" + k, k));
            }
            lanes.runOnEveryLane(items, Item::keyBytes,
                    (handler, share) -> share.forEach(item -> handler.shares.add(item.key())));
            int total = 0;
            for (int lane = 0; lane < handlers.size(); lane++) {
                for (String key : handlers.get(lane).shares) {
                    assertEquals(lane, lanes.laneOf(key.getBytes(StandardCharsets.UTF_8)), key);
                }
                total += handlers.get(lane).shares.size();
            }
            assertEquals(30, total);
        }
    }

    @Test
    void shouldKeepABacklogAndPauseTheInflowWhenALaneIsFullThenResumeWhenHandedOver() throws Exception {
        final CountDownLatch release = new CountDownLatch(1);
        final AtomicInteger handled = new AtomicInteger();
        final List<WorkerLanes.Handler<Item>> handlers = List.of(item -> {
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            handled.incrementAndGet();
        });
        final CountingInflow inflow = new CountingInflow();
        try (WorkerLanes<Item, WorkerLanes.Handler<Item>> lanes = lanes(16, handlers, inflow)) {
            for (int n = 0; n < 40; n++) {
                lanes.submit(new Item("k", n));
            }
            final List<Integer> handedOver = new ArrayList<>();
            assertFalse(lanes.handOver(() -> WAIT, item -> handedOver.add(item.n())));
            assertTrue(lanes.backlogged());
            assertEquals(1, inflow.pauses);
            assertEquals(0, inflow.resumes);
            // one being handled + a full queue of 16, in order; the rest waits in the backlog
            assertTrue(handedOver.size() >= 16 && handedOver.size() <= 17, handedOver.toString());
            for (int n = 0; n < handedOver.size(); n++) {
                assertEquals(n, handedOver.get(n));
            }
            release.countDown();
            while (!lanes.handOver(() -> WAIT, item -> handedOver.add(item.n()))) {
                Thread.onSpinWait();
            }
            lanes.runOnEveryLane(handler -> { });
            assertFalse(lanes.backlogged());
            assertTrue(inflow.resumes >= 1);
            assertEquals(40, handedOver.size());
            assertEquals(40, handled.get());
        }
    }

    @Test
    void shouldDropOnlyTheMatchingItemsWhenDiscardingTheBacklog() throws Exception {
        final CountDownLatch release = new CountDownLatch(1);
        final List<Integer> handled = new ArrayList<>();
        final List<WorkerLanes.Handler<Item>> handlers = List.of(item -> {
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            synchronized (handled) {
                handled.add(item.n());
            }
        });
        try (WorkerLanes<Item, WorkerLanes.Handler<Item>> lanes = lanes(16, handlers, new CountingInflow())) {
            for (int n = 0; n < 40; n++) {
                lanes.submit(new Item("k", n));
            }
            assertFalse(lanes.handOver(() -> WAIT, item -> { }));
            lanes.discardBacklog(item -> item.n() % 2 == 0);
            lanes.discardBacklog(item -> item.n() >= 30);
            release.countDown();
            while (!lanes.handOver(() -> WAIT, item -> { })) {
                Thread.onSpinWait();
            }
            lanes.runOnEveryLane(handler -> { });
            synchronized (handled) {
                for (int n = 17; n < 40; n++) {
                    assertEquals(n % 2 == 1 && n < 30, handled.contains(n), "item " + n);
                }
            }
        }
    }
}
