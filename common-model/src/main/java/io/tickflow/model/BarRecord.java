package io.tickflow.model;

/** The fields of one OHLCV bar as {@link BarEncoder} writes them (times in epoch milliseconds, UTC). */
public interface BarRecord {
    long start();

    long end();

    double open();

    double high();

    double low();

    double close();

    double volume();

    long trades();

    /** NaN when the bar's volume is 0 (written as null). */
    double vwap();
}
