package io.tickflow.local;

import com.fasterxml.jackson.databind.JsonNode;
import io.tickflow.model.Json;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptException;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.FluentWait;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.logging.Level;
import java.util.logging.Logger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The dashboard in a real browser: Debian's chromium and chromedriver, headless, against a local stack with a small
 * simulated feed. Picks a stock, watches its chart and table row move, and checks that the values the page shows
 * equal {@code /api/indicators/{id}} for the same seq. Saves a screenshot to {@code target/dashboard.png}, and with
 * {@code -Dtickflow.docs.screenshot=true} to {@code docs/dashboard.png} (the README's picture).
 *
 * <p>Browser: {@code -Dtickflow.chromium} / {@code -Dtickflow.chromedriver} (default {@code /usr/bin/chromium},
 * {@code /usr/bin/chromedriver}), never downloaded ({@code ./test} installs Debian's packages). Missing, the test
 * fails; only outside CI ({@code CI} unset) can {@code -Dtickflow.browser=skip} skip it on purpose.
 */
class DashboardBrowserIT {
    private static final Path CHROMIUM = Path.of(System.getProperty("tickflow.chromium", "/usr/bin/chromium"));
    private static final Path CHROMEDRIVER =
            Path.of(System.getProperty("tickflow.chromedriver", "/usr/bin/chromedriver"));
    private static final int STOCKS = 6;
    private static final int TICKS_PER_SECOND = 120;
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final int BARS = 250;

    /** Selenium warns that it has no DevTools bindings for this chromium: this test speaks WebDriver only. */
    private static final List<Logger> QUIET = List.of(Logger.getLogger("org.openqa.selenium.devtools"),
            Logger.getLogger("org.openqa.selenium.chromium"));

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static LocalStack stack;
    private static Path profile;
    private static ChromeDriverService service;
    private static WebDriver browser;

    @BeforeAll
    static void startStackAndBrowser() throws IOException {
        requireBrowser();
        QUIET.forEach(logger -> logger.setLevel(Level.SEVERE));
        stack = LocalStack.start(LocalStackOptions.forTests(Map.of()).withSimulator(STOCKS, TICKS_PER_SECOND));
        profile = Files.createTempDirectory("tickflow-chromium-");
        service = new ChromeDriverService.Builder()
                .usingDriverExecutable(CHROMEDRIVER.toFile())
                .usingAnyFreePort()
                .build();
        final ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-dev-shm-usage",
                "--window-size=1440,900", "--user-data-dir=" + profile);
        browser = new ChromeDriver(service, options);
    }

    @AfterAll
    static void stopBrowserAndStack() throws IOException {
        if (browser != null) {
            browser.quit();
        }
        if (service != null) {
            service.stop();
        }
        if (stack != null) {
            stack.close();
        }
        if (profile != null) {
            deleteTree(profile);
        }
    }

    @Test
    void shouldShowLiveValuesEqualToTheRestApiWhenAStockIsPicked() throws Exception {
        final String base = "http://127.0.0.1:" + stack.deliveryHttpPort();
        final List<String> stocks = waitFor("results for every simulated stock", () -> {
            final List<String> ids = new ArrayList<>();
            getJson(base + "/api/stocks").forEach(id -> ids.add(id.asText()));
            return ids.size() >= STOCKS ? ids : null;
        });
        final String stock = stocks.stream().sorted().reduce((a, b) -> b).orElseThrow(); // not watched by default

        browser.get(base + "/");
        final WebDriverWait wait = new WebDriverWait(browser, WAIT);
        wait.ignoring(JavascriptException.class); // until the page's module has defined window.tickflow
        wait.until(d -> List.of("live", "conflated").contains(js("return tickflow.status()")));

        // Pick it the way a user does: search, then click it in the list.
        browser.findElement(By.id("stock-search")).sendKeys(stock);
        clickStock(wait, stock);
        wait.until(d -> stock.equals(js("return tickflow.selected()")));
        wait.until(ExpectedConditions.textToBe(By.id("selected-symbol"), stock));

        // The chart has points and keeps growing.
        wait.until(d -> number("return tickflow.chartPoints()") > 0);
        final long firstSeq = number("return tickflow.chartLastSeq()");
        wait.until(d -> number("return tickflow.chartLastSeq()") > firstSeq);

        // The table row updates.
        final By rowSeq = By.cssSelector("#watchlist tr[data-stock='" + stock + "'] [data-field='seq']");
        final String seqShown = wait.until(ExpectedConditions.visibilityOfElementLocated(rowSeq)).getText();
        wait.until(d -> !d.findElement(rowSeq).getText().equals(seqShown));
        wait.until(d -> !d.findElements(By.cssSelector(
                "#watchlist tr[data-stock='" + stock + "'] td[class*='flash-']")).isEmpty());

        // The page follows the REST API's latest result live...
        final long restSeq = getJson(base + "/api/indicators/" + encode(stock)).get("seq").asLong();
        wait.until(d -> number("return Number(document.getElementById('last-seq').dataset.value)") >= restSeq);

        // ...and what it shows equals the API's result for the seq it shows (one read: no frame in between).
        @SuppressWarnings("unchecked")
        final Map<String, Object> shown = (Map<String, Object>) js(SHOWN, stock);
        final long seq = Long.parseLong((String) shown.get("seq"));
        assertEquals(String.valueOf(seq), shown.get("rowSeq"), "summary and table show the same result");
        final JsonNode expected = resultAt(base, stock, seq);
        assertEquals(expected.get("price").asDouble(), Double.parseDouble((String) shown.get("price")), "price");
        assertEquals(expected.get("price").asDouble(), Double.parseDouble((String) shown.get("rowPrice")), "row price");
        @SuppressWarnings("unchecked")
        final Map<String, Object> fields = (Map<String, Object>) shown.get("fields");
        final Map<String, JsonNode> indicators = flatten(expected.get("indicators"));
        assertFalse(indicators.isEmpty(), "the result has indicators");
        assertEquals(indicators.keySet(), fields.keySet(), "a table column for every indicator value");
        indicators.forEach((key, value) -> assertEquals(
                value.isNull() ? null : value.asDouble(),
                fields.get(key) == null ? null : Double.valueOf((String) fields.get(key)),
                key + " at seq " + seq));

        // A dropped connection comes back through resume and backfill: no hole in the chart.
        final long connections = number("return tickflow.connections()");
        final long seqAtDrop = number("return tickflow.chartLastSeq()");
        js("tickflow.dropConnection()");
        wait.until(d -> number("return tickflow.connections()") > connections);
        wait.until(d -> number("return tickflow.chartLastSeq()") > seqAtDrop + 20);
        assertEquals(Boolean.FALSE, js("return tickflow.holes(arguments[0])", stock), "hole after reconnecting");

        browser.findElement(By.id("stock-search")).sendKeys(Keys.ESCAPE); // the whole list on the screenshot
        wait.until(d -> d.findElements(By.cssSelector("#stock-list button[data-stock]")).size() >= STOCKS);
        js("document.activeElement.blur()");
        saveScreenshot(wait);

        final List<String> pageErrors = browser.manage().logs().get(LogType.BROWSER).getAll().stream()
                .filter(entry -> entry.getLevel().intValue() >= Level.SEVERE.intValue())
                .map(LogEntry::toString).toList();
        assertEquals(List.of(), pageErrors, "errors in the browser console");
    }

    /**
     * The candle view: bars written straight to {@code indicator_bars} (the indicator side is built elsewhere) are
     * back-filled and followed live; the forming candle moves, then closes when its final record arrives.
     */
    @Test
    void shouldAskForTheTokenAndGoLiveWithItWhenAuthIsOn() throws Exception {
        try (LocalStack secured = LocalStack.start(LocalStackOptions.forTests(Map.of("WS_AUTH_TOKENS", "desk-token"))
                .withSimulator(3, 30))) {
            final String base = "http://127.0.0.1:" + secured.deliveryHttpPort();
            browser.get(base + "/");
            final WebDriverWait wait = new WebDriverWait(browser, WAIT);
            wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("auth-token"))).sendKeys("desk-token");
            browser.findElement(By.cssSelector("#auth button[type=submit]")).click();
            wait.ignoring(JavascriptException.class);
            wait.until(d -> "live".equals(js("return tickflow.status()")));
            wait.until(d -> ((Number) js("return tickflow.chartPoints()")).intValue() > 0);
            js("sessionStorage.clear()");
        }
    }

    @Test
    void shouldDrawAFormingCandleAndCloseItWhenBarsArrive() throws Exception {
        final String base = "http://127.0.0.1:" + stack.deliveryHttpPort();
        // a stock of its own: the simulated ones get real bars from the indicator service, which would interleave
        final String stock = "CANDLE.T";
        final java.time.Instant t0 = java.time.Instant.parse("2024-06-02T12:00:00Z");
        try (KafkaProducer<String, byte[]> producer = barProducer()) {
            producer.send(new ProducerRecord<>("indicator_results", stock, ("{\"stock_id\":\"" + stock
                    + "\",\"seq\":1,\"timestamp\":\"2024-06-02T12:00:00Z\",\"price\":100,\"volume\":1,"
                    + "\"indicators\":{}}").getBytes(java.nio.charset.StandardCharsets.UTF_8))); // lists it
            waitFor("the candle stock in the list", () -> getJson(base + "/api/stocks").toString().contains(stock)
                    ? Boolean.TRUE : null);
            for (int m = 0; m < BARS; m++) { // more than the page's WebSocket snapshot (200): REST back-fills the rest
                producer.send(new ProducerRecord<>("indicator_bars", stock, TestBarRecords.bar(stock, t0, m, m + 1,
                        true, 10 + m % 5)));
            }
            producer.flush();
            waitFor("bars in delivery", () -> getJson(base + "/api/bars/" + encode(stock) + "?interval=1m").size() == BARS
                    ? Boolean.TRUE : null);

            browser.get(base + "/?view=candles");
            final WebDriverWait wait = new WebDriverWait(browser, WAIT);
            wait.ignoring(JavascriptException.class);
            wait.until(d -> List.of("live", "conflated").contains(js("return tickflow.status()")));
            assertEquals("candles", js("return tickflow.view()"));
            browser.findElement(By.id("stock-search")).sendKeys(stock);
            clickStock(wait, stock);
            wait.until(d -> number("return tickflow.candles() ? tickflow.candles().finals : -1") == BARS);
            assertFalse(browser.findElements(By.cssSelector("#candles-chart canvas")).isEmpty(), "ECharts drew");

            // a forming candle appears and moves
            for (int trades = 1; trades <= 3; trades++) {
                producer.send(new ProducerRecord<>("indicator_bars", stock,
                        TestBarRecords.bar(stock, t0, BARS, 0, false, trades)));
                producer.flush();
                final int expected = trades;
                wait.until(d -> number("const c = tickflow.candles(); return c && c.forming ? c.forming.trades : -1")
                        == expected);
            }
            assertEquals(t0.plusSeconds(60L * BARS).toString(), js("return tickflow.candles().forming.start"));

            // it closes: the final record replaces it
            producer.send(new ProducerRecord<>("indicator_bars", stock,
                    TestBarRecords.bar(stock, t0, BARS, BARS + 1, true, 4)));
            producer.flush();
            wait.until(d -> number("const c = tickflow.candles(); return c && c.lastFinal ? c.lastFinal.seq : -1")
                    == BARS + 1);
            wait.until(d -> Boolean.TRUE.equals(js("return tickflow.candles().forming === null")));
            assertEquals(BARS + 1, number("return tickflow.candles().finals"));

            // the interval switcher: 5m has no bars (nothing drawn, no error), back to 1m redraws them all
            new org.openqa.selenium.support.ui.Select(browser.findElement(By.id("bar-interval"))).selectByValue("5m");
            wait.until(d -> "5m".equals(js("return tickflow.candles().interval")));
            wait.until(d -> number("return tickflow.candles().finals") == 0);
            new org.openqa.selenium.support.ui.Select(browser.findElement(By.id("bar-interval"))).selectByValue("1m");
            wait.until(d -> number("return tickflow.candles().finals") == BARS + 1);

            final byte[] png = ((ChromeDriver) browser).getScreenshotAs(OutputType.BYTES);
            final Path target = Path.of("target", "dashboard-candles.png");
            Files.createDirectories(target.getParent());
            Files.write(target, png);
            final List<String> pageErrors = browser.manage().logs().get(LogType.BROWSER).getAll().stream()
                    .filter(entry -> entry.getLevel().intValue() >= Level.SEVERE.intValue())
                    .map(LogEntry::toString).toList();
            assertEquals(List.of(), pageErrors, "errors in the browser console");
        }
    }

    private static KafkaProducer<String, byte[]> barProducer() {
        final java.util.Properties props = new java.util.Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers());
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        return new KafkaProducer<>(props);
    }

    /** Everything the comparison needs, read in one script so no render can land between two reads. */
    private static final String SHOWN = String.join("\n",
            "const id = arguments[0];",
            "const row = document.querySelector(`#watchlist tr[data-stock=\"${CSS.escape(id)}\"]`);",
            "const fields = {};",
            "for (const cell of row.querySelectorAll('td[data-field]')) {",
            "  if (!['price','change','seq','volume','time'].includes(cell.dataset.field))",
            "    fields[cell.dataset.field] = cell.dataset.value === '' ? null : cell.dataset.value;",
            "}",
            "return {seq: document.getElementById('last-seq').dataset.value,",
            "        price: document.getElementById('last-price').dataset.value,",
            "        rowSeq: row.querySelector('[data-field=seq]').dataset.value,",
            "        rowPrice: row.querySelector('[data-field=price]').dataset.value,",
            "        fields};");

    private static JsonNode resultAt(final String base, final String stock, final long seq) throws Exception {
        for (JsonNode r : getJson(base + "/api/indicators/" + encode(stock) + "/history")) {
            if (r.get("seq").asLong() == seq) {
                return r;
            }
        }
        return fail("seq " + seq + " of " + stock + " is not in /api/indicators/" + stock + "/history");
    }

    /** {"sma_20": 1.0, "macd_12_26_9": {"macd": …}} → {"sma_20": 1.0, "macd_12_26_9.macd": …}, as the page keys it. */
    private static Map<String, JsonNode> flatten(final JsonNode indicators) {
        final Map<String, JsonNode> flat = new TreeMap<>();
        for (Map.Entry<String, JsonNode> e : indicators.properties()) {
            if (e.getValue().isObject()) {
                e.getValue().properties().forEach(f -> flat.put(e.getKey() + "." + f.getKey(), f.getValue()));
            } else {
                flat.put(e.getKey(), e.getValue());
            }
        }
        return flat;
    }

    /** A screenshot once the chart shows a good stretch of history, for target/ and the README. */
    private static void saveScreenshot(final WebDriverWait wait) throws IOException {
        wait.until(d -> number("return tickflow.chartPoints()") >= 150);
        final byte[] png = ((ChromeDriver) browser).getScreenshotAs(OutputType.BYTES);
        final Path target = Path.of("target", "dashboard.png");
        Files.createDirectories(target.getParent());
        Files.write(target, png);
        final Path docs = Path.of("..", "docs");
        if (Boolean.getBoolean("tickflow.docs.screenshot") && Files.exists(Path.of("..", "pom.xml"))) {
            Files.createDirectories(docs);
            Files.copy(target, docs.resolve("dashboard.png"), StandardCopyOption.REPLACE_EXISTING);
        }
        assertTrue(png.length > 10_000, "screenshot has content");
    }

    private static void requireBrowser() {
        if ("skip".equals(System.getProperty("tickflow.browser"))) {
            if (System.getenv("CI") != null) {
                fail("-Dtickflow.browser=skip is not allowed in CI: the dashboard must be tested there");
            }
            Assumptions.abort("skipped on purpose (-Dtickflow.browser=skip, TICKFLOW_SKIP_BROWSER=1)");
        }
        if (Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER)) {
            return;
        }
        final String missing = "the dashboard browser test needs " + CHROMIUM + " and " + CHROMEDRIVER
                + " (Debian: apt-get install -y chromium chromium-driver)";
        fail(missing + "; or skip it on purpose: TICKFLOW_SKIP_BROWSER=1 ./test");
    }

    /** Clicks the stock in the list; the list re-renders as stocks arrive, so a button found may go stale: retry. */
    private static void clickStock(final WebDriverWait wait, final String stock) {
        wait.until(d -> {
            try {
                d.findElement(By.cssSelector("#stock-list button[data-stock='" + stock + "']")).click();
                return true;
            } catch (org.openqa.selenium.StaleElementReferenceException
                     | org.openqa.selenium.NoSuchElementException
                     | org.openqa.selenium.ElementNotInteractableException e) {
                return false;
            }
        });
    }

    private static Object js(final String script, final Object... args) {
        return ((JavascriptExecutor) browser).executeScript(script, args);
    }

    private static long number(final String script) {
        final Object value = js(script);
        return value instanceof Number n ? n.longValue() : -1;
    }

    private static JsonNode getJson(final String url) throws IOException, InterruptedException {
        final HttpResponse<byte[]> response = HTTP.send(HttpRequest.newBuilder(URI.create(url))
                .timeout(Duration.ofSeconds(10)).GET().build(), HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(200, response.statusCode(), () -> url + " → " + new String(response.body(), StandardCharsets.UTF_8));
        final JsonNode body = Json.MAPPER.readTree(response.body());
        assertNotNull(body, url);
        return body;
    }

    private interface Probe<T> {
        T get() throws Exception;
    }

    /** Polls until {@code probe} returns non-null (a condition wait, with Selenium's FluentWait). */
    private static <T> T waitFor(final String what, final Probe<T> probe) {
        return new FluentWait<>(what).withTimeout(WAIT).pollingEvery(Duration.ofMillis(200))
                .withMessage(() -> "waiting for " + what)
                .until(w -> {
                    try {
                        return probe.get();
                    } catch (Exception | AssertionError e) {
                        return null;
                    }
                });
    }

    private static String encode(final String stock) {
        return URLEncoder.encode(stock, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private static void deleteTree(final Path root) throws IOException {
        try (var paths = Files.walk(root)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
