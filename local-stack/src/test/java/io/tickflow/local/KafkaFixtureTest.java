package io.tickflow.local;

import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The order in which {@link KafkaFixture} picks the test broker, without starting any. */
class KafkaFixtureTest {
    private static final BooleanSupplier DOCKER = () -> true;
    private static final BooleanSupplier NO_DOCKER = () -> false;
    private static final BooleanSupplier MUST_NOT_ASK = () -> {
        throw new AssertionError("Docker must not be probed for this choice");
    };

    @Test
    void shouldUseTheExternalBrokerWhenKafkaBootstrapServersIsSetWhateverElseIsAsked() {
        final Map<String, String> env = Map.of("KAFKA_BOOTSTRAP_SERVERS", "broker:9092");
        for (String requested : new String[]{null, "auto", "testcontainers", "embedded"}) {
            final KafkaFixture.Choice c = KafkaFixture.choose(env, requested, MUST_NOT_ASK);
            assertEquals(KafkaFixture.Kind.EXTERNAL, c.kind(), "requested " + requested);
            assertTrue(c.reason().contains("broker:9092"), c.reason());
        }
    }

    @Test
    void shouldUseTestcontainersWhenAskedEvenWithoutDockerSoTheRunFailsNamingWhy() {
        assertEquals(KafkaFixture.Kind.TESTCONTAINERS,
                KafkaFixture.choose(Map.of(), "testcontainers", MUST_NOT_ASK).kind());
        assertEquals(KafkaFixture.Kind.TESTCONTAINERS,
                KafkaFixture.choose(Map.of("KAFKA_BOOTSTRAP_SERVERS", " "), " TestContainers ", MUST_NOT_ASK).kind());
    }

    @Test
    void shouldUseTestcontainersWhenDockerIsReachableAndNothingIsAsked() {
        final KafkaFixture.Choice c = KafkaFixture.choose(Map.of(), null, DOCKER);
        assertEquals(KafkaFixture.Kind.TESTCONTAINERS, c.kind());
        assertTrue(c.reason().contains("Docker"), c.reason());
        assertEquals(KafkaFixture.Kind.TESTCONTAINERS, KafkaFixture.choose(Map.of(), "auto", DOCKER).kind());
    }

    @Test
    void shouldUseTheEmbeddedBrokerWhenDockerIsUnreachableOrEmbeddedIsAsked() {
        assertEquals(KafkaFixture.Kind.EMBEDDED, KafkaFixture.choose(Map.of(), null, NO_DOCKER).kind());
        assertEquals(KafkaFixture.Kind.EMBEDDED, KafkaFixture.choose(Map.of(), "", NO_DOCKER).kind());
        assertEquals(KafkaFixture.Kind.EMBEDDED, KafkaFixture.choose(Map.of(), "embedded", MUST_NOT_ASK).kind());
    }

    @Test
    void shouldAskDockerAtMostOnceAndOnlyInAutoMode() {
        final AtomicInteger asked = new AtomicInteger();
        KafkaFixture.choose(Map.of(), "auto", () -> asked.incrementAndGet() > 0);
        assertEquals(1, asked.get());
    }

    @Test
    void shouldRejectAnUnknownModeNamingTheValue() {
        final IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> KafkaFixture.choose(Map.of(), "docker", NO_DOCKER));
        assertTrue(e.getMessage().contains("'docker'"), e.getMessage());
    }

    @Test
    void shouldRunTheApacheKafkaImageOfTheClientsVersion() {
        assertTrue(KafkaFixture.image().matches("apache/kafka:\\d+\\.\\d+\\.\\d+.*"), KafkaFixture.image());
    }
}
