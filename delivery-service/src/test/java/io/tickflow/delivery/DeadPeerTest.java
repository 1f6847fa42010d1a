package io.tickflow.delivery;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** WebSocket ping/pong liveness: a peer that never answers pings is dropped; one that does stays connected. */
class DeadPeerTest {
    private DeliveryMain service;

    @AfterEach
    void tearDown() {
        if (service != null) {
            service.close();
        }
    }

    @Test
    void shouldCloseConnectionWhenPeerNeverAnswersPingsWhileLivePeerStays() throws Exception {
        service = DeliveryMain.startWithoutFeed(DeliveryConfig.fromEnv(DeliveryFixture.env(
                "WS_PING_TIMEOUT", "1s", "WS_HEARTBEAT_INTERVAL", "0")));
        try (RawSocketClient dead = new RawSocketClient(service.wsPort());
             WsClient live = WsClient.connect(service.wsPort())) {
            live.send("{\"op\":\"list\",\"id\":1}").nextOfType("subscribed");

            assertTrue(dead.awaitClosedByServer(Duration.ofSeconds(15)),
                    "a peer that never answers pings must be closed by the dead-peer timeout");

            // The live peer (the JDK client answers pings) outlived the dead peer's timeout and still talks.
            assertEquals(2, live.send("{\"op\":\"list\",\"id\":2}").nextOfType("subscribed").get("id").asInt());
        }
    }
}
