#!/usr/bin/env bash
# Serving benchmark (BENCHMARKS.md, section 4): wrk against the daemon's
# /feed.atom (100 entries) and against nginx serving the same bytes as a
# static file, in the same run, and against the floor of net/http (a bare
# handler writing the same bytes), for three requests:
#   plain  GET /feed.atom
#   gzip   GET /feed.atom with Accept-Encoding: gzip (both send the same
#          pre-compressed bytes: the daemon's own, nginx through gzip_static)
#   304    GET /feed.atom with If-None-Match: the server's current ETag
# Each round runs the three back to back, --rounds times, the order turning
# round; the table gives the medians and the ratios to nginx (target for the
# daemon ≥ 0.6), and each server's CPU time per request.
#
# By default the servers run on CPU 0 and wrk on CPU 1 (taskset), so that
# neither side takes cycles from the other: the daemon then runs with
# GOMAXPROCS 1 and nginx with one worker. --no-pin lets both sides share
# every CPU (the daemon with GOMAXPROCS = nproc, nginx with as many workers).
#
# Usage: bench/serve.sh [--duration 10s] [--connections 64] [--threads 2]
#                       [--rounds 3] [--no-pin] [--keep]
# Installs wrk and nginx from Debian when missing. Traffic stays on 127.0.0.1.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)

duration=10s connections=64 threads=2 rounds=3 pin=1 keep=0
while [ $# -gt 0 ]; do
  case "$1" in
    --duration) duration=$2; shift 2 ;;
    --connections) connections=$2; shift 2 ;;
    --threads) threads=$2; shift 2 ;;
    --rounds) rounds=$2; shift 2 ;;
    --no-pin) pin=0; shift ;;
    --keep) keep=1; shift ;;
    -h|--help) sed -n '2,21p' "$0"; exit 0 ;;
    *) echo "serve.sh: unknown argument $1" >&2; exit 2 ;;
  esac
done

export PATH="$PATH:/usr/sbin:/sbin"
if ! command -v wrk >/dev/null || ! command -v nginx >/dev/null || ! command -v curl >/dev/null; then
  echo "== installing wrk, nginx and curl (Debian)"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk nginx curl >/dev/null
fi

ncpu=$(nproc)
if [ "$pin" = 1 ] && [ "$ncpu" -lt 2 ]; then
  echo "serve.sh: pinning needs two CPUs, this machine has $ncpu: running unpinned" >&2
  pin=0
fi
# on_server and on_wrk prefix the commands of each side (taskset execs its
# command, so $! is the server's own pid).
if [ "$pin" = 1 ]; then
  server_cpus=0 wrk_cpus=1 workers=1
  on_server=(taskset -c "$server_cpus")
  on_wrk=(taskset -c "$wrk_cpus")
else
  workers=$ncpu
  on_server=()
  on_wrk=()
fi

tmp=$(mktemp -d)
chmod 755 "$tmp" # nginx's workers may run as another user
pids=()
cleanup() {
  local p
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  [ -s "$tmp/nginx.pid" ] && kill "$(cat "$tmp/nginx.pid")" 2>/dev/null || true
  wait 2>/dev/null || true
  if [ "$keep" = 1 ]; then echo "kept $tmp"; else rm -rf "$tmp"; fi
}
trap cleanup EXIT

# free_port prints a TCP port free on 127.0.0.1 (bash's /dev/tcp: a port that
# refuses a connection is taken to be free).
free_port() {
  local p
  for _ in $(seq 100); do
    p=$((20000 + RANDOM % 20000))
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then echo "$p"; return; fi
  done
  echo "serve.sh: no free port" >&2; exit 1
}

# wait_for runs its arguments until they succeed, for at most 60 s (a loaded
# machine can take a while to finish the first poll cycle).
wait_for() {
  for _ in $(seq 600); do "$@" >/dev/null 2>&1 && return 0; sleep 0.1; done
  echo "serve.sh: timed out waiting for: $*" >&2; exit 1
}

echo "== building the daemon and the benchmark harness"
go build -o "$tmp/aggregator" ./cmd/aggregator
go build -o "$tmp/aggregator-bench" ./cmd/aggregator-bench

