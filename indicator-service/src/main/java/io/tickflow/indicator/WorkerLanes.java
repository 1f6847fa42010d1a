package io.tickflow.indicator;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.IntConsumer;
import java.util.function.LongSupplier;
import java.util.function.Predicate;

/**
 * N worker lanes, each a thread draining its own bounded queue in order through its own handler. An item goes to the
 * lane its key hashes to, so every item of one key is handled by one thread in submission order, whatever N is; lanes
 * run in parallel. Whatever a lane's handler touches for its keys (the stocks' engines) is confined to that lane's
 * thread.
 *
 * <p>Back-pressure: {@link #submit} appends to a backlog and {@link #handOver} moves the backlog, in order, into the
 * lanes until one stays full. While a backlog is left the {@link Inflow} is paused (the poll loop keeps polling for
 * its membership, but fetches nothing new); once it is handed over the inflow is resumed. The backlog and the inflow
 * are touched by the submitting thread only.
 *
 * <p>{@link #runOnEveryLane} is the barrier: it queues a task behind everything already queued on every lane and waits
 * until each lane's thread has run it on that lane's handler — used to write state, to commit, and to install or drop
 * state.
 *
 * @param <T> the item type
 * @param <H> the handler type: what a barrier task is given
 */
final class WorkerLanes<T, H extends WorkerLanes.Handler<T>> implements AutoCloseable {
    /** Handles the items of one lane, on that lane's thread. */
    interface Handler<T> {
        void handle(T item);

        /** The lane's queue is empty after an item or a control task: the end of what it was given for now. */
        default void drained() {
        }
    }

    /** What the lanes throttle: paused while a backlog waits, resumed once it is handed over. Submitting thread. */
    interface Inflow {
        void pause();

        void resume();
    }

    private static final Logger LOG = LoggerFactory.getLogger(WorkerLanes.class);

    /** A control task queued like an item. */
    private record Control(IntConsumer task, CountDownLatch done, AtomicReference<Throwable> failure) {
    }

    private final List<Lane> lanes;
    private final Function<? super T, byte[]> keyOf;
    private final Duration barrierTimeout;
    private final Inflow inflow;
    /** Items (routed by key) and {@link Targeted} items (one lane each), in submission order. */
    private final ArrayDeque<Object> backlog = new ArrayDeque<>();

    /** An item for one given lane (a broadcast is one per lane), queued in order with the keyed items. */
    private record Targeted(int lane, Object item) {
    }

    /**
     * @param capacity       items queued per lane before it counts as full
     * @param handlers       one per lane
     * @param keyOf          an item's key, which picks its lane
     * @param barrierTimeout how long {@link #runOnEveryLane} waits for every lane
     * @param inflow         paused and resumed by {@link #handOver}
     */
    WorkerLanes(final String name, final int capacity, final List<H> handlers, final Function<? super T, byte[]> keyOf,
                final Duration barrierTimeout, final Inflow inflow) {
        if (handlers.isEmpty()) {
            throw new IllegalArgumentException("at least one lane is needed");
        }
        this.keyOf = keyOf;
        this.barrierTimeout = barrierTimeout;
        this.inflow = inflow;
        final List<Lane> created = new ArrayList<>();
        for (int i = 0; i < handlers.size(); i++) {
            created.add(new Lane(name + "-lane-" + i, i, capacity, handlers.get(i)));
        }
        lanes = List.copyOf(created);
        for (Lane lane : lanes) {
            lane.thread.start();
        }
    }

    /** The lane of a key: a stable hash of its bytes (the same for a stock across restarts and instances). */
    int laneOf(final byte[] key) {
        return key == null ? 0 : Math.floorMod(Arrays.hashCode(key), lanes.size());
    }

    /** Appends an item to the backlog; {@link #handOver} gives it to its lane. */
    void submit(final T item) {
        backlog.add(item);
    }

    /**
     * Appends one item per lane to the backlog ({@code perLane} is asked for lane 0, 1, …): a broadcast that each lane
     * handles after everything submitted before it, in FIFO order with the keyed items (e.g. a partition's stream
     * time after a poll batch).
     */
    void submitToEveryLane(final java.util.function.IntFunction<? extends T> perLane) {
        for (int i = 0; i < lanes.size(); i++) {
            backlog.add(new Targeted(i, perLane.apply(i)));
        }
    }

    int size() {
        return lanes.size();
    }

    /** Items submitted and not yet handed to their lane. */
    boolean backlogged() {
        return !backlog.isEmpty();
    }

