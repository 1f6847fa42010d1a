package io.tickflow.bench.harness;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.OperatingSystemMXBean;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * CPU time of the path under test — the broker and what works between its hops (the services; the baseline's relay),
 * with the JVM's GC and JIT threads — read as this process's CPU time minus the CPU time of the threads that are not
 * the path: the load (feed producer, receivers, the harness's probes) and, for the baseline, the local stack's idle
 * services. Threads are told apart by name: the harness names every thread and client id it owns, the services name
 * theirs after the service. A thread that ends inside a window takes its time out of the subtraction; the excluded
 * threads live as long as their path, so that error is the services' own short-lived threads, and counts against them.
 */
final class CpuAccount {
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
    private static final long NANOS_PER_CLOCK_TICK = 10_000_000L; // USER_HZ: 100 on every Linux the JDK supports

    private final Predicate<String> excluded;

    private CpuAccount(final Predicate<String> excluded) {
        this.excluded = excluded;
    }

    /** The tickflow path: everything but the harness's feed, its WebSocket clients and its probes. */
    static CpuAccount pipeline() {
        return new CpuAccount(CpuAccount::isHarness);
    }

    /** The baseline: everything but the harness (the relay is the path) and the local stack's services, idle here. */
    static CpuAccount baseline() {
        return new CpuAccount(name -> isHarness(name) || isService(name));
    }

    /** Who spends the time: what the log's breakdown says each run, to steer by. */
    enum Role { BROKER, INGEST, INDICATOR, DELIVERY, GC, JIT, HARNESS }

    /** CPU time so far: the whole process, the excluded threads and every role, nanoseconds. */
    Reading read() {
        final long process = processCpuNanos();
        long excludedNanos = 0;
        long javaThreads = 0;
        final long[] roles = new long[Role.values().length];
        final long[] allocated = new long[Role.values().length];
        for (ThreadInfo info : THREADS.getThreadInfo(THREADS.getAllThreadIds())) {
            if (info == null) {
                continue;
            }
            final long nanos = Math.max(0L, THREADS.getThreadCpuTime(info.getThreadId()));
            javaThreads += nanos;
            final int role = roleOf(info.getThreadName()).ordinal();
            roles[role] += nanos;
            allocated[role] += allocatedBytes(info.getThreadId());
            if (excluded.test(info.getThreadName())) {
                excludedNanos += nanos;
            }
        }
        // Compiler and GC threads are not listed: Linux names them in /proc; GC is the rest (GC workers, VM thread).
        final long jit = Math.min(process - javaThreads, compilerThreadsNanos());
        roles[Role.JIT.ordinal()] = jit;
        roles[Role.GC.ordinal()] = process - javaThreads - jit;
        return new Reading(process, excludedNanos, System.nanoTime(), roles, allocated);
    }

    /** Two readings of one account, {@code since} first. */
    record Reading(long processNanos, long excludedNanos, long wallNanos, long[] roleNanos, long[] roleBytes) {
        long pathNanosSince(final Reading since) {
            return (processNanos - since.processNanos) - (excludedNanos - since.excludedNanos);
        }

        /**
         * CPU microseconds and bytes allocated per message of each role between the readings, e.g.
         * {@code BROKER=41.2us/310B INDICATOR=30.5us/820B …}; JIT is the compiler threads, GC what the JVM
         * spends beyond them and the threads Java lists (GC workers, the VM thread).
         */
        String breakdownSince(final Reading since, final long messages) {
            final Map<Role, String> perMessage = new EnumMap<>(Role.class);
            final long n = Math.max(1L, messages);
            for (Role role : Role.values()) {
                final int r = role.ordinal();
                perMessage.put(role, String.format(Locale.ROOT, "%.1fus/%dB",
                        (roleNanos[r] - since.roleNanos[r]) / 1_000.0 / n, (roleBytes[r] - since.roleBytes[r]) / n));
            }
            return perMessage.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
                    .collect(Collectors.joining(" "));
        }

        /** CPU microseconds per message of one role between the readings. */
        double microsPerMessageSince(final Reading since, final Role role, final long messages) {
            final int r = role.ordinal();
            return (roleNanos[r] - since.roleNanos[r]) / 1_000.0 / Math.max(1L, messages);
        }

        /** Cores the path kept busy between the readings. */
        double coresSince(final Reading since) {
            return pathNanosSince(since) / (double) Math.max(1L, wallNanos - since.wallNanos);
        }
    }

    /**
     * The harness's own threads: the thread that paces the feed ({@code main}), the feed producers' I/O threads, the
     * baseline's sink, the JDK WebSocket clients, the lag probe and its admin client. The baseline's relay
     * ({@code baseline-relay}, {@code bench-baseline-relay}) is not among them: it is the baseline's middle hop.
     */
    static boolean isHarness(final String thread) {
        return thread.equals("main") || thread.equals("lag-probe") || thread.equals("baseline-sink")
                || thread.startsWith("ws-client-") || thread.startsWith("HttpClient-")
                || thread.endsWith("| " + ClientSettings.FEED_CLIENT) || thread.endsWith("| " + ClientSettings.ADMIN_CLIENT)
                || thread.endsWith("| " + KafkaBaseline.FEED_CLIENT) || thread.contains("| " + KafkaBaseline.SINK_GROUP);
    }

    /** The local stack's services' threads: named after the service, or Kafka client threads of their clients. */
    static boolean isService(final String thread) {
        return thread.startsWith("ingest-") || thread.startsWith("indicator-") || thread.startsWith("delivery-")
                || thread.startsWith("WebSocket") || thread.startsWith("connectionLostChecker")
                || thread.startsWith("prometheus-metrics")
                || thread.contains("| tickflow-") || thread.contains("| producer-") || thread.contains("| adminclient-");
    }

    static Role roleOf(final String thread) {
        if (isHarness(thread)) {
            return Role.HARNESS;
        }
        if (thread.startsWith("indicator-") || thread.contains("| tickflow-indicator")) {
            return Role.INDICATOR;
        }
        if (thread.startsWith("delivery-") || thread.startsWith("WebSocket") || thread.startsWith("connectionLost")
                || thread.contains("| tickflow-delivery")) {
            return Role.DELIVERY;
        }
        return isService(thread) ? Role.INGEST : Role.BROKER;
    }

    /** CPU time of the JIT's compiler threads from {@code /proc/self/task}, 0 where there is no such file system. */
    private static long compilerThreadsNanos() {
        final Path tasks = Path.of("/proc/self/task");
        long ticks = 0;
        try (DirectoryStream<Path> threads = Files.newDirectoryStream(tasks)) {
            for (Path thread : threads) {
                try {
                    if (Files.readString(thread.resolve("comm")).contains("CompilerThre")) {
                        final String stat = Files.readString(thread.resolve("stat"));
                        // fields after the parenthesised name: state is field 3, utime 14 and stime 15
                        final String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                        ticks += Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
                    }
                } catch (IOException | RuntimeException e) {
                    // the thread ended between listing and reading: its time is gone from the process total too
                }
            }
        } catch (IOException e) {
            return 0L;
        }
        return ticks * NANOS_PER_CLOCK_TICK;
    }

    private static long allocatedBytes(final long threadId) {
        return THREADS instanceof com.sun.management.ThreadMXBean sun
                ? Math.max(0L, sun.getThreadAllocatedBytes(threadId)) : 0L;
    }

    private static long processCpuNanos() {
        final OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
        if (os instanceof com.sun.management.OperatingSystemMXBean sun) {
            return sun.getProcessCpuTime();
        }
        throw new IllegalStateException("this JVM does not report process CPU time");
    }
}