echo "== upstream: 5 generated feeds of 20 articles on 127.0.0.1"
"$tmp/aggregator-bench" feeds -sources 5 -items 20 -addr-file "$tmp/upstream.addr" >/dev/null &
pids+=($!)
wait_for test -s "$tmp/upstream.addr"
upstream=$(cat "$tmp/upstream.addr")

port=$(free_port)
feed="http://127.0.0.1:$port/feed.atom"
{
  echo "state: $tmp/bench.db"
  echo 'schedule: "@every 24h"' # one cycle, at start; none while measuring
  echo "listen: 127.0.0.1:$port"
  echo "log:"
  echo "  level: warn"
  echo "feed:"
  echo "  title: Serving benchmark"
  echo "  url: $feed"
  echo "  max_entries: 100"
  echo "sources:"
  for i in 0 1 2 3 4; do
    echo "  - name: outlet $i"
    echo "    url: http://$upstream/feeds/$i.xml"
  done
} >"$tmp/config.yaml"

echo "== daemon on 127.0.0.1:$port (CPUs: ${server_cpus:-all})"
"${on_server[@]}" "$tmp/aggregator" serve --config "$tmp/config.yaml" >"$tmp/serve.log" 2>&1 &
daemon_pid=$!
pids+=("$daemon_pid")
cycle_done() { curl -fsS "http://127.0.0.1:$port/metrics" | grep -q '^aggregator_cycles_total{result="ok"} 1$'; }
wait_for cycle_done
# The cycle is counted before its feed is published: wait for the feed too.
feed_full() { [ "$(curl -fsS "$feed" | grep -oE '<entry[ >]' | wc -l)" = 100 ]; }
wait_for feed_full
kill "${pids[0]}" # the upstream is no longer needed

mkdir -p "$tmp/www"
chmod 755 "$tmp/www"
curl -fsS -o "$tmp/www/feed.atom" "$feed"
curl -fsS -H 'Accept-Encoding: gzip' -o "$tmp/www/feed.atom.gz" "$feed"
chmod 644 "$tmp/www/feed.atom" "$tmp/www/feed.atom.gz"
entries=$(grep -oE '<entry[ >]' "$tmp/www/feed.atom" | wc -l)
[ "$entries" = 100 ] || { echo "serve.sh: the daemon's feed has $entries entries, want 100" >&2; cat "$tmp/serve.log" >&2; exit 1; }

nport=$(free_port)
cat >"$tmp/nginx.conf" <<EOF
worker_processes $workers;
pid $tmp/nginx.pid;
error_log $tmp/nginx-error.log warn;
events { worker_connections 4096; }
http {
  access_log off;
  client_body_temp_path $tmp/nginx-body;
  proxy_temp_path $tmp/nginx-proxy;
  fastcgi_temp_path $tmp/nginx-fastcgi;
  uwsgi_temp_path $tmp/nginx-uwsgi;
  scgi_temp_path $tmp/nginx-scgi;
  types { application/atom+xml atom; }
  default_type application/octet-stream;
  sendfile on;
  tcp_nopush on;
  open_file_cache max=16 inactive=60s;
  open_file_cache_valid 60s;
  keepalive_timeout 120s;
  keepalive_requests 100000000;
  server {
    listen 127.0.0.1:$nport;
    root $tmp/www;
    gzip_static on;
    gzip_vary on;
    add_header Cache-Control "public, max-age=900";
  }
}
EOF
echo "== nginx $(nginx -v 2>&1 | sed 's/.*\///') on 127.0.0.1:$nport, $workers worker(s) (CPUs: ${server_cpus:-all})"
"${on_server[@]}" nginx -c "$tmp/nginx.conf" -p "$tmp" -e "$tmp/nginx-error.log"
wait_for test -s "$tmp/nginx.pid"
nginx_master=$(cat "$tmp/nginx.pid")
static="http://127.0.0.1:$nport/feed.atom"
wait_for curl -fsS -o /dev/null "$static"

# The floor: the same bytes from a handler that does nothing but write them,
# on net/http without the daemon's routes and timeouts ("aggregator-bench
# feeds -static").
"${on_server[@]}" "$tmp/aggregator-bench" feeds -static "$tmp/www/feed.atom" -addr-file "$tmp/bare.addr" >/dev/null &
bare_pid=$!
pids+=("$bare_pid")
wait_for test -s "$tmp/bare.addr"
bare="http://$(cat "$tmp/bare.addr")/feed.atom"
echo "== net/http alone on $bare (CPUs: ${server_cpus:-all})"

