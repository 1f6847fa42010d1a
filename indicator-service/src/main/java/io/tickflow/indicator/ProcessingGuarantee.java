package io.tickflow.indicator;

/** How results, per-stock state and consumer offsets are committed (see docs/indicator-service.md). */
public enum ProcessingGuarantee {
    /**
     * Read-process-write transactions: results, DLQ records, state changelog and offsets commit atomically once per
     * commit interval. Results become visible to read_committed consumers at commit time; the delivery service
     * reads them read_uncommitted (deterministic redos of an aborted interval carry a {@code seq} it has sent).
     */
    EXACTLY_ONCE,
    /**
     * No transactions: results are visible as soon as written; state and offsets are committed each interval.
     * After a crash the ticks since the last commit are replayed deterministically, so consumers may see a result
     * twice with the same {@code seq} (drop it) but never a gap or a different value.
     */
    AT_LEAST_ONCE;

    static ProcessingGuarantee parse(final String value) {
        return valueOf(value.toUpperCase(java.util.Locale.ROOT));
    }
}
