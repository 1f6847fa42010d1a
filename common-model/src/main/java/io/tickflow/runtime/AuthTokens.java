package io.tickflow.runtime;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The accepted secret tokens of a service, from a comma list and a file of one token a line ({@code #} comments and
 * blank lines skipped), and the one constant-time check of a presented token. Empty means authentication is off.
 * Never prints a token. Immutable, thread-safe.
 */
public final class AuthTokens {
    private static final AuthTokens NONE = new AuthTokens(List.of());

    private final List<byte[]> tokens;

    private AuthTokens(final Collection<String> tokens) {
        final List<byte[]> bytes = new ArrayList<>(tokens.size());
        new LinkedHashSet<>(tokens).forEach(t -> bytes.add(t.getBytes(StandardCharsets.UTF_8)));
        this.tokens = List.copyOf(bytes);
    }

    /** No tokens: authentication off. */
    public static AuthTokens none() {
        return NONE;
    }

    public static AuthTokens of(final Collection<String> tokens) {
        return new AuthTokens(tokens);
    }

    /**
     * The tokens of {@code listKey} (comma list) plus those of the file named by {@code fileKey}; an unreadable file
     * fails with {@link ConfigException} naming {@code fileKey}.
     */
    public static AuthTokens fromEnv(final Env env, final String listKey, final String fileKey) {
        final Set<String> tokens = new LinkedHashSet<>(env.list(listKey, List.of()));
        final String file = env.string(fileKey, "");
        if (!file.isEmpty()) {
            try {
                for (String line : Files.readAllLines(Path.of(file), StandardCharsets.UTF_8)) {
                    final String token = line.trim();
                    if (!token.isEmpty() && !token.startsWith("#")) {
                        tokens.add(token);
                    }
                }
            } catch (IOException e) {
                throw new ConfigException(fileKey + "=" + file + ": cannot read: " + e.getMessage());
            }
        }
        return new AuthTokens(tokens);
    }

    /** True when tokens are configured, i.e. authentication is required. */
    public boolean enabled() {
        return !tokens.isEmpty();
    }

    public int size() {
        return tokens.size();
    }

    /** Whether {@code presented} is one of the tokens: compared with every token in constant time, no early exit. */
    public boolean accepts(final String presented) {
        if (presented == null) {
            return false;
        }
        final byte[] bytes = presented.getBytes(StandardCharsets.UTF_8);
        boolean match = false;
        for (byte[] token : tokens) {
            match |= MessageDigest.isEqual(token, bytes);
        }
        return match;
    }

    /** The count only: a token never reaches a log. */
    @Override
    public String toString() {
        return tokens.size() + " token(s)";
    }
}
