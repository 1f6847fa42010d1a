package io.tickflow.delivery;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** 500 concurrent real WebSocket clients, each on its own 5 of 50 stocks, all receive every update in order. */
class ManyClientsTest {
    @Test
    void shouldDeliverEveryUpdateToEveryClientWhen500AreConnected() throws Exception {
        final int clients = 500;
        final int stocks = 50;
        final int rounds = 10;
        try (DeliveryMain service = DeliveryMain.startWithoutFeed(DeliveryConfig.fromEnv(DeliveryFixture.env()))) {
            final List<WsClient> all = new ArrayList<>();
            try {
                for (int c = 0; c < clients; c++) {
                    final WsClient client = WsClient.connect(service.wsPort());
                    all.add(client);
                    final StringBuilder symbols = new StringBuilder();
                    for (int k = 0; k < 5; k++) {
                        symbols.append(k == 0 ? "" : ",").append("\"S").append((c + k * 10) % stocks).append('"');
                    }
                    client.send("{\"op\":\"subscribe\",\"symbols\":[" + symbols + "]}");
                }
                for (WsClient client : all) {
                    client.nextOfType("subscribed");
                }
                for (int seq = 1; seq <= rounds; seq++) {
                    for (int s = 0; s < stocks; s++) {
                        service.sink().accept(TestResults.result("S" + s, seq));
                    }
                }
                for (WsClient client : all) {
                    final int[] lastSeq = new int[stocks];
                    for (int i = 0; i < 5 * rounds; i++) {
                        final JsonNode m = client.nextOfType("update");
                        final int stock = Integer.parseInt(m.path("data").path("stock_id").asText().substring(1));
                        assertEquals(lastSeq[stock] + 1, m.path("data").path("seq").asInt());
                        lastSeq[stock]++;
                    }
                }
                assertEquals(clients, (long) service.metrics().connections.get());
            } finally {
                for (WsClient client : all) {
                    client.close();
                }
            }
        }
    }
}
