package io.tickflow.indicator;

import java.util.ArrayDeque;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.TimeUnit;

/** An executor whose tasks wait until the test {@link #runAll runs} them, on the test's thread. */
final class ManualExecutor extends AbstractExecutorService {
    private final Queue<Runnable> waiting = new ArrayDeque<>();
    private boolean shutdown;

    int waiting() {
        return waiting.size();
    }

    void runAll() {
        for (Runnable task = waiting.poll(); task != null; task = waiting.poll()) {
            task.run();
        }
    }

    @Override
    public void execute(final Runnable command) {
        waiting.add(command);
    }

    @Override
    public void shutdown() {
        shutdown = true;
    }

    @Override
    public List<Runnable> shutdownNow() {
        shutdown = true;
        final List<Runnable> left = List.copyOf(waiting);
        waiting.clear();
        return left;
    }

    @Override
    public boolean isShutdown() {
        return shutdown;
    }

    @Override
    public boolean isTerminated() {
        return shutdown && waiting.isEmpty();
    }

    @Override
    public boolean awaitTermination(final long timeout, final TimeUnit unit) {
        return isTerminated();
    }
}
