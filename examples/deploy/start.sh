#!/usr/bin/env bash
# Two taiga-mcp instances sharing one Redis, behind nginx, on this machine (README: "Team deployment").
#   examples/deploy/start.sh          # against the demo Taiga
#   TAIGA_API_URL=https://taiga.example.com examples/deploy/start.sh
# Needs: a built checkout (npm ci), redis-server and nginx (apt-get install -y redis-server nginx).
# Clients connect to http://127.0.0.1:8800/mcp with "Authorization: Bearer <key>". Ctrl-C stops all.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
cli="$here/../../dist/core/cli.js"
run="$(mktemp -d)"
pids=()
trap 'kill -TERM "${pids[@]}" 2>/dev/null; wait; rm -rf "$run"' EXIT
for tool in redis-server nginx; do command -v "$tool" >/dev/null || { echo "missing $tool: apt-get install -y redis-server nginx" >&2; exit 1; }; done
[ -f "$cli" ] || { echo "build first: npm ci (in $here/../..)" >&2; exit 1; }

redis-server --port 6380 --bind 127.0.0.1 --save '' --appendonly no --dir "$run" >"$run/redis.log" &
pids+=($!)

if [ -z "${TAIGA_API_URL:-}" ]; then
  node "$cli" demo-taiga 8790 &
  pids+=($!)
  export TAIGA_API_URL=http://127.0.0.1:8790 ALLOW_HTTP_TAIGA=true
  # The demo Taiga's admin account serves every principal that has none of its own.
  export TAIGA_USERNAME=admin TAIGA_PASSWORD=taigaadmin
fi

# One key for the trial (a real deployment keeps its keys' hashes in the config, see instance.json).
key_line="$(node "$cli" keygen --principal alice)"
key="$(sed -n 's/^key[^:]*: //p' <<<"$key_line")"
sha="$(node -e 'console.log(require("crypto").createHash("sha256").update(process.argv[1]).digest("hex"))' "$key")"
sed "s/REPLACE-with-the-sha256-printed-by-taiga-mcp-keygen/$sha/" "$here/instance.json" >"$run/instance.json"
# The same store key on every instance: it seals the Taiga tokens kept in Redis.
export TAIGA_MCP_STORE_KEY="${TAIGA_MCP_STORE_KEY:-$(openssl rand -base64 32)}"

for port in 8801 8802; do
  # Each instance's ops listener (health and metrics) on its port + 1000: 9801 and 9802.
  sed "s/\"port\": 9801/\"port\": $((port + 1000))/" "$run/instance.json" >"$run/instance-$port.json"
  XDG_STATE_HOME="$run/$port" node "$cli" --config "$run/instance-$port.json" --http "127.0.0.1:$port" &
  pids+=($!)
done
# Prometheus when installed (apt-get install -y prometheus): scrapes both, with alerts.yml.
if command -v prometheus >/dev/null; then
  prometheus --config.file="$here/prometheus.yml" --storage.tsdb.path="$run/prometheus" --web.listen-address=127.0.0.1:9090 >"$run/prometheus.log" 2>&1 &
  pids+=($!)
fi

mkdir -p "$run/nginx/tmp"
cp "$here/nginx.conf" "$run/nginx/nginx.conf"
nginx -p "$run/nginx" -c nginx.conf &
pids+=($!)

sleep 1
echo
echo "taiga-mcp: http://127.0.0.1:8800/mcp  (instances :8801 and :8802, Redis :6380)"
command -v prometheus >/dev/null && echo "Prometheus: http://127.0.0.1:9090  (metrics of both instances, alerts in examples/deploy/alerts.yml)"
echo "key for principal alice: $key"
echo "e.g. Claude Code: claude mcp add --transport http taiga http://127.0.0.1:8800/mcp --header \"Authorization: Bearer $key\""
wait -n
