package io.tickflow.indicator;

/**
 * Waits, before a transaction begins, until the coordinator has written the markers of our previous one. With
 * transactions v2 a commit returns once the coordinator has prepared it; a produce of the next transaction that
 * reaches a partition while the markers are still on their way is answered {@code CONCURRENT_TRANSACTIONS} — the
 * broker retries that itself for up to {@code add.partitions.to.txn.retry.backoff.max.ms} (100 ms), past that the
 * producer retries and logs a WARN each time, and the results wait its retry back-off. Poll thread.
 */
interface MarkerWait {
    /** For a producer without transactions, and for tests. */
    MarkerWait NONE = () -> { };

    void awaitPreviousTransaction() throws InterruptedException;
}
