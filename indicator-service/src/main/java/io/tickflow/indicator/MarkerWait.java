package io.tickflow.indicator;

/**
 * Waits until the coordinator has written the markers of the last transaction of a producer client. With
 * transactions v2 a commit returns once the coordinator has prepared it; a produce of the next transaction that
 * reaches a partition while the markers are still on their way is answered {@code CONCURRENT_TRANSACTIONS} — the
 * broker retries that itself for up to {@code add.partitions.to.txn.retry.backoff.max.ms} (100 ms), past that the
 * producer retries and logs a WARN each time, and the results wait its retry back-off. The committer thread waits
 * right after each commit ({@link TransactionalCommitProtocol}), so a commit counts as landed only once its markers
 * are written; a transaction's begin (poll thread) then finds nothing to wait for, except after an abort.
 */
interface MarkerWait {
    /** For a producer without transactions, and for tests. */
    MarkerWait NONE = new MarkerWait() {
        @Override
        public void ended(final int slot) {
        }

        @Override
        public void awaitWritten(final int slot) {
        }
    };

    /** The transaction of the client in {@code slot} was committed or aborted: its markers are on their way. */
    void ended(int slot);

    /**
     * Returns once the markers of the last transaction {@link #ended} on {@code slot} are written (bounded); at once
     * when they are already known to be.
     */
    void awaitWritten(int slot) throws InterruptedException;
}