# The same bytes from all, in both encodings, and a 304 for the current ETag.
etag_of() { curl -fsS -o /dev/null -D - "$@" | tr -d '\r' | sed -n 's/^[Ee][Tt]ag: //p'; }
for url in "$feed" "$static" "$bare"; do
  cmp -s <(curl -fsS "$url") "$tmp/www/feed.atom" || { echo "serve.sh: $url differs from the feed" >&2; exit 1; }
  cmp -s <(curl -fsS -H 'Accept-Encoding: gzip' "$url") "$tmp/www/feed.atom.gz" \
    || { echo "serve.sh: $url with gzip differs from the daemon's gzip bytes" >&2; exit 1; }
done
daemon_etag=$(etag_of "$feed")
nginx_etag=$(etag_of "$static")
bare_etag=$(etag_of "$bare")
for pair in "$feed|$daemon_etag" "$static|$nginx_etag" "$bare|$bare_etag"; do
  code=$(curl -sS -o /dev/null -w '%{http_code}' -H "If-None-Match: ${pair#*|}" "${pair%%|*}")
  [ "$code" = 304 ] || { echo "serve.sh: ${pair%%|*} answered $code to If-None-Match ${pair#*|}" >&2; exit 1; }
done
echo "feed: $entries entries, $(wc -c <"$tmp/www/feed.atom") bytes, gzip $(wc -c <"$tmp/www/feed.atom.gz") bytes; ETags: daemon $daemon_etag, nginx $nginx_etag"

# cpu_ticks prints the CPU time (user + system, in clock ticks) the server
# has used so far: the daemon's process, or nginx's master and workers.
cpu_ticks() {
  local pids=("$@") f sum=0 t
  if [ "$1" = "$nginx_master" ]; then
    for f in /proc/[0-9]*/stat; do
      { read -r -a t <"$f"; } 2>/dev/null || continue # the process may be gone
      [ "${t[3]}" = "$nginx_master" ] && pids+=("${t[0]}")
    done
  fi
  for p in "${pids[@]}"; do
    read -r -a t <"/proc/$p/stat"
    sum=$((sum + t[13] + t[14]))
  done
  echo "$sum"
}
# cpu_idle prints "busy idle" ticks of the CPUs in $1 (a comma-separated
# list of numbers, or "all") from /proc/stat.
cpu_idle() {
  awk -v cpus=",$1," '
    $1 ~ /^cpu[0-9]+$/ && (cpus == ",all," || index(cpus, "," substr($1, 4) ",")) {
      idle += $5 + $6; for (i = 2; i <= NF; i++) total += $i
    }
    END { print total - idle, idle }' /proc/stat
}
hz=$(getconf CLK_TCK)
secs=$(awk -v d="$duration" 'BEGIN { n = d + 0; if (d ~ /ms$/) n /= 1000; else if (d ~ /m$/) n *= 60; print n }')

# busy prints the busy share (%) of CPUs between two cpu_idle snapshots.
busy() { awk -v a="$1" -v b="$2" 'BEGIN { split(a, x, " "); split(b, y, " "); d = (y[1] - x[1]) + (y[2] - x[2]); printf "%.0f", d ? 100 * (y[1] - x[1]) / d : 0 }'; }

