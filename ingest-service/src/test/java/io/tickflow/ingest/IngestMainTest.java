package io.tickflow.ingest;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class IngestMainTest {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(final String... args) {
        return IngestMain.run(List.of(args), Map.of(), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    private String out() {
        return out.toString(StandardCharsets.UTF_8);
    }

    private String err() {
        return err.toString(StandardCharsets.UTF_8);
    }

    @Test
    void shouldListEveryOptionWithDefaultWhenSimulateHelp() {
        assertEquals(0, run("simulate", "--help"));
        for (String option : List.of("--stocks", "(default: 200)", "--rate", "(default: 20000)", "--seed",
                "(default: 42)", "--count", "--duration", "--start", "--help")) {
            assertTrue(out().contains(option), option + " missing from:\n" + out());
        }
    }

    @Test
    void shouldListEveryOptionWhenReplayHelp() {
        assertEquals(0, run("replay", "--help"));
        for (String option : List.of("--speed", "--rate", "--symbol", "--zone", "(default: UTC)", "AAPL_1m_2019.csv")) {
            assertTrue(out().contains(option), option + " missing from:\n" + out());
        }
    }

    @Test
    void shouldListEnvironmentWithDefaultsWhenServeHelpOrBareHelp() {
        assertEquals(0, run("--help"));
        for (String key : List.of("HTTP_PORT", "(default: 8081)", "INGEST_MAX_BODY_BYTES", "INGEST_PUBLISH_TIMEOUT",
                "INGEST_AUTH_TOKENS", "KAFKA_BOOTSTRAP_SERVERS", "TICKS_TOPIC")) {
            assertTrue(out().contains(key), key + " missing from:\n" + out());
        }
    }

    @Test
    void shouldFailWithMessageWhenOptionUnknown() {
        assertEquals(2, run("simulate", "--stock", "5"));
        assertTrue(err().contains("unknown option --stock"), err());
    }

    @Test
    void shouldFailWithMessageWhenCommandUnknown() {
        assertEquals(2, run("simulat"));
        assertTrue(err().contains("unknown command simulat"), err());
    }

    @Test
    void shouldFailNamingOptionWhenValueBad() {
        assertEquals(2, run("simulate", "--rate", "fast"));
        assertTrue(err().contains("--rate fast: not a number"), err());
        assertEquals(2, run("simulate", "--stocks=0"));
        assertTrue(err().contains("--stocks 0: must be between 1 and 100000"), err());
        assertEquals(2, run("simulate", "--count"));
        assertTrue(err().contains("--count needs a value"), err());
    }

    @Test
    void shouldFailWhenReplayHasNoFileOrBothPacings() {
        assertEquals(2, run("replay"));
        assertTrue(err().contains("at least one CSV file"), err());
        assertEquals(2, run("replay", "x.csv", "--speed", "2", "--rate", "5"));
        assertTrue(err().contains("--speed or --rate, not both"), err());
    }

    @Test
    void shouldFailNamingFileWhenReplayFileMissing() {
        assertEquals(1, run("replay", "/nonexistent/AAPL.csv"));
        assertTrue(err().contains("/nonexistent/AAPL.csv"), err());
    }

    @Test
    void shouldFailNamingKeyWhenConfigBad() {
        final int rc = IngestMain.run(List.of("simulate", "--count", "1"), Map.of("INGEST_PUBLISH_TIMEOUT", "soon"),
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        assertEquals(2, rc);
        assertTrue(err().contains("INGEST_PUBLISH_TIMEOUT=soon"), err());
    }
}
