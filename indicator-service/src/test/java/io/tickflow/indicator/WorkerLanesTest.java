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
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class WorkerLanesTest {
    private record Item(String key, int n) {
    }

    @Test
    void shouldKeepPerKeyOrderAndUseOneThreadPerKeyWhenManyKeysShareEightLanes() throws Exception {
        final Map<String, List<Integer>> seen = new ConcurrentHashMap<>();
        final Map<String, Set<String>> threads = new ConcurrentHashMap<>();
        final List<WorkerLanes.Handler<Item>> handlers = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            handlers.add(item -> {
                seen.computeIfAbsent(item.key(), k -> new ArrayList<>()).add(item.n());
                threads.computeIfAbsent(item.key(), k -> ConcurrentHashMap.newKeySet())
                        .add(Thread.currentThread().getName());
            });
        }
        try (WorkerLanes<Item> lanes = new WorkerLanes<>("test", 16, handlers)) {
            for (int n = 0; n < 500; n++) {
                for (int k = 0; k < 50; k++) {
                    final String key = "K" + k;
                    final int lane = lanes.laneOf(key.getBytes(StandardCharsets.UTF_8));
                    while (!lanes.offer(lane, new Item(key, n), 10, TimeUnit.MILLISECONDS)) {
                        Thread.onSpinWait(); // a full lane: the caller retries, as the poll loop does
                    }
                }
            }
            lanes.runOnEveryLane(i -> { }, Duration.ofSeconds(10));
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
    void shouldRunBarrierAfterQueuedItemsWhenRunOnEveryLane() throws Exception {
        final AtomicInteger handled = new AtomicInteger();
        final Map<Integer, Integer> handledAtBarrier = new HashMap<>();
        final List<WorkerLanes.Handler<Item>> handlers = List.of(item -> handled.incrementAndGet(),
                item -> handled.incrementAndGet());
        try (WorkerLanes<Item> lanes = new WorkerLanes<>("test", 1000, handlers)) {
            for (int n = 0; n < 200; n++) {
                assertTrue(lanes.offer(n % 2, new Item("k", n), 1, TimeUnit.SECONDS));
            }
            lanes.runOnEveryLane(i -> {
                synchronized (handledAtBarrier) {
                    handledAtBarrier.put(i, handled.get());
                }
            }, Duration.ofSeconds(10));
            assertEquals(200, handled.get());
            assertEquals(2, handledAtBarrier.size());
            final IllegalStateException failure = assertThrows(IllegalStateException.class,
                    () -> lanes.runOnEveryLane(i -> {
                        throw new IllegalStateException("boom " + i);
                    }, Duration.ofSeconds(10)));
            assertTrue(failure.getMessage().startsWith("boom"));
        }
    }

    @Test
    void shouldRefuseWhenALaneIsFull() throws Exception {
        final java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
        final List<WorkerLanes.Handler<Item>> handlers = List.of(item -> {
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        try (WorkerLanes<Item> lanes = new WorkerLanes<>("test", 16, handlers)) {
            int accepted = 0;
            while (lanes.offer(0, new Item("k", accepted), 20, TimeUnit.MILLISECONDS)) {
                accepted++;
            }
            assertEquals(17, accepted); // one being handled + a full queue of 16
            assertFalse(lanes.offer(0, new Item("k", -1), 1, TimeUnit.MILLISECONDS));
            release.countDown();
        }
    }
}
