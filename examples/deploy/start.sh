#!/usr/bin/env bash
# Two taiga-mcp instances sharing one Redis, behind nginx, on this machine (README: "Team deployment").
#   examples/deploy/start.sh          # against the demo Taiga
#   TAIGA_API_URL=https://taiga.example.com examples/deploy/start.sh
# Needs: a built checkout (npm ci), redis-server and nginx (apt-get install -y redis-server nginx).
# Clients connect to http://127.0.0.1:8800/mcp with "Authorization: Bearer <key>".
# It serves until stopped: Ctrl-C (or SIGTERM) stops everything it started. An instance that dies
# leaves the rest serving (that is what two are for).
# Ports: LB_PORT (8800), INSTANCE_PORTS ("8801 8802"), OPS_PORTS ("9801 9802": each instance's health
# and metrics), REDIS_PORT (6380), DEMO_TAIGA_PORT (8790), PROMETHEUS_PORT (9090, when installed).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$here/../.."
lb_port="${LB_PORT:-8800}"
read -r port_a port_b <<<"${INSTANCE_PORTS:-8801 8802}"
read -r ops_a ops_b <<<"${OPS_PORTS:-9801 9802}"
redis_port="${REDIS_PORT:-6380}"
prometheus_port="${PROMETHEUS_PORT:-9090}"
demo_port="${DEMO_TAIGA_PORT:-8790}"
for tool in redis-server nginx; do command -v "$tool" >/dev/null || { echo "missing $tool: apt-get install -y redis-server nginx" >&2; exit 1; }; done
# The package's `taiga-mcp` command, as package.json names it.
bin="$root/$(node -p 'require(process.argv[1]).bin["taiga-mcp"]' "$root/package.json")"
[ -f "$bin" ] || { echo "build first: npm ci (in $root)" >&2; exit 1; }

run="$(mktemp -d)"
pids=()
trap 'kill -TERM "${pids[@]}" 2>/dev/null; wait; rm -rf "$run"' EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

redis-server --port "$redis_port" --bind 127.0.0.1 --save '' --appendonly no --dir "$run" >"$run/redis.log" &
pids+=($!)

if [ -z "${TAIGA_API_URL:-}" ]; then
  node "$bin" demo-taiga "$demo_port" &
  pids+=($!)
  export TAIGA_API_URL="http://127.0.0.1:$demo_port" ALLOW_HTTP_TAIGA=true
  # The demo Taiga's admin account serves every principal that has none of its own.
  export TAIGA_USERNAME=admin TAIGA_PASSWORD=taigaadmin
fi

# One key for the trial (a real deployment keeps its keys' hashes in the config, see instance.json).
key_line="$(node "$bin" keygen --principal alice)"
key="$(sed -n 's/^key[^:]*: //p' <<<"$key_line")"
sha="$(node -e 'console.log(require("crypto").createHash("sha256").update(process.argv[1]).digest("hex"))' "$key")"
sed -e "s/REPLACE-with-the-sha256-printed-by-taiga-mcp-keygen/$sha/" -e "s/127\.0\.0\.1:8800/127.0.0.1:$lb_port/" -e "s/127\.0\.0\.1:6380/127.0.0.1:$redis_port/" \
  "$here/instance.json" >"$run/instance.json"
# The same store key on every instance: it seals the Taiga tokens kept in Redis.
export TAIGA_MCP_STORE_KEY="${TAIGA_MCP_STORE_KEY:-$(openssl rand -base64 32)}"

for pair in "$port_a $ops_a" "$port_b $ops_b"; do
  read -r port ops <<<"$pair"
  sed "s/\"port\": 9801/\"port\": $ops/" "$run/instance.json" >"$run/instance-$port.json"
  XDG_STATE_HOME="$run/$port" node "$bin" --config "$run/instance-$port.json" --http "127.0.0.1:$port" &
  pids+=($!)
done
# Prometheus when installed (apt-get install -y prometheus): scrapes both ops listeners, with alerts.yml.
if command -v prometheus >/dev/null; then
  mkdir -p "$run/prometheus"
  sed -e "s/127\.0\.0\.1:9801/127.0.0.1:$ops_a/" -e "s/127\.0\.0\.1:9802/127.0.0.1:$ops_b/" "$here/prometheus.yml" >"$run/prometheus/prometheus.yml"
  cp "$here/alerts.yml" "$run/prometheus/"
  prometheus --config.file="$run/prometheus/prometheus.yml" --storage.tsdb.path="$run/prometheus/data" --web.listen-address="127.0.0.1:$prometheus_port" >"$run/prometheus/log" 2>&1 &
  pids+=($!)
fi

mkdir -p "$run/nginx/tmp"
sed -e "s/127\.0\.0\.1:8800/127.0.0.1:$lb_port/" -e "s/127\.0\.0\.1:8801/127.0.0.1:$port_a/" -e "s/127\.0\.0\.1:8802/127.0.0.1:$port_b/" \
  "$here/nginx.conf" >"$run/nginx/nginx.conf"
nginx -p "$run/nginx" -c nginx.conf &
pids+=($!)

sleep 1
echo
echo "taiga-mcp: http://127.0.0.1:$lb_port/mcp  (instances :$port_a and :$port_b, Redis :$redis_port)"
command -v prometheus >/dev/null && echo "Prometheus: http://127.0.0.1:$prometheus_port  (metrics of both instances at :$ops_a and :$ops_b, alerts.yml)"
echo "key for principal alice: $key"
echo "e.g. Claude Code: claude mcp add --transport http taiga http://127.0.0.1:$lb_port/mcp --header \"Authorization: Bearer $key\""
# Until stopped: a process that ends is reported, and the others keep serving.
while [ -n "$(jobs -rp)" ]; do
  wait -n && status=0 || status=$?
  echo "start.sh: a process it started ended (status $status); the others keep serving (Ctrl-C stops all)" >&2
done
