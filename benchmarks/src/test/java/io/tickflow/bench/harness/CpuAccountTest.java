package io.tickflow.bench.harness;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Thread names as a jcmd Thread.print of the harness with the local stack shows them. */
class CpuAccountTest {
    private static final List<String> BROKER = List.of("data-plane-kafka-request-handler-3",
            "data-plane-kafka-network-thread-1-PLAINTEXT-PLAINTEXT-0", "kafka-scheduler-7",
            "group-coordinator-event-processor-1", "TxnMarkerSenderThread-1", "kafka-1-raft-io-thread",
            "AddPartitionsToTxnSenderThread-1", "ExpirationReaper-1-Produce");
    private static final List<String> SERVICES = List.of("indicator-poll", "indicator-lane-1", "indicator-http-12",
            "delivery-feed", "delivery-bars", "delivery-ws-drain", "ingest-http-3", "WebSocketWorker-40",
            "WebSocketSelector-38", "kafka-producer-network-thread | tickflow-indicator-vm",
            "kafka-coordinator-heartbeat-thread | tickflow-indicator", "kafka-producer-network-thread | producer-1",
            "kafka-admin-client-thread | adminclient-2");
    private static final List<String> HARNESS = List.of("main", "lag-probe", "ws-client-1", "HttpClient-1-SelectorManager",
            "kafka-producer-network-thread | bench-feed", "kafka-admin-client-thread | bench-admin",
            "kafka-producer-network-thread | bench-baseline-feed", "baseline-sink",
            "kafka-coordinator-heartbeat-thread | bench-baseline-sink-1a2b3c4d");
    private static final List<String> RELAY = List.of("baseline-relay",
            "kafka-producer-network-thread | bench-baseline-relay",
            "kafka-coordinator-heartbeat-thread | bench-baseline-relay-1a2b3c4d");

    @Test
    void shouldCountOnlyTheHarnessAsLoad() {
        HARNESS.forEach(name -> assertTrue(CpuAccount.isHarness(name), name));
        BROKER.forEach(name -> assertFalse(CpuAccount.isHarness(name), name));
        SERVICES.forEach(name -> assertFalse(CpuAccount.isHarness(name), name));
        RELAY.forEach(name -> assertFalse(CpuAccount.isHarness(name), name));
    }

    @Test
    void shouldTellTheServicesFromTheBrokerAndTheBaselinesRelay() {
        SERVICES.forEach(name -> assertTrue(CpuAccount.isService(name), name));
        BROKER.forEach(name -> assertFalse(CpuAccount.isService(name), name));
        RELAY.forEach(name -> assertFalse(CpuAccount.isService(name), name));
    }

    @Test
    void shouldGiveEveryThreadTheRoleItWorksFor() {
        assertEquals(CpuAccount.Role.INDICATOR, CpuAccount.roleOf("kafka-producer-network-thread | tickflow-indicator-vm"));
        assertEquals(CpuAccount.Role.INDICATOR, CpuAccount.roleOf("indicator-lane-0"));
        assertEquals(CpuAccount.Role.DELIVERY, CpuAccount.roleOf("WebSocketWorker-40"));
        assertEquals(CpuAccount.Role.DELIVERY, CpuAccount.roleOf("delivery-ws-drain"));
        assertEquals(CpuAccount.Role.INGEST, CpuAccount.roleOf("ingest-http-3"));
        assertEquals(CpuAccount.Role.HARNESS, CpuAccount.roleOf("ws-client-2"));
        BROKER.forEach(name -> assertEquals(CpuAccount.Role.BROKER, CpuAccount.roleOf(name), name));
        RELAY.forEach(name -> assertEquals(CpuAccount.Role.BROKER, CpuAccount.roleOf(name), name));
    }

    @Test
    void shouldReadTheProcessesCpuTimeGrowingWithWork() {
        final CpuAccount.Reading before = CpuAccount.pipeline().read();
        long spin = 0;
        final long until = System.nanoTime() + 50_000_000L;
        while (System.nanoTime() < until) {
            spin++;
        }
        final CpuAccount.Reading after = CpuAccount.pipeline().read();
        assertTrue(spin > 0);
        assertTrue(after.processNanos() - before.processNanos() >= 20_000_000L,
                "50 ms of spinning must show as process CPU time");
        assertEquals(after.processNanos() - before.processNanos() - (after.excludedNanos() - before.excludedNanos()),
                after.pathNanosSince(before));
    }
}
