package io.tickflow.indicator;

import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.FencedInstanceIdException;
import org.apache.kafka.common.errors.TimeoutException;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;

import static io.tickflow.indicator.ProcessingGuarantee.EXACTLY_ONCE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The poll loop through failures an abort cannot absorb ({@link Recovery}) and through a record that fails every
 * interval it is in ({@link PoisonRecords}), on MockConsumer/MockProducer with a manual clock.
 */
class RecoveryTest {

    private static List<String> uninterrupted(final int count) throws Exception {
        try (Rig rig = new Rig(EXACTLY_ONCE)) {
            rig.assign(0);
            rig.ticks(0, "AAPL", count);
            rig.step();
            rig.commitTurn();
            return rig.results("AAPL");
        }
    }

    @Test
    void shouldRenewTheProducerAndRedoFromTheCommittedPointWhenFencedAndTheGroupKeepsUs() throws Exception {
        final List<String> expected = uninterrupted(6);
        try (Rig rig = new Rig(EXACTLY_ONCE)) {
            rig.assign(0);
            rig.ticks(0, "AAPL", 3);
            rig.step();
            rig.commitTurn();
            rig.ticks(0, "AAPL", 3);
            rig.step();
            rig.producer.fenceProducer(); // the coordinator timed our transaction out and bumped the epoch
            rig.commitTurn();

            assertEquals(1, rig.producers.size(), "no new producer before the group had its say");
            rig.nanos.addAndGet(Recovery.FENCING_CHECK.toNanos() - 1);
            rig.step();
            assertEquals(1, rig.producers.size());
            rig.nanos.addAndGet(1);
            rig.step(); // the check passed without a fencing of our consumer: renew, rewind
            assertEquals(2, rig.producers.size());
            assertTrue(rig.producer.transactionInitialized());
            assertEquals(3L, rig.consumer.position(Rig.tp(0)), "rewound to the committed offset");

            rig.step();
            rig.commitTurn();
            assertEquals(expected, rig.results("AAPL"), "every tick once, equal to an uninterrupted run");
            assertEquals(6L, rig.committed(0).offset());
            assertFalse(rig.processor.failed());
        }
    }

    @Test
    void shouldGiveUpWithoutFencingTheNewerInstanceWhenTheGroupFencesOurConsumer() throws Exception {
        try (Rig rig = new Rig(EXACTLY_ONCE)) {
            rig.assign(0);
            rig.ticks(0, "AAPL", 3);
            rig.step();
            rig.producer.fenceProducer(); // a newer instance with our INSTANCE_ID called initTransactions…
            rig.commitTurn();
            rig.consumer.setPollException(new FencedInstanceIdException("…and joined with our group.instance.id"));
            assertThrows(FencedInstanceIdException.class, rig::step);
            assertEquals(1, rig.producers.size(), "no initTransactions that would fence the newer instance back");
        }
    }

    @Test
    void shouldWaitForTheBrokerAndLoseNothingWhenAnOutageOutlastsTheProducersTimeouts() throws Exception {
        final List<String> expected = uninterrupted(6);
        try (Rig rig = new Rig(EXACTLY_ONCE)) {
            rig.assign(0);
            rig.ticks(0, "AAPL", 3);
            rig.step();
            rig.commitTurn();
            rig.ticks(0, "AAPL", 3);
            rig.step();
            rig.producer.commitTransactionException = new TimeoutException("commit timed out after max.block.ms");
            rig.producer.abortTransactionException = new KafkaException("the timed-out commit must be retried");
            rig.initFailures.add(new TimeoutException("init timed out: broker still away"));
            rig.initFailures.add(new TimeoutException("init timed out: broker still away"));
            rig.commitTurn();
            assertTrue(rig.nanos.get() > 0);
            assertFalse(rig.processor.failed());

            rig.step(); // first attempt at once: its init times out
            rig.nanos.addAndGet(Recovery.FIRST_BACKOFF.toNanos());
            rig.step(); // second, after 100 ms: times out again
            rig.step(); // not due (200 ms back-off): polls, paused
            assertEquals(3, rig.producers.size());
            rig.nanos.addAndGet(Recovery.FIRST_BACKOFF.toNanos() * 2);
            rig.step(); // the broker is back
            assertEquals(4, rig.producers.size());
            assertTrue(rig.producer.transactionInitialized());

            rig.step();
            rig.commitTurn();
            assertEquals(expected, rig.results("AAPL"));
            assertEquals(6L, rig.committed(0).offset());
        }
    }

