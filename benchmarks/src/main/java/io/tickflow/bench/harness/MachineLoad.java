package io.tickflow.bench.harness;

import java.lang.management.ManagementFactory;

/** The machine's load average: every figure the harness prints says how busy the shared machine was. */
final class MachineLoad {
    private MachineLoad() {
    }

    /** The one-minute load average, or NaN where the OS does not report one. */
    static double oneMinute() {
        final double load = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
        return load < 0 ? Double.NaN : load;
    }
}
