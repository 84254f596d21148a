#!/usr/bin/env bash
# Cluster harness (docs/scale-out.md): N tokengate replicas (default 3) on loopback ports behind HAProxy, which
# follows each replica's /health/ready, and PgBouncer in transaction pooling mode (its defaults otherwise) in front of
# a private PostgreSQL 15 initialised in a temporary directory (the machine's own PostgreSQL is left alone). Runs the
# scenarios, prints a PASS/FAIL line for each and writes target/cluster/results.json and target/cluster/chart.svg.
#
#   src/bench/cluster.sh [scenario...]      scenarios: rolling postgres invariants soak (default: all four)
#   CLUSTER_REPLICAS=3 CLUSTER_BASE_PORT=28000 CLUSTER_SOAK_SECONDS=600 CLUSTER_LOAD_SECONDS=40
#
# Ports: PostgreSQL BASE, PgBouncer BASE+1, HAProxy BASE+2, replica i public BASE+10+i, management BASE+30+i. It
# refuses to start when any of them is taken. It starts and stops only the processes it started (their ids are
# kept), and leaves nothing running. Needs (Debian): postgresql-15, pgbouncer, haproxy, wrk, python3, curl.
set -euo pipefail
cd "$(dirname "$0")/../.."
SCENARIOS=(${@:-rolling postgres invariants soak})
REPLICAS=${CLUSTER_REPLICAS:-3}
BASE=${CLUSTER_BASE_PORT:-28000}
LOAD_SECONDS=${CLUSTER_LOAD_SECONDS:-40}
SOAK_SECONDS=${CLUSTER_SOAK_SECONDS:-600}
PGBIN=${CLUSTER_PGBIN:-/usr/lib/postgresql/15/bin}
JAVA_OPTS=${CLUSTER_JAVA_OPTS:--XX:MaxRAM=512m -XX:MaxRAMPercentage=50 -XX:+UseSerialGC -Xmn32m}
JAR=target/tokengate.jar
OUT=target/cluster
PG_PORT=$BASE PGB_PORT=$((BASE + 1)) LB_PORT=$((BASE + 2))
URL="http://127.0.0.1:$LB_PORT/oauth2/token"

for tool in wrk haproxy pgbouncer python3 curl "$PGBIN/initdb"; do
  command -v "$tool" >/dev/null || {
    echo "cluster: $tool is missing (apt-get install postgresql-15 pgbouncer haproxy wrk python3 curl)" >&2; exit 1; }
done
taken() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
PORTS=($PG_PORT $PGB_PORT $LB_PORT)
for i in $(seq 0 $((REPLICAS - 1))); do PORTS+=($((BASE + 10 + i)) $((BASE + 30 + i))); done
for port in "${PORTS[@]}"; do
  if taken "$port"; then
    echo "cluster: port $port is taken (needed for ${PORTS[*]}); stop what listens there or set CLUSTER_BASE_PORT" >&2
    exit 1
  fi
done

