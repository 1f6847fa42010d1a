// The browser example's subscriber.js, run by Node.js (what ExamplesIT does):
//   node --experimental-websocket examples/browser/node-subscribe.mjs ws://localhost:8090/ AAPL,MSFT [count]
// Prints one JSON result per line; exits after `count` results (default: run forever).
import { subscribe } from './subscriber.js';

const [url = 'ws://localhost:8090/', symbols = '*', count = '0'] = process.argv.slice(2);
let received = 0;
const stop = subscribe(url, symbols.split(','), (result) => {
  console.log(JSON.stringify(result));
  if (Number(count) > 0 && ++received >= Number(count)) {
    stop();
    process.exit(0);
  }
}, { onStatus: (text) => console.error(text) });
