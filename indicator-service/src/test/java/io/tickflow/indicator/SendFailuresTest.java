package io.tickflow.indicator;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import org.apache.kafka.common.KafkaException;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

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
    void shouldLogOnlyTheIntervalsFirstFailureWhenEveryBatchInFlightFailsWithIt() {
        final Logger logger = (Logger) LoggerFactory.getLogger(SendFailures.class);
        final ListAppender<ILoggingEvent> logged = new ListAppender<>();
        logged.start();
        logger.addAppender(logged);
        try {
            for (int i = 0; i < 1_000; i++) {
                failures.sendFailed("results", new RuntimeException("fenced " + i));
            }
            assertEquals(1, logged.list.size());
            assertEquals("fenced 0", logged.list.get(0).getThrowableProxy().getMessage());
            assertEquals(1_000.0, metrics.sendFailures.labelValues("results").get());
        } finally {
            logger.detachAppender(logged);
        }
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
