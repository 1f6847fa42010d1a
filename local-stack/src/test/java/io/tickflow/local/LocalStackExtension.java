package io.tickflow.local;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.util.Map;

/**
 * Test fixture ({@code @RegisterExtension static}): one {@link LocalStack} with the test options, started before the
 * class's tests and closed after them; its ports and bootstrap servers are read through this extension.
 */
final class LocalStackExtension implements BeforeAllCallback, AfterAllCallback {
    private LocalStack stack;

    @Override
    public void beforeAll(final ExtensionContext context) throws Exception {
        stack = LocalStack.start(LocalStackOptions.forTests(Map.of()));
    }

    @Override
    public void afterAll(final ExtensionContext context) {
        if (stack != null) {
            stack.close();
            stack = null;
        }
    }

    String bootstrapServers() {
        return stack.bootstrapServers();
    }

    int ingestHttpPort() {
        return stack.ingestHttpPort();
    }

    int indicatorHttpPort() {
        return stack.indicatorHttpPort();
    }

    int deliveryHttpPort() {
        return stack.deliveryHttpPort();
    }

    int deliveryWsPort() {
        return stack.deliveryWsPort();
    }
}
