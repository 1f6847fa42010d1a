package io.tickflow.indicator;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.DescribeTransactionsResult;
import org.apache.kafka.clients.admin.TransactionDescription;
import org.apache.kafka.clients.admin.TransactionState;
import org.apache.kafka.clients.admin.internals.CoordinatorKey;
import org.apache.kafka.common.KafkaFuture;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Constructor;
import java.lang.reflect.Proxy;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** When the wait asks the coordinator: about a client whose transaction ended, until its markers are written. */
class CoordinatorMarkerWaitTest {
    private final List<String> asked = new ArrayList<>();
    /** What the coordinator answers, in turn; the last answer repeats. */
    private final Deque<TransactionState> answers = new ArrayDeque<>(List.of(TransactionState.COMPLETE_COMMIT));
    /** An admin that records each question and answers it from {@link #answers}. */
    private final Admin admin = (Admin) Proxy.newProxyInstance(Admin.class.getClassLoader(),
            new Class<?>[]{Admin.class}, (proxy, method, args) -> {
                final String id = ((List<?>) args[0]).get(0).toString();
                asked.add(method.getName() + " " + id);
                final TransactionState state = answers.size() > 1 ? answers.poll() : answers.peek();
                return describeResult(id, state);
            });
    private final CoordinatorMarkerWait markers = new CoordinatorMarkerWait(admin, List.of("app-a", "app-a-1"),
            System::nanoTime);

    /** The result's constructor is the admin client's own; a test builds it as the client does. */
    private static DescribeTransactionsResult describeResult(final String id, final TransactionState state)
            throws ReflectiveOperationException {
        final Constructor<DescribeTransactionsResult> make =
                DescribeTransactionsResult.class.getDeclaredConstructor(Map.class);
        make.setAccessible(true);
        return make.newInstance(Map.of(CoordinatorKey.byTransactionalId(id), KafkaFuture.completedFuture(
                new TransactionDescription(1, state, 7L, 0, 60_000L, OptionalLong.empty(), Set.of()))));
    }

    @Test
    void shouldNotAskAboutAClientWithNoTransactionEnded() throws Exception {
        markers.awaitWritten(0);
        markers.awaitWritten(1);
        assertEquals(List.of(), asked);
    }

    @Test
    void shouldAskAboutTheClientsOwnIdUntilTheCoordinatorNoLongerPreparesTheCommit() throws Exception {
        answers.clear();
        answers.addAll(List.of(TransactionState.PREPARE_COMMIT, TransactionState.PREPARE_COMMIT,
                TransactionState.COMPLETE_COMMIT));
        markers.ended(1);
        markers.awaitWritten(1);
        assertEquals(List.of("describeTransactions app-a-1", "describeTransactions app-a-1",
                "describeTransactions app-a-1"), asked);
    }

    @Test
    void shouldNotAskAgainOnceTheMarkersAreKnownWrittenHoweverSoonTheClientBegins() throws Exception {
        markers.ended(0);
        markers.awaitWritten(0); // the committer, right after the commit
        markers.awaitWritten(0); // the poll thread, beginning on that client at once
        assertEquals(List.of("describeTransactions app-a"), asked);
        markers.ended(0);
        markers.awaitWritten(0);
        assertEquals(2, asked.size(), "each transaction ended is asked about");
    }
}