# measure SCENARIO SERVER URL PID [HEADER...] runs wrk and appends
# "scenario server req/s process-CPU% server-CPUs-busy% wrk-CPUs-busy%" to
# the results. Process CPU is the server's user + system time over the run
# (100 % = one CPU); busy shares count everything on those CPUs, interrupts
# included.
results="$tmp/results"
measure() {
  local scenario=$1 server=$2 url=$3 pid=$4; shift 4
  local hdr=() h out rps before after s0 s1 w0 w1 cpu
  for h in "$@"; do hdr+=(-H "$h"); done
  before=$(cpu_ticks "$pid") s0=$(cpu_idle "${server_cpus:-all}") w0=$(cpu_idle "${wrk_cpus:-all}")
  out=$("${on_wrk[@]}" wrk -t "$threads" -c "$connections" -d "$duration" "${hdr[@]}" "$url")
  after=$(cpu_ticks "$pid") s1=$(cpu_idle "${server_cpus:-all}") w1=$(cpu_idle "${wrk_cpus:-all}")
  if grep -q 'Non-2xx\|Socket errors' <<<"$out"; then echo "$out" >&2; echo "serve.sh: wrk saw errors" >&2; exit 1; fi
  rps=$(awk '/^Requests\/sec:/ { print $2 }' <<<"$out")
  cpu=$(awk -v t=$((after - before)) -v hz="$hz" -v s="$secs" 'BEGIN { printf "%.0f", 100 * t / hz / s }')
  printf '  %-6s %-8s %10.0f req/s  server process CPU %3s%%, busy: server CPUs %3s%%, wrk CPUs %3s%%\n' \
    "$scenario" "$server" "$rps" "$cpu" "$(busy "$s0" "$s1")" "$(busy "$w0" "$w1")"
  echo "$scenario $server $rps $cpu" >>"$results"
}

echo "== wrk -t $threads -c $connections -d $duration, $rounds rounds (wrk CPUs: ${wrk_cpus:-all}); load average $(cut -d' ' -f1-3 /proc/loadavg)"
# run_one SCENARIO SERVER measures one server for one scenario.
run_one() {
  local scenario=$1 server=$2 url pid etag
  case $server in
    daemon) url=$feed pid=$daemon_pid etag=$daemon_etag ;;
    nginx) url=$static pid=$nginx_master etag=$nginx_etag ;;
    net/http) url=$bare pid=$bare_pid etag=$bare_etag ;;
  esac
  case $scenario in
    plain) measure "$scenario" "$server" "$url" "$pid" ;;
    gzip) measure "$scenario" "$server" "$url" "$pid" 'Accept-Encoding: gzip' ;;
    304) measure "$scenario" "$server" "$url" "$pid" "If-None-Match: $etag" ;;
  esac
}
# Each round runs the three servers back to back, the order turning round.
servers=(daemon nginx net/http)
for scenario in plain gzip 304; do
  for r in $(seq 0 $((rounds - 1))); do
    for i in 0 1 2; do run_one "$scenario" "${servers[$(((r + i) % 3))]}"; done
  done
done

echo "== medians of $rounds rounds; load average $(cut -d' ' -f1-3 /proc/loadavg) (machine: $ncpu CPUs, $(lscpu | sed -n 's/^Model name: *//p'); pinned: $([ "$pin" = 1 ] && echo "servers on CPU $server_cpus, wrk on CPU $wrk_cpus" || echo no))"
awk '
  function median(s, n,   a, i, j, t) {
    n = split(s, a, " ")
    for (i = 1; i <= n; i++) for (j = i + 1; j <= n; j++) if (a[j] + 0 < a[i] + 0) { t = a[i]; a[i] = a[j]; a[j] = t }
    return n % 2 ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2
  }
  {
    rps[$1 " " $2] = rps[$1 " " $2] " " $3
    us[$1 " " $2] = us[$1 " " $2] " " ($3 > 0 ? $4 * 1e4 / $3 : 0)
  }
  END {
    printf "%-8s %13s %13s %7s %15s %7s   %s\n", "request", "daemon req/s", "nginx req/s", "ratio", "net/http req/s", "ratio",
      "server CPU per request: daemon / nginx / net/http"
    split("plain gzip 304", order, " ")
    fail = 0
    for (k = 1; k <= 3; k++) {
      s = order[k]; d = median(rps[s " daemon"]); n = median(rps[s " nginx"]); b = median(rps[s " net/http"])
      ratio = d / n
      if (ratio < 0.6) fail = 1
      printf "%-8s %13.0f %13.0f %7.2f %15.0f %7.2f   %.1f µs / %.1f µs / %.1f µs\n", s, d, n, ratio, b, b / n,
        median(us[s " daemon"]), median(us[s " nginx"]), median(us[s " net/http"])
    }
    printf "target: daemon ≥ 0.6 × nginx: %s\n", fail ? "MISSED" : "met"
  }' "$results"
