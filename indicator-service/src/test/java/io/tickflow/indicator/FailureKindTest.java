package io.tickflow.indicator;

import org.apache.kafka.clients.consumer.CommitFailedException;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.FencedInstanceIdException;
import org.apache.kafka.common.errors.InvalidProducerEpochException;
import org.apache.kafka.common.errors.OutOfOrderSequenceException;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.errors.TransactionAbortedException;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FailureKindTest {

    @Test
    void shouldGiveUpWhenTheGroupFencedOurInstanceIdOrTheClusterRefusesUsAnywhereInTheCauses() {
        assertEquals(FailureKind.GIVE_UP, FailureKind.of(new FencedInstanceIdException("newer member")));
        assertEquals(FailureKind.GIVE_UP, FailureKind.of(new KafkaException("a send of this interval failed",
                new TopicAuthorizationException("no write"))));
        final ProducerFencedException fenced = new ProducerFencedException("fenced by both: the group decides");
        fenced.initCause(new FencedInstanceIdException("newer member"));
        assertEquals(FailureKind.GIVE_UP, FailureKind.of(new KafkaException(fenced)));
    }

    @Test
    void shouldRenewTheProducerWhenItIsFencedOrHasLostItsSequence() {
        assertEquals(FailureKind.RENEW, FailureKind.of(new ProducerFencedException("epoch bumped")));
        assertEquals(FailureKind.RENEW, FailureKind.of(new KafkaException("Cannot execute transactional method "
                + "because we are in an error state", new ProducerFencedException("epoch bumped"))));
        assertEquals(FailureKind.RENEW, FailureKind.of(new OutOfOrderSequenceException("lost")));
        assertTrue(FailureKind.fenced(new KafkaException(new ProducerFencedException("x"))));
        assertFalse(FailureKind.fenced(new OutOfOrderSequenceException("lost")));
    }

    @Test
    void shouldAbortWhenTheFailureIsAbortable() {
        assertEquals(FailureKind.ABORT, FailureKind.of(new TimeoutException("commit timed out")));
        assertEquals(FailureKind.ABORT, FailureKind.of(new InvalidProducerEpochException("abort re-inits")));
        assertEquals(FailureKind.ABORT, FailureKind.of(new CommitFailedException("stale generation")));
        assertEquals(FailureKind.ABORT, FailureKind.of(new IllegalStateException("lanes did not reach the barrier")));
    }

    @Test
    void shouldBlameTheRecordOnlyForAnErrorAboutIt() {
        assertTrue(FailureKind.aboutTheRecord(new RecordTooLargeException("over max.message.bytes")));
        assertTrue(FailureKind.aboutTheRecord(new IllegalArgumentException("our code choked on it")));
        assertFalse(FailureKind.aboutTheRecord(new TimeoutException("expired")));
        assertFalse(FailureKind.aboutTheRecord(new TransactionAbortedException("failing batch, transaction aborted")));
        assertFalse(FailureKind.aboutTheRecord(new KafkaException("producer in error state",
                new RecordTooLargeException("another record's"))));
    }
}
