#!/usr/bin/env bash
# Load benchmark: builds the jar, starts tokengate on a fresh database, seeds clients and users through the CLI, and
# drives each grant (password, wrong passwords, refresh_token, client_credentials) with wrk on loopback at several
# connection counts, after a warm-up. It measures the hash ceiling with `hash-bench` in the same run (before and
# after the password points), the password grant's latency at 80 % of its saturation with an open-loop generator
# (src/bench/paced.py), start-up time with and without a class-data archive, and the CPU of the gateway, PostgreSQL
# and the whole machine for every point.
#
#   src/bench/run.sh [connections...]                      (default: 2 8 32 128)
#   BENCH_GRANTS="refresh_token client_credentials" src/bench/run.sh 32      (a subset of the grants)
#   BENCH_JAVA=/usr/lib/jvm/temurin-25-jdk-amd64/bin/java src/bench/run.sh   (another JDK for the gateway)
#   BENCH_PROFILE=1 src/bench/run.sh     (a JFR recording and its summary for each grant's point at BENCH_PROFILE_AT)
#
# Writes target/bench/results.json (every point, the ceiling, start-up) and target/bench/chart.svg (throughput and
# p99 against connections), so that runs can be compared.
#
# Needs wrk (apt-get install wrk), python3 and the local PostgreSQL. The load generator shares the machine with the
# gateway and PostgreSQL: read the numbers as "on this box", not as the gateway's alone.
set -euo pipefail
cd "$(dirname "$0")/../.."
CONNECTIONS=(${@:-2 8 32 128})
DURATION=${BENCH_DURATION:-15}
WARMUP=${BENCH_WARMUP:-10}
JAVA=${BENCH_JAVA:-java}
# The container's flags (k8s/base/deployment.yaml, with the memory limit as MaxRAM), so that memory is comparable.
JAVA_OPTS=${BENCH_JAVA_OPTS:--XX:MaxRAM=768m -XX:MaxRAMPercentage=50 -XX:+UseSerialGC -Xmn32m}
DB=tokengate_bench
export TOKENGATE_DATABASE_URL=${BENCH_DATABASE_URL:-postgresql://postgres@127.0.0.1:5432/$DB}
export TOKENGATE_HTTP_PORT=${BENCH_PORT:-18080}
export TOKENGATE_MANAGEMENT_PORT=${BENCH_MANAGEMENT_PORT:-19000}
# The wrong-password point measures what a failed login costs; with the lockout on, the bench user would be locked
# after ten failures and refused without a hash (about 11,000 refusals/s here: that is the lockout working).
export TOKENGATE_LOCKOUT_THRESHOLD=${BENCH_LOCKOUT_THRESHOLD:-0}
JAR=target/tokengate.jar
OUT=target/bench
READY_URL="http://127.0.0.1:$TOKENGATE_MANAGEMENT_PORT/health/ready"
URL="http://127.0.0.1:$TOKENGATE_HTTP_PORT/oauth2/token"

command -v wrk >/dev/null || { echo "bench: wrk is missing (apt-get install wrk)" >&2; exit 1; }
if curl -s -o /dev/null "$READY_URL"; then
  echo "bench: something already listens on port $TOKENGATE_MANAGEMENT_PORT; stop it first" >&2
  exit 1
fi
mvn -q -B -DskipTests package
psql -h 127.0.0.1 -U postgres -d postgres -qc "DROP DATABASE IF EXISTS $DB WITH (FORCE)" -c "CREATE DATABASE $DB"
rm -rf $OUT && mkdir -p $OUT
: > $OUT/points.jsonl

$JAVA -jar $JAR migrate >/dev/null
SECRET=$($JAVA -jar $JAR client create bench-client --grants password,refresh_token,client_credentials \
  --scopes "read write" --default-scopes read | sed -n 's/^client_secret: //p')
PASSWORD="bench password $(date +%s)"
# Users: the benchmark logs in as one of them, among a few thousand (indexes of realistic size).
USERS=${BENCH_USERS:-5000}
python3 -c "
import json, sys
for i in range(int(sys.argv[1])):
    print(json.dumps({'username': f'user-{i:05d}', 'password_hash':
      '\$argon2id\$v=19\$m=7168,t=5,p=1\$c2FsdHNhbHRzYWx0c2FsdA\$VGhpc0lzTm90QVJlYWxIYXNoT2ZBbnlQYXNzd29yZCE'}))
" "$USERS" > $OUT/users.jsonl
$JAVA -jar $JAR user import --format jsonl $OUT/users.jsonl >/dev/null
printf '%s' "$PASSWORD" | $JAVA -jar $JAR user create bench-user --password-stdin >/dev/null
export BENCH_AUTH="Basic $(printf 'bench-client:%s' "$SECRET" | base64 -w0)"
urlencode() { python3 -c 'import sys, urllib.parse; print(urllib.parse.quote_plus(sys.argv[1]))' "$1"; }
PASSWORD_BODY="grant_type=password&username=bench-user&password=$(urlencode "$PASSWORD")"

GATEWAY=
stop_gateway() {
  [ -n "$GATEWAY" ] && { kill "$GATEWAY" 2>/dev/null; wait "$GATEWAY" 2>/dev/null || true; }
  GATEWAY=
}
trap stop_gateway EXIT
# start_gateway LOG [JVM flags...]: starts the gateway, waits for readiness, sets READY (seconds) and IDLE_RSS (MiB).
start_gateway() {
  local log=$1 started
  shift
  started=$(date +%s.%N)
  $JAVA $JAVA_OPTS "$@" -jar $JAR serve > "$log" 2>&1 &
  GATEWAY=$!
  until curl -sf "$READY_URL" >/dev/null; do
    kill -0 $GATEWAY 2>/dev/null || { echo "bench: the gateway did not start, see $log" >&2; exit 1; }
    sleep 0.01
  done
  READY=$(echo "$(date +%s.%N) - $started" | bc -l)
  IDLE_RSS=$(( $(awk '/VmRSS/ {print $2}' /proc/$GATEWAY/status) / 1024 ))
}
one_of_each() {
  curl -s -o /dev/null -H "Authorization: $BENCH_AUTH" -d "$PASSWORD_BODY" "$URL"
  curl -s -o /dev/null -H "Authorization: $BENCH_AUTH" -d "grant_type=client_credentials" "$URL"
}

echo "== start-up ($($JAVA -version 2>&1 | head -1))"
start_gateway $OUT/gateway-plain.log
plain_ready=$READY plain_rss=$IDLE_RSS
one_of_each
stop_gateway
# A class-data archive trained by one start and a few requests, as the container image ships one (k8s/Dockerfile).
start_gateway $OUT/gateway-training.log -XX:ArchiveClassesAtExit=$OUT/tokengate.jsa
one_of_each
stop_gateway
start_gateway /tmp/tokengate-bench.log -XX:SharedArchiveFile=$OUT/tokengate.jsa
printf 'ready after %.2f s (process start to /health/ready), %.2f s with a class-data archive; idle %d MiB\n' \
  "$plain_ready" "$READY" "$IDLE_RSS"
printf '{"ready_seconds": %.3f, "ready_seconds_with_archive": %.3f, "idle_rss_mib": %d, "java": "%s"}\n' \
  "$plain_ready" "$READY" "$IDLE_RSS" "$($JAVA -version 2>&1 | head -1 | tr -d '"')" > $OUT/startup.json

echo "== one request at a time (after warm-up)"
for _ in $(seq 1 50); do one_of_each; done
curl -s -o /dev/null -w "password grant, sequential: %{time_total}s total\n" -H "Authorization: $BENCH_AUTH" \
  -d "$PASSWORD_BODY" "$URL"

# Refresh tokens for the refresh benchmark: one per connection and then some (each refresh rotates its token).
refresh_tokens() {
  local count=$1 file=$2
  : > "$file"
  for _ in $(seq 1 "$count"); do
    curl -s -H "Authorization: $BENCH_AUTH" -d "$PASSWORD_BODY" "$URL" \
      | python3 -c 'import json, sys; print(json.load(sys.stdin)["refresh_token"])' >> "$file"
  done
}

postgres_ticks() { cat /proc/[0-9]*/stat 2>/dev/null | awk '$2 == "(postgres)" {s += $14 + $15} END {print s + 0}'; }
machine_ticks() { awk '/^cpu / {print $2 + $3 + $4 + $7 + $8}' /proc/stat; }
gateway_ticks() { awk '{print $14 + $15}' /proc/$GATEWAY/stat; }
hashing_ticks() {
  cat /proc/$GATEWAY/task/*/stat 2>/dev/null | awk '$2 ~ /^\(tokengate-hashi/ {s += $14 + $15} END {print s + 0}'
}
now() { date +%s.%N; }
# percent BEFORE AFTER SECONDS: CPU ticks as a percentage of one core
percent() { echo "($2 - $1) / $(getconf CLK_TCK) / $3 * 100" | bc -l; }

GRANTS=" ${BENCH_GRANTS:-password wrong-password refresh_token client_credentials} "
PROFILE_AT=${BENCH_PROFILE_AT:-32}

# point NAME CONNECTIONS COMMAND...: runs the measured load, prints and records one line
point() {
  local name=$1 c=$2 result g0 p0 m0 g1 p1 m1 rss line
  shift 2
  local recording=$OUT/profile-$name-c$c.jfr profiling=0
  if [ "${BENCH_PROFILE:-0}" = 1 ] && [ "$c" = "$PROFILE_AT" ]; then
    jcmd $GATEWAY JFR.start name=bench settings=profile filename=$PWD/$recording >/dev/null
    profiling=1
  fi
  local t0 t1 h0 h1 seconds
  t0=$(now) g0=$(gateway_ticks) h0=$(hashing_ticks) p0=$(postgres_ticks) m0=$(machine_ticks)
  result=$("$@" | grep '^RESULT')
  t1=$(now) g1=$(gateway_ticks) h1=$(hashing_ticks) p1=$(postgres_ticks) m1=$(machine_ticks)
  seconds=$(echo "$t1 - $t0" | bc -l)
  rss=$(awk '/VmRSS/ {print $2}' /proc/$GATEWAY/status)
  if [ $profiling = 1 ]; then
    jcmd $GATEWAY JFR.stop name=bench >/dev/null
    python3 src/bench/profile.py "$recording" > "${recording%.jfr}.txt"
  fi
  # hashing_cpu: the part of gateway_cpu spent by the hashing threads (libsodium or Bouncy Castle).
  line=$(printf '%-16s c=%-4s %s gateway_cpu=%.0f%% hashing_cpu=%.0f%% postgres_cpu=%.0f%% machine_cpu=%.0f%% rss_mib=%d' \
    "$name" "$c" "${result#RESULT }" "$(percent $g0 $g1 $seconds)" "$(percent $h0 $h1 $seconds)" \
    "$(percent $p0 $p1 $seconds)" "$(percent $m0 $m1 $seconds)" $((rss / 1024)))
  echo "$line"
  python3 src/bench/point.py "$line" >> $OUT/points.jsonl
}

run() {
  local name=$1 body=$2 script=src/bench/token.lua
  [[ "$GRANTS" == *" $name "* ]] || return 0
  for c in "${CONNECTIONS[@]}"; do
    local threads=$(( c < 2 ? c : 2 ))
    if [ "$name" = refresh_token ]; then
      script=src/bench/refresh.lua
      export BENCH_THREADS=$threads BENCH_TOKENS=/tmp/tokengate-bench-tokens
      refresh_tokens $(( c + threads * 2 )) "$BENCH_TOKENS"
    fi
    BENCH_BODY="$body" wrk -t"$threads" -c"$c" -d"${WARMUP}s" -s $script "$URL" >/dev/null
    # What the warm-up left queued (hashes of requests wrk gave up on) drains before the measured run.
    sleep 1
    [ "$name" = refresh_token ] && refresh_tokens $(( c + threads * 2 )) "$BENCH_TOKENS"
    BENCH_BODY="$body" point "$name" "$c" wrk -t"$threads" -c"$c" -d"${DURATION}s" -s $script "$URL"
  done
}

hash_ceiling() {
  $JAVA $JAVA_OPTS -jar $JAR hash-bench --seconds 10 | tee -a $OUT/hash-bench.txt
}

echo "== hash ceiling, before the password points"
hash_ceiling
echo "== load (${DURATION} s per point after ${WARMUP} s of warm-up; wrk on the same machine)"
run password "$PASSWORD_BODY"
if [[ "$GRANTS" == *" password "* ]]; then
  echo "== hash ceiling, after the password points"
  hash_ceiling
  # Latency below saturation: an open-loop load at 80 % of the best password throughput just measured.
  saturation=$(python3 -c "
import json
print(max(p['rps'] for p in map(json.loads, open('$OUT/points.jsonl'))
          if p['grant'] == 'password' and p['non2xx'] == 0))")
  rate=$(echo "$saturation * 0.8" | bc -l)
  BENCH_BODY="$PASSWORD_BODY" python3 src/bench/paced.py "$URL" "$rate" "$WARMUP" >/dev/null
  BENCH_BODY="$PASSWORD_BODY" point password-paced-80% 64 python3 src/bench/paced.py "$URL" "$rate" "$DURATION"
fi
run wrong-password "grant_type=password&username=bench-user&password=wrong"
run refresh_token ""
run client_credentials "grant_type=client_credentials"

python3 src/bench/report.py $OUT
