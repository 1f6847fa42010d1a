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
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.function.LongSupplier;

/**
 * {@link MarkerWait} by asking the transaction coordinator ({@code describeTransactions}) for the client's
 * transactional id's state until it is no longer preparing a commit or an abort — one request when the markers are
 * already written, a few 5 ms apart while they are on their way. A transaction that ended {@link #SETTLED} or longer
 * ago is not asked about: that is the usual case with the clients used in turn, and the question is a round trip the
 * poll thread would wait for (several ms on a busy machine). Should its markers still be on their way, the broker's
 * own retry absorbs it. Bounded: past {@link #LIMIT}, or when the coordinator cannot be asked, the transaction begins
 * anyway (the producer then retries as it would have). Waits on the poll thread; a transaction ends on the committer
 * thread too.
 */
final class CoordinatorMarkerWait implements MarkerWait {
    private static final Logger LOG = LoggerFactory.getLogger(CoordinatorMarkerWait.class);
    private static final Duration LIMIT = Duration.ofSeconds(2);
    static final Duration SETTLED = Duration.ofMillis(50);
    private static final Set<TransactionState> IN_TRANSITION = Set.of(TransactionState.PREPARE_COMMIT,
            TransactionState.PREPARE_ABORT, TransactionState.PREPARE_EPOCH_FENCE);

    private final Admin admin;
    private final List<String> transactionalIds;
    private final LongSupplier nanoTime;
    /** Per slot, when its last transaction ended (null: none yet); set on the poll or the committer thread. */
    private final AtomicReferenceArray<Long> endedNanos;

    /** @param transactionalIds the transactional id of each client slot */
    CoordinatorMarkerWait(final Admin admin, final List<String> transactionalIds, final LongSupplier nanoTime) {
        this.admin = admin;
        this.transactionalIds = List.copyOf(transactionalIds);
        this.nanoTime = nanoTime;
        this.endedNanos = new AtomicReferenceArray<>(transactionalIds.size());
    }

    @Override
    public void ended(final int slot) {
        endedNanos.set(slot, nanoTime.getAsLong());
    }

    @Override
    public void awaitPreviousTransaction(final int slot) throws InterruptedException {
        final Long ended = endedNanos.get(slot);
        if (ended == null || nanoTime.getAsLong() - ended >= SETTLED.toNanos()) {
            return; // nothing ended on this client since it was made, or long enough ago
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
                LOG.debug("transaction state of {} unknown, beginning anyway: {}", transactionalId, e.toString());
                return;
            }
            if (!IN_TRANSITION.contains(state)) {
                return;
            }
            if (nanoTime.getAsLong() > deadline) {
                LOG.debug("transaction {} still {} after {}, beginning anyway", transactionalId, state, LIMIT);
                return;
            }
            Thread.sleep(5); // markers on their way: a short back-off between looks
        }
    }
}
