// Candles of the selected stock (Apache ECharts): OHLC candlesticks with moving averages and Bollinger bands
// overlaid, and panes for RSI, MACD and STOCH below. Back-filled from GET /api/bars, then live over the WebSocket
// (protocol v1's bar subscription): final bars by seq, the forming candle moving until its final record replaces it.
// Which lines exist is discovered from the bars' indicator keys (the bar indicator set is configurable).

import { indicatorValue } from './series.js';

const MAX_BARS = 500;        // final bars kept (and drawn) for the shown series
const SNAPSHOT_LIMIT = 200;  // bars asked for in the WebSocket snapshot (REST back-fills up to MAX_BARS)
const RENDER_MS = 200;       // ≤ 5 redraws/s
const OVERLAY = /^(sma|ema|wma|dema|tema|trima|kama|hma|vwap|zlema|t3)_/;
const UPPER_OSC = /^(rsi|mfi|willr|cci)_/;
const PALETTE = ['#f5b942', '#4fa3f7', '#c77dff', '#ff7a59', '#2ad4c4', '#e2e85c'];
const UP = '#26c281';
const DOWN = '#ef5350';
const GRID = 'rgba(140,155,175,0.08)';
const TICK = '#7d8796';

/** One stock's bars of one interval: final bars in seq order (deduplicated) and the forming one. */
export class BarSeries {
  constructor(id, interval) {
    this.id = id;
    this.interval = interval;
    this.finals = [];
    this.forming = null;
  }

  get lastSeq() {
    return this.finals.length ? this.finals[this.finals.length - 1].seq : 0;
  }

  /** Takes a bar record; returns whether anything changed (duplicates and stale forming bars do not). */
  add(bar) {
    if (!bar || bar.stock_id !== this.id || bar.interval !== this.interval) return false;
    const start = Date.parse(bar.start);
    const last = this.finals.length ? this.finals[this.finals.length - 1] : null;
    if (bar.final) {
      if (last && bar.seq <= last.seq) return false;
      this.finals.push(bar);
      if (this.finals.length > MAX_BARS) this.finals.splice(0, this.finals.length - MAX_BARS);
      if (this.forming && Date.parse(this.forming.start) <= start) this.forming = null;
      return true;
    }
    if (last && start <= Date.parse(last.start)) return false;
    if (this.forming) {
      const current = Date.parse(this.forming.start);
      if (start < current || (start === current && bar.trades < this.forming.trades)) return false;
    }
    this.forming = bar;
    return true;
  }

  /** Older final bars (a REST page), merged in by seq. */
  addOlder(bars) {
    const known = new Set(this.finals.map((b) => b.seq));
    const merged = this.finals.concat(bars.filter((b) => b.final && !known.has(b.seq)));
    merged.sort((a, b) => a.seq - b.seq);
    this.finals = merged.slice(-MAX_BARS);
    for (const b of bars) if (!b.final) this.add(b);
  }

  clear() {
    this.finals = [];
    this.forming = null;
  }

  bars() {
    return this.forming ? this.finals.concat([this.forming]) : this.finals;
  }
}

/** What the panes show, from one bar's indicator keys. */
function layoutOf(bar) {
  const layout = { overlays: [], bands: [], oscillators: [], macds: [], stochs: [] };
  for (const [key, value] of Object.entries((bar && bar.indicators) || {})) {
    if (value !== null && typeof value === 'object') {
      if ('upper' in value && 'lower' in value) layout.bands.push(key);
      else if ('macd' in value && 'signal' in value) layout.macds.push(key);
      else if ('k' in value && 'd' in value) layout.stochs.push(key);
    } else if (UPPER_OSC.test(key)) {
      layout.oscillators.push(key);
    } else if (OVERLAY.test(key)) {
      layout.overlays.push(key);
    }
  }
  return layout;
}

export class Candles {
  /** container: the chart's element; feed: the page's Feed; fetchJson: path → parsed JSON. */
  constructor(container, feed, fetchJson, onChange) {
    this.container = container;
    this.feed = feed;
    this.fetchJson = fetchJson;
    this.onChange = onChange || (() => {});
    this.chart = null;
    this.series = null;
    this.signature = '';
    this.pending = false;
    this.shown = { finals: 0, forming: null };
  }

  get interval() {
    return this.series ? this.series.interval : null;
  }

  /**
   * Shows a stock's bars of an interval: ends the previous bar subscription and subscribes. The subscription's
   * snapshot brings the last SNAPSHOT_LIMIT bars (none if the stock has no bars yet: no request that could 404);
   * older bars are then back-filled from REST, page by page with the {@code before} cursor, up to MAX_BARS.
   */
  show(id, interval) {
    if (this.series && this.series.id === id && this.series.interval === interval) return;
    if (this.series) this.feed.unsubscribeBars([this.series.id], this.series.interval);
    this.series = new BarSeries(id, interval);
    this.schedule();
    this.feed.subscribeBars([id], interval, SNAPSHOT_LIMIT);
  }

