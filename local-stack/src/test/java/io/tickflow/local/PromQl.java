package io.tickflow.local;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Just enough PromQL to list the metrics a query selects: each metric name with the {@code job} its selector pins
 * ({@code null} when none). Functions, aggregation clauses ({@code by (…)}), label matchers, range and offset
 * durations, strings and numbers are not metrics.
 */
final class PromQl {
    /** A metric a query selects, and the job its matchers pin ({@code null} = any). */
    record MetricRef(String metric, String job) {
    }

    private static final Set<String> KEYWORDS = Set.of("by", "without", "on", "ignoring", "group_left", "group_right",
            "bool", "and", "or", "unless", "offset", "inf", "nan");
    private static final Pattern STRING = Pattern.compile("\"(?:[^\"\\\\]|\\\\.)*\"|'(?:[^'\\\\]|\\\\.)*'");
    private static final Pattern CLAUSE = Pattern.compile("\\b(by|without|on|ignoring|group_left|group_right)\\s*\\([^)]*\\)");
    private static final Pattern RANGE = Pattern.compile("\\[[^\\]]*\\]");
    private static final Pattern TOKEN = Pattern.compile("([a-zA-Z_:][a-zA-Z0-9_:]*)\\s*(\\{[^}]*\\})?(\\s*\\()?");
    private static final Pattern JOB = Pattern.compile("\\bjob\\s*=\\s*\"([^\"]*)\"");

    private PromQl() {
    }

    static List<MetricRef> metrics(final String expr) {
        // keep the label sets (their job is needed), blank out everything else that is not a name
        final StringBuilder cleaned = new StringBuilder();
        final Matcher braces = Pattern.compile("\\{[^}]*\\}").matcher(expr);
        final List<String> selectors = new ArrayList<>();
        int last = 0;
        while (braces.find()) {
            cleaned.append(blank(expr.substring(last, braces.start()))).append("{#").append(selectors.size()).append('}');
            selectors.add(braces.group());
            last = braces.end();
        }
        cleaned.append(blank(expr.substring(last)));
        final List<MetricRef> out = new ArrayList<>();
        final Matcher m = TOKEN.matcher(cleaned);
        while (m.find()) {
            final String name = m.group(1);
            if (m.group(3) != null || KEYWORDS.contains(name.toLowerCase(java.util.Locale.ROOT)) || name.startsWith("$")) {
                continue; // a function call, a keyword, or a Grafana variable
            }
            String job = null;
            if (m.group(2) != null) {
                final String selector = selectors.get(Integer.parseInt(m.group(2).replaceAll("[^0-9]", "")));
                final Matcher j = JOB.matcher(selector);
                job = j.find() ? j.group(1) : null;
            }
            out.add(new MetricRef(name, job));
        }
        return out;
    }

    private static String blank(final String part) {
        String s = STRING.matcher(part).replaceAll(" ");
        s = CLAUSE.matcher(s).replaceAll(" ");
        s = RANGE.matcher(s).replaceAll(" ");
        return s.replaceAll("\\$__[a-z_]+", " ").replaceAll("\\b[0-9][0-9.eE+-]*[a-zA-Z]*\\b", " ");
    }
}
