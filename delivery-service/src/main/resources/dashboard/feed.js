// The WebSocket side of the page (protocol v1): connect, reconnect with exponential back-off and jitter,
// drop a silent connection, and hand results and control frames to the page.

const BACKOFF_BASE_MS = 500;
const BACKOFF_MAX_MS = 15000;
const SILENCE_LIMIT_MS = 45000; // the server sends heartbeats when idle: this much silence means a dead peer

export class Feed {
  /**
   * handlers: onOpen(), onResults(results[], conflated), onReset(stockIds|null), onError(frame), onState(state, retryAt),
   * and for bars (optional): onBars(snapshotFrame), onBar(bar), onBarsReset(frame)
   */
  /** authToken: () → the token to send as the first message, or null when the server wants none. */
  constructor(resolveUrl, handlers, authToken = () => null) {
    this.resolveUrl = resolveUrl;
    this.handlers = handlers;
    this.authToken = authToken;
    this.ws = null;
    this.attempt = 0;
    this.lastFrameAt = 0;
    this.nextId = 1;
    this.connections = 0;
    setInterval(() => this.#watchdog(), 5000);
  }

  get open() {
    return this.ws !== null && this.ws.readyState === WebSocket.OPEN;
  }

  start() {
    this.#connect();
  }

  subscribe(symbols) {
    if (symbols.length) this.send({ op: 'subscribe', symbols });
  }

  unsubscribe(symbols) {
    if (symbols.length) this.send({ op: 'unsubscribe', symbols });
  }

  /** Asks the server to replay what followed each stock's last seq (or reset + snapshot when it cannot). */
  resume(fromSeqByStock) {
    if (Object.keys(fromSeqByStock).length) this.send({ op: 'resume', from: fromSeqByStock });
  }

  /** Bars of one interval: a snapshot of the last {@code limit} final bars and the forming one, then live bars. */
  subscribeBars(symbols, interval, limit) {
    if (symbols.length) this.send({ op: 'subscribe', symbols, bars: interval, limit });
  }

  unsubscribeBars(symbols, interval) {
    if (symbols.length) this.send({ op: 'unsubscribe', symbols, bars: interval });
  }

  /** Replays the final bars after each stock's last seen bar seq, then the forming one (or reset + snapshot). */
  resumeBars(fromSeqByStock, interval, limit) {
    if (Object.keys(fromSeqByStock).length) this.send({ op: 'resume', from: fromSeqByStock, bars: interval, limit });
  }

  /** Sends when connected; otherwise drops it: every (re)connection re-sends the whole subscription set. */
  send(message) {
    if (!this.open) return false;
    this.ws.send(JSON.stringify({ ...message, id: this.nextId++ }));
    return true;
  }

  async #connect() {
    this.handlers.onState(this.attempt === 0 ? 'connecting' : 'reconnecting', 0);
    let url;
    try {
      url = await this.resolveUrl();
    } catch (e) {
      this.#retry();
      return;
    }
    const ws = new WebSocket(url);
    this.ws = ws;
    ws.onopen = () => {
      const token = this.authToken();
      if (token) ws.send(JSON.stringify({ op: 'auth', token, id: this.nextId++ }));
      this.attempt = 0;
      this.connections++;
      this.lastFrameAt = Date.now();
      this.handlers.onState('live', 0);
      this.handlers.onOpen();
    };
    ws.onmessage = (event) => {
      this.lastFrameAt = Date.now();
      this.#dispatch(event.data);
    };
    ws.onclose = () => this.#lost(ws);
    ws.onerror = () => { /* onclose follows and schedules the retry */ };
  }

  #dispatch(text) {
    let parsed;
    try {
      parsed = JSON.parse(text);
    } catch (e) {
      console.warn('tickflow: unparsable frame', text);
      return;
    }
    // a busy server batches data frames as one array frame, in order
    for (const frame of Array.isArray(parsed) ? parsed : [parsed]) {
      this.#handle(frame);
    }
  }

  #handle(frame) {
    switch (frame.type) {
      case 'snapshot':
      case 'update': {
        const data = Array.isArray(frame.data) ? frame.data : [frame.data];
        const conflated = frame.conflated === true || data.some((r) => r && r.conflated === true);
        this.handlers.onResults(data, conflated);
        break;
      }
      case 'bars':
        if (this.handlers.onBars) this.handlers.onBars(frame);
        break;
      case 'bar':
        if (this.handlers.onBar) this.handlers.onBar(frame.data);
        break;
      case 'reset':
        if (frame.interval) {
          if (this.handlers.onBarsReset) this.handlers.onBarsReset(frame); // a bar series, not the results
        } else {
          this.handlers.onReset(resetTargets(frame));
        }
        break;
      case 'error':
        this.handlers.onError(frame);
        break;
      default:
        break; // subscribed, heartbeat, and types this page does not know
    }
  }

  #lost(ws) {
    if (this.ws !== ws) return;
    this.ws = null;
    this.#retry();
  }

  #retry() {
    const ceiling = Math.min(BACKOFF_MAX_MS, BACKOFF_BASE_MS * 2 ** this.attempt);
    const delay = ceiling / 2 + Math.random() * (ceiling / 2); // "equal jitter": spread, but never instant
    this.attempt++;
    this.handlers.onState('reconnecting', Date.now() + delay);
    setTimeout(() => this.#connect(), delay);
  }

  /** Abandons the connection as a network failure would, and reconnects through the usual back-off. */
  drop() {
    const ws = this.ws;
    if (!ws) return;
    this.ws = null;
    ws.onclose = null;
    ws.close();
    this.#retry();
  }

  #watchdog() {
    if (this.open && Date.now() - this.lastFrameAt > SILENCE_LIMIT_MS) this.drop();
  }
}

/** The stocks a reset frame names, in whichever field the server put them; null means all. */
function resetTargets(frame) {
  const data = frame.data || {};
  const named = frame.symbols || frame.stocks || data.symbols
    || frame.stock_id || data.stock_id || frame.symbol
    || (frame.from ? Object.keys(frame.from) : null);
  if (named == null) return null;
  return Array.isArray(named) ? named : [named];
}
