package io.tickflow.local;

import com.fasterxml.jackson.databind.JsonNode;
import io.tickflow.model.Json;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** docs/asyncapi.yaml's own examples validate against their schemas, and the schemas do reject what they must. */
class AsyncApiDocumentTest {
    private static final AsyncApiDocument API = AsyncApiDocument.load();

    @Test
    void shouldValidateEveryExampleAgainstItsMessagesPayloadSchema() {
        int checked = 0;
        for (String name : API.messageNames()) {
            final JsonNode message = API.message(name);
            if (!message.path("payload").path("format").asText().equals("binary")) {
                for (JsonNode example : message.path("examples")) {
                    assertEquals(java.util.List.of(), API.problems(name, example.get("payload")),
                            name + " example " + example);
                    checked++;
                }
            }
        }
        assertTrue(checked >= 20, "examples checked: " + checked);
    }

    @Test
    void shouldRejectFramesThatBreakTheContract() throws Exception {
        assertFalse(API.problems("update", json("{\"type\":\"update\"}")).isEmpty(), "update without data");
        assertFalse(API.problems("heartbeat", json("{\"type\":\"heartbeat\",\"ts\":\"soon\"}")).isEmpty());
        assertFalse(API.problems("error", json("{\"type\":\"error\",\"code\":418,\"message\":\"x\"}")).isEmpty());
        assertFalse(API.problems("snapshot", json("{\"type\":\"snapshot\",\"data\":{\"stock_id\":\"A B\",\"seq\":1,"
                + "\"timestamp\":\"2024-06-02T12:34:56Z\",\"price\":1,\"volume\":1,\"indicators\":{}}}")).isEmpty(),
                "a stock id with a space");
        assertFalse(API.problems("tick", json("{\"stock_id\":\"AAPL\",\"timestamp\":\"2024-06-02T12:34:56Z\","
                + "\"price\":0,\"volume\":1}")).isEmpty(), "price 0");
        assertFalse(API.problems("subscribe", json("{\"op\":\"subscribe\",\"symbols\":[]}")).isEmpty());
        assertTrue(API.problems("update", json("{\"type\":\"update\",\"future\":1,\"data\":{\"stock_id\":\"A\","
                + "\"seq\":1,\"timestamp\":\"2024-06-02T12:34:56Z\",\"price\":1,\"volume\":0,\"indicators\":"
                + "{\"sma_20\":null},\"later\":true}}")).isEmpty(), "unknown fields are allowed");
    }

    private static JsonNode json(final String text) throws Exception {
        return Json.MAPPER.readTree(text);
    }
}
