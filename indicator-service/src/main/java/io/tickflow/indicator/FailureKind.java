package io.tickflow.indicator;

import org.apache.kafka.common.InvalidRecordException;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.FencedInstanceIdException;
import org.apache.kafka.common.errors.InvalidPidMappingException;
import org.apache.kafka.common.errors.InvalidTxnStateException;
import org.apache.kafka.common.errors.OutOfOrderSequenceException;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.UnknownProducerIdException;
import org.apache.kafka.common.errors.UnsupportedVersionException;

/**
 * What a failure of the poll loop means, decided from the error and its causes. Correctness never rests on this
 * choice: a zombie's commit is refused by the group generation it sends with its offsets (KIP-447) whatever it does.
 * What rests on it is whether the instance gives up or goes on:
 * <ul>
 *   <li>{@link #GIVE_UP}: another live instance holds our identity — the group fenced our {@code group.instance.id}
 *       ({@link FencedInstanceIdException}: a newer instance with the same {@code INSTANCE_ID}, hence the same
 *       {@code transactional.id}, joined) — or the cluster refuses us (authentication, authorization, an API
 *       version). The processor stops.</li>
 *   <li>{@link #RENEW}: the producer is past saving (fenced, its epoch or sequence lost, its transaction state
 *       broken) — after a transaction timeout during an outage the coordinator bumps the epoch, which the producer
 *       cannot tell from a fencing. It is closed and a new one initialised (as Kafka Streams does on
 *       {@code TaskMigratedException} under exactly-once v2); a {@link ProducerFencedException} first waits for the
 *       group to say whether a live instance took our identity.</li>
 *   <li>{@link #ABORT}: anything else (a failed send, a timeout, a stale generation): abort the interval and redo it;
 *       if the producer cannot even abort, it is renewed.</li>
 * </ul>
 */
enum FailureKind {
    GIVE_UP, RENEW, ABORT;

    static FailureKind of(final Throwable failure) {
        FailureKind kind = ABORT;
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof FencedInstanceIdException || t instanceof AuthenticationException
                    || t instanceof AuthorizationException || t instanceof UnsupportedVersionException) {
                return GIVE_UP;
            }
            if (t instanceof ProducerFencedException || t instanceof OutOfOrderSequenceException
                    || t instanceof InvalidPidMappingException || t instanceof UnknownProducerIdException
                    || t instanceof InvalidTxnStateException) {
                kind = RENEW;
            }
        }
        return kind;
    }

    /** Whether a {@link ProducerFencedException} is among the causes: another live instance may hold our identity. */
    static boolean fenced(final Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof ProducerFencedException) {
                return true;
            }
        }
        return false;
    }

    /**
     * Whether an error of one record's send or processing is about that record (so the record is to blame when it
     * keeps failing its interval): the broker or the producer refused the record itself, or our own code threw on
     * it. Errors about the producer, the transaction or the cluster are no record's fault.
     */
    static boolean aboutTheRecord(final Throwable error) {
        return error instanceof RecordTooLargeException || error instanceof InvalidRecordException
                || !(error instanceof KafkaException);
    }
}
