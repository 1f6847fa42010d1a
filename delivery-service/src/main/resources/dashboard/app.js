// tickflow live dashboard: stock picker, charts of the selected stock, and a watchlist table that flashes on change.
// Data in: /api/* for the stock list and history backfill, the WebSocket (protocol v1) for live results.
// Rendering is decoupled from arrival: frames only mark things dirty, and at most FRAME_MS apart one
// requestAnimationFrame redraws what changed. Every buffer is bounded.

import { Series, flattenIndicators, indicatorValue } from './series.js';
import { Feed } from './feed.js';
import { Charts, formatTime } from './charts.js';
import { Candles } from './candles.js';

const MAX_POINTS = 500;      // results kept (and drawn) per stock
const HISTORY_LIMIT = 300;   // backfill depth
const MAX_WATCHED = 40;      // table rows / subscriptions
const DEFAULT_WATCHED = 5;   // subscribed on first load
const MAX_LISTED = 300;      // stock list entries shown for a search
const FRAME_MS = 100;        // ≤ 10 frames/s
const BACKFILL_SPACING_MS = 5000;
const CONFLATED_SHOW_MS = 5000;

const $ = (selector) => document.querySelector(selector);
const el = (tag, attrs = {}, text) => {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, v);
  if (text !== undefined) node.textContent = text;
  return node;
};

const state = {
  stocks: [],
  watched: new Map(),  // stock id -> Series, in the order added
  selected: null,
  feedState: 'connecting',
  retryAt: 0,
  conflatedAt: 0,
  received: 0,
  rate: 0,
  columns: [],
  backfilledAt: new Map(),
};
const dirty = { rows: new Set(), chart: false, list: false, columns: false };
let charts = null;
let candles = null;
let feed = null;
let wsUrl = null;

// ---------- data ----------

// With WS_AUTH_TOKENS set, the REST API wants a bearer token and the WebSocket an `auth` op first: the page asks for
// the token once per browser tab (sessionStorage, never the URL) and sends it with every request.
const TOKEN_KEY = 'tickflow.token';
let serverConfig = null;

function token() {
  return sessionStorage.getItem(TOKEN_KEY);
}

async function loadConfig() {
  if (!serverConfig) {
    const response = await fetch('/api/config', { cache: 'no-store' });
    if (!response.ok) throw new Error(`/api/config: HTTP ${response.status}`);
    serverConfig = await response.json();
  }
  return serverConfig;
}

/** Resolves once a token is stored, asking for one through the page's form if the server wants one. */
async function ensureToken(rejected = false) {
  const config = await loadConfig();
  if (!config.auth || (token() && !rejected)) return;
  sessionStorage.removeItem(TOKEN_KEY);
  const form = $('#auth');
  form.hidden = false;
  $('#auth-error').hidden = !rejected;
  $('#auth-token').focus();
  await new Promise((resolve) => {
    form.onsubmit = (event) => {
      event.preventDefault();
      sessionStorage.setItem(TOKEN_KEY, $('#auth-token').value.trim());
      form.hidden = true;
      resolve();
    };
  });
}

async function fetchJson(path) {
  const headers = token() ? { Authorization: `Bearer ${token()}` } : {};
  const response = await fetch(path, { cache: 'no-store', headers });
  if ((response.status === 401 || response.status === 403) && token()) {
    sessionStorage.removeItem(TOKEN_KEY); // the stored token is not (or no longer) accepted: ask again
    location.reload();
  }
  if (!response.ok) throw new Error(`${path}: HTTP ${response.status}`);
  return response.json();
}

async function resolveWsUrl() {
  if (!wsUrl) {
    const config = await loadConfig();
    const scheme = location.protocol === 'https:' ? 'wss' : 'ws';
    wsUrl = `${scheme}://${location.hostname}:${config.wsPort}/`;
  }
  return wsUrl;
}

