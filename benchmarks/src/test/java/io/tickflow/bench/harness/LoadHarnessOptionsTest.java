package io.tickflow.bench.harness;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LoadHarnessOptionsTest {

    @Test
    void shouldRunAllStandardScenariosLocallyWhenAskedForAll() {
        final LoadHarnessOptions options = LoadHarnessOptions.parse(new String[]{"--scenario", "all"});
        assertEquals(List.of("s1", "s2", "s3", "s4", "burst"), options.scenarios().stream().map(Scenario::name).toList());
        assertTrue(options.local());
        assertTrue(options.scenarios().get(1).findMax());
        assertEquals(50_000, options.scenarios().get(4).burst());
        assertEquals(Duration.ofSeconds(60), options.stepDuration());
        assertEquals(10.0, options.warmupJitBelow(), "warm up until the JIT has little left to compile...");
        assertEquals(Duration.ofSeconds(300), options.warmupMax(), "...or for five minutes at most");
    }

    @Test
    void shouldOverrideScenarioShapeWhenLoadOptionsAreGiven() {
        final LoadHarnessOptions options = LoadHarnessOptions.parse(new String[]{"--scenario", "s1", "--rate", "5_000",
                "--clients", "3", "--duration", "500ms", "--step-duration", "2m"});
        final Scenario s1 = options.scenarios().get(0);
        assertEquals(5_000, s1.rate());
        assertEquals(3, s1.clients());
        assertEquals(200, s1.stocks());
        assertEquals(Duration.ofMillis(500), options.duration());
        assertEquals(Duration.ofMinutes(2), options.stepDuration());
    }

    @Test
    void shouldFailNamingTheOptionWhenItIsUnknownOrBad() {
        final IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class,
                () -> LoadHarnessOptions.parse(new String[]{"--rtae", "5"}));
        assertTrue(unknown.getMessage().contains("--rtae"), unknown.getMessage());
        final IllegalArgumentException bad = assertThrows(IllegalArgumentException.class,
                () -> LoadHarnessOptions.parse(new String[]{"--rate", "fast"}));
        assertTrue(bad.getMessage().contains("--rate"), bad.getMessage());
        final IllegalArgumentException negative = assertThrows(IllegalArgumentException.class,
                () -> LoadHarnessOptions.parse(new String[]{"--warmup-jit-below", "-1"}));
        assertTrue(negative.getMessage().contains("--warmup-jit-below"), negative.getMessage());
    }

    @Test
    void shouldRequireWebSocketWhenTargetIsExternal() {
        assertThrows(IllegalArgumentException.class,
                () -> LoadHarnessOptions.parse(new String[]{"--bootstrap", "kafka:9092"}));
        assertTrue(LoadHarnessOptions.parse(new String[]{"--bootstrap", "kafka:9092", "--baseline-only"})
                .baselineOnly());
    }

    @Test
    void shouldSkipTheBaselineOnlyWhenAskedAndRejectSkippingBothPaths() {
        assertTrue(LoadHarnessOptions.parse(new String[]{"--pipeline-only"}).pipelineOnly());
        final IllegalArgumentException both = assertThrows(IllegalArgumentException.class,
                () -> LoadHarnessOptions.parse(new String[]{"--pipeline-only", "--baseline-only"}));
        assertTrue(both.getMessage().contains("--pipeline-only"), both.getMessage());
    }
}