  async #backfill(series) {
    while (this.series === series && series.finals.length < MAX_BARS && series.finals.length > 0
        && series.finals[0].seq > 1) {
      const before = series.finals[0].seq;
      let page;
      try {
        page = await this.fetchJson(`/api/bars/${encodeURIComponent(series.id).replace(/%2F/g, '/')}`
          + `?interval=${encodeURIComponent(series.interval)}&limit=${MAX_BARS - series.finals.length}`
          + `&before=${before}`);
      } catch (e) {
        return; // gone meanwhile (e.g. retired): what the socket brings is still drawn
      }
      if (this.series !== series || !page.length) return;
      series.addOlder(page);
      this.schedule();
      if (series.finals[0].seq >= before) return; // nothing older came: the server's ring ends here
    }
  }

  /** (Re)connected: resume the shown series from its last final bar (or subscribe afresh). */
  onOpen() {
    const s = this.series;
    if (!s) return;
    if (s.lastSeq > 0) this.feed.resumeBars({ [s.id]: s.lastSeq }, s.interval, SNAPSHOT_LIMIT);
    else this.feed.subscribeBars([s.id], s.interval, SNAPSHOT_LIMIT);
  }

  onBars(frame) {
    const s = this.series;
    if (!s || frame.symbol !== s.id || frame.interval !== s.interval) return;
    s.addOlder(frame.data || []);
    this.schedule();
    this.#backfill(s);
  }

  onBar(bar) {
    if (this.series && this.series.add(bar)) this.schedule();
  }

  /** The ring no longer reached back: start over from the snapshot that follows. */
  onBarsReset(frame) {
    const s = this.series;
    if (s && frame.symbol === s.id && frame.interval === s.interval) {
      s.clear();
      this.schedule();
    }
  }

  /** What is drawn, for tests: counts, the last final bar and the forming one. */
  state() {
    const s = this.series;
    if (!s) return null;
    const last = s.finals.length ? s.finals[s.finals.length - 1] : null;
    return {
      id: s.id,
      interval: s.interval,
      finals: this.shown.finals,
      lastFinal: last ? { seq: last.seq, start: last.start, close: last.close } : null,
      forming: this.shown.forming,
    };
  }

  schedule() {
    if (this.pending) return;
    this.pending = true;
    setTimeout(() => requestAnimationFrame(() => {
      this.pending = false;
      this.render();
    }), RENDER_MS);
  }

  render() {
    if (this.container.offsetParent === null) {
      this.stale = true; // hidden: draw when shown
      return;
    }
    this.stale = false;
    if (!this.chart) this.chart = echarts.init(this.container, null, { renderer: 'canvas' });
    const s = this.series;
    const bars = s ? s.bars() : [];
    const layout = layoutOf(bars.length ? bars[bars.length - 1] : null);
    const signature = JSON.stringify(layout);
    const option = optionOf(s, bars, layout);
    const rebuild = signature !== this.signature || this.shownId !== (s && `${s.id} ${s.interval}`);
    if (!rebuild) delete option.dataZoom; // keep the user's zoom while bars arrive
    this.chart.setOption(option, { notMerge: rebuild, lazyUpdate: false });
    this.shownId = s && `${s.id} ${s.interval}`;
    this.signature = signature;
    this.shown = {
      finals: s ? s.finals.length : 0,
      forming: s && s.forming ? { start: s.forming.start, close: s.forming.close, trades: s.forming.trades } : null,
    };
    this.onChange(this.state());
  }

  resize() {
    if (this.stale) this.render();
    if (this.chart) this.chart.resize();
  }
}

