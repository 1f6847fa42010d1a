package io.tickflow.bench.harness;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The maximum sustainable rate of a path: run at a rate for a step, and while the run was sustainable
 * ({@link RunResult#sustainable()}) multiply the rate by the step factor and go again. A failed step is run again up
 * to {@code retries} times before the search stops (on a shared machine one neighbour's build can sink a step). The
 * answer is the last sustainable rate — a lower bound within one step factor of the true limit.
 */
final class MaxRateSearch {
    private static final Logger LOG = LoggerFactory.getLogger(MaxRateSearch.class);
    private static final Duration DRAIN_TIMEOUT = Duration.ofSeconds(60);

    private MaxRateSearch() {
    }

    /** Every step in order; the last sustainable one is the answer (none when even the first rate was too much). */
    record Outcome(List<RunResult> steps) {
        RunResult best() {
            RunResult best = null;
            for (RunResult step : steps) {
                if (step.sustainable()) {
                    best = step;
                }
            }
            return best;
        }

        long maxSustainableRate() {
            final RunResult best = best();
            return best == null ? 0 : best.rate();
        }
    }

    static Outcome search(final LoadPath path, final long startRate, final double factor, final long maxRate,
                          final Duration settle, final Duration step, final int retries) {
        final List<RunResult> steps = new ArrayList<>();
        long rate = startRate;
        int failures = 0;
        while (true) {
            path.awaitDrained(DRAIN_TIMEOUT);
            final RunResult result = path.run(rate, settle, step);
            steps.add(result);
            if (!result.sustainable() && ++failures <= retries) {
                continue;
            }
            if (!result.sustainable() || rate >= maxRate) {
                break;
            }
            failures = 0;
            rate = nextRate(rate, factor, maxRate);
        }
        final Outcome outcome = new Outcome(steps);
        LOG.info("max rate path={} maxSustainable={} steps={}", path.name(), outcome.maxSustainableRate(),
                steps.size());
        return outcome;
    }

    /** {@code rate × factor} rounded to a thousand, at least a thousand more, at most {@code maxRate}. */
    static long nextRate(final long rate, final double factor, final long maxRate) {
        final long next = Math.round(rate * factor / 1_000.0) * 1_000L;
        return Math.min(maxRate, Math.max(rate + 1_000L, next));
    }
}
