package io.tickflow.indicator;

import org.apache.kafka.clients.admin.Admin;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** When the wait asks the coordinator: only about a client whose transaction ended less than SETTLED ago. */
class CoordinatorMarkerWaitTest {
    private final AtomicLong nanos = new AtomicLong(1_000_000_000L);
    private final List<String> asked = new ArrayList<>();
    /** An admin that records each question and cannot answer it. */
    private final Admin admin = (Admin) Proxy.newProxyInstance(Admin.class.getClassLoader(),
            new Class<?>[]{Admin.class}, (proxy, method, args) -> {
                asked.add(method.getName() + " " + args[0]);
                throw new IllegalStateException("no coordinator in this test");
            });
    private final CoordinatorMarkerWait markers = new CoordinatorMarkerWait(admin, List.of("app-a", "app-a-1"),
            nanos::get);

    @Test
    void shouldNotAskAboutAClientWhoseTransactionEndedLongEnoughAgoOrNever() throws Exception {
        markers.awaitPreviousTransaction(0);
        markers.ended(0);
        nanos.addAndGet(CoordinatorMarkerWait.SETTLED.toNanos());
        markers.awaitPreviousTransaction(0);
        markers.awaitPreviousTransaction(1);
        assertEquals(List.of(), asked);
    }

    @Test
    void shouldAskAboutTheClientsOwnIdWhenItsTransactionJustEnded() {
        markers.ended(1);
        assertThrows(IllegalStateException.class, () -> markers.awaitPreviousTransaction(1));
        assertEquals(List.of("describeTransactions [app-a-1]"), asked);
    }
}
