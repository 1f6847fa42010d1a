package io.tickflow.ingest;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.core.JsonToken;
import io.tickflow.model.InvalidTickException;
import io.tickflow.model.Json;
import io.tickflow.model.Tick;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Turns a {@code POST /ticks} body into ticks, collecting every bad tick rather than stopping at the first: a JSON
 * object (one tick), a JSON array (errors by 0-based {@code index}) or NDJSON (errors by 1-based {@code line}, blank
 * lines skipped). The body must be UTF-8. A syntax error inside an array ends the array's parsing (the rest cannot be
 * located reliably); in NDJSON it affects only its line. Stateless and thread-safe.
 */
final class TickBatchParser {
    private static final JsonFactory FACTORY = Json.MAPPER.getFactory();

    private TickBatchParser() {
    }

    /** One bad tick: where it is ({@code line} or {@code index}), the field ("" = the whole tick) and why. */
    record TickError(String position, int at, String field, String message) {
    }

    /** The ticks of a body, in order, and its errors. Ticks are meaningful only if there are no errors. */
    record Parsed(List<Tick> ticks, List<TickError> errors) {
    }

    /** The byte offset of the first byte that is not valid UTF-8, or -1 when the whole body is. */
    static int invalidUtf8Offset(final byte[] body) {
        int i = 0;
        while (i < body.length && body[i] >= 0) {
            i++; // ASCII fast path: the usual JSON body never leaves it
        }
        if (i == body.length) {
            return -1;
        }
        final CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder();
        final ByteBuffer in = ByteBuffer.wrap(body, i, body.length - i);
        final CharBuffer out = CharBuffer.allocate(4096);
        while (true) {
            final CoderResult result = decoder.decode(in, out, true);
            if (result.isError()) {
                return in.position();
            }
            if (result.isUnderflow()) {
                return decoder.flush(out).isError() ? in.position() : -1;
            }
            out.clear();
        }
    }

    /**
     * Parses an {@code application/json} body: one tick object or an array of them. {@code check} vets each tick
     * beyond the contract and throws {@link InvalidTickException} to refuse it (the error lists its position).
     */
    static Parsed parseJson(final byte[] body, final Consumer<Tick> check) {
        final List<Tick> ticks = new ArrayList<>();
        final List<TickError> errors = new ArrayList<>();
        try (JsonParser parser = FACTORY.createParser(body)) {
            final JsonToken first = parser.nextToken();
            if (first == JsonToken.START_ARRAY) {
                readArray(parser, check, ticks, errors);
            } else {
                readOne(parser, first, "index", 0, check, ticks, errors);
            }
        } catch (IOException e) {
            errors.add(new TickError("index", 0, "", "unreadable body: " + e.getMessage()));
        }
        return new Parsed(ticks, errors);
    }

    /** Parses an {@code application/x-ndjson} body: one tick object a line, each vetted by {@code check}. */
    static Parsed parseNdjson(final byte[] body, final Consumer<Tick> check) {
        final List<Tick> ticks = new ArrayList<>();
        final List<TickError> errors = new ArrayList<>();
        int line = 0;
        int start = 0;
        while (start < body.length) {
            line++;
            int end = start;
            while (end < body.length && body[end] != '\n') {
                end++;
            }
            final int next = end + 1;
            if (end > start && body[end - 1] == '\r') {
                end--;
            }
            if (!isBlank(body, start, end)) {
                try (JsonParser parser = FACTORY.createParser(body, start, end - start)) {
                    readOne(parser, parser.nextToken(), "line", line, check, ticks, errors);
                } catch (JsonProcessingException e) {
                    errors.add(new TickError("line", line, "", "malformed JSON: " + e.getOriginalMessage()));
                } catch (IOException e) {
                    errors.add(new TickError("line", line, "", "unreadable line: " + e.getMessage()));
                }
            }
            start = next;
        }
        return new Parsed(ticks, errors);
    }

    private static void readArray(final JsonParser parser, final Consumer<Tick> check, final List<Tick> ticks,
                                  final List<TickError> errors) throws IOException {
        final JsonStreamContext array = parser.getParsingContext();
        int index = 0;
        try {
            for (JsonToken t = parser.nextToken(); t != JsonToken.END_ARRAY; t = parser.nextToken(), index++) {
                if (t == null) {
                    errors.add(new TickError("index", index, "", "malformed JSON: the array is not closed"));
                    return;
                }
                try {
                    final Tick tick = Json.readTick(parser, t);
                    check.accept(tick);
                    ticks.add(tick);
                } catch (InvalidTickException e) {
                    errors.add(new TickError("index", index, e.field(), e.getMessage()));
                    while (parser.getParsingContext() != array) {
                        if (parser.nextToken() == null) { // skip the rest of the bad element
                            errors.add(new TickError("index", index, "", "malformed JSON: the array is not closed"));
                            return;
                        }
                    }
                }
            }
            if (parser.nextToken() != null) {
                errors.add(new TickError("index", index, "", "trailing content after the array"));
            }
        } catch (JsonProcessingException e) {
            errors.add(new TickError("index", index, "", "malformed JSON: " + e.getOriginalMessage()));
        }
    }

    private static void readOne(final JsonParser parser, final JsonToken first, final String position, final int at,
                                final Consumer<Tick> check, final List<Tick> ticks, final List<TickError> errors)
            throws IOException {
        try {
            final Tick tick = Json.readTick(parser, first);
            if (parser.nextToken() != null) {
                errors.add(new TickError(position, at, "", "trailing content after the tick object"));
            } else {
                check.accept(tick);
                ticks.add(tick);
            }
        } catch (InvalidTickException e) {
            errors.add(new TickError(position, at, e.field(), e.getMessage()));
        } catch (JsonProcessingException e) {
            errors.add(new TickError(position, at, "", "malformed JSON: " + e.getOriginalMessage()));
        }
    }

    private static boolean isBlank(final byte[] body, final int start, final int end) {
        for (int i = start; i < end; i++) {
            if (body[i] != ' ' && body[i] != '\t') {
                return false;
            }
        }
        return true;
    }
}