function optionOf(series, bars, layout) {
  const labels = bars.map((b) => label(b.start, series.interval));
  const value = (key) => bars.map((b) => indicatorValue(b, key));
  const panes = [
    { name: 'price', height: 46 },
    ...(layout.oscillators.length ? [{ name: 'osc', height: 14 }] : []),
    ...(layout.macds.length ? [{ name: 'macd', height: 14 }] : []),
    ...(layout.stochs.length ? [{ name: 'stoch', height: 14 }] : []),
  ];
  let top = 6;
  const grids = panes.map((p) => {
    const g = { left: 8, right: 64, top: `${top}%`, height: `${p.height - 3}%`, containLabel: false };
    top += p.height + 2;
    return g;
  });
  const index = (name) => panes.findIndex((p) => p.name === name);
  const xAxis = panes.map((p, i) => ({
    type: 'category', gridIndex: i, data: labels, boundaryGap: true,
    axisLine: { lineStyle: { color: GRID } }, axisTick: { show: false },
    axisLabel: { show: i === panes.length - 1, color: TICK },
    splitLine: { show: false },
  }));
  const yAxis = panes.map((p, i) => ({
    type: 'value', gridIndex: i, position: 'right', scale: p.name === 'price' || p.name === 'macd',
    min: p.name === 'osc' || p.name === 'stoch' ? 0 : undefined, max: p.name === 'osc' || p.name === 'stoch' ? 100 : undefined,
    splitNumber: p.name === 'price' ? 5 : 2,
    axisLabel: { color: TICK }, splitLine: { lineStyle: { color: GRID } },
  }));
  const line = (name, data, pane, color, extra = {}) => ({
    name, type: 'line', data, xAxisIndex: pane, yAxisIndex: pane, showSymbol: false, connectNulls: false,
    lineStyle: { width: 1.2, color }, itemStyle: { color }, animation: false, ...extra,
  });
  const out = [{
    id: 'candles', name: series ? `${series.id} ${series.interval}` : 'candles', type: 'candlestick',
    data: bars.map((b) => [b.open, b.close, b.low, b.high]),
    itemStyle: { color: UP, color0: DOWN, borderColor: UP, borderColor0: DOWN },
    animation: false,
  }];
  layout.bands.forEach((key) => {
    out.push(line(`${key} upper`, value(`${key}.upper`), 0, 'rgba(120,144,180,0.7)', { lineStyle: { width: 1, type: 'dashed' } }));
    out.push(line(`${key} middle`, value(`${key}.middle`), 0, 'rgba(120,144,180,0.45)', { lineStyle: { width: 1 } }));
    out.push(line(`${key} lower`, value(`${key}.lower`), 0, 'rgba(120,144,180,0.7)', { lineStyle: { width: 1, type: 'dashed' } }));
  });
  layout.overlays.forEach((key, i) => out.push(line(key, value(key), 0, PALETTE[i % PALETTE.length])));
  layout.oscillators.forEach((key, i) => out.push(line(key, value(key), index('osc'), PALETTE[(i + 2) % PALETTE.length],
    i === 0 ? { markLine: levels([70, 30]) } : {})));
  layout.macds.forEach((key) => {
    const pane = index('macd');
    out.push({
      name: `${key} hist`, type: 'bar', xAxisIndex: pane, yAxisIndex: pane, animation: false,
      data: value(`${key}.hist`).map((v) => ({ value: v, itemStyle: { color: v >= 0 ? UP : DOWN } })),
    });
    out.push(line(`${key} macd`, value(`${key}.macd`), pane, PALETTE[1]));
    out.push(line(`${key} signal`, value(`${key}.signal`), pane, PALETTE[3]));
  });
  layout.stochs.forEach((key) => {
    const pane = index('stoch');
    out.push(line(`${key} k`, value(`${key}.k`), pane, PALETTE[4], { markLine: levels([80, 20]) }));
    out.push(line(`${key} d`, value(`${key}.d`), pane, PALETTE[3]));
  });
  return {
    backgroundColor: 'transparent',
    animation: false,
    textStyle: { fontFamily: 'ui-monospace, SFMono-Regular, Menlo, Consolas, monospace', fontSize: 11 },
    legend: { top: 0, left: 8, textStyle: { color: TICK }, itemHeight: 4, itemWidth: 10, type: 'scroll' },
    tooltip: { trigger: 'axis', axisPointer: { type: 'cross' }, backgroundColor: '#151b25', borderColor: '#1e2632',
      textStyle: { color: '#d8dee8' } },
    axisPointer: { link: [{ xAxisIndex: 'all' }] },
    dataZoom: [{ type: 'inside', xAxisIndex: panes.map((p, i) => i), start: bars.length > 120 ? 100 - 12000 / bars.length : 0, end: 100 }],
    grid: grids,
    xAxis,
    yAxis,
    series: out,
  };
}

function levels(values) {
  return {
    silent: true, symbol: 'none', label: { show: false }, animation: false,
    lineStyle: { color: 'rgba(200,210,225,0.25)', type: 'dashed', width: 1 },
    data: values.map((v) => ({ yAxis: v })),
  };
}

function label(start, interval) {
  const d = new Date(start);
  if (Number.isNaN(d.getTime())) return String(start);
  const iso = d.toISOString();
  return interval.endsWith('d') ? iso.slice(0, 10) : interval.endsWith('s') ? iso.slice(11, 19) : iso.slice(5, 16).replace('T', ' ');
}
