package io.tickflow.indicator;

/**
 * Waits, before a transaction begins, until the coordinator has written the markers of the previous one of the same
 * producer client. With transactions v2 a commit returns once the coordinator has prepared it; a produce of the next
 * transaction that reaches a partition while the markers are still on their way is answered
 * {@code CONCURRENT_TRANSACTIONS} — the broker retries that itself for up to
 * {@code add.partitions.to.txn.retry.backoff.max.ms} (100 ms), past that the producer retries and logs a WARN each
 * time, and the results wait its retry back-off. The clients are used in turn ({@link RenewableProducer#turn}), so the
 * markers waited for were usually written a commit interval ago. {@link #awaitPreviousTransaction} runs on the poll
 * thread, {@link #ended} also on the committer ({@link TransactionalCommitProtocol}).
 */
interface MarkerWait {
    /** For a producer without transactions, and for tests. */
    MarkerWait NONE = new MarkerWait() {
        @Override
        public void ended(final int slot) {
        }

        @Override
        public void awaitPreviousTransaction(final int slot) {
        }
    };

    /** The transaction of the client in {@code slot} was committed or aborted: its markers are on their way. */
    void ended(int slot);

    /** Returns once the markers of the last transaction {@link #ended} on {@code slot} are written (bounded). */
    void awaitPreviousTransaction(int slot) throws InterruptedException;
}
