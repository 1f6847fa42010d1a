package io.tickflow.delivery;

import java.net.URI;
import java.util.List;
import java.util.Locale;

/**
 * Which web pages may open a WebSocket ({@code WS_ALLOWED_ORIGINS}): a browser sends the page's {@code Origin} with
 * the handshake and would otherwise let any site a trader has open read the feed. A client without an Origin is not
 * a browser page and is allowed (auth, when on, still applies). With no list configured, a page served by the same
 * host as the WebSocket — the dashboard, on its own port — is allowed and every other origin refused; {@code *}
 * allows any. Immutable.
 */
final class OriginPolicy {
    private final List<String> allowed;

    OriginPolicy(final List<String> allowed) {
        this.allowed = allowed.stream().map(o -> o.trim().toLowerCase(Locale.ROOT)).toList();
    }

    /** Whether a handshake with this {@code Origin} (null when absent) and {@code Host} header may proceed. */
    boolean allows(final String origin, final String host) {
        if (origin == null || origin.isEmpty() || allowed.contains("*")) {
            return true;
        }
        final String normalized = origin.trim().toLowerCase(Locale.ROOT);
        if (!allowed.isEmpty()) {
            return allowed.contains(normalized);
        }
        return host != null && hostName(normalized) != null && hostName(normalized).equals(hostOf(host));
    }

    private static String hostName(final String origin) {
        try {
            final String host = URI.create(origin).getHost();
            return host == null ? null : host.toLowerCase(Locale.ROOT);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /** The name part of a {@code Host} header: {@code localhost:8090} → {@code localhost}, {@code [::1]:8090} → {@code [::1]}. */
    private static String hostOf(final String hostHeader) {
        final String h = hostHeader.trim().toLowerCase(Locale.ROOT);
        if (h.startsWith("[")) {
            final int end = h.indexOf(']');
            return end < 0 ? h : h.substring(0, end + 1);
        }
        final int colon = h.lastIndexOf(':');
        return colon < 0 ? h : h.substring(0, colon);
    }
}
