package io.tickflow.model;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;

import java.io.IOException;

/**
 * The header of a result document, read without building the indicator map: the one reader of what
 * {@link ResultEncoder} writes that the services need. {@code ingestMicros} and {@code computedMicros} are epoch
 * microseconds (tick accepted; result computed), 0 when the document does not carry them.
 */
public record ResultHeader(String stockId, long seq, long ingestMicros, long computedMicros) {

    /**
     * Reads {@code stock_id}, {@code seq}, {@code ingest_us} and {@code computed_us}, checking that the document is
     * one JSON object with a non-empty {@code stock_id} and a {@code seq >= 1}; other fields are skipped. Throws
     * {@link IllegalArgumentException} naming the problem.
     */
    public static ResultHeader read(final byte[] json) {
        if (json == null) {
            throw new IllegalArgumentException("result is null (a tombstone?)");
        }
        try (JsonParser p = Json.HEADER_FACTORY.createParser(json)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new IllegalArgumentException("a result must be a JSON object");
            }
            String stockId = null;
            long seq = 0;
            long ingestMicros = 0;
            long computedMicros = 0;
            for (JsonToken t = p.nextToken(); t != JsonToken.END_OBJECT; t = p.nextToken()) {
                final String field = p.currentName();
                final JsonToken value = p.nextToken();
                switch (field) {
                    case "stock_id" -> stockId = value == JsonToken.VALUE_STRING ? p.getText() : null;
                    case "seq" -> seq = value == JsonToken.VALUE_NUMBER_INT ? p.getLongValue() : 0;
                    case "ingest_us" -> ingestMicros = value == JsonToken.VALUE_NUMBER_INT ? p.getLongValue() : 0;
                    case "computed_us" -> computedMicros = value == JsonToken.VALUE_NUMBER_INT ? p.getLongValue() : 0;
                    default -> p.skipChildren();
                }
            }
            if (p.nextToken() != null) {
                throw new IllegalArgumentException("trailing content after the result object");
            }
            if (stockId == null || stockId.isEmpty()) {
                throw new IllegalArgumentException("stock_id (a non-empty string) is required");
            }
            if (seq < 1) {
                throw new IllegalArgumentException("seq (an integer >= 1) is required");
            }
            return new ResultHeader(stockId, seq, ingestMicros, computedMicros);
        } catch (IOException e) {
            throw new IllegalArgumentException("malformed JSON: " + e.getMessage(), e);
        }
    }
}
