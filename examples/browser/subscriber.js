// Minimal tickflow WebSocket subscriber (protocol v1, docs/websocket-protocol.md) for browsers, and for Node.js with a
// global WebSocket (Node 22+, or Node 20/21 with --experimental-websocket). No dependencies.
//
//   import { subscribe } from './subscriber.js';
//   const stop = subscribe('ws://localhost:8090/', ['AAPL'], result => console.log(result.stock_id, result.seq));
//
// Keeps the last seq per stock: duplicates are dropped, and after a reconnect it asks the server to `resume`.
export function subscribe(url, symbols, onResult, { token, onStatus = () => {} } = {}) {
  const lastSeq = {};
  let socket;
  let stopped = false;

  const handle = (message) => {
    switch (message.type) {
      case 'snapshot':
      case 'update': {
        const result = message.data;
        if (result.seq <= (lastSeq[result.stock_id] ?? 0)) return; // already seen
        lastSeq[result.stock_id] = result.seq;
        onResult(result, message);
        break;
      }
      case 'subscribed':
        onStatus(`subscribed ${message.symbols.join(',')}`);
        break;
      case 'error':
        onStatus(`error ${message.code}: ${message.message}`);
        break;
      default: // heartbeat, reset, and types this client does not know
    }
  };

  const connect = () => {
    socket = new WebSocket(url);
    socket.onopen = () => {
      if (token) socket.send(JSON.stringify({ op: 'auth', token }));
      socket.send(JSON.stringify({ op: 'subscribe', id: 1, symbols }));
      if (Object.keys(lastSeq).length) socket.send(JSON.stringify({ op: 'resume', id: 2, from: lastSeq }));
    };
    socket.onmessage = (event) => {
      const frame = JSON.parse(event.data);
      (Array.isArray(frame) ? frame : [frame]).forEach(handle); // data frames may come batched
    };
    socket.onclose = () => {
      if (!stopped) {
        onStatus('connection lost; reconnecting in 1 s');
        setTimeout(connect, 1000);
      }
    };
  };
  connect();
  return () => {
    stopped = true;
    socket.close();
  };
}
