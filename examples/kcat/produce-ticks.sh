#!/usr/bin/env bash
# Produces ticks straight to Kafka with kcat (Debian: apt-get install kcat), bypassing the HTTP gateway: the
# indicator service validates them itself (bad ones go to stock_data.dlq with the reason).
#   examples/kcat/produce-ticks.sh AAPL 100                       # 100 ticks of AAPL, one second apart
#   BOOTSTRAP=localhost:29092 examples/kcat/produce-ticks.sh MSFT 10   # the compose file's broker, from the host
# Key = stock_id (so a stock's ticks stay in order on one partition), value = the tick JSON of DESIGN.md.
set -euo pipefail
stock="${1:?usage: produce-ticks.sh STOCK_ID [COUNT]}"
count="${2:-10}"
bootstrap="${BOOTSTRAP:-localhost:9092}"
topic="${TICKS_TOPIC:-stock_data}"
start=$(date -u +%s)
for ((i = 0; i < count; i++)); do
  ts=$(date -u -d "@$((start + i))" +%Y-%m-%dT%H:%M:%SZ)
  price=$(awk -v i="$i" 'BEGIN { printf "%.2f", 100 + 5 * sin(i / 7) + i / 100 }')
  printf '%s|{"stock_id":"%s","timestamp":"%s","price":%s,"volume":%d}\n' "$stock" "$stock" "$ts" "$price" $((100 + i % 50))
done | kcat -P -b "$bootstrap" -t "$topic" -K '|'
echo "produced $count ticks of $stock to $topic on $bootstrap" >&2
