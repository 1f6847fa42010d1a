package io.tickflow.runtime;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.core.joran.spi.JoranException;
import ch.qos.logback.core.status.Status;
import com.fasterxml.jackson.databind.JsonNode;
import io.tickflow.model.Json;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The services' logback.xml, as every service jar ships it: text by default, one JSON object per line on request. */
class LoggingConfigTest {
    private final LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
    private final PrintStream stdout = System.out;

    @AfterEach
    void restore() throws JoranException {
        System.setOut(stdout);
        configure(null);
    }

    @Test
    void shouldWriteKeyValueTextWithoutStatusNoiseWhenFormatIsDefault() throws Exception {
        final List<String> lines = logWith(null);

        assertEquals(1, lines.size(), lines.toString());
        assertTrue(lines.get(0).matches(
                "\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z INFO  \\[log-test\\] LoggingConfigTest - "
                        + "started port=8081 value=\"ü…\""), lines.get(0));
        assertNoWarnings();
    }

    @Test
    void shouldWriteOneJsonObjectPerLineWhenFormatIsJson() throws Exception {
        final List<String> lines = logWith("json");

        assertEquals(1, lines.size(), lines.toString());
        final JsonNode event = Json.MAPPER.readTree(lines.get(0));
        assertEquals("INFO", event.get("level").asText());
        assertEquals("log-test", event.get("thread_name").asText());
        assertEquals(LoggingConfigTest.class.getName(), event.get("logger_name").asText());
        assertEquals("started port=8081 value=\"ü…\"", event.get("message").asText());
        assertTrue(event.has("@timestamp"));
        assertNoWarnings();
    }

    private List<String> logWith(final String format) throws Exception {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        configure(format);
        final Thread thread = new Thread(() -> {
            final Logger log = LoggerFactory.getLogger(LoggingConfigTest.class);
            log.info("started port={} value=\"{}\"", 8081, "ü…");
            log.debug("per-tick detail stays below INFO");
            LoggerFactory.getLogger("org.apache.kafka.clients.NetworkClient").info("client chatter stays hidden");
        }, "log-test");
        thread.start();
        thread.join();
        System.out.flush();
        return out.toString(StandardCharsets.UTF_8).lines().toList();
    }

    private void configure(final String format) throws JoranException {
        context.reset();
        context.getStatusManager().clear();
        if (format != null) {
            context.putProperty("LOG_FORMAT", format);
        }
        final JoranConfigurator configurator = new JoranConfigurator();
        configurator.setContext(context);
        configurator.doConfigure(LoggingConfigTest.class.getResource("/logback.xml"));
    }

    private void assertNoWarnings() {
        for (Status status : context.getStatusManager().getCopyOfStatusList()) {
            assertTrue(status.getLevel() < Status.WARN, status.toString());
        }
    }
}