    /**
     * Hands the backlog to the lanes in order until an item's lane stays full for {@code waitNanos} (asked before
     * each item), telling {@code handedOver} about each item handed over; then pauses the inflow if a backlog is left,
     * else resumes it. True when the backlog is empty.
     */
    boolean handOver(final LongSupplier waitNanos, final Consumer<? super T> handedOver) throws InterruptedException {
        while (!backlog.isEmpty()) {
            final Object next = backlog.peekFirst();
            final T item = itemOf(next);
            final int lane = next instanceof Targeted t ? t.lane() : laneOf(keyOf.apply(item));
            if (!lanes.get(lane).queue.offer(item, waitNanos.getAsLong(), TimeUnit.NANOSECONDS)) {
                inflow.pause();
                return false;
            }
            backlog.pollFirst();
            handedOver.accept(item);
        }
        inflow.resume();
        return true;
    }

    /** Drops the backlog items that match (their partitions went, or the interval they were polled in aborted). */
    void discardBacklog(final Predicate<? super T> which) {
        backlog.removeIf(next -> which.test(itemOf(next)));
    }

    @SuppressWarnings("unchecked")
    private T itemOf(final Object next) {
        return (T) (next instanceof Targeted t ? t.item() : next);
    }

    /**
     * Runs {@code task} on every lane's thread with that lane's handler, after everything queued before, and waits for
     * all. Rethrows the first failure. {@code IllegalStateException} when a lane does not get there in time.
     */
    void runOnEveryLane(final Consumer<? super H> task) throws InterruptedException {
        runOnEveryLaneByIndex(i -> task.accept(lanes.get(i).handler));
    }

    /**
     * Like {@link #runOnEveryLane(Consumer)}, each lane's handler getting its share of {@code items}: those whose key
     * (by {@code keyOf}) hashes to that lane, in their order (an empty list for a lane without any).
     */
    <X> void runOnEveryLane(final Collection<X> items, final Function<? super X, byte[]> keyOf,
                            final BiConsumer<? super H, List<X>> task) throws InterruptedException {
        final List<List<X>> shares = new ArrayList<>();
        for (int i = 0; i < lanes.size(); i++) {
            shares.add(new ArrayList<>());
        }
        for (X item : items) {
            shares.get(laneOf(keyOf.apply(item))).add(item);
        }
        runOnEveryLaneByIndex(i -> task.accept(lanes.get(i).handler, shares.get(i)));
    }

    private void runOnEveryLaneByIndex(final IntConsumer task) throws InterruptedException {
        final Control control = new Control(task, new CountDownLatch(lanes.size()), new AtomicReference<>());
        final long deadline = System.nanoTime() + barrierTimeout.toNanos();
        for (Lane lane : lanes) {
            if (!lane.queue.offer(control, Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
                throw new IllegalStateException(lane.thread.getName() + " did not accept a control task within "
                        + barrierTimeout);
            }
        }
        if (!control.done.await(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
            throw new IllegalStateException("lanes did not reach the barrier within " + barrierTimeout);
        }
        final Throwable failure = control.failure.get();
        if (failure instanceof RuntimeException e) {
            throw e;
        }
        if (failure instanceof Error e) {
            throw e;
        }
    }

    /** Stops the lanes now, discarding anything still queued (the caller has committed), waiting up to 5 s each. */
    @Override
    public void close() {
        final List<Thread> threads = new ArrayList<>();
        for (Lane lane : lanes) {
            lane.stopping = true;
            lane.thread.interrupt();
            threads.add(lane.thread);
        }
        for (Thread t : threads) {
            try {
                t.join(5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private final class Lane implements Runnable {
        final int index;
        final BlockingQueue<Object> queue;
        final H handler;
        final Thread thread;
        volatile boolean stopping;

        Lane(final String name, final int index, final int capacity, final H handler) {
            this.index = index;
            this.queue = new ArrayBlockingQueue<>(capacity);
            this.handler = handler;
            this.thread = new Thread(this, name);
            this.thread.setDaemon(true);
        }

        @Override
        public void run() {
            while (!stopping) {
                final Object next;
                try {
                    next = queue.take();
                } catch (InterruptedException e) {
                    continue; // re-check stopping
                }
                dispatch(next);
                if (queue.isEmpty()) {
                    drained();
                }
            }
        }

        private void drained() {
            try {
                handler.drained();
            } catch (RuntimeException e) {
                LOG.error("lane handler failed when drained lane={}", index, e);
            }
        }

        @SuppressWarnings("unchecked")
        private void dispatch(final Object next) {
            if (next instanceof Control control) {
                try {
                    control.task.accept(index);
                } catch (Throwable t) {
                    control.failure.compareAndSet(null, t);
                } finally {
                    control.done.countDown();
                }
                return;
            }
            try {
                handler.handle((T) next);
            } catch (RuntimeException e) {
                // handlers deal with bad input themselves; this is a bug, and the lane must survive it
                LOG.error("lane handler failed lane={}", index, e);
            }
        }
    }
}
