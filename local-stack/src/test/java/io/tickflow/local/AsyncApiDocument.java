package io.tickflow.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The message schemas of {@code docs/asyncapi.yaml}, the one source of the wire contracts, as JSON Schema validators
 * (draft-07, the base of AsyncAPI's default schema format). A message's schema is the document itself with a root
 * {@code $ref} to the message's payload, so the payload's {@code #/components/schemas/...} references resolve as in
 * the document.
 */
final class AsyncApiDocument {
    static final Path FILE = Path.of("..", "docs", "asyncapi.yaml");

    private final JsonNode root;
    private final SchemaRegistry registry = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_7);
    private final Map<String, Schema> schemas = new ConcurrentHashMap<>();

    private AsyncApiDocument(final JsonNode root) {
        this.root = root;
    }

    static AsyncApiDocument load() {
        try {
            return new AsyncApiDocument(new ObjectMapper(new YAMLFactory()).readTree(Files.readAllBytes(FILE)));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + FILE.toAbsolutePath(), e);
        }
    }

    /** Names of {@code components.messages}. */
    List<String> messageNames() {
        final List<String> names = new ArrayList<>();
        root.path("components").path("messages").fieldNames().forEachRemaining(names::add);
        return names;
    }

    JsonNode message(final String name) {
        final JsonNode message = root.path("components").path("messages").path(name);
        if (message.isMissingNode()) {
            throw new AssertionError("docs/asyncapi.yaml has no components.messages." + name);
        }
        return message;
    }

    /** The problems of {@code value} as the payload of message {@code name}; empty when it is valid. */
    List<String> problems(final String name, final JsonNode value) {
        message(name);
        return problemsAt("/components/messages/" + name + "/payload", value);
    }

    /** The problems of {@code value} as the headers of message {@code name} (Kafka record headers as an object). */
    List<String> headerProblems(final String name, final JsonNode headers) {
        if (message(name).path("headers").isMissingNode()) {
            throw new AssertionError("docs/asyncapi.yaml: message " + name + " declares no headers");
        }
        return problemsAt("/components/messages/" + name + "/headers", headers);
    }

    private List<String> problemsAt(final String pointer, final JsonNode value) {
        return schemas.computeIfAbsent(pointer, this::schema).validate(value).stream().map(Error::toString).toList();
    }

    private Schema schema(final String pointer) {
        final ObjectNode wrapper = root.deepCopy();
        wrapper.put("$schema", "http://json-schema.org/draft-07/schema#");
        wrapper.put("$ref", "#" + pointer);
        return registry.getSchema(SchemaLocation.of("https://tickflow.io/asyncapi" + pointer), wrapper);
    }
}