async function loadStocks() {
  let body;
  try {
    body = await fetchJson('/api/stocks');
  } catch (e) {
    return;
  }
  const list = Array.isArray(body) ? body : (body.stocks || body.symbols || []);
  const ids = list.map((s) => (typeof s === 'string' ? s : s.stock_id || s.id || s.symbol)).filter(Boolean);
  ids.sort();
  if (ids.join() !== state.stocks.join()) {
    state.stocks = ids;
    dirty.list = true;
    scheduleRender();
  }
  if (state.watched.size === 0 && ids.length) {
    const wanted = new URLSearchParams(location.search).get('stock');
    const first = wanted && ids.includes(wanted) ? wanted : ids[0];
    select(first);
    ids.filter((id) => id !== first).slice(0, DEFAULT_WATCHED - 1).forEach(watch);
  }
}

async function backfill(id) {
  state.backfilledAt.set(id, Date.now());
  let body;
  try {
    body = await fetchJson(`/api/indicators/${encodeURIComponent(id)}/history?limit=${HISTORY_LIMIT}`);
  } catch (e) {
    return; // no data yet (404) or the service is away: live frames and the next reconnect fill in
  }
  const series = state.watched.get(id);
  const results = Array.isArray(body) ? body : (body.results || body.data || []);
  if (!series) return;
  if (diverged(series, results)) series.clear(); // a fresh stack restarted the stock's seqs: start over
  if (results.reduce((added, r) => series.add(r) || added, false) || !series.points.length) markChanged(id);
}

/** True when the server's history is not the one the page holds: same seq, other result; or behind it, unrelated. */
function diverged(series, results) {
  if (!results.length || !series.points.length) return false;
  const newest = results[results.length - 1];
  const ours = series.find(newest.seq);
  if (ours) return ours.timestamp !== newest.timestamp || ours.price !== newest.price;
  return newest.seq < series.lastSeq && !results.some((r) => series.find(r.seq));
}

function backfillSoon(id) {
  const last = state.backfilledAt.get(id) || 0;
  if (Date.now() - last > BACKFILL_SPACING_MS) backfill(id);
}

function watch(id) {
  if (state.watched.has(id)) return;
  if (state.watched.size >= MAX_WATCHED) {
    const oldest = [...state.watched.keys()].find((k) => k !== state.selected);
    unwatch(oldest);
  }
  state.watched.set(id, new Series(id, MAX_POINTS));
  feed.subscribe([id]);
  backfill(id);
  dirty.rows.add(id);
  dirty.list = true;
  scheduleRender();
}

function unwatch(id) {
  if (!state.watched.delete(id)) return;
  feed.unsubscribe([id]);
  state.backfilledAt.delete(id);
  $(`#watchlist tbody tr[data-stock="${CSS.escape(id)}"]`)?.remove();
  if (state.selected === id) {
    state.selected = null;
    const next = state.watched.keys().next();
    if (!next.done) select(next.value);
  }
  dirty.list = true;
  dirty.chart = true;
  scheduleRender();
}

function select(id) {
  watch(id);
  state.selected = id;
  if (candles) candles.show(id, $('#bar-interval').value);
  dirty.chart = true;
  dirty.list = true;
  dirty.rows.add(id);
  scheduleRender();
}

function markChanged(id) {
  dirty.rows.add(id);
  if (id === state.selected) dirty.chart = true;
  scheduleRender();
}

// ---------- feed callbacks ----------

/** (Re)connected: resume the stocks the page has data for (resume also subscribes), subscribe the rest, backfill. */
function onOpen() {
  const from = {};
  const fresh = [];
  for (const series of state.watched.values()) {
    if (series.lastSeq > 0) from[series.id] = series.lastSeq; else fresh.push(series.id);
  }
  feed.resume(from);
  feed.subscribe(fresh);
  state.watched.forEach((series, id) => backfill(id));
  if (candles) candles.onOpen();
}

function onResults(results, conflated) {
  if (conflated) state.conflatedAt = Date.now();
  for (const r of results) {
    const series = r && state.watched.get(r.stock_id);
    if (!series) continue;
    state.received++;
    const before = series.lastSeq;
    if (!series.add(r)) continue;
    markChanged(series.id);
    if (before > 0 && r.seq > before + 1) setTimeout(() => series.hasHole() && backfillSoon(series.id), 1500);
  }
}

