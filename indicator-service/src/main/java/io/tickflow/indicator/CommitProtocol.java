package io.tickflow.indicator;

import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * How one commit interval's work (results, dead letters, state records, consumer offsets) is made durable — the one
 * thing that differs between the processing guarantees, chosen once in {@link IndicatorMain} from
 * {@code PROCESSING_GUARANTEE}: {@link TransactionalCommitProtocol} (exactly-once) or {@link FlushThenCommitProtocol}
 * (at-least-once). Called on the poll thread only; {@link WorkInterval} decides when.
 */
interface CommitProtocol {
    /** Once, before the first poll. */
    void init();

    /** At the interval's first record, before any lane sends for it. */
    void begin() throws InterruptedException;

    /**
     * Makes the interval durable: a barrier on the lanes (each writes one state record per stock it changed), then
     * these offsets. What must happen before the lanes may send for the next interval happens here; the returned
     * completion is the rest, which may still run while the next interval {@link #begin}s — it completes when the
     * interval is durable, or fails, and the next commit must wait for it. Throws when the interval could not get
     * that far; the caller then aborts.
     */
    CompletableFuture<Void> commit(Map<TopicPartition, OffsetAndMetadata> offsets) throws InterruptedException;

    /** Abandons the open interval; the lanes have stopped sending into it. */
    void abort();

    /** Abandons the interval whose commit's completion failed with an abortable error. */
    void abortCommitted();

    /** After the last commit, before the producer closes: lets go of what the protocol runs on (bounded wait). */
    void close();
}
