package io.tickflow.indicator.ta;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Parsed INDICATORS config, e.g. {@code "sma:20,ema:50,rsi:14,macd:12:26:9,bbands:20:2"}, or (by {@link #parseBars})
 * BAR_INDICATORS, which also takes the range indicators of bars. Immutable, thread-safe.
 * Tokens are case-insensitive and trimmed; each maps to one result key (DESIGN.md): {@code sma:20} → {@code sma_20},
 * {@code macd:12:26:9} → {@code macd_12_26_9} {macd, signal, hist}, {@code bbands:20:2} → {@code bbands_20_2}
 * {upper, middle, lower} ({@code bbands:20} means deviation 2, {@code bbands:20:2:3} → {@code bbands_20_2_3}),
 * {@code stddev:20} → {@code stddev_20} ({@code stddev:20:1.5} → {@code stddev_20_1.5}).
 * Bar-only tokens (they need a bar's high and low, or its volume): {@code atr:14} → {@code atr_14},
 * {@code stoch:14:3:3} → {@code stoch_14_3_3} {k, d} ({@code stoch:14} means 3, 3), {@code adx:14} → {@code adx_14},
 * {@code cci:14} → {@code cci_14}, {@code willr:14} → {@code willr_14}, {@code obv} → {@code obv},
 * {@code mfi:14} → {@code mfi_14}.
 */
public final class EngineSpec {
    public static final String DEFAULT = "sma:20,ema:20,rsi:14,macd:12:26:9,bbands:20:2";
    /** BAR_INDICATORS' default. */
    public static final String DEFAULT_BARS = "sma:20,ema:20,rsi:14,macd:12:26:9,bbands:20:2,atr:14,stoch:14:3:3";
    static final int MAX_PERIOD = 100_000;
    static final String ALLOWED = "allowed: sma:N, ema:N, wma:N, rsi:N, macd:FAST:SLOW:SIGNAL (FAST < SLOW), "
            + "bbands:N[:DEV[:DEVDN]], stddev:N[:NBDEV], roc:N, mom:N, vwap:N, separated by commas; periods are "
            + "integers 2.." + MAX_PERIOD + " (1.." + MAX_PERIOD + " for roc, mom, vwap), deviations finite numbers > 0";
    static final String ALLOWED_BARS = ALLOWED + "; on bars also atr:N, stoch:FASTK[:SLOWK:SLOWD], adx:N, cci:N, "
            + "willr:N, obv, mfi:N (periods 1.." + MAX_PERIOD + " for atr and stoch, 2.." + MAX_PERIOD + " for the rest)";

    private static final List<String> MACD_PARTS = List.of("macd", "signal", "hist");
    private static final List<String> BBANDS_PARTS = List.of("upper", "middle", "lower");
    private static final List<String> STOCH_PARTS = List.of("k", "d");

    /**
     * One parsed token: its normalised form, its result key and how to make a fresh indicator — {@code factory} for a
     * tick indicator (null for a bar-only one), {@code barFactory} always.
     */
    private record Entry(String canonical, OutputGroup output, Supplier<Indicator> factory,
                         Supplier<BarIndicator> barFactory) {
        Entry(final String canonical, final OutputGroup output, final Supplier<Indicator> factory) {
            this(canonical, output, factory, () -> new OnClose(factory.get()));
        }
    }

    private final List<Entry> entries;
    private final boolean bars;
    private final List<OutputGroup> outputs;
    private final int width;
    private final String canonical;

    private EngineSpec(final List<Entry> entries, final boolean bars) {
        this.entries = List.copyOf(entries);
        this.bars = bars;
        this.outputs = entries.stream().map(Entry::output).toList();
        this.width = entries.stream().mapToInt(e -> e.output().width()).sum();
        this.canonical = String.join(",", entries.stream().map(Entry::canonical).toList());
    }

    /** Parses a comma-separated list; IllegalArgumentException naming the bad token and what is allowed. */
    public static EngineSpec parse(final String list) {
        return parse(list, false);
    }

    /**
     * Parses BAR_INDICATORS: every INDICATORS token (fed each final bar's close, and volume for vwap) plus the range
     * indicators; the result makes {@link BarEngine}s. IllegalArgumentException naming the bad token.
     */
    public static EngineSpec parseBars(final String list) {
        return parse(list, true);
    }

    private static EngineSpec parse(final String list, final boolean bars) {
        if (list == null || list.isBlank()) {
            throw new IllegalArgumentException(configName(bars) + " is empty; " + allowed(bars));
        }
        final List<Entry> entries = new ArrayList<>();
        final Set<String> keys = new HashSet<>();
        int offset = 0;
        for (final String raw : list.split(",", -1)) {
            final Entry entry;
            try {
                entry = parseToken(raw.trim(), offset, bars);
                if (!keys.add(entry.output().key())) {
                    throw bad(raw.trim(), "duplicate of an earlier token (key " + entry.output().key() + ")");
                }
            } catch (IllegalArgumentException e) {
                throw bars ? new IllegalArgumentException(
                        e.getMessage().replace("bad INDICATORS", "bad BAR_INDICATORS").replace(ALLOWED, ALLOWED_BARS))
                        : e;
            }
            entries.add(entry);
            offset += entry.output().width();
        }
        return new EngineSpec(entries, bars);
    }

    private static String configName(final boolean bars) {
        return bars ? "BAR_INDICATORS" : "INDICATORS";
    }

    private static String allowed(final boolean bars) {
        return bars ? ALLOWED_BARS : ALLOWED;
    }

    private static Entry parseToken(final String token, final int offset, final boolean bars) {
        if (token.isEmpty()) throw bad(token, "empty token");
        final String[] f = token.split(":", -1);
        final String name = f[0].trim().toLowerCase(Locale.ROOT);
        f[0] = name;
        final Entry entry = switch (name) {
            case "sma" -> scalar(token, f, offset, Sma::new, 2);
            case "ema" -> scalar(token, f, offset, Ema::new, 2);
            case "wma" -> scalar(token, f, offset, Wma::new, 2);
            case "rsi" -> scalar(token, f, offset, Rsi::new, 2);
            case "roc" -> scalar(token, f, offset, Roc::new, 1);
            case "mom" -> scalar(token, f, offset, Mom::new, 1);
            case "vwap" -> scalar(token, f, offset, Vwap::new, 1);
            case "macd" -> macd(token, f, offset);
            case "bbands" -> bbands(token, f, offset);
            case "stddev" -> stddev(token, f, offset);
            case "atr", "adx", "cci", "willr", "mfi", "stoch", "obv" -> {
                if (!bars) throw bad(token, name + " needs bars (high, low, volume): use it in BAR_INDICATORS");
                yield range(token, f, offset);
            }
            default -> throw bad(token, "unknown indicator '" + name + "'");
        };
        try {
            entry.barFactory().get(); // constructors check what the token syntax cannot (e.g. WMA's upper bound)
        } catch (IllegalArgumentException e) {
            throw bad(token, e.getMessage());
        }
        return entry;
    }

    private interface PeriodFactory {
        Indicator create(int period);
    }

    private static Entry scalar(final String token, final String[] f, final int offset,
                                final PeriodFactory factory, final int minPeriod) {
        arity(token, f, 1, 1);
        final int p = period(token, f[1], minPeriod);
        return new Entry(f[0] + ":" + p, new OutputGroup(f[0] + "_" + p, List.of(), offset), () -> factory.create(p));
    }

    private static Entry macd(final String token, final String[] f, final int offset) {
        arity(token, f, 3, 3);
        final int fast = period(token, f[1], 2);
        final int slow = period(token, f[2], 2);
        final int signal = period(token, f[3], 2);
        if (fast >= slow) throw bad(token, "fast period " + fast + " must be < slow period " + slow);
        final String args = fast + ":" + slow + ":" + signal;
        return new Entry("macd:" + args, new OutputGroup("macd_" + args.replace(':', '_'), MACD_PARTS, offset),
                () -> new Macd(fast, slow, signal));
    }

    private static Entry bbands(final String token, final String[] f, final int offset) {
        arity(token, f, 1, 3);
        final int p = period(token, f[1], 2);
        final double up = f.length > 2 ? deviation(token, f[2]) : 2.0;
        final double dn = f.length > 3 ? deviation(token, f[3]) : up;
        final String args = p + ":" + format(up) + (dn == up ? "" : ":" + format(dn));
        return new Entry("bbands:" + args, new OutputGroup("bbands_" + args.replace(':', '_'), BBANDS_PARTS, offset),
                () -> new BollingerBands(p, up, dn));
    }

    private static Entry stddev(final String token, final String[] f, final int offset) {
        arity(token, f, 1, 2);
        final int p = period(token, f[1], 2);
        final double nb = f.length > 2 ? deviation(token, f[2]) : 1.0;
        final String args = p + (nb == 1.0 ? "" : ":" + format(nb));
        return new Entry("stddev:" + args, new OutputGroup("stddev_" + args.replace(':', '_'), List.of(), offset),
                () -> new StdDev(p, nb));
    }

    private interface BarFactory {
        BarIndicator create(int period);
    }

    private static Entry range(final String token, final String[] f, final int offset) {
        final String name = f[0];
        if (name.equals("obv")) {
            arity(token, f, 0, 0);
            return new Entry("obv", new OutputGroup("obv", List.of(), offset), null, Obv::new);
        }
        if (name.equals("stoch")) {
            if (f.length == 3) throw bad(token, "stoch takes 1 or 3 parameter(s), got 2");
            arity(token, f, 1, 3);
            final int k = period(token, f[1], 1);
            final int sk = f.length > 2 ? period(token, f[2], 1) : 3;
            final int sd = f.length > 3 ? period(token, f[3], 1) : 3;
            final String args = k + ":" + sk + ":" + sd;
            return new Entry("stoch:" + args, new OutputGroup("stoch_" + args.replace(':', '_'), STOCH_PARTS, offset),
                    null, () -> new Stoch(k, sk, sd));
        }
        arity(token, f, 1, 1);
        final BarFactory factory = switch (name) {
            case "atr" -> Atr::new;
            case "adx" -> Adx::new;
            case "cci" -> Cci::new;
            case "willr" -> WillR::new;
            default -> Mfi::new;
        };
        final int p = period(token, f[1], name.equals("atr") ? 1 : 2);
        return new Entry(name + ":" + p, new OutputGroup(name + "_" + p, List.of(), offset), null,
                () -> factory.create(p));
    }

    private static void arity(final String token, final String[] f, final int min, final int max) {
        final int n = f.length - 1;
        if (n < min || n > max) {
            final String want = min == max ? String.valueOf(min) : min + ".." + max;
            throw bad(token, f[0] + " takes " + want + " parameter(s), got " + n);
        }
    }

    private static int period(final String token, final String text, final int min) {
        final int p;
        try {
            p = Integer.parseInt(text.trim());
        } catch (NumberFormatException e) {
            throw bad(token, "period '" + text + "' is not an integer");
        }
        if (p < min || p > MAX_PERIOD) {
            throw bad(token, "period " + p + " is outside " + min + ".." + MAX_PERIOD);
        }
        return p;
    }

    private static double deviation(final String token, final String text) {
        final double d;
        try {
            d = Double.parseDouble(text.trim());
        } catch (NumberFormatException e) {
            throw bad(token, "deviation '" + text + "' is not a number");
        }
        if (!(d > 0.0) || !Double.isFinite(d)) throw bad(token, "deviation " + text + " must be finite and > 0");
        return d;
    }

    /** {@code 2.0} → {@code "2"}, {@code 1.5} → {@code "1.5"}: the form used in keys. */
    private static String format(final double d) {
        return d == Math.rint(d) && Math.abs(d) < 1e15 ? Long.toString((long) d) : Double.toString(d);
    }

    private static IllegalArgumentException bad(final String token, final String reason) {
        return new IllegalArgumentException("bad INDICATORS token '" + token + "': " + reason + "; " + ALLOWED);
    }

    /** Result keys in config order. */
    public List<OutputGroup> outputs() {
        return outputs;
    }

    /** The result keys in order (the layout a result encoder needs). */
    public List<String> outputKeys() {
        return outputs.stream().map(OutputGroup::key).toList();
    }

    /** The parts of each result key, in the order of {@link #outputKeys()} (empty for a scalar). */
    public List<List<String>> outputParts() {
        return outputs.stream().map(OutputGroup::parts).toList();
    }

    /** Number of doubles in {@link StockEngine#values()}. */
    public int width() {
        return width;
    }

    /** A per-tick engine; IllegalStateException for a BAR_INDICATORS spec that holds a bar-only indicator. */
    public StockEngine newEngine() {
        return new StockEngine(this);
    }

    /** An engine fed final bars; IllegalStateException for a spec parsed by {@link #parse} (INDICATORS). */
    public BarEngine newBarEngine() {
        if (!bars) throw new IllegalStateException("spec '" + canonical + "' was parsed as INDICATORS, not BAR_INDICATORS");
        return new BarEngine(this);
    }

    /** True when parsed by {@link #parseBars}. */
    public boolean bars() {
        return bars;
    }

    /** Normalised spec, e.g. {@code "sma:20,bbands:20:2"}; snapshots carry it to check they match the config. */
    public String canonical() {
        return canonical;
    }

    /** Fresh indicators in config order, for a new engine. */
    Indicator[] newIndicators() {
        final Indicator[] indicators = new Indicator[entries.size()];
        for (int i = 0; i < indicators.length; i++) {
            final Entry entry = entries.get(i);
            if (entry.factory() == null) {
                throw new IllegalStateException(entry.canonical() + " needs bars; '" + canonical
                        + "' makes BarEngines, not StockEngines");
            }
            indicators[i] = entry.factory().get();
        }
        return indicators;
    }

    /** Fresh bar indicators in config order, for a new bar engine. */
    BarIndicator[] newBarIndicators() {
        final BarIndicator[] indicators = new BarIndicator[entries.size()];
        for (int i = 0; i < indicators.length; i++) indicators[i] = entries.get(i).barFactory().get();
        return indicators;
    }

    @Override public boolean equals(final Object o) {
        return o instanceof EngineSpec other && canonical.equals(other.canonical) && bars == other.bars;
    }

    @Override public int hashCode() {
        return canonical.hashCode() * 31 + (bars ? 1 : 0);
    }

    @Override public String toString() {
        return canonical;
    }
}