    @Test
    void shouldReportNoProgressWhileRecoveringAndProgressAgainAfterTheNextCommit() throws Exception {
        try (Rig rig = new Rig(EXACTLY_ONCE)) {
            rig.assign(0);
            rig.ticks(0, "AAPL", 3);
            rig.step();
            rig.producer.commitTransactionException = new TimeoutException("commit timed out");
            rig.producer.abortTransactionException = new KafkaException("the timed-out commit must be retried");
            for (int i = 0; i < 4; i++) {
                rig.initFailures.add(new TimeoutException("init timed out"));
            }
            rig.commitTurn();
            assertTrue(rig.processor.progressing());
            rig.nanos.addAndGet(Duration.ofSeconds(31).toNanos());
            rig.step();
            assertFalse(rig.processor.progressing(), "work waited 30 s (PROGRESS_TIMEOUT) without a commit");
            for (int i = 0; i < 4 && rig.producers.size() < 6; i++) {
                rig.nanos.addAndGet(Recovery.MAX_BACKOFF.toNanos());
                rig.step();
            }
            rig.step();
            rig.commitTurn();
            assertTrue(rig.processor.progressing());
            assertEquals(3L, rig.committed(0).offset());
        }
    }

    @Test
    void shouldParkARecordInTheDeadLetterTopicAfterThreeAbortsWhenItsCopyFailsEverySend() throws Exception {
        try (Rig rig = new Rig(EXACTLY_ONCE)) {
            rig.deadLetterMaxBytes.set(2048);
            rig.assign(0);
            rig.ticks(0, "AAPL", 3);
            final byte[] junk = new byte[3000];
            Arrays.fill(junk, (byte) 'x');
            rig.raw(0, "AAPL", junk); // offset 3: malformed, and its copy is over the topic's limit
            rig.ticks(0, "AAPL", 3);

            for (int attempt = 0; attempt < 3; attempt++) {
                rig.step();
                rig.commitTurn();
                assertEquals(attempt + 1.0, rig.counter(rig.metrics.transactions, "aborted"));
            }
            rig.step();
            rig.commitTurn();

            assertEquals(3.0, rig.counter(rig.metrics.transactions, "aborted"), "bounded: three aborts, then on");
            assertEquals(7L, rig.committed(0).offset());
            final List<String> results = rig.results("AAPL");
            assertEquals(List.of(1L, 2L, 3L, 4L, 5L, 6L), results.stream().map(Rig::seqOf).toList(),
                    "the good ticks around it, once each");
            assertTrue(results.get(3).contains("\"timestamp\":\"2024-06-02T12:00:04Z\""), "offset 4 follows 2");
            final List<ProducerRecord<byte[], byte[]>> dead = rig.history().stream()
                    .filter(r -> r.topic().equals(Rig.DLQ)).toList();
            assertEquals(1, dead.size());
            final ProducerRecord<byte[], byte[]> parked = dead.get(0);
            assertEquals(PoisonRecords.SEND_FAILED, header(parked, DeadLetters.CODE));
            assertEquals("3", header(parked, DeadLetters.SOURCE_OFFSET));
            assertEquals("0", header(parked, DeadLetters.SOURCE_PARTITION));
            assertEquals(Rig.TICKS, header(parked, DeadLetters.SOURCE_TOPIC));
            assertEquals("value=3000,headers=0", header(parked, DeadLetters.TRUNCATED));
            assertEquals(DeadLetters.PARKED_VALUE_BYTES, parked.value().length);
            assertTrue(header(parked, DeadLetters.REASON).contains("RecordTooLargeException"),
                    header(parked, DeadLetters.REASON));
        }
    }

    @Test
    void shouldNotBlameARecordWhenTheFailureIsNotAboutIt() throws Exception {
        try (Rig rig = new Rig(EXACTLY_ONCE)) {
            rig.assign(0);
            rig.ticks(0, "AAPL", 2);
            for (int attempt = 0; attempt < 4; attempt++) {
                rig.producer.failNextResult(new TimeoutException("record expired"));
                rig.step();
                rig.commitTurn();
            }
            assertEquals(4.0, rig.counter(rig.metrics.transactions, "aborted"));
            assertEquals(List.of(), rig.deadLetterCodes(), "a timeout blames no record: nothing is parked");
        }
    }

    private static String header(final ProducerRecord<byte[], byte[]> r, final String key) {
        return new String(r.headers().lastHeader(key).value(), StandardCharsets.UTF_8);
    }
}
