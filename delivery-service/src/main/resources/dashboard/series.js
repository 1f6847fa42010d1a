// The results of one stock the page keeps: sorted by seq, de-duplicated, bounded.
// Backfill, resume replays and live updates can arrive interleaved; inserting by seq lets them all merge.

export class Series {
  constructor(id, capacity) {
    this.id = id;
    this.capacity = capacity;
    this.points = [];
    this.version = 0;
  }

  get last() {
    return this.points.length ? this.points[this.points.length - 1] : null;
  }

  get previous() {
    return this.points.length > 1 ? this.points[this.points.length - 2] : null;
  }

  get lastSeq() {
    const last = this.last;
    return last ? last.seq : 0;
  }

  /** Adds a result; returns false when it was already held, malformed, or older than everything kept. */
  add(result) {
    if (!result || !Number.isFinite(result.seq)) return false;
    const pts = this.points;
    const n = pts.length;
    if (n === 0 || result.seq > pts[n - 1].seq) {
      pts.push(result);
    } else {
      const at = this.#indexOf(result.seq);
      if (at < n && pts[at].seq === result.seq) return false;
      if (at === 0 && n >= this.capacity) return false;
      pts.splice(at, 0, result);
    }
    if (pts.length > this.capacity) pts.splice(0, pts.length - this.capacity);
    this.version++;
    return true;
  }

  find(seq) {
    const at = this.#indexOf(seq);
    return at < this.points.length && this.points[at].seq === seq ? this.points[at] : null;
  }

  /** True when a seq is missing between the oldest and newest result held. */
  hasHole() {
    const pts = this.points;
    return pts.length > 0 && pts[pts.length - 1].seq - pts[0].seq + 1 !== pts.length;
  }

  clear() {
    this.points = [];
    this.version++;
  }

  #indexOf(seq) {
    let lo = 0;
    let hi = this.points.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.points[mid].seq < seq) lo = mid + 1; else hi = mid;
    }
    return lo;
  }
}

/** Flattens a result's indicators into [key, value] pairs: nested objects become "key.field". */
export function flattenIndicators(indicators) {
  const out = [];
  for (const [key, value] of Object.entries(indicators || {})) {
    if (value !== null && typeof value === 'object') {
      for (const [field, v] of Object.entries(value)) out.push([`${key}.${field}`, v]);
    } else {
      out.push([key, value]);
    }
  }
  return out;
}

/** Reads a flattened key ("sma_20", "macd_12_26_9.hist") from a result; null when absent or warming up. */
export function indicatorValue(result, flatKey) {
  const dot = flatKey.indexOf('.');
  const ind = result && result.indicators;
  if (!ind) return null;
  const v = dot < 0 ? ind[flatKey] : (ind[flatKey.slice(0, dot)] || {})[flatKey.slice(dot + 1)];
  return typeof v === 'number' && Number.isFinite(v) ? v : null;
}
