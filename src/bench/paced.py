"""Open-loop load at a fixed arrival rate, for latency below saturation (wrk always runs flat out).

    python3 src/bench/paced.py URL RATE SECONDS [WORKERS]     (BENCH_BODY and BENCH_AUTH as for the wrk scripts)

Requests are due at evenly spaced times, RATE per second, whatever the earlier ones are doing; each one's latency is
measured from when it was due, not from when a worker got to it, so a stall shows in the percentiles instead of
silently lowering the load (the "coordinated omission" of closed-loop tools). WORKERS keep-alive connections
(default 64) send them. Prints one line in the format of the wrk scripts' RESULT line.
"""
import http.client
import os
import queue
import sys
import threading
import time
import urllib.parse

url = urllib.parse.urlsplit(sys.argv[1])
rate, seconds = float(sys.argv[2]), float(sys.argv[3])
workers = int(sys.argv[4]) if len(sys.argv) > 4 else 64
body = os.environ["BENCH_BODY"].encode()
headers = {"Content-Type": "application/x-www-form-urlencoded", "Authorization": os.environ["BENCH_AUTH"]}

due = queue.Queue()
latencies, failures, lock = [], [0], threading.Lock()


def work():
    connection = http.client.HTTPConnection(url.hostname, url.port, timeout=30)
    while True:
        at = due.get()
        if at is None:
            return
        try:
            connection.request("POST", url.path, body, headers)
            response = connection.getresponse()
            response.read()
            ok = 200 <= response.status < 300
        except (OSError, http.client.HTTPException):
            connection.close()
            connection = http.client.HTTPConnection(url.hostname, url.port, timeout=30)
            ok = False
        done = time.perf_counter()
        with lock:
            latencies.append(done - at)
            failures[0] += 0 if ok else 1


threads = [threading.Thread(target=work, daemon=True) for _ in range(workers)]
for thread in threads:
    thread.start()
start = time.perf_counter()
count = int(rate * seconds)
for i in range(count):
    at = start + i / rate
    pause = at - time.perf_counter()
    if pause > 0:
        time.sleep(pause)
    due.put(at)
for _ in threads:
    due.put(None)
for thread in threads:
    thread.join()
elapsed = time.perf_counter() - start

latencies.sort()


def percentile(p):
    return latencies[min(len(latencies) - 1, int(len(latencies) * p / 100))] * 1000


print(f"RESULT rps={len(latencies) / elapsed:.1f} p50_ms={percentile(50):.2f} p90_ms={percentile(90):.2f} "
      f"p99_ms={percentile(99):.2f} max_ms={latencies[-1] * 1000:.2f} non2xx={failures[0]}")
