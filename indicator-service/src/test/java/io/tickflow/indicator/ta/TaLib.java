package io.tickflow.indicator.ta;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.tictactec.ta.lib.Core;
import com.tictactec.ta.lib.MInteger;
import com.tictactec.ta.lib.RetCode;

/** The test oracle: TA-Lib 0.4.0's {@link Core} and a checked call of one of its batch functions. */
final class TaLib {
    static final Core CORE = new Core();

    private TaLib() {
    }

    /** One batch function call, given where to put its begIdx and nbElement. */
    interface Call {
        RetCode run(MInteger begIdx, MInteger nbElement);
    }

    /** Runs {@code call}, asserts that TA-Lib succeeded, and returns its begIdx. */
    static int call(final Call call) {
        final MInteger beg = new MInteger();
        final MInteger nb = new MInteger();
        assertEquals(RetCode.Success, call.run(beg, nb));
        return beg.value;
    }
}
