// The three Chart.js panes of the selected stock: price with moving averages and Bollinger bands, RSI, MACD.
// Which series exist is discovered from the results' indicator keys (the indicator set is configurable).
// x is the result's seq on a linear axis, labelled with the result's time.

import { indicatorValue } from './series.js';

const OVERLAY = /^(sma|ema|wma|dema|tema|trima|kama|hma|vwap|zlema|t3)_/;
const OSCILLATOR = /^(rsi|stoch|mfi|cci|willr)/;
const PALETTE = ['#f5b942', '#4fa3f7', '#c77dff', '#ff7a59', '#2ad4c4', '#e2e85c'];
const COLORS = {
  price: '#e8edf3', grid: 'rgba(140,155,175,0.08)', tick: '#7d8796',
  band: 'rgba(120,144,180,0.55)', bandFill: 'rgba(90,120,170,0.10)',
  up: 'rgba(38,194,129,0.75)', down: 'rgba(239,83,80,0.75)', level: 'rgba(200,210,225,0.25)',
};
const AXIS_WIDTH = 64; // same width on every pane, so their plot areas line up

/** What each pane shows, from one result's indicator keys. */
export function layoutOf(result) {
  const layout = { overlays: [], bands: [], oscillators: [], macds: [] };
  for (const [key, value] of Object.entries((result && result.indicators) || {})) {
    if (value !== null && typeof value === 'object') {
      if ('upper' in value && 'lower' in value) layout.bands.push(key);
      else if ('macd' in value && 'signal' in value) layout.macds.push(key);
    } else if (OSCILLATOR.test(key)) {
      layout.oscillators.push(key);
    } else if (OVERLAY.test(key)) {
      layout.overlays.push(key);
    }
  }
  return layout;
}

export class Charts {
  constructor(priceCanvas, rsiCanvas, macdCanvas) {
    Chart.defaults.color = COLORS.tick;
    Chart.defaults.font.family = 'ui-monospace, SFMono-Regular, Menlo, Consolas, monospace';
    Chart.defaults.font.size = 11;
    this.timeOfSeq = () => null;
    this.price = new Chart(priceCanvas, options(this, { legend: true, xLabels: false }));
    this.rsi = new Chart(rsiCanvas, options(this, { legend: true, xLabels: false, min: 0, max: 100 }));
    this.macd = new Chart(macdCanvas, options(this, { legend: true, xLabels: true }));
    this.signature = '';
    this.shownSeq = 0;
  }

  /** Redraws from the series (no animation). Rebuilds the datasets only when the stock or its keys change. */
  render(series) {
    const pts = series ? series.points : [];
    const last = pts.length ? pts[pts.length - 1] : null;
    const layout = layoutOf(last);
    const signature = `${series ? series.id : ''}|${JSON.stringify(layout)}`;
    if (signature !== this.signature) {
      this.signature = signature;
      this.#build(layout);
    }
    this.timeOfSeq = (seq) => {
      const r = series && series.find(seq);
      return r ? r.timestamp : null;
    };
    for (const chart of [this.price, this.rsi, this.macd]) {
      for (const ds of chart.data.datasets) ds.data = ds.read ? pts.map((p) => ({ x: p.seq, y: ds.read(p) })) : [];
      const x = chart.options.scales.x;
      x.min = pts.length ? pts[0].seq : undefined;
      x.max = last ? last.seq : undefined;
    }
    for (const ds of this.rsi.data.datasets) {
      if (ds.level !== undefined && pts.length) ds.data = [{ x: pts[0].seq, y: ds.level }, { x: last.seq, y: ds.level }];
    }
    this.price.update('none');
    this.rsi.update('none');
    this.macd.update('none');
    this.shownSeq = last ? last.seq : 0;
  }

  /** Points in the price line as drawn. */
  pointCount() {
    const ds = this.price.data.datasets.find((d) => d.role === 'price');
    return ds ? ds.data.length : 0;
  }