function onReset(ids) {
  for (const id of ids || [...state.watched.keys()]) {
    const series = state.watched.get(id);
    if (!series) continue;
    series.clear();
    markChanged(id);
    backfill(id);
  }
}

function onError(frame) {
  if (frame.code === 401 || frame.code === 402) {
    sessionStorage.removeItem(TOKEN_KEY);
    ensureToken(true).then(() => location.reload());
    return;
  }
  toast(`Server error ${frame.code ?? ''}: ${frame.message ?? 'unknown'}`);
}

function onState(feedState, retryAt) {
  state.feedState = feedState;
  state.retryAt = retryAt;
  renderStatus();
}

// ---------- rendering ----------

let renderPending = false;
let lastRenderAt = 0;
let frames = 0;

function scheduleRender() {
  if (renderPending) return;
  renderPending = true;
  const wait = Math.max(0, lastRenderAt + FRAME_MS - performance.now());
  setTimeout(() => requestAnimationFrame(render), wait);
}

function render() {
  renderPending = false;
  lastRenderAt = performance.now();
  frames++;
  if (dirty.list) renderList();
  if (dirty.rows.size) {
    renderColumns();
    for (const id of dirty.rows) renderRow(id);
  }
  if (dirty.chart || dirty.rows.has(state.selected)) {
    const series = state.watched.get(state.selected);
    renderSummary(series);
    charts.render(series);
    $('#chart-empty').hidden = Boolean(series && series.points.length);
  }
  dirty.rows.clear();
  dirty.chart = false;
  dirty.list = false;
  $('#watch-count').textContent = state.watched.size;
}

function renderStatus() {
  const status = $('#status');
  let view = state.feedState;
  let text = { connecting: 'Connecting…', live: 'Live', reconnecting: 'Reconnecting…' }[view] || view;
  if (view === 'live' && Date.now() - state.conflatedAt < CONFLATED_SHOW_MS) {
    view = 'conflated';
    text = 'Live · conflated';
  } else if (view === 'reconnecting' && state.retryAt > Date.now()) {
    text = `Reconnecting in ${Math.ceil((state.retryAt - Date.now()) / 1000)} s`;
  }
  status.dataset.state = view;
  status.title = view === 'conflated' ? 'The server is sending only the latest value per stock: this page is falling behind' : '';
  $('#status-text').textContent = text;
}

function renderList() {
  const query = $('#stock-search').value.trim().toUpperCase();
  const matches = state.stocks.filter((id) => id.toUpperCase().includes(query));
  const list = $('#stock-list');
  const items = matches.slice(0, MAX_LISTED).map((id) => {
    const button = el('button', {
      type: 'button', 'data-stock': id,
      'aria-pressed': String(id === state.selected),
      title: state.watched.has(id) ? `${id} (watching)` : `Watch ${id}`,
    });
    button.append(el('span', { class: 'sym' }, id));
    const last = state.watched.get(id)?.last;
    if (state.watched.has(id)) button.append(el('span', { class: 'px' }, last ? formatNumber(last.price) : '·'));
    const li = el('li');
    li.append(button);
    return li;
  });
  list.replaceChildren(...items);
  $('#stock-count').textContent = state.stocks.length;
  $('#stock-list-note').textContent = matches.length > MAX_LISTED
    ? `${matches.length - MAX_LISTED} more: refine the search`
    : (state.stocks.length ? '' : 'No stocks yet: waiting for the first results…');
}

