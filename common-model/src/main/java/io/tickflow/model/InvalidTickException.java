package io.tickflow.model;

/** A tick that breaks the contract; {@link #field()} names the offending JSON field ("" for the whole document). */
public final class InvalidTickException extends IllegalArgumentException {
    private final String field;

    public InvalidTickException(final String field, final String message) {
        super(message);
        this.field = field;
    }

    public String field() {
        return field;
    }
}
