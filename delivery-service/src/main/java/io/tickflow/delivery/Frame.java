package io.tickflow.delivery;

import java.nio.charset.StandardCharsets;

/**
 * One outbound WebSocket text frame, already UTF-8 encoded. Data frames ({@code snapshot}, {@code update}) carry the
 * result they came from and may be batched; updates may also be conflated per stock on a slow connection. Control
 * frames are never batched or conflated.
 */
final class Frame {
    enum Kind { UPDATE, SNAPSHOT, CONTROL }

    private final byte[] utf8;
    private final Kind kind;
    private final Conflatable result;

    Frame(final byte[] utf8, final Kind kind, final Conflatable result) {
        this.utf8 = utf8;
        this.kind = kind;
        this.result = result;
    }

    /**
     * A data frame: the envelope's {@code prefix} (which opens an object and ends with its {@code "data":} key), the
     * JSON document, and the closing brace. Frames built lazily may race to build one twice, never differently.
     */
    static Frame wrap(final byte[] prefix, final byte[] json, final Kind kind, final Conflatable result) {
        return wrap(prefix, json, 0, json.length, kind, result);
    }

    /** {@link #wrap}, the document being {@code length} bytes of {@code source} from {@code offset}. */
    static Frame wrap(final byte[] prefix, final byte[] source, final int offset, final int length, final Kind kind,
                      final Conflatable result) {
        final byte[] out = new byte[prefix.length + length + 1];
        System.arraycopy(prefix, 0, out, 0, prefix.length);
        System.arraycopy(source, offset, out, prefix.length, length);
        out[out.length - 1] = '}';
        return new Frame(out, kind, result);
    }

    static Frame control(final byte[] utf8) {
        return new Frame(utf8, Kind.CONTROL, null);
    }

    byte[] bytes() {
        return utf8;
    }

    int size() {
        return utf8.length;
    }

    /** Snapshots and updates: may be batched. */
    boolean isData() {
        return kind != Kind.CONTROL;
    }

    /** Live updates: may be conflated (superseded by a newer update of the same stock). */
    boolean isUpdate() {
        return kind == Kind.UPDATE;
    }

    /** The result or bar of a data frame, {@code null} for a control frame. */
    Conflatable result() {
        return result;
    }

    @Override
    public String toString() {
        return new String(utf8, StandardCharsets.UTF_8);
    }
}