function renderColumns() {
  const keys = new Set();
  for (const series of state.watched.values()) {
    for (const [k] of flattenIndicators(series.last && series.last.indicators)) keys.add(k);
  }
  const columns = [...keys];
  if (columns.join() === state.columns.join()) return;
  state.columns = columns;
  const head = $('#watchlist thead tr');
  head.replaceChildren(
    el('th', { scope: 'col' }, 'symbol'), el('th', { scope: 'col', class: 'num' }, 'last'),
    el('th', { scope: 'col', class: 'num' }, 'chg'), el('th', { scope: 'col', class: 'num' }, 'seq'),
    el('th', { scope: 'col', class: 'num' }, 'volume'),
    ...columns.map((c) => el('th', { scope: 'col', class: 'num', title: c }, columnLabel(c))),
    el('th', { scope: 'col', class: 'num' }, 'time'), el('th', { scope: 'col', 'aria-label': 'remove' }),
  );
  for (const row of document.querySelectorAll('#watchlist tbody tr')) row.remove();
  for (const id of state.watched.keys()) dirty.rows.add(id);
}

/** "macd_12_26_9.hist" → "macd hist", "bbands_20_2.upper" → "bb upper", "sma_20" stays; the full key is the title. */
function columnLabel(key) {
  const [base, field] = key.split('.');
  if (!field) return base;
  const name = base.split('_')[0].replace('bbands', 'bb');
  return field === name ? name : `${name} ${field}`;
}

function renderRow(id) {
  const series = state.watched.get(id);
  if (!series) return;
  const tbody = $('#watchlist tbody');
  let row = tbody.querySelector(`tr[data-stock="${CSS.escape(id)}"]`);
  if (!row) {
    row = el('tr', { 'data-stock': id, tabindex: '0' });
    row.append(el('th', { scope: 'row', 'data-field': 'stock_id' }, id));
    for (const field of ['price', 'change', 'seq', 'volume', ...state.columns, 'time']) {
      row.append(el('td', { class: 'num', 'data-field': field }, '—'));
    }
    const remove = el('button', { type: 'button', class: 'remove', 'aria-label': `Stop watching ${id}` }, '×');
    const cell = el('td');
    cell.append(remove);
    row.append(cell);
    const ids = [...state.watched.keys()];
    const after = [...tbody.rows].find((other) => ids.indexOf(other.dataset.stock) > ids.indexOf(id));
    tbody.insertBefore(row, after || null); // rows in the order stocks were added
  }
  row.classList.toggle('selected', id === state.selected);
  const r = series.last;
  if (!r) return;
  const prev = series.previous;
  setCell(row, 'price', r.price, formatNumber(r.price));
  const change = prev ? (r.price - prev.price) / prev.price * 100 : null;
  setCell(row, 'change', change, change === null ? '—' : `${change >= 0 ? '+' : ''}${change.toFixed(3)}%`, 'sign');
  setCell(row, 'seq', r.seq, String(r.seq), 'none');
  setCell(row, 'volume', r.volume, formatVolume(r.volume), 'none');
  for (const field of state.columns) {
    const v = indicatorValue(r, field);
    setCell(row, field, v, v === null ? '—' : formatNumber(v));
  }
  setCell(row, 'time', null, formatTime(r.timestamp), 'none');
  const listed = $(`#stock-list button[data-stock="${CSS.escape(id)}"] .px`);
  if (listed) listed.textContent = formatNumber(r.price);
}

/** Writes a cell and restarts its flash when the value moved (two identical keyframes: switching restarts it). */
function setCell(row, field, value, text, flash = 'move') {
  const cell = row.querySelector(`[data-field="${CSS.escape(field)}"]`);
  if (!cell) return;
  const old = cell.dataset.value === undefined || cell.dataset.value === '' ? null : Number(cell.dataset.value);
  cell.dataset.value = value === null || value === undefined ? '' : String(value);
  if (cell.textContent !== text) cell.textContent = text;
  if (flash === 'sign') {
    cell.classList.toggle('up', value > 0);
    cell.classList.toggle('down', value < 0);
  } else if (flash === 'move' && old !== null && value !== null && value !== old) {
    const dir = value > old ? 'up' : 'down';
    const phase = cell.dataset.flash === `${dir}0` ? 1 : 0;
    cell.classList.remove('flash-up0', 'flash-up1', 'flash-down0', 'flash-down1');
    cell.classList.add(`flash-${dir}${phase}`);
    cell.dataset.flash = `${dir}${phase}`;
  }
}

