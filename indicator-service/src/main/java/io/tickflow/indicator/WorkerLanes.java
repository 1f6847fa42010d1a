package io.tickflow.indicator;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.IntConsumer;

/**
 * N worker lanes, each a thread draining its own bounded queue in order. An item goes to the lane its key hashes to,
 * so every item of one key is handled by one thread in submission order, whatever N is; lanes run in parallel.
 * Whatever a lane's handler touches for its keys (the stocks' engines) is confined to that lane's thread.
 *
 * <p>{@link #offer} never blocks longer than asked: a full lane is the caller's signal to stop reading (the poll loop
 * pauses its partitions). {@link #runOnEveryLane} is the barrier: it queues a task behind everything already queued on
 * every lane and waits until each lane has run it — used to write state, to commit, and to install or drop state.
 *
 * @param <T> the item type
 */
final class WorkerLanes<T> implements AutoCloseable {
    /** Handles the items of one lane, on that lane's thread. */
    interface Handler<T> {
        void handle(T item);
    }

    private static final Logger LOG = LoggerFactory.getLogger(WorkerLanes.class);

    /** A control task queued like an item. */
    private record Control(IntConsumer task, CountDownLatch done, AtomicReference<Throwable> failure) {
    }

    private final List<Lane> lanes;

    WorkerLanes(final String name, final int capacity, final List<? extends Handler<T>> handlers) {
        if (handlers.isEmpty()) {
            throw new IllegalArgumentException("at least one lane is needed");
        }
        final List<Lane> created = new ArrayList<>();
        for (int i = 0; i < handlers.size(); i++) {
            created.add(new Lane(name + "-lane-" + i, i, capacity, handlers.get(i)));
        }
        lanes = List.copyOf(created);
        for (Lane lane : lanes) {
            lane.thread.start();
        }
    }

    int size() {
        return lanes.size();
    }

    /** The lane of a key: a stable hash of its bytes (the same for a stock across restarts and instances). */
    int laneOf(final byte[] key) {
        return key == null ? 0 : Math.floorMod(Arrays.hashCode(key), lanes.size());
    }

    /** Queues an item on a lane, waiting at most {@code timeout}; false when the lane stayed full. */
    boolean offer(final int lane, final T item, final long timeout, final TimeUnit unit) throws InterruptedException {
        return lanes.get(lane).queue.offer(item, timeout, unit);
    }

    /** Total items queued across lanes (for metrics and tests). */
    int queued() {
        int n = 0;
        for (Lane lane : lanes) {
            n += lane.queue.size();
        }
        return n;
    }

    /**
     * Runs {@code task.accept(laneIndex)} on every lane's thread after everything queued before, and waits for all.
     * Rethrows the first failure. {@code IllegalStateException} when a lane does not get there within {@code timeout}.
     */
    void runOnEveryLane(final IntConsumer task, final Duration timeout) throws InterruptedException {
        final Control control = new Control(task, new CountDownLatch(lanes.size()), new AtomicReference<>());
        final long deadline = System.nanoTime() + timeout.toNanos();
        for (Lane lane : lanes) {
            if (!lane.queue.offer(control, Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
                throw new IllegalStateException(lane.thread.getName() + " did not accept a control task within "
                        + timeout);
            }
        }
        if (!control.done.await(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
            throw new IllegalStateException("lanes did not reach the barrier within " + timeout);
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
        final Handler<T> handler;
        final Thread thread;
        volatile boolean stopping;

        Lane(final String name, final int index, final int capacity, final Handler<T> handler) {
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