[ -f $JAR ] || mvn -q -B -DskipTests package
rm -rf $OUT && mkdir -p $OUT
WORK=$(mktemp -d /tmp/tokengate-cluster.XXXXXX)
chmod 777 "$WORK"
AS_SERVICE=()
[ "$(id -u)" = 0 ] && AS_SERVICE=(runuser -u postgres --)
declare -A REPLICA_PID
PGB_PID= LB_PID=
cleanup() {
  set +e
  for i in "${!REPLICA_PID[@]}"; do kill "${REPLICA_PID[$i]}" 2>/dev/null; done
  for i in "${!REPLICA_PID[@]}"; do wait "${REPLICA_PID[$i]}" 2>/dev/null; done
  [ -n "$LB_PID" ] && kill "$LB_PID" 2>/dev/null && wait "$LB_PID" 2>/dev/null
  [ -n "$PGB_PID" ] && kill "$PGB_PID" 2>/dev/null && wait "$PGB_PID" 2>/dev/null
  [ -d "$WORK/pg" ] && "${AS_SERVICE[@]}" "$PGBIN/pg_ctl" -D "$WORK/pg" -m fast -w stop >/dev/null 2>&1
  cp "$WORK"/*.log $OUT/ 2>/dev/null
  rm -rf "$WORK"
}
trap cleanup EXIT

echo "== private PostgreSQL on $PG_PORT, PgBouncer (transaction mode) on $PGB_PORT, HAProxy on $LB_PORT"
"${AS_SERVICE[@]}" "$PGBIN/initdb" -D "$WORK/pg" -U postgres --auth=trust >/dev/null
pg_start() {
  "${AS_SERVICE[@]}" "$PGBIN/pg_ctl" -D "$WORK/pg" -l "$WORK/postgres.log" -w \
    -o "-p $PG_PORT -k $WORK -c listen_addresses=127.0.0.1 -c max_connections=200" start >/dev/null
}
pg_start
PSQL=(psql -X -q -t -A -h 127.0.0.1 -p $PG_PORT -U postgres)
"${AS_SERVICE[@]}" "${PSQL[@]}" -d postgres -c "CREATE DATABASE tokengate" \
  -c "ALTER ROLE postgres SET statement_timeout = '5s'"

echo '"postgres" ""' > "$WORK/users.txt"
cat > "$WORK/pgbouncer.ini" <<INI
[databases]
tokengate = host=127.0.0.1 port=$PG_PORT dbname=tokengate
[pgbouncer]
listen_addr = 127.0.0.1
listen_port = $PGB_PORT
unix_socket_dir =
auth_type = trust
auth_file = $WORK/users.txt
pool_mode = transaction
default_pool_size = $((REPLICAS * 10 + 5))
server_login_retry = 1
logfile = $WORK/pgbouncer.log
INI
PGB_USER=()
[ "$(id -u)" = 0 ] && PGB_USER=(-u nobody)
pgbouncer "${PGB_USER[@]}" "$WORK/pgbouncer.ini" >/dev/null 2>&1 &
PGB_PID=$!

{
  printf 'global\n  maxconn 4096\ndefaults\n  mode http\n  timeout connect 1s\n  timeout client 30s\n'
  printf '  timeout check 1s\n  errorfile 503 %s\n' "$WORK/503.http"
  printf '  timeout server 30s\n  timeout queue 5s\n  option http-server-close\n  retries 3\n  option redispatch 1\n'
  printf '  retry-on conn-failure\nfrontend tokengate\n  bind 127.0.0.1:%s\n  default_backend replicas\n' $LB_PORT
  printf 'backend replicas\n  balance roundrobin\n  option httpchk GET /health/ready\n'
  printf '  http-check expect status 200\n  default-server inter 200ms fall 2 rise 2\n'
  for i in $(seq 0 $((REPLICAS - 1))); do
    printf '  server replica%s 127.0.0.1:%s check port %s\n' $i $((BASE + 10 + i)) $((BASE + 30 + i))
  done
} > "$WORK/haproxy.cfg"
# When no replica is ready (PostgreSQL down makes every replica unready), HAProxy answers as a replica would.
printf 'HTTP/1.1 503 Service Unavailable\r\nContent-Type: application/json\r\nCache-Control: no-store\r\nRetry-After: 1\r\nConnection: close\r\n\r\n{"error":"temporarily_unavailable","error_description":"no replica is ready, retry later"}\n' > "$WORK/503.http"
haproxy -db -f "$WORK/haproxy.cfg" > "$WORK/haproxy.log" 2>&1 &
LB_PID=$!

export TOKENGATE_DATABASE_URL="postgresql://postgres@127.0.0.1:$PGB_PORT/tokengate"
export TOKENGATE_DATABASE_POOLER_MODE=transaction
export TOKENGATE_HTTP_SHUTDOWN_DELAY=1s TOKENGATE_HTTP_SHUTDOWN_GRACE=10s
export TOKENGATE_LOCKOUT_THRESHOLD=${CLUSTER_LOCKOUT_THRESHOLD:-5}
export TOKENGATE_HASHING_QUEUE_SIZE=64
export TOKENGATE_TOKENS_KEY_PUBLICATION_DELAY=${CLUSTER_KEY_PUBLICATION_DELAY:-4s}
export TOKENGATE_TOKENS_KEYS_RELOAD_INTERVAL=${CLUSTER_KEYS_RELOAD_INTERVAL:-2s}
until taken $PGB_PORT && taken $LB_PORT; do sleep 0.1; done

java -jar $JAR migrate >/dev/null
SECRET=$(java -jar $JAR client create cluster-client --grants password,refresh_token,client_credentials \
  --scopes "read" | sed -n 's/^client_secret: //p')
PASSWORD="cluster password $(date +%s)"
printf '%s' "$PASSWORD" | java -jar $JAR user create cluster-user --password-stdin >/dev/null
printf '%s' "$PASSWORD" | java -jar $JAR user create lockout-user --password-stdin >/dev/null
export BENCH_AUTH="Basic $(printf 'cluster-client:%s' "$SECRET" | base64 -w0)"
urlencode() { python3 -c 'import sys, urllib.parse; print(urllib.parse.quote_plus(sys.argv[1]))' "$1"; }
PASSWORD_BODY="grant_type=password&username=cluster-user&password=$(urlencode "$PASSWORD")"

start_replica() {
  local i=$1
  TOKENGATE_HTTP_PORT=$((BASE + 10 + i)) TOKENGATE_MANAGEMENT_PORT=$((BASE + 30 + i)) \
    java $JAVA_OPTS -jar $JAR serve >> "$WORK/replica-$i.log" 2>&1 &
  REPLICA_PID[$i]=$!
  until curl -sf "http://127.0.0.1:$((BASE + 30 + i))/health/ready" >/dev/null; do
    kill -0 "${REPLICA_PID[$i]}" 2>/dev/null || { echo "cluster: replica $i did not start (see $OUT/replica-$i.log)" >&2; exit 1; }
    sleep 0.05
  done
}
stop_replica() {
  local i=$1
  kill -TERM "${REPLICA_PID[$i]}"
  wait "${REPLICA_PID[$i]}" 2>/dev/null || true
  unset "REPLICA_PID[$i]"
}
rss_mib() { echo $(( $(awk '/VmRSS/ {print $2}' /proc/$1/status) / 1024 )); }
all_rss() { for i in "${!REPLICA_PID[@]}"; do rss_mib "${REPLICA_PID[$i]}"; done | paste -sd, -; }
for i in $(seq 0 $((REPLICAS - 1))); do start_replica $i; done
sleep 1
get_token() {
  curl -s -H "Authorization: $BENCH_AUTH" -d "$PASSWORD_BODY" "$URL" | python3 -c 'import json,sys; print(json.load(sys.stdin)["refresh_token"])'
}
# wrk_socket_errors FILE: connect + read + write + timeout errors wrk reported (0 when none)
wrk_socket_errors() {
  awk '/Socket errors/ {gsub(",", ""); print $4 + $6 + $8 + $10; found=1} END {if (!found) print 0}' "$1"
}
wrk_field() { sed -n "s/.*RESULT.* $2=\([0-9.]*\).*/\1/p" "$1"; }
RESULTS=()
record() { RESULTS+=("$1"); echo "$2"; }

scenario_rolling() {
  echo "== rolling restart under load (${LOAD_SECONDS}s; each replica SIGTERM and started again)"
  for _ in $(seq 1 64); do get_token; done > "$WORK/tokens.txt"
  BENCH_BODY="$PASSWORD_BODY" wrk -t1 -c2 -d${LOAD_SECONDS}s -s src/bench/token.lua "$URL" > "$WORK/rolling-password.txt" &
  local w1=$!
  BENCH_BODY="grant_type=client_credentials" wrk -t1 -c8 -d${LOAD_SECONDS}s -s src/bench/token.lua "$URL" > "$WORK/rolling-cc.txt" &
  local w2=$!
  BENCH_TOKENS="$WORK/tokens.txt" BENCH_THREADS=1 wrk -t1 -c8 -d${LOAD_SECONDS}s -s src/bench/refresh.lua "$URL" > "$WORK/rolling-refresh.txt" &
  local w3=$!
  sleep 3
  local restarted=0 started
  for i in $(seq 0 $((REPLICAS - 1))); do
    stop_replica $i
    start_replica $i
    restarted=$((restarted + 1))
    sleep 2
  done
  wait $w1 $w2 $w3
  local failed=0 total=0 line="" name
  for name in password cc refresh; do
    local f="$WORK/rolling-$name.txt" non2xx socket reqs
    non2xx=$(wrk_field "$f" non2xx); socket=$(wrk_socket_errors "$f")
    reqs=$(awk '/requests in/ {print $1}' "$f")
    failed=$((failed + non2xx + socket)); total=$((total + reqs))
    line+="\"$name\": {\"requests\": $reqs, \"rps\": $(wrk_field "$f" rps), \"p99_ms\": $(wrk_field "$f" p99_ms), \"non2xx\": $non2xx, \"socket_errors\": $socket}, "
  done
  cp "$WORK"/rolling-*.txt $OUT/
  local verdict=PASS; [ "$failed" = 0 ] || verdict=FAIL
  record "{\"scenario\": \"rolling\", \"pass\": $([ $verdict = PASS ] && echo true || echo false), \"replicas_restarted\": $restarted, \"seconds\": $LOAD_SECONDS, ${line}\"failed\": $failed, \"requests\": $total}" \
    "$verdict rolling restart: $restarted replicas restarted under load, $total requests, $failed failed"
}

scenario_postgres() {
  echo "== PostgreSQL restart under load"
  for _ in $(seq 1 16); do get_token; done > "$WORK/tokens.txt"
  BENCH_BODY="grant_type=client_credentials" python3 src/bench/cluster_load.py "$URL" 16 8 "$WORK/pg-cc.jsonl" > /dev/null &
  local l1=$!
  BENCH_TOKENS="$WORK/tokens.txt" BENCH_THREADS=1 wrk -t1 -c8 -d16s -s src/bench/refresh.lua "$URL" > "$WORK/pg-refresh.txt" &
  local l2=$!
  sleep 4
  local down up
  down=$(date +%s.%N)
  "${AS_SERVICE[@]}" "$PGBIN/pg_ctl" -D "$WORK/pg" -m fast -w stop >/dev/null
  sleep 3
  pg_start
  up=$(date +%s.%N)
  wait $l1 $l2 || true
  local verdict summary checks
  summary=$(python3 - "$WORK/pg-cc.jsonl" "$down" "$up" <<'PY'
import json, sys
records = [json.loads(line) for line in open(sys.argv[1])]
down, up = float(sys.argv[2]), float(sys.argv[3])
statuses = {}
for r in records:
    statuses[str(r["status"])] = statuses.get(str(r["status"]), 0) + 1
bad = [r for r in records if r["status"] not in (200, 503) or (r["status"] == 503 and not r["retry_after"])]
# Full service: the first moment after which every answer is 200.
last_failure = max([r["t"] for r in records if r["status"] != 200], default=up)
recovery = max(0.0, last_failure - up)
print(json.dumps({"statuses": statuses, "wrong_answers": len(bad), "recovery_seconds": round(recovery, 3)}))
PY
)
  checks=$("${AS_SERVICE[@]}" "${PSQL[@]}" -d tokengate -c "
    SELECT (SELECT count(*) FROM (SELECT family_id FROM refresh_tokens WHERE state = 'active'
              GROUP BY family_id HAVING count(*) > 1) two_active)
         + (SELECT count(*) FROM refresh_tokens WHERE state = 'rotated' AND (successor_hash IS NULL OR rotated_at IS NULL))
         + (SELECT count(*) FROM refresh_tokens r WHERE state = 'rotated'
              AND NOT EXISTS (SELECT 1 FROM refresh_tokens s WHERE s.token_hash = r.successor_hash))")
  verdict=$(python3 -c "
import json, sys
s = json.loads(sys.argv[1])
print('PASS' if s['wrong_answers'] == 0 and s['recovery_seconds'] <= 2 and int(sys.argv[2]) == 0 and '500' not in s['statuses'] else 'FAIL')" "$summary" "$checks")
  cp "$WORK/pg-refresh.txt" $OUT/
  record "{\"scenario\": \"postgres\", \"pass\": $([ $verdict = PASS ] && echo true || echo false), \"client_credentials\": $summary, \"refresh_non2xx\": $(wrk_field "$WORK/pg-refresh.txt" non2xx), \"impossible_family_states\": $checks}" \
    "$verdict PostgreSQL restart: $summary; impossible refresh-family states: $checks"
}

scenario_invariants() {
  echo "== cross-replica invariants"
  local token double successes second_family ok=true
  token=$(get_token)
  double=$(python3 src/bench/double_use.py "$URL" "$token" 1000)
  successes=$(python3 -c 'import json,sys; print(json.loads(sys.argv[1])["statuses"].get("200", 0))' "$double")
  [ "$successes" = 1 ] || ok=false
  # Lockout across replicas: THRESHOLD wrong passwords spread by HAProxy lock the account once.
  local wrong locked_status
  for _ in $(seq 1 $((TOKENGATE_LOCKOUT_THRESHOLD + 2))); do
    curl -s -o /dev/null -H "Authorization: $BENCH_AUTH" -d "grant_type=password&username=lockout-user&password=wrong" "$URL"
  done
  wrong=$("${AS_SERVICE[@]}" "${PSQL[@]}" -d tokengate -c "SELECT coalesce(max(failures), 0) FROM login_failures" 2>/dev/null || echo "?")
  locked_status=$(curl -s -o /dev/null -w '%{http_code}' -H "Authorization: $BENCH_AUTH" \
    -d "grant_type=password&username=lockout-user&password=$(urlencode "$PASSWORD")" "$URL")
  [ "$locked_status" = 400 ] || ok=false
  # keys rotate: every replica signs with the new key within key_publication_delay + keys_reload_interval.
  local before after kid_changed=true
  before=$(curl -s -H "Authorization: $BENCH_AUTH" -d grant_type=client_credentials "$URL" | python3 -c '
import base64, json, sys; t = json.load(sys.stdin)["access_token"].split(".")[0]; print(json.loads(base64.urlsafe_b64decode(t + "==="))["kid"])')
  java -jar $JAR keys rotate >/dev/null
  sleep $(( ${TOKENGATE_TOKENS_KEY_PUBLICATION_DELAY%s} + 2 * ${TOKENGATE_TOKENS_KEYS_RELOAD_INTERVAL%s} ))
  for _ in $(seq 1 $((REPLICAS * 4))); do
    after=$(curl -s -H "Authorization: $BENCH_AUTH" -d grant_type=client_credentials "$URL" | python3 -c '
import base64, json, sys; t = json.load(sys.stdin)["access_token"].split(".")[0]; print(json.loads(base64.urlsafe_b64decode(t + "==="))["kid"])')
    [ "$after" != "$before" ] || kid_changed=false
  done
  $kid_changed || ok=false
  local verdict=PASS; $ok || verdict=FAIL
  record "{\"scenario\": \"invariants\", \"pass\": $($ok && echo true || echo false), \"double_use_1000\": $double, \"lockout_after_wrong\": \"$locked_status\", \"lockout_failures_counted\": \"$wrong\", \"every_replica_signs_with_new_key\": $kid_changed}" \
    "$verdict invariants: 1000 concurrent uses of one refresh token -> $successes success; locked account answers $locked_status; every replica signs with the rotated key: $kid_changed"
}

scenario_soak() {
  echo "== soak: ${SOAK_SECONDS}s of client_credentials at 80 % of saturation"
  local saturation rate rss0 rss1 first last errors
  BENCH_BODY="grant_type=client_credentials" wrk -t2 -c32 -d10s -s src/bench/token.lua "$URL" > "$WORK/soak-saturation.txt"
  saturation=$(wrk_field "$WORK/soak-saturation.txt" rps)
  rate=$(python3 -c "print(round(float('$saturation') * 0.8))")
  rss0=$(all_rss)
  local minute=$(( SOAK_SECONDS < 120 ? SOAK_SECONDS / 2 : 60 ))
  BENCH_BODY="grant_type=client_credentials" python3 src/bench/paced.py "$URL" "$rate" "$minute" 64 > "$WORK/soak-first.txt"
  if [ $((SOAK_SECONDS - 2 * minute)) -gt 0 ]; then
    BENCH_BODY="grant_type=client_credentials" python3 src/bench/paced.py "$URL" "$rate" $((SOAK_SECONDS - 2 * minute)) 64 > "$WORK/soak-middle.txt"
  else
    : > "$WORK/soak-middle.txt"
  fi
  BENCH_BODY="grant_type=client_credentials" python3 src/bench/paced.py "$URL" "$rate" "$minute" 64 > "$WORK/soak-last.txt"
  rss1=$(all_rss)
  cp "$WORK"/soak-*.txt $OUT/
  errors=$(cat "$WORK"/soak-first.txt "$WORK"/soak-middle.txt "$WORK"/soak-last.txt | sed -n 's/.*non2xx=\([0-9]*\).*/\1/p' | paste -sd+ - | bc)
  first=$(wrk_field "$WORK/soak-first.txt" p99_ms); last=$(wrk_field "$WORK/soak-last.txt" p99_ms)
  local verdict
  verdict=$(python3 -c "
r0 = [int(x) for x in '$rss0'.split(',')]; r1 = [int(x) for x in '$rss1'.split(',')]
growth = max((b - a) / a for a, b in zip(r0, r1))
print('PASS' if int('${errors:-0}') == 0 and growth < 0.05 else 'FAIL', round(growth * 100, 1))")
  record "{\"scenario\": \"soak\", \"pass\": $([ "${verdict% *}" = PASS ] && echo true || echo false), \"seconds\": $SOAK_SECONDS, \"saturation_rps\": $saturation, \"rate\": $rate, \"errors\": ${errors:-0}, \"p99_first_ms\": $first, \"p99_last_ms\": $last, \"rss_mib_before\": [$rss0], \"rss_mib_after\": [$rss1], \"rss_growth_percent\": ${verdict#* }}" \
    "${verdict% *} soak: ${SOAK_SECONDS}s at $rate/s (80 % of $saturation/s), $errors errors, p99 first ${first} ms last ${last} ms, RSS MiB $rss0 -> $rss1 (${verdict#* } %)"
}

# Until the cluster answers again (after the PostgreSQL restart, replicas take a moment to be ready).
await_service() {
  for _ in $(seq 1 200); do
    [ "$(curl -s -o /dev/null -w '%{http_code}' -H "Authorization: $BENCH_AUTH" -d grant_type=client_credentials "$URL")" = 200 ] && return
    sleep 0.1
  done
  echo "cluster: no 200 through HAProxy for 20 s" >&2
}
for scenario in "${SCENARIOS[@]}"; do await_service; "scenario_$scenario"; done
{ echo "["; (IFS=,; echo "${RESULTS[*]}"); echo "]"; } | python3 -m json.tool > $OUT/results.json
cp "$WORK/pg-cc.jsonl" $OUT/ 2>/dev/null || true
python3 src/bench/cluster_chart.py $OUT/results.json $OUT/chart.svg $OUT
echo "cluster: results in $OUT/results.json, chart in $OUT/chart.svg"
