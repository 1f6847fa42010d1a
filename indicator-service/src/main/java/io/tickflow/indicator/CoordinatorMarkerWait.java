package io.tickflow.indicator;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.TransactionState;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.function.LongSupplier;

/**
 * {@link MarkerWait} by asking the transaction coordinator ({@code describeTransactions}) for the client's
 * transactional id's state until it is no longer preparing a commit or an abort — one request when the markers are
 * already written, a few 5 ms apart while they are on their way (at start, on a loaded machine, for several hundred
 * ms). Only a client with a transaction ended and not yet known written is asked about. Bounded: past {@link #LIMIT},
 * or when the coordinator cannot be asked, it returns anyway (the producer then retries as it would have). Runs on
 * the committer thread after a commit, on the poll thread before a transaction begins.
 */
final class CoordinatorMarkerWait implements MarkerWait {
    private static final Logger LOG = LoggerFactory.getLogger(CoordinatorMarkerWait.class);
    private static final Duration LIMIT = Duration.ofSeconds(2);
    private static final Set<TransactionState> IN_TRANSITION = Set.of(TransactionState.PREPARE_COMMIT,
            TransactionState.PREPARE_ABORT, TransactionState.PREPARE_EPOCH_FENCE);

    private final Admin admin;
    private final List<String> transactionalIds;
    private final LongSupplier nanoTime;
    /** Per slot, 1 while its last transaction's markers may be on their way; set on the poll or committer thread. */
    private final AtomicIntegerArray pending;

    /** @param transactionalIds the transactional id of each client slot */
    CoordinatorMarkerWait(final Admin admin, final List<String> transactionalIds, final LongSupplier nanoTime) {
        this.admin = admin;
        this.transactionalIds = List.copyOf(transactionalIds);
        this.nanoTime = nanoTime;
        this.pending = new AtomicIntegerArray(transactionalIds.size());
    }

    @Override
    public void ended(final int slot) {
        pending.set(slot, 1);
    }

    @Override
    public void awaitWritten(final int slot) throws InterruptedException {
        if (pending.get(slot) == 0) {
            return;
        }
        final String transactionalId = transactionalIds.get(slot);
        final long deadline = nanoTime.getAsLong() + LIMIT.toNanos();
        while (true) {
            final long left = deadline - nanoTime.getAsLong();
            final TransactionState state;
            try {
                state = admin.describeTransactions(List.of(transactionalId)).description(transactionalId)
                        .get(Math.max(1L, left), TimeUnit.NANOSECONDS).state();
            } catch (ExecutionException | TimeoutException e) {
                LOG.debug("transaction state of {} unknown, going on: {}", transactionalId, e.toString());
                return;
            }
            if (!IN_TRANSITION.contains(state)) {
                pending.set(slot, 0);
                return;
            }
            if (nanoTime.getAsLong() > deadline) {
                LOG.debug("transaction {} still {} after {}, going on", transactionalId, state, LIMIT);
                return;
            }
            Thread.sleep(5); // markers on their way: a short back-off between looks
        }
    }
}
