#!/usr/bin/env bash
# Load benchmark: builds the jar, starts tokengate on a fresh database, seeds clients and a user through the CLI,
# and drives each grant (password, wrong passwords, refresh_token, client_credentials) with wrk on loopback at
# several connection counts. It also runs `hash-bench`, the password grant's ceiling on this machine.
#
#   src/bench/run.sh [connections...]        (default: 2 4 8 16 32)
#   BENCH_GRANTS="refresh_token client_credentials" src/bench/run.sh 16     (a subset of the grants)
#
# Writes target/bench/results.json (every point, the hash ceiling, start-up) and target/bench/chart.svg (throughput and
# p99 against connections), so that runs can be compared.
#
# Needs wrk (apt-get install wrk) and the local PostgreSQL. The load generator shares the machine with the gateway
# and PostgreSQL: read the numbers as "on this box", not as the gateway's alone.
set -euo pipefail
cd "$(dirname "$0")/../.."
CONNECTIONS=("${@:-2 4 8 16 32}")
DURATION=${BENCH_DURATION:-15s}
DB=tokengate_bench
export TOKENGATE_DATABASE_URL=${BENCH_DATABASE_URL:-postgresql://postgres@127.0.0.1:5432/$DB}
export TOKENGATE_HTTP_PORT=${BENCH_PORT:-18080}
export TOKENGATE_MANAGEMENT_PORT=${BENCH_MANAGEMENT_PORT:-19000}
# The wrong-password point measures what a failed login costs; with the lockout on, the bench user would be locked
# after ten failures and refused without a hash (about 11,000 refusals/s here: that is the lockout working).
export TOKENGATE_LOCKOUT_THRESHOLD=${BENCH_LOCKOUT_THRESHOLD:-0}
JAR=target/tokengate.jar

command -v wrk >/dev/null || { echo "bench: wrk is missing (apt-get install wrk)" >&2; exit 1; }
mvn -q -B -DskipTests package
psql -h 127.0.0.1 -U postgres -d postgres -qc "DROP DATABASE IF EXISTS $DB WITH (FORCE)" -c "CREATE DATABASE $DB"

java -jar $JAR migrate >/dev/null
SECRET=$(java -jar $JAR client create bench-client --grants password,refresh_token,client_credentials \
  --scopes "read write" --default-scopes read | sed -n 's/^client_secret: //p')
PASSWORD="bench password $(date +%s)"
printf '%s' "$PASSWORD" | java -jar $JAR user create bench-user --password-stdin >/dev/null

OUT=target/bench
mkdir -p $OUT
: > $OUT/points.jsonl
started=$(date +%s.%N)
java ${BENCH_JAVA_OPTS:-} -jar $JAR serve > /tmp/tokengate-bench.log 2>&1 &
GATEWAY=$!
trap 'kill $GATEWAY 2>/dev/null; wait $GATEWAY 2>/dev/null || true' EXIT
until curl -sf "http://127.0.0.1:$TOKENGATE_MANAGEMENT_PORT/health/ready" >/dev/null; do sleep 0.02; done
ready=$(echo "$(date +%s.%N) - $started" | bc -l)
idle_rss=$(( $(awk '/VmRSS/ {print $2}' /proc/$GATEWAY/status) / 1024 ))
printf '== start-up\nready after %.2f s (process start to /health/ready), resident memory idle %d MiB\n' "$ready" "$idle_rss"
printf '{"ready_seconds": %.3f, "idle_rss_mib": %d}\n' "$ready" "$idle_rss" > $OUT/startup.json

urlencode() { python3 -c 'import sys, urllib.parse; print(urllib.parse.quote_plus(sys.argv[1]))' "$1"; }
export BENCH_AUTH="Basic $(printf 'bench-client:%s' "$SECRET" | base64 -w0)"
URL="http://127.0.0.1:$TOKENGATE_HTTP_PORT/oauth2/token"

echo "== one request (after warm-up)"
BENCH_BODY="grant_type=password&username=bench-user&password=$(urlencode "$PASSWORD")"
for _ in $(seq 1 50); do curl -s -o /dev/null -u "bench-client:$SECRET" -d "$BENCH_BODY" "$URL"; done
curl -s -o /dev/null -w "password grant, sequential: %{time_total}s total\n" -u "bench-client:$SECRET" -d "$BENCH_BODY" "$URL"

# Refresh tokens for the refresh benchmark: one per connection and then some (each refresh rotates its token).
refresh_tokens() {
  local count=$1 file=$2
  : > "$file"
  for _ in $(seq 1 "$count"); do
    curl -s -u "bench-client:$SECRET" -d "grant_type=password&username=bench-user&password=$(urlencode "$PASSWORD")" \
      "$URL" | python3 -c 'import json, sys; print(json.load(sys.stdin)["refresh_token"])' >> "$file"
  done
}

GRANTS=" ${BENCH_GRANTS:-password wrong-password refresh_token client_credentials} "

run() {
  local name=$1 body=$2 script=src/bench/token.lua
  [[ "$GRANTS" == *" $name "* ]] || return 0
  for c in ${CONNECTIONS[@]}; do
    local threads=$(( c < 2 ? c : 2 ))
    if [ "$name" = refresh_token ]; then
      script=src/bench/refresh.lua
      export BENCH_THREADS=$threads BENCH_TOKENS=/tmp/tokengate-bench-tokens
      refresh_tokens $(( c + threads * 2 )) "$BENCH_TOKENS"
    fi
    BENCH_BODY="$body" wrk -t"$threads" -c"$c" -d5s -s $script "$URL" >/dev/null   # warm-up
    [ "$name" = refresh_token ] && refresh_tokens $(( c + threads * 2 )) "$BENCH_TOKENS"
    local cpu_before cpu_after
    cpu_before=$(awk '{print $14+$15}' /proc/$GATEWAY/stat)
    result=$(BENCH_BODY="$body" wrk -t"$threads" -c"$c" -d"$DURATION" -s $script "$URL" | grep '^RESULT')
    cpu_after=$(awk '{print $14+$15}' /proc/$GATEWAY/stat)
    rss=$(awk '/VmRSS/ {print $2}' /proc/$GATEWAY/status)
    secs=${DURATION%s}
    line=$(printf '%-16s c=%-4s %s gateway_cpu=%.0f%% rss_mib=%d' "$name" "$c" "${result#RESULT }" \
      "$(echo "($cpu_after - $cpu_before) / $(getconf CLK_TCK) / $secs * 100" | bc -l)" $((rss / 1024)))
    echo "$line"
    python3 src/bench/point.py "$line" >> $OUT/points.jsonl
  done
}

echo "== hash ceiling"
java -jar $JAR hash-bench --seconds 10 | tee $OUT/hash-bench.txt
echo "== load ($DURATION per point, wrk on the same machine)"
run password "grant_type=password&username=bench-user&password=$(urlencode "$PASSWORD")"
run wrong-password "grant_type=password&username=bench-user&password=wrong"
run refresh_token ""
run client_credentials "grant_type=client_credentials"

python3 src/bench/report.py $OUT
