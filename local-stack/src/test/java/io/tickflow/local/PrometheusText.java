package io.tickflow.local;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * A strict reader of the Prometheus text exposition format (version 0.0.4), for tests: client_java 1.x writes the
 * format but has no parser. Any line that breaks the format, or a scrape that breaks its rules, throws
 * {@link IllegalArgumentException} naming the line: every sample belongs to a family declared by a {@code # TYPE} line
 * before it, a family's lines are contiguous, no series appears twice, counters are named {@code *_total} and never
 * negative, and each histogram series has increasing {@code le} bounds with cumulative counts, a {@code +Inf} bucket
 * equal to its {@code _count}, and a {@code _sum}.
 */
final class PrometheusText {
    private static final Pattern METRIC_NAME = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");
    private static final Pattern LABEL_NAME = Pattern.compile("[a-zA-Z_][a-zA-Z0-9_]*");
    /** Go's ParseFloat as Prometheus uses it, minus hex and underscores (no exporter writes those). */
    private static final Pattern FLOAT = Pattern.compile(
            "[+-]?(\\d+(\\.\\d*)?|\\.\\d+)([eE][+-]?\\d+)?|[+-]?Inf|NaN");
    private static final Pattern TIMESTAMP = Pattern.compile("-?\\d{1,19}");
    private static final Set<String> TYPES = Set.of("counter", "gauge", "histogram", "summary", "untyped");

    /** One sample line: the full sample name ({@code x_bucket}, {@code x_count}, …), its labels and value. */
    record Sample(String name, Map<String, String> labels, double value) {
    }

    /** A family: the name of its {@code # TYPE} line, the type, the help text and its samples in order. */
    record Family(String name, String type, String help, List<Sample> samples) {
    }

    private final Map<String, Family> families;

    private PrometheusText(final Map<String, Family> families) {
        this.families = families;
    }

    Map<String, Family> families() {
        return Collections.unmodifiableMap(families);
    }

    /** Every sample named {@code name} (across families: a histogram's {@code x_count} is found by that name). */
    List<Sample> samples(final String name) {
        final List<Sample> out = new ArrayList<>();
        for (Family family : families.values()) {
            for (Sample s : family.samples()) {
                if (s.name().equals(name)) {
                    out.add(s);
                }
            }
        }
        return out;
    }

    /** The sum of every series of sample {@code name} whose labels include {@code labelPairs} (k1, v1, k2, v2, …). */
    double sum(final String name, final String... labelPairs) {
        double total = 0;
        for (Sample s : samples(name)) {
            if (matches(s.labels(), labelPairs)) {
                total += s.value();
            }
        }
        return total;
    }

    /** The value of the one series of {@code name} with exactly the labels {@code labelPairs}; fails if absent. */
    double value(final String name, final String... labelPairs) {
        final Map<String, String> wanted = pairs(labelPairs);
        for (Sample s : samples(name)) {
            if (s.labels().equals(wanted)) {
                return s.value();
            }
        }
        throw new AssertionError("no series " + name + wanted + " in the scrape; series of that name: "
                + samples(name));
    }

    private static boolean matches(final Map<String, String> labels, final String... labelPairs) {
        final Map<String, String> wanted = pairs(labelPairs);
        return labels.entrySet().containsAll(wanted.entrySet());
    }

    private static Map<String, String> pairs(final String... labelPairs) {
        if (labelPairs.length % 2 != 0) {
            throw new IllegalArgumentException("label pairs come in twos: " + List.of(labelPairs));
        }
        final Map<String, String> out = new TreeMap<>();
        for (int i = 0; i < labelPairs.length; i += 2) {
            out.put(labelPairs[i], labelPairs[i + 1]);
        }
        return out;
    }

    static PrometheusText parse(final String text) {
        if (!text.isEmpty() && !text.endsWith("\n")) {
            throw new IllegalArgumentException("the exposition must end with a line feed");
        }
        final Map<String, String> types = new LinkedHashMap<>();
        final Map<String, String> helps = new LinkedHashMap<>();
        final Map<String, List<Sample>> samples = new LinkedHashMap<>();
        final Set<String> finished = new HashSet<>();
        final Set<String> seriesSeen = new HashSet<>();
        String current = null;
        final String[] lines = text.split("\n", -1);
        for (int n = 0; n < lines.length - 1; n++) {
            final String line = lines[n];
            try {
                if (line.isEmpty()) {
                    throw new IllegalArgumentException("empty line");
                }
                String family;
                if (line.startsWith("#")) {
                    final String[] parts = line.split(" ", 4);
                    final boolean help = parts.length >= 3 && parts[1].equals("HELP");
                    final boolean type = parts.length >= 3 && parts[1].equals("TYPE");
                    if (!help && !type) {
                        if (line.startsWith("# HELP") || line.startsWith("# TYPE")) {
                            throw new IllegalArgumentException("HELP/TYPE without a metric name");
                        }
                        continue; // a plain comment is allowed by the format
                    }
                    family = parts[2];
                    requireName(family);
                    if (type) {
                        if (parts.length != 4 || !TYPES.contains(parts[3])) {
                            throw new IllegalArgumentException("TYPE must be one of " + TYPES);
                        }
                        if (types.putIfAbsent(family, parts[3]) != null) {
                            throw new IllegalArgumentException("second TYPE for " + family);
                        }
                    } else {
                        final String helpText = parts.length == 4 ? unescapeHelp(parts[3]) : "";
                        if (helps.putIfAbsent(family, helpText) != null) {
                            throw new IllegalArgumentException("second HELP for " + family);
                        }
                    }
                } else {
                    final Sample sample = parseSample(line);
                    family = familyOf(sample.name(), types);
                    final String series = sample.name() + new TreeMap<>(sample.labels());
                    if (!seriesSeen.add(series)) {
                        throw new IllegalArgumentException("duplicate series " + series);
                    }
                    samples.computeIfAbsent(family, k -> new ArrayList<>()).add(sample);
                }
                if (!family.equals(current)) {
                    if (finished.contains(family)) {
                        throw new IllegalArgumentException("lines of " + family + " are not contiguous");
                    }
                    if (current != null) {
                        finished.add(current);
                    }
                    current = family;
                }
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("line " + (n + 1) + ": " + e.getMessage() + ": " + line, e);
            }
        }
        final Map<String, Family> families = new LinkedHashMap<>();
        for (Map.Entry<String, String> t : types.entrySet()) {
            final String name = t.getKey();
            final List<Sample> list = samples.getOrDefault(name, List.of());
            switch (t.getValue()) {
                case "counter" -> checkCounter(name, list);
                case "histogram" -> checkHistogram(name, list);
                default -> {
                    // gauge, summary, untyped: the line syntax is all there is to check
                }
            }
            families.put(name, new Family(name, t.getValue(), helps.getOrDefault(name, ""), List.copyOf(list)));
        }
        for (String help : helps.keySet()) {
            if (!types.containsKey(help)) {
                throw new IllegalArgumentException("HELP for " + help + " which has no TYPE");
            }
        }
        return new PrometheusText(families);
    }

    /** The declared family a sample belongs to: its own name, or its name without a suffix its family's type has. */
    private static String familyOf(final String sample, final Map<String, String> types) {
        if (types.containsKey(sample)) {
            final String type = types.get(sample);
            if (type.equals("histogram")) {
                throw new IllegalArgumentException("a histogram has only _bucket, _count, _sum samples");
            }
            return sample;
        }
        for (String suffix : List.of("_bucket", "_count", "_sum", "_created")) {
            if (sample.endsWith(suffix)) {
                final String base = sample.substring(0, sample.length() - suffix.length());
                final String type = types.get(base);
                if (type != null && (type.equals("histogram") || (type.equals("summary") && !suffix.equals("_bucket")))) {
                    return base;
                }
            }
        }
        throw new IllegalArgumentException("sample " + sample + " has no family declared by a TYPE line before it");
    }

    private static void checkCounter(final String name, final List<Sample> samples) {
        if (!name.endsWith("_total")) {
            throw new IllegalArgumentException("counter " + name + " is not named *_total");
        }
        for (Sample s : samples) {
            if (!(s.value() >= 0)) {
                throw new IllegalArgumentException("counter " + name + s.labels() + " = " + s.value());
            }
        }
    }

    private static void checkHistogram(final String name, final List<Sample> samples) {
        final Map<Map<String, String>, List<Sample>> buckets = new LinkedHashMap<>();
        final Map<Map<String, String>, Double> counts = new LinkedHashMap<>();
        final Set<Map<String, String>> sums = new HashSet<>();
        for (Sample s : samples) {
            final Map<String, String> series = new TreeMap<>(s.labels());
            if (s.name().equals(name + "_bucket")) {
                if (series.remove("le") == null) {
                    throw new IllegalArgumentException(name + "_bucket" + s.labels() + " has no le label");
                }
                buckets.computeIfAbsent(series, k -> new ArrayList<>()).add(s);
            } else if (s.name().equals(name + "_count")) {
                counts.put(series, s.value());
            } else if (s.name().equals(name + "_sum")) {
                sums.add(series);
            } else if (series.containsKey("le")) {
                throw new IllegalArgumentException(s.name() + " must not have an le label");
            }
        }
        if (!buckets.keySet().equals(counts.keySet()) || !buckets.keySet().equals(sums)) {
            throw new IllegalArgumentException("histogram " + name + ": series with buckets " + buckets.keySet()
                    + ", with _count " + counts.keySet() + ", with _sum " + sums);
        }
        buckets.forEach((series, list) -> {
            double previousBound = Double.NEGATIVE_INFINITY;
            double previousCount = 0;
            for (Sample b : list) {
                final String le = b.labels().get("le");
                if (!FLOAT.matcher(le).matches()) {
                    throw new IllegalArgumentException(name + series + " le=\"" + le + "\" is not a number");
                }
                final double bound = parseFloat(le);
                if (!(bound > previousBound)) {
                    throw new IllegalArgumentException(name + series + " le bounds not increasing at " + le);
                }
                if (b.value() < previousCount || b.value() != Math.rint(b.value())) {
                    throw new IllegalArgumentException(name + series + " bucket le=" + le + " = " + b.value()
                            + " after " + previousCount + ": not cumulative whole counts");
                }
                previousBound = bound;
                previousCount = b.value();
            }
            if (previousBound != Double.POSITIVE_INFINITY) {
                throw new IllegalArgumentException(name + series + " has no le=\"+Inf\" bucket");
            }
            if (previousCount != counts.get(series)) {
                throw new IllegalArgumentException(name + series + " +Inf bucket " + previousCount + " != _count "
                        + counts.get(series));
            }
        });
    }

    private static Sample parseSample(final String line) {
        int i = 0;
        while (i < line.length() && line.charAt(i) != '{' && line.charAt(i) != ' ') {
            i++;
        }
        final String name = line.substring(0, i);
        requireName(name);
        final Map<String, String> labels = new LinkedHashMap<>();
        if (i < line.length() && line.charAt(i) == '{') {
            i++;
            while (true) {
                if (i >= line.length()) {
                    throw new IllegalArgumentException("unterminated label set");
                }
                if (line.charAt(i) == '}') {
                    i++;
                    break;
                }
                final int eq = line.indexOf('=', i);
                if (eq < 0) {
                    throw new IllegalArgumentException("label without '='");
                }
                final String label = line.substring(i, eq);
                if (!LABEL_NAME.matcher(label).matches() || label.startsWith("__")) {
                    throw new IllegalArgumentException("bad label name '" + label + "'");
                }
                i = eq + 1;
                if (i >= line.length() || line.charAt(i) != '"') {
                    throw new IllegalArgumentException("label value of " + label + " is not quoted");
                }
                i++;
                final StringBuilder value = new StringBuilder();
                while (true) {
                    if (i >= line.length()) {
                        throw new IllegalArgumentException("unterminated value of label " + label);
                    }
                    final char c = line.charAt(i++);
                    if (c == '"') {
                        break;
                    }
                    if (c == '\\') {
                        if (i >= line.length()) {
                            throw new IllegalArgumentException("dangling backslash in label " + label);
                        }
                        final char e = line.charAt(i++);
                        value.append(switch (e) {
                            case '\\' -> '\\';
                            case '"' -> '"';
                            case 'n' -> '\n';
                            default -> throw new IllegalArgumentException("bad escape \\" + e + " in label " + label);
                        });
                    } else {
                        value.append(c);
                    }
                }
                if (labels.put(label, value.toString()) != null) {
                    throw new IllegalArgumentException("label " + label + " twice");
                }
                if (i < line.length() && line.charAt(i) == ',') {
                    i++;
                } else if (i >= line.length() || line.charAt(i) != '}') {
                    throw new IllegalArgumentException("expected ',' or '}' after label " + label);
                }
            }
        }
        if (i >= line.length() || line.charAt(i) != ' ') {
            throw new IllegalArgumentException("expected one space before the value");
        }
        final String[] rest = line.substring(i + 1).split(" ", -1);
        if (rest.length > 2 || !FLOAT.matcher(rest[0]).matches()) {
            throw new IllegalArgumentException("expected 'value [timestamp]', got '" + line.substring(i + 1) + "'");
        }
        if (rest.length == 2 && !TIMESTAMP.matcher(rest[1]).matches()) {
            throw new IllegalArgumentException("timestamp '" + rest[1] + "' is not integer milliseconds");
        }
        return new Sample(name, Collections.unmodifiableMap(labels), parseFloat(rest[0]));
    }

    private static double parseFloat(final String s) {
        return switch (s) {
            case "+Inf", "Inf" -> Double.POSITIVE_INFINITY;
            case "-Inf" -> Double.NEGATIVE_INFINITY;
            case "NaN" -> Double.NaN;
            default -> Double.parseDouble(s);
        };
    }

    private static String unescapeHelp(final String help) {
        final StringBuilder out = new StringBuilder(help.length());
        for (int i = 0; i < help.length(); i++) {
            final char c = help.charAt(i);
            if (c != '\\') {
                out.append(c);
                continue;
            }
            if (++i >= help.length()) {
                throw new IllegalArgumentException("dangling backslash in HELP");
            }
            out.append(switch (help.charAt(i)) {
                case '\\' -> '\\';
                case 'n' -> '\n';
                default -> throw new IllegalArgumentException("bad escape \\" + help.charAt(i) + " in HELP");
            });
        }
        return out.toString();
    }

    private static void requireName(final String name) {
        if (!METRIC_NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("bad metric name '" + name + "'");
        }
    }
}