  #build(layout) {
    const price = [];
    layout.bands.forEach((key) => {
      price.push(line(`${key} upper`, COLORS.band, (r) => indicatorValue(r, `${key}.upper`), { borderWidth: 1 }));
      price.push(line(`${key} lower`, COLORS.band, (r) => indicatorValue(r, `${key}.lower`),
        { borderWidth: 1, fill: '-1', backgroundColor: COLORS.bandFill }));
    });
    layout.overlays.forEach((key, i) => {
      price.push(line(key, PALETTE[i % PALETTE.length], (r) => indicatorValue(r, key), { borderWidth: 1.2 }));
    });
    price.push(line('price', COLORS.price, (r) => (Number.isFinite(r.price) ? r.price : null),
      { borderWidth: 1.8, role: 'price' }));
    this.price.data.datasets = price;

    const rsi = layout.oscillators.map((key, i) => line(key, PALETTE[(i + 2) % PALETTE.length],
      (r) => indicatorValue(r, key), { borderWidth: 1.4 }));
    if (rsi.length) {
      for (const level of [70, 30]) {
        rsi.push({ ...line(String(level), COLORS.level, null, { borderWidth: 1, borderDash: [4, 4] }), level });
      }
    }
    this.rsi.data.datasets = rsi;

    const macd = [];
    layout.macds.forEach((key) => {
      macd.push({
        type: 'bar', label: `${key} hist`, read: (r) => indicatorValue(r, `${key}.hist`),
        backgroundColor: (ctx) => ((ctx.raw && ctx.raw.y) >= 0 ? COLORS.up : COLORS.down),
        barPercentage: 1, categoryPercentage: 1, order: 2,
      });
      macd.push(line(`${key} macd`, PALETTE[1], (r) => indicatorValue(r, `${key}.macd`), { borderWidth: 1.3, order: 1 }));
      macd.push(line(`${key} signal`, PALETTE[3], (r) => indicatorValue(r, `${key}.signal`), { borderWidth: 1.3, order: 1 }));
    });
    this.macd.data.datasets = macd;
  }
}

function line(label, color, read, extra) {
  return {
    type: 'line', label, read, borderColor: color, backgroundColor: color,
    pointRadius: 0, pointHitRadius: 4, tension: 0, spanGaps: false, fill: false, ...extra,
  };
}

function options(charts, { legend, xLabels, min, max }) {
  return {
    type: 'line',
    data: { datasets: [] },
    options: {
      animation: false,
      parsing: false,
      normalized: true,
      responsive: true,
      maintainAspectRatio: false,
      interaction: { mode: 'nearest', axis: 'x', intersect: false },
      layout: { padding: { left: 4, right: 0, top: 0, bottom: 0 } },
      plugins: {
        legend: {
          display: legend, align: 'start',
          labels: { boxWidth: 10, boxHeight: 2, padding: 8, filter: (item) => !/^\d+$/.test(item.text) },
        },
        tooltip: {
          callbacks: {
            title: (items) => (items.length ? `#${items[0].parsed.x}  ${formatTime(charts.timeOfSeq(items[0].parsed.x))}` : ''),
            label: (item) => `${item.dataset.label}: ${item.parsed.y === null ? '—' : item.parsed.y.toFixed(4)}`,
          },
        },
      },
      scales: {
        x: {
          type: 'linear',
          grid: { color: COLORS.grid },
          ticks: {
            display: xLabels, maxTicksLimit: 8, precision: 0, maxRotation: 0, includeBounds: false,
            callback: (seq) => formatTime(charts.timeOfSeq(seq)) || `#${seq}`,
          },
        },
        y: {
          position: 'right', min, max,
          grid: { color: COLORS.grid },
          ticks: { maxTicksLimit: 6 },
          afterFit: (scale) => { scale.width = AXIS_WIDTH; },
        },
      },
    },
  };
}

export function formatTime(timestamp) {
  if (timestamp === null || timestamp === undefined) return '';
  const d = new Date(timestamp);
  return Number.isNaN(d.getTime()) ? '' : d.toLocaleTimeString([], { hour12: false });
}
