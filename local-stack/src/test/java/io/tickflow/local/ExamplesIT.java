package io.tickflow.local;

import com.fasterxml.jackson.databind.JsonNode;
import io.tickflow.model.Json;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static io.tickflow.local.IndicatorTestSupport.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 18 (5): the client examples in {@code examples/} run against a local stack, each as the subprocess a user
 * would start: the Python subscriber ({@code websockets}, Debian's python3-websockets) and the browser subscriber's
 * {@code subscriber.js} (run by Node.js with its WebSocket) both subscribe, then the kcat producer writes ticks
 * straight to {@code stock_data}; both subscribers must print every result, seq 1..N, and exit by themselves.
 * Needs kcat, /usr/bin/python3 with websockets, and node (.ci/prerequisites.sh installs them); a missing one fails the
 * test naming it.
 */
class ExamplesIT {
    private static final Path EXAMPLES = Path.of("..", "examples").toAbsolutePath().normalize();
    private static final Path PYTHON = Path.of(System.getProperty("tickflow.python", "/usr/bin/python3"));
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final String STOCK = "EX.KCAT";
    private static final int TICKS = 25;

    private static LocalStack stack;
    private final List<Process> processes = new ArrayList<>();

    @BeforeAll
    static void startStack() throws Exception {
        stack = LocalStack.start(LocalStackOptions.forTests(Map.of()));
    }

    @AfterAll
    static void stopStack() {
        if (stack != null) {
            stack.close();
        }
    }

    @Test
    void shouldDeliverTicksProducedWithKcatToThePythonAndJavaScriptSubscribers() throws Exception {
        final Path out = Files.createDirectories(Path.of("target", "examples-it"));
        final String ws = "ws://127.0.0.1:" + stack.deliveryWsPort() + "/";
        try {
            final Process python = start(out, "python", List.of(PYTHON.toString(),
                    EXAMPLES.resolve("python/subscribe.py").toString(), "--url", ws, "--count", "" + TICKS, STOCK));
            final Process node = start(out, "node", List.of("node", "--experimental-websocket",
                    EXAMPLES.resolve("browser/node-subscribe.mjs").toString(), ws, STOCK, "" + TICKS));
            await("both subscribers subscribed", WAIT,
                    () -> read(out, "python.err").contains("subscribed " + STOCK)
                            && read(out, "node.err").contains("subscribed " + STOCK));

            final ProcessBuilder kcat = new ProcessBuilder(EXAMPLES.resolve("kcat/produce-ticks.sh").toString(),
                    STOCK, "" + TICKS);
            kcat.environment().put("BOOTSTRAP", stack.bootstrapServers());
            final Process producer = start(out, "kcat", kcat);
            assertTrue(producer.waitFor(WAIT.toSeconds(), TimeUnit.SECONDS), "the kcat producer did not finish");
            assertEquals(0, producer.exitValue(), "kcat producer: " + read(out, "kcat.err"));

            assertTrue(python.waitFor(WAIT.toSeconds(), TimeUnit.SECONDS),
                    "the Python subscriber did not print " + TICKS + " results: " + read(out, "python.out")
                            + read(out, "python.err"));
            assertEquals(0, python.exitValue(), read(out, "python.err"));
            final List<String> pythonLines = read(out, "python.out").lines().toList();
            assertEquals(TICKS, pythonLines.size(), String.join("\n", pythonLines));
            for (int i = 0; i < TICKS; i++) {
                assertTrue(pythonLines.get(i).startsWith(STOCK + " seq=" + (i + 1) + " price="), pythonLines.get(i));
            }

            assertTrue(node.waitFor(WAIT.toSeconds(), TimeUnit.SECONDS),
                    "the JavaScript subscriber did not print " + TICKS + " results: " + read(out, "node.out")
                            + read(out, "node.err"));
            assertEquals(0, node.exitValue(), read(out, "node.err"));
            final List<String> nodeLines = read(out, "node.out").lines().toList();
            assertEquals(TICKS, nodeLines.size(), String.join("\n", nodeLines));
            for (int i = 0; i < TICKS; i++) {
                final JsonNode result = Json.MAPPER.readTree(nodeLines.get(i));
                assertEquals(STOCK, result.get("stock_id").asText());
                assertEquals(i + 1, result.get("seq").asLong());
                assertTrue(result.get("indicators").has("sma_20"), nodeLines.get(i));
            }
        } finally {
            processes.forEach(Process::destroyForcibly);
        }
    }

    private Process start(final Path out, final String name, final List<String> command) throws IOException {
        return start(out, name, new ProcessBuilder(command));
    }

    private Process start(final Path out, final String name, final ProcessBuilder builder) throws IOException {
        final String program = builder.command().get(0);
        if (!program.contains(File.separator) && !onPath(program)) {
            throw new AssertionError(name + " example: '" + program + "' is not installed (./test installs it)");
        }
        if (name.equals("kcat") && !onPath("kcat")) {
            throw new AssertionError("kcat example: kcat is not installed (Debian: apt-get install kcat; ./test does)");
        }
        builder.redirectOutput(out.resolve(name + ".out").toFile()).redirectError(out.resolve(name + ".err").toFile());
        final Process p;
        try {
            p = builder.start();
        } catch (IOException e) {
            throw new AssertionError(name + " example: cannot run " + builder.command() + ": " + e.getMessage()
                    + (name.equals("python") ? " (needs Debian's python3 with python3-websockets)" : ""), e);
        }
        processes.add(p);
        return p;
    }

    private static boolean onPath(final String program) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            if (Files.isExecutable(Path.of(dir, program))) {
                return true;
            }
        }
        return false;
    }

    private static String read(final Path out, final String file) {
        try {
            final Path p = out.resolve(file);
            return Files.exists(p) ? Files.readString(p, StandardCharsets.UTF_8) : "";
        } catch (IOException e) {
            return "(unreadable: " + e + ")";
        }
    }
}
