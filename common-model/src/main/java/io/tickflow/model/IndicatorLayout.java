package io.tickflow.model;

import java.util.ArrayList;
import java.util.List;

/**
 * The {@code "indicators":{…}} object of a result or bar record, fixed by the configured set: key {@code i} is a
 * scalar when {@code parts.get(i)} is empty, else an object of those parts, and the values of the keys follow each
 * other in the engine's {@code double[]} in that order. Built once as fragments — before each value, its name and
 * whatever opens or closes around it — so a document costs only its numbers. Immutable.
 */
final class IndicatorLayout {
    private final byte[][] before;
    private final byte[] end;

    /** {@code keys.get(i)} is written with the parts {@code parts.get(i)} (empty for a scalar). */
    IndicatorLayout(final List<String> keys, final List<List<String>> parts) {
        if (keys.size() != parts.size()) {
            throw new IllegalArgumentException("one parts list per key: " + keys.size() + " keys, " + parts.size()
                    + " parts lists");
        }
        final List<byte[]> fragments = new ArrayList<>();
        final StringBuilder pending = new StringBuilder(JsonBytes.name("indicators")).append('{');
        for (int i = 0; i < keys.size(); i++) {
            pending.append(i == 0 ? "" : ",").append(JsonBytes.name(keys.get(i)));
            final List<String> group = parts.get(i);
            if (group.isEmpty()) {
                fragments.add(JsonBytes.fragment(pending.toString()));
                pending.setLength(0);
                continue;
            }
            pending.append('{');
            for (int j = 0; j < group.size(); j++) {
                pending.append(j == 0 ? "" : ",").append(JsonBytes.name(group.get(j)));
                fragments.add(JsonBytes.fragment(pending.toString()));
                pending.setLength(0);
            }
            pending.append('}');
        }
        this.before = fragments.toArray(new byte[0][]);
        this.end = JsonBytes.fragment(pending.append('}').toString());
    }

    /** How many doubles {@link #write} reads from {@code values}. */
    int width() {
        return before.length;
    }

    /** The object, from {@code values[0 .. width())}; NaN (the look-back is not filled yet) written as null. */
    void write(final JsonBytes out, final double[] values) {
        for (int i = 0; i < before.length; i++) {
            out.raw(before[i]).number(values[i]);
        }
        out.raw(end);
    }
}
