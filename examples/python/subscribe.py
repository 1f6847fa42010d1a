#!/usr/bin/env python3
"""Minimal tickflow WebSocket subscriber (protocol v1, docs/websocket-protocol.md), with the `websockets` library.

    python3 examples/python/subscribe.py AAPL MSFT                 # ws://localhost:8090/, runs until Ctrl-C
    python3 examples/python/subscribe.py --url ws://host:8090/ --count 100 '*'

Prints one line per result: stock, seq, price and the indicators. Keeps the last seq per stock, drops duplicates
and, after a reconnect, asks the server to `resume` from there. Debian: `apt-get install python3-websockets`.
"""
import argparse
import asyncio
import json
import sys

import websockets


async def run(url, symbols, count, token):
    last_seq = {}  # stock -> last seq seen: de-duplication and resume
    received = 0
    while True:
        try:
            async with websockets.connect(url, max_size=2**20) as ws:
                if token:
                    await ws.send(json.dumps({"op": "auth", "token": token}))
                await ws.send(json.dumps({"op": "subscribe", "id": 1, "symbols": symbols}))
                if last_seq:
                    await ws.send(json.dumps({"op": "resume", "id": 2, "from": last_seq}))
                async for frame in ws:
                    message = json.loads(frame)
                    # data frames may arrive batched as one array when the client falls behind
                    for m in message if isinstance(message, list) else [message]:
                        kind = m.get("type")
                        if kind in ("snapshot", "update"):
                            r = m["data"]
                            if r["seq"] <= last_seq.get(r["stock_id"], 0):
                                continue  # already seen (e.g. a snapshot after resume)
                            last_seq[r["stock_id"]] = r["seq"]
                            print(f'{r["stock_id"]} seq={r["seq"]} price={r["price"]} '
                                  f'indicators={json.dumps(r["indicators"], separators=(",", ":"))}', flush=True)
                            received += 1
                            if count and received >= count:
                                return 0
                        elif kind == "subscribed":
                            print(f'subscribed {",".join(m["symbols"])}', file=sys.stderr, flush=True)
                        elif kind == "error":
                            print(f'error {m["code"]}: {m["message"]}', file=sys.stderr, flush=True)
                        # heartbeat, reset and types this client does not know: nothing to do
        except (OSError, websockets.ConnectionClosed) as e:
            print(f"connection lost ({e}); reconnecting in 1 s", file=sys.stderr, flush=True)
            await asyncio.sleep(1)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("symbols", nargs="+", help='stock ids, or "*" for every stock')
    parser.add_argument("--url", default="ws://localhost:8090/")
    parser.add_argument("--count", type=int, default=0, help="exit after this many results (0 = run forever)")
    parser.add_argument("--token", default=None, help="when the server has WS_AUTH_TOKENS")
    args = parser.parse_args()
    try:
        return asyncio.run(run(args.url, args.symbols, args.count, args.token))
    except KeyboardInterrupt:
        return 0


if __name__ == "__main__":
    sys.exit(main())
