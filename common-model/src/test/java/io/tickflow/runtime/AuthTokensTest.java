package io.tickflow.runtime;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AuthTokensTest {

    @Test
    void shouldReadTheListAndTheFileWhenBothAreGiven(@TempDir final Path dir) throws IOException {
        final Path file = Files.writeString(dir.resolve("tokens"), "# comment\n  fromfile  \n\na\n");
        final AuthTokens tokens = AuthTokens.fromEnv(new Env(Map.of("T", "a, b", "T_FILE", file.toString())),
                "T", "T_FILE");

        assertTrue(tokens.enabled());
        assertEquals(3, tokens.size(), "a, b, fromfile: duplicates once");
        assertTrue(tokens.accepts("fromfile") && tokens.accepts("a") && tokens.accepts("b"));
        assertFalse(tokens.accepts("# comment") || tokens.accepts("") || tokens.accepts(null) || tokens.accepts("A"));
        assertFalse(tokens.toString().contains("fromfile"), "a token never printed");
    }

    @Test
    void shouldBeOffWhenNoTokensAreConfigured() {
        final AuthTokens tokens = AuthTokens.fromEnv(new Env(Map.of()), "T", "T_FILE");

        assertFalse(tokens.enabled());
        assertFalse(tokens.accepts("anything"));
        assertFalse(AuthTokens.none().enabled());
        assertTrue(AuthTokens.of(List.of("x")).accepts("x"));
    }

    @Test
    void shouldNameTheFileKeyWhenTheFileIsUnreadable() {
        final ConfigException e = assertThrows(ConfigException.class,
                () -> AuthTokens.fromEnv(new Env(Map.of("T_FILE", "/nope")), "T", "T_FILE"));
        assertTrue(e.getMessage().startsWith("T_FILE=/nope"), e.getMessage());
    }
}