function renderSummary(series) {
  const r = series && series.last;
  $('#selected-symbol').textContent = state.selected || '—';
  const price = $('#last-price');
  const seq = $('#last-seq');
  if (!r) {
    price.textContent = '—';
    price.dataset.value = '';
    seq.textContent = '—';
    seq.dataset.value = '';
    $('#summary-indicators').replaceChildren();
    return;
  }
  const prev = series.previous;
  price.textContent = formatNumber(r.price);
  price.dataset.value = String(r.price);
  seq.textContent = String(r.seq);
  seq.dataset.value = String(r.seq);
  const change = $('#last-change');
  if (prev) {
    const diff = r.price - prev.price;
    const arrow = diff > 0 ? '▲' : diff < 0 ? '▼' : '•';
    change.textContent = `${arrow} ${formatNumber(Math.abs(diff))} (${(diff / prev.price * 100).toFixed(3)}%)`;
    change.dataset.dir = diff > 0 ? 'up' : diff < 0 ? 'down' : 'flat';
  } else {
    change.textContent = '';
  }
  $('#selected-time').textContent = formatTime(r.timestamp);
  $('#last-volume').textContent = formatVolume(r.volume);
  $('#last-latency').textContent = Number.isFinite(r.computed_us) && Number.isFinite(r.ingest_us)
    ? `${((r.computed_us - r.ingest_us) / 1000).toFixed(1)} ms` : '—';
  const facts = Object.entries(r.indicators || {}).map(([key, value]) => {
    const wrap = el('div');
    const fields = value !== null && typeof value === 'object' ? ` ${Object.keys(value).join('/')}` : '';
    wrap.append(el('dt', {}, key + fields));
    const dd = el('dd');
    const parts = value !== null && typeof value === 'object'
      ? Object.entries(value).map(([field, v]) => [`${key}.${field}`, v, field]) : [[key, value, key]];
    for (const [field, v, title] of parts) {
      const number = typeof v === 'number' && Number.isFinite(v) ? v : null;
      const span = el('span', { 'data-field': field, 'data-value': number === null ? '' : String(number), title },
        number === null ? '…' : formatNumber(number));
      if (number === null) span.classList.add('muted');
      dd.append(span);
    }
    wrap.append(dd);
    return wrap;
  });
  $('#summary-indicators').replaceChildren(...facts);
}

function formatNumber(v) {
  if (v === null || v === undefined || !Number.isFinite(v)) return '—';
  const abs = Math.abs(v);
  const digits = abs >= 1000 ? 2 : abs >= 1 ? 3 : 4;
  return v.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
}

function formatVolume(v) {
  if (!Number.isFinite(v)) return '—';
  if (v >= 1e9) return `${(v / 1e9).toFixed(2)}B`;
  if (v >= 1e6) return `${(v / 1e6).toFixed(2)}M`;
  if (v >= 1e4) return `${(v / 1e3).toFixed(1)}K`;
  return String(Math.round(v));
}

let toastTimer = 0;
function toast(message) {
  const box = $('#toast');
  box.textContent = message;
  box.hidden = false;
  clearTimeout(toastTimer);
  toastTimer = setTimeout(() => { box.hidden = true; }, 6000);
}

// ---------- wiring ----------

function wireInputs() {
  const search = $('#stock-search');
  search.addEventListener('input', () => { dirty.list = true; scheduleRender(); });
  search.addEventListener('keydown', (event) => {
    if (event.key === 'Enter') {
      const query = search.value.trim().toUpperCase();
      const match = state.stocks.find((id) => id.toUpperCase() === query)
        || state.stocks.find((id) => id.toUpperCase().includes(query));
      if (match) select(match);
    } else if (event.key === 'Escape') {
      search.value = '';
      dirty.list = true;
      scheduleRender();
    }
  });
  $('#stock-list').addEventListener('click', (event) => {
    const button = event.target.closest('button[data-stock]');
    if (button) select(button.dataset.stock);
  });
  const tbody = $('#watchlist tbody');
  tbody.addEventListener('click', (event) => {
    const row = event.target.closest('tr[data-stock]');
    if (!row) return;
    if (event.target.closest('button.remove')) unwatch(row.dataset.stock); else select(row.dataset.stock);
  });
  tbody.addEventListener('keydown', (event) => {
    const row = event.target.closest('tr[data-stock]');
    if (row && (event.key === 'Enter' || event.key === ' ')) {
      event.preventDefault();
      select(row.dataset.stock);
    } else if (row && event.key === 'Delete') {
      unwatch(row.dataset.stock);
    }
  });
}

