package io.tickflow.ingest;

import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The options of one subcommand: {@code --name value} or {@code --name=value}, positional arguments, {@code --help}.
 * Every option has a default shown by {@link #usage()}; an unknown option or a bad value is a {@link UsageException}
 * naming it.
 */
final class CommandLine {
    /** One option; {@code defaultValue} null = unset unless given. */
    record Option(String name, String defaultValue, String help) {
    }

    /** A command line that cannot be used; the message says why. */
    static final class UsageException extends IllegalArgumentException {
        UsageException(final String message) {
            super(message);
        }
    }

    private final String command;
    private final String synopsis;
    private final Map<String, Option> options = new LinkedHashMap<>();
    private final List<String> footer;
    private final Map<String, String> values = new LinkedHashMap<>();
    private final List<String> positional = new ArrayList<>();
    private boolean help;

    CommandLine(final String command, final String synopsis, final List<Option> options, final List<String> footer) {
        this.command = command;
        this.synopsis = synopsis;
        this.footer = footer;
        for (Option o : options) {
            this.options.put(o.name(), o);
        }
    }

    /** Parses {@code args} (the arguments after the subcommand). */
    CommandLine parse(final List<String> args) {
        for (int i = 0; i < args.size(); i++) {
            final String arg = args.get(i);
            if (arg.equals("--help") || arg.equals("-h")) {
                help = true;
            } else if (arg.startsWith("--")) {
                final int eq = arg.indexOf('=');
                final String name = eq < 0 ? arg.substring(2) : arg.substring(2, eq);
                if (!options.containsKey(name)) {
                    throw new UsageException(command + ": unknown option --" + name + " (see " + command + " --help)");
                }
                if (eq >= 0) {
                    values.put(name, arg.substring(eq + 1));
                } else if (i + 1 < args.size()) {
                    values.put(name, args.get(++i));
                } else {
                    throw new UsageException(command + ": option --" + name + " needs a value");
                }
            } else if (arg.startsWith("-") && arg.length() > 1) {
                throw new UsageException(command + ": unknown option " + arg + " (see " + command + " --help)");
            } else {
                positional.add(arg);
            }
        }
        return this;
    }

    boolean help() {
        return help;
    }

    List<String> positional() {
        return positional;
    }

    boolean has(final String name) {
        return value(name) != null;
    }

    String string(final String name) {
        return value(name);
    }

    long integer(final String name, final long min, final long max) {
        final String v = value(name);
        try {
            final long parsed = Long.parseLong(v.trim().replace("_", ""));
            if (parsed < min || parsed > max) {
                throw new UsageException("--" + name + " " + v + ": must be between " + min + " and " + max);
            }
            return parsed;
        } catch (NumberFormatException e) {
            throw new UsageException("--" + name + " " + v + ": not an integer");
        }
    }

    double positive(final String name) {
        final String v = value(name);
        try {
            final double parsed = Double.parseDouble(v.trim());
            if (!(parsed > 0) || Double.isInfinite(parsed)) {
                throw new UsageException("--" + name + " " + v + ": must be a number > 0");
            }
            return parsed;
        } catch (NumberFormatException e) {
            throw new UsageException("--" + name + " " + v + ": not a number");
        }
    }

    /** {@code 90} (seconds), {@code 500ms}, {@code 30s}, {@code 5m}, {@code 1h}. */
    Duration duration(final String name) {
        final String v = value(name).trim().toLowerCase();
        try {
            final Duration d;
            if (v.endsWith("ms")) {
                d = Duration.ofMillis(Long.parseLong(v.substring(0, v.length() - 2)));
            } else if (v.endsWith("s")) {
                d = Duration.ofSeconds(Long.parseLong(v.substring(0, v.length() - 1)));
            } else if (v.endsWith("m")) {
                d = Duration.ofMinutes(Long.parseLong(v.substring(0, v.length() - 1)));
            } else if (v.endsWith("h")) {
                d = Duration.ofHours(Long.parseLong(v.substring(0, v.length() - 1)));
            } else {
                d = Duration.ofSeconds(Long.parseLong(v));
            }
            if (d.isNegative() || d.isZero()) {
                throw new UsageException("--" + name + " " + v + ": must be > 0");
            }
            return d;
        } catch (NumberFormatException e) {
            throw new UsageException("--" + name + " " + v + ": not a duration (use 90, 500ms, 30s, 5m or 1h)");
        }
    }

    Instant instant(final String name) {
        final String v = value(name);
        try {
            return Instant.parse(v.trim());
        } catch (DateTimeParseException e) {
            throw new UsageException("--" + name + " " + v + ": not an ISO-8601 instant such as 2024-06-02T12:34:56Z");
        }
    }

    String usage() {
        final StringBuilder out = new StringBuilder("usage: ").append(synopsis).append("\n\noptions:\n");
        for (Option o : options.values()) {
            out.append(String.format("  --%-12s %s (default: %s)%n", o.name(), o.help(),
                    o.defaultValue() == null ? "none" : o.defaultValue()));
        }
        out.append(String.format("  --%-12s %s%n", "help", "print this help and exit"));
        for (String line : footer) {
            out.append(line).append('\n');
        }
        return out.toString();
    }

    private String value(final String name) {
        final Option option = options.get(name);
        if (option == null) {
            throw new IllegalArgumentException("no option --" + name + " in " + command); // a programming error
        }
        return values.getOrDefault(name, option.defaultValue());
    }
}
