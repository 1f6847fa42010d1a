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

/**
 * {@link MarkerWait} by asking the transaction coordinator ({@code describeTransactions}) for our transactional id's
 * state until it is no longer preparing a commit or an abort — one request when the markers are already written (the
 * usual case on a healthy broker: a millisecond), a few 5 ms apart while they are on their way. Bounded: past
 * {@link #LIMIT}, or when the coordinator cannot be asked, the transaction begins anyway (the producer then retries
 * as it would have). Poll thread.
 */
final class CoordinatorMarkerWait implements MarkerWait {
    private static final Logger LOG = LoggerFactory.getLogger(CoordinatorMarkerWait.class);
    private static final Duration LIMIT = Duration.ofSeconds(2);
    private static final Set<TransactionState> IN_TRANSITION = Set.of(TransactionState.PREPARE_COMMIT,
            TransactionState.PREPARE_ABORT, TransactionState.PREPARE_EPOCH_FENCE);

    private final Admin admin;
    private final String transactionalId;

    CoordinatorMarkerWait(final Admin admin, final String transactionalId) {
        this.admin = admin;
        this.transactionalId = transactionalId;
    }

    @Override
    public void awaitPreviousTransaction() throws InterruptedException {
        final long deadline = System.nanoTime() + LIMIT.toNanos();
        while (true) {
            final long left = deadline - System.nanoTime();
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
            if (System.nanoTime() > deadline) {
                LOG.debug("transaction {} still {} after {}, beginning anyway", transactionalId, state, LIMIT);
                return;
            }
            Thread.sleep(5); // markers on their way: a short back-off between looks
        }
    }
}
