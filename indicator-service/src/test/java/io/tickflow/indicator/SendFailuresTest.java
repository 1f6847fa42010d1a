package io.tickflow.indicator;

import io.prometheus.metrics.model.registry.PrometheusRegistry;
import org.apache.kafka.common.KafkaException;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

class SendFailuresTest {
    private final IndicatorMetrics metrics = new IndicatorMetrics(new PrometheusRegistry());
    private final SendFailures failures = new SendFailures(metrics.sendFailures);

    @Test
    void shouldFailTheCommitWithTheFirstErrorAndCountEverySendWhenSendsFail() {
        final RuntimeException first = new RuntimeException("first");
        failures.sendFailed("results", first);
        failures.sendFailed("results", new RuntimeException("second"));
        failures.sendFailed("state", new RuntimeException("third"));
        final KafkaException thrown = assertThrows(KafkaException.class, failures::throwIfAny);
        assertSame(first, thrown.getCause());
        assertEquals(2.0, metrics.sendFailures.labelValues("results").get());
        assertEquals(1.0, metrics.sendFailures.labelValues("state").get());
    }

    @Test
    void shouldFailTheCommitWithoutCountingASendWhenAHandOverFailed() {
        final RuntimeException e = new IllegalStateException("transaction not begun");
        failures.handOverFailed(e);
        failures.sendFailed("dlq", new RuntimeException("later"));
        assertSame(e, assertThrows(KafkaException.class, failures::throwIfAny).getCause());
        assertEquals(1.0, metrics.sendFailures.labelValues("dlq").get());
    }

    @Test
    void shouldNotFailTheNextIntervalWhenABatchOfTheAbortedTransactionFailsLate() {
        failures.sendFailed("results", new org.apache.kafka.common.errors.TransactionAbortedException(
                "Failing batch since transaction was aborted"));
        assertDoesNotThrow(failures::throwIfAny);
        assertEquals(1.0, metrics.sendFailures.labelValues("results").get(), "still counted");
    }

    @Test
    void shouldPassTheNextCommitWhenClearedAfterAnAbort() {
        failures.sendFailed("results", new RuntimeException("x"));
        failures.clear();
        assertDoesNotThrow(failures::throwIfAny);
    }
}
