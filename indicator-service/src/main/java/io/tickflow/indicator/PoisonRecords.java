package io.tickflow.indicator;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Collection;
import java.util.HashMap;
import java.util.Map;

/**
 * Records that keep failing their interval: when the same source record is to blame ({@link SendFailures#culprit})
 * for {@code RECORD_MAX_ABORTS} aborts in a row, it is parked — the redo hands it to its lane as a dead letter with
 * code {@link #SEND_FAILED} ({@link DeadLetters} sends a copy small enough for any topic) instead of processing it, so
 * one record cannot hold its partitions back for ever. A parked record is forgotten once a commit is past it, or its
 * partition is no longer ours. Poll thread only.
 */
final class PoisonRecords {
    static final String SEND_FAILED = "send_failed";
    private static final Logger LOG = LoggerFactory.getLogger(PoisonRecords.class);
    private static final int MAX_MESSAGE_CHARS = 300;

    private record Coordinates(TopicPartition partition, long offset) {
    }

    private final int maxAborts;
    private final Map<Coordinates, String> parked = new HashMap<>();
    private Coordinates suspect;
    private int aborts;

    /** @param maxAborts {@code RECORD_MAX_ABORTS}: aborts one record may cause before it is parked */
    PoisonRecords(final int maxAborts) {
        if (maxAborts < 1) {
            throw new IllegalArgumentException("maxAborts must be >= 1, was " + maxAborts);
        }
        this.maxAborts = maxAborts;
    }

    /** An interval aborted; {@code culprit} is the record it failed on, when one was to blame (else null). */
    void aborted(final SendFailures.Culprit culprit) {
        if (culprit == null) {
            return;
        }
        final Coordinates at = new Coordinates(culprit.source(), culprit.offset());
        aborts = at.equals(suspect) ? aborts + 1 : 1;
        suspect = at;
        if (aborts >= maxAborts) {
            final String error = String.valueOf(culprit.error());
            final String reason = "every attempt to handle this record failed (" + aborts + " aborted intervals, "
                    + "RECORD_MAX_ABORTS=" + maxAborts + "), last error: "
                    + (error.length() > MAX_MESSAGE_CHARS ? error.substring(0, MAX_MESSAGE_CHARS) + "…" : error);
            parked.put(at, reason);
            suspect = null;
            aborts = 0;
            LOG.error("record parked to the dead-letter topic topic={} partition={} offset={} reason={}",
                    at.partition().topic(), at.partition().partition(), at.offset(), reason);
        }
    }

    /** Why {@code record} is parked, or null when it is to be processed. */
    String parkedReason(final ConsumerRecord<byte[], byte[]> record) {
        return parked.isEmpty() ? null
                : parked.get(new Coordinates(new TopicPartition(record.topic(), record.partition()), record.offset()));
    }

    /** A commit went through with these next offsets: what lies before them is done with. */
    void committed(final Map<TopicPartition, OffsetAndMetadata> offsets) {
        if (!parked.isEmpty()) {
            parked.keySet().removeIf(c -> offsets.containsKey(c.partition())
                    && c.offset() < offsets.get(c.partition()).offset());
        }
        if (suspect != null && offsets.containsKey(suspect.partition())
                && suspect.offset() < offsets.get(suspect.partition()).offset()) {
            suspect = null;
            aborts = 0;
        }
    }

    /** The partitions went: their next owner counts for itself. */
    void forget(final Collection<TopicPartition> partitions) {
        parked.keySet().removeIf(c -> partitions.contains(c.partition()));
        if (suspect != null && partitions.contains(suspect.partition())) {
            suspect = null;
            aborts = 0;
        }
    }
}
