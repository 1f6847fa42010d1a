package io.tickflow.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import io.tickflow.model.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.io.File;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static io.tickflow.local.IndicatorTestSupport.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 18 (5): the client examples in {@code examples/} run against a local stack, each as the subprocess a user
 * would start: the Python subscriber ({@code websockets}, Debian's python3-websockets) and the browser subscriber's
 * {@code subscriber.js} (run by Node.js with its WebSocket) both subscribe, then the kcat producer writes ticks
 * straight to {@code stock_data}; both subscribers must print every result, seq 1..N, and exit by themselves. The
 * browser page itself runs in headless Chromium.
 * Needs kcat, /usr/bin/python3 with websockets, and node (.ci/prerequisites.sh installs them); a missing one fails the
 * test naming it.
 */
class ExamplesIT {
    private static final Path EXAMPLES = Path.of("..", "examples").toAbsolutePath().normalize();
    private static final Path PYTHON = Path.of(System.getProperty("tickflow.python", "/usr/bin/python3"));
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final String STOCK = "EX.KCAT";
    private static final int TICKS = 25;

    @RegisterExtension
    static final LocalStackExtension STACK = new LocalStackExtension();
    private final List<Process> processes = new ArrayList<>();

    @Test
    void shouldDeliverTicksProducedWithKcatToThePythonAndJavaScriptSubscribers() throws Exception {
        final Path out = Files.createDirectories(Path.of("target", "examples-it"));
        final String ws = "ws://127.0.0.1:" + STACK.deliveryWsPort() + "/";
        try {
            final Process python = start(out, "python", List.of(PYTHON.toString(),
                    EXAMPLES.resolve("python/subscribe.py").toString(), "--url", ws, "--count", "" + TICKS, STOCK));
            final Process node = start(out, "node", List.of("node", "--experimental-websocket",
                    EXAMPLES.resolve("browser/node-subscribe.mjs").toString(), ws, STOCK, "" + TICKS));
            await("both subscribers subscribed", WAIT,
                    () -> read(out, "python.err").contains("subscribed " + STOCK)
                            && read(out, "node.err").contains("subscribed " + STOCK));

            produceWithKcat(out, STOCK);

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

    /**
     * The browser example itself, index.html + subscriber.js served over HTTP (module scripts do not load from
     * file://), in Debian's headless Chromium: its table shows the stock's last result once kcat has produced them.
     */
    @Test
    void shouldShowTicksProducedWithKcatInTheBrowserExample() throws Exception {
        final Path out = Files.createDirectories(Path.of("target", "examples-it"));
        final Path chromium = Path.of(System.getProperty("tickflow.chromium", "/usr/bin/chromium"));
        final Path chromedriver = Path.of(System.getProperty("tickflow.chromedriver", "/usr/bin/chromedriver"));
        if ("skip".equals(System.getProperty("tickflow.browser")) && System.getenv("CI") == null) {
            org.junit.jupiter.api.Assumptions.abort("skipped on purpose (-Dtickflow.browser=skip)");
        }
        assertTrue(Files.isExecutable(chromium) && Files.isExecutable(chromedriver),
                "the browser example needs " + chromium + " and " + chromedriver + " (./test installs them)");
        final String stock = "EX.WEB";
        final HttpServer files = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        files.createContext("/", exchange -> {
            final Path file = EXAMPLES.resolve("browser").resolve(exchange.getRequestURI().getPath().substring(1))
                    .normalize();
            final boolean ok = file.startsWith(EXAMPLES.resolve("browser")) && Files.isRegularFile(file);
            final byte[] body = ok ? Files.readAllBytes(file) : new byte[0];
            exchange.getResponseHeaders().set("Content-Type",
                    file.toString().endsWith(".js") ? "text/javascript" : "text/html; charset=utf-8");
            exchange.sendResponseHeaders(ok ? 200 : 404, ok ? body.length : -1);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        files.start();
        final Path profile = Files.createTempDirectory("tickflow-example-chromium-");
        final ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(chromedriver.toFile()).usingAnyFreePort().build();
        final ChromeOptions options = new ChromeOptions();
        options.setBinary(chromium.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-dev-shm-usage",
                "--user-data-dir=" + profile);
        java.util.logging.Logger.getLogger("org.openqa.selenium").setLevel(java.util.logging.Level.SEVERE);
        final WebDriver browser = new ChromeDriver(service, options);
        try {
            browser.get("http://127.0.0.1:" + files.getAddress().getPort() + "/index.html?ws=ws://127.0.0.1:"
                    + STACK.deliveryWsPort() + "/&symbols=" + stock);
            final WebDriverWait wait = new WebDriverWait(browser, WAIT);
            wait.until(d -> d.findElement(By.id("status")).getText().equals("subscribed " + stock));
            produceWithKcat(out, stock);
            wait.until(d -> d.findElements(By.cssSelector("#rows tr")).size() == 1
                    && d.findElement(By.cssSelector("#rows tr td:nth-child(2)")).getText().equals("" + TICKS));
            assertEquals(stock, browser.findElement(By.cssSelector("#rows tr td:nth-child(1)")).getText());
            assertTrue(browser.findElement(By.cssSelector("#rows tr td:nth-child(4)")).getText().contains("\"sma_20\":"));
        } finally {
            browser.quit();
            service.stop();
            files.stop(0);
            try (var paths = Files.walk(profile)) {
                paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    private void produceWithKcat(final Path out, final String stock) throws Exception {
        final ProcessBuilder kcat = new ProcessBuilder(EXAMPLES.resolve("kcat/produce-ticks.sh").toString(),
                stock, "" + TICKS);
        kcat.environment().put("BOOTSTRAP", STACK.bootstrapServers());
        final Process producer = start(out, "kcat", kcat);
        assertTrue(producer.waitFor(WAIT.toSeconds(), TimeUnit.SECONDS), "the kcat producer did not finish");
        assertEquals(0, producer.exitValue(), "kcat producer: " + read(out, "kcat.err"));
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
