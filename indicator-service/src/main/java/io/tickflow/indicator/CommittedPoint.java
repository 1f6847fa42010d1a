package io.tickflow.indicator;

import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

import java.util.Collection;
import java.util.HashMap;
import java.util.Map;

/**
 * Where each owned partition's committed point is, as this instance knows it: the offsets of the last commit it saw
 * succeed for that partition since it was assigned. A rewind seeks there instead of asking the group
 * coordinator, whose answer to a read_committed consumer ({@code OffsetFetch} with requireStable) waits, as
 * {@code UNSTABLE_OFFSET_COMMIT}, for every transaction that carries offsets of the group to be completed — after a
 * broker restart that fetch was seen to time out (60 s) on every attempt for minutes, our own transaction long
 * aborted and the producer renewed ({@code IndicatorBrokerOutageIT}). The
 * knowledge is lost while a commit is in doubt (its final call — {@code commitTransaction}, {@code commitSync} — failed
 * without an abort proving it void): the rewind then asks the coordinator, after the producer's renewal has ended the
 * transaction; so it does for a partition not committed since it was assigned. Poll thread only.
 */
final class CommittedPoint {
    private final Map<TopicPartition, Long> offsets = new HashMap<>();
    private boolean inDoubt;

    /** A commit's final call is about to be made: until it returns (or an abort voids it) its outcome is unknown. */
    void committing() {
        inDoubt = true;
    }

    /** The commit succeeded: these offsets are final. */
    void committed(final Map<TopicPartition, OffsetAndMetadata> committed) {
        committed.forEach((tp, at) -> offsets.put(tp, at.offset()));
        inDoubt = false;
    }

    /** The transaction was aborted: nothing of it was committed, the known point stands. */
    void aborted() {
        inDoubt = false;
    }

    /** The coordinator's word after a commit in doubt, read once the transaction was ended. */
    void learned(final Map<TopicPartition, Long> committed) {
        offsets.putAll(committed);
        inDoubt = false;
    }

    void forget(final Collection<TopicPartition> partitions) {
        offsets.keySet().removeAll(partitions);
    }

    /** The committed offsets among {@code partitions} that this instance knows for sure (none while in doubt). */
    Map<TopicPartition, Long> known(final Collection<TopicPartition> partitions) {
        final Map<TopicPartition, Long> out = new HashMap<>();
        if (!inDoubt) {
            for (TopicPartition tp : partitions) {
                final Long at = offsets.get(tp);
                if (at != null) {
                    out.put(tp, at);
                }
            }
        }
        return out;
    }
}