// ---------- views: per-tick charts or candles ----------

function setView(view) {
  document.body.dataset.view = view;
  for (const b of document.querySelectorAll('.view-tabs button')) {
    b.setAttribute('aria-pressed', String(b.dataset.view === view));
  }
  $('#candles').hidden = view !== 'candles';
  if (view === 'candles' && candles) {
    candles.resize();
    candles.schedule();
  } else {
    dirty.chart = true;
    scheduleRender();
  }
}

function wireViews() {
  for (const b of document.querySelectorAll('.view-tabs button')) {
    b.addEventListener('click', () => setView(b.dataset.view));
  }
  $('#bar-interval').addEventListener('change', () => {
    if (candles && state.selected) candles.show(state.selected, $('#bar-interval').value);
  });
  window.addEventListener('resize', () => candles && candles.resize());
  setView(new URLSearchParams(location.search).get('view') === 'candles' ? 'candles' : 'ticks');
}

function renderCandleInfo(shown) {
  const info = $('#candle-info');
  if (!shown) {
    info.textContent = '';
    return;
  }
  const forming = shown.forming ? ` · forming ${formatTime(shown.forming.start)} close ${formatNumber(shown.forming.close)}` : '';
  info.textContent = `${shown.id} ${shown.interval}: ${shown.finals} bars${forming}`;
  $('#candles-empty').hidden = shown.finals > 0 || shown.forming !== null;
}

async function start() {
  try {
    await ensureToken();
  } catch (e) {
    toast(`Cannot reach the server: ${e.message}`);
  }
  if (typeof Chart === 'undefined') {
    toast('Chart.js did not load (/webjars/chart.js/…): charts are unavailable.');
    return;
  }
  charts = new Charts($('#chart-price'), $('#chart-rsi'), $('#chart-macd'));
  feed = new Feed(resolveWsUrl, {
    onOpen, onResults, onReset, onError, onState,
    onBars: (frame) => candles && candles.onBars(frame),
    onBar: (bar) => candles && candles.onBar(bar),
    onBarsReset: (frame) => candles && candles.onBarsReset(frame),
  }, token);
  if (typeof echarts === 'undefined') {
    toast('ECharts did not load (/webjars/echarts/…): candles are unavailable.');
  } else {
    candles = new Candles($('#candles-chart'), feed, fetchJson, renderCandleInfo);
  }
  wireViews();
  wireInputs();
  feed.start();
  loadStocks();
  setInterval(loadStocks, 15000);
  setInterval(() => {
    state.rate = state.received;
    state.received = 0;
    $('#rate').textContent = state.rate;
    renderStatus();
  }, 1000);
  dirty.chart = true;
  scheduleRender();

  // For tests and the curious: what the page holds and draws, and a way to rehearse a network failure.
  window.tickflow = Object.freeze({
    selected: () => state.selected,
    status: () => $('#status').dataset.state,
    watched: () => [...state.watched.keys()],
    chartPoints: () => charts.pointCount(),
    chartLastSeq: () => charts.shownSeq,
    lastResult: (id) => state.watched.get(id)?.last ?? null,
    result: (id, seq) => state.watched.get(id)?.find(seq) ?? null,
    frames: () => frames,
    holes: (id) => state.watched.get(id)?.hasHole() ?? false,
    connections: () => feed.connections,
    dropConnection: () => feed.drop(),
    view: () => document.body.dataset.view || 'ticks',
    candles: () => (candles ? candles.state() : null),
  });
}

start();
