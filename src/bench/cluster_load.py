"""Closed-loop load that records every answer, for the cluster harness's fault scenarios (wrk counts non-2xx but not
which status, nor whether a 503 carried Retry-After).

    python3 src/bench/cluster_load.py URL SECONDS WORKERS OUT.jsonl     (BENCH_BODY and BENCH_AUTH as for wrk)

Each line of OUT: {"t": seconds since the epoch, "status": code or 0 for a socket error, "retry_after": header or
null}. Prints a summary line: counts by status.
"""
import http.client
import json
import os
import sys
import threading
import time
import urllib.parse
from collections import Counter

url = urllib.parse.urlsplit(sys.argv[1])
seconds, workers, out = float(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
body = os.environ["BENCH_BODY"]
headers = {"Content-Type": "application/x-www-form-urlencoded", "Authorization": os.environ["BENCH_AUTH"]}
records, lock = [], threading.Lock()
deadline = time.time() + seconds


def work():
    connection = None
    while time.time() < deadline:
        status, retry_after = 0, None
        try:
            if connection is None:
                connection = http.client.HTTPConnection(url.hostname, url.port, timeout=10)
            connection.request("POST", url.path, body, headers)
            response = connection.getresponse()
            response.read()
            status, retry_after = response.status, response.getheader("Retry-After")
            if response.getheader("Connection", "").lower() == "close":
                connection.close()
                connection = None
        except Exception:
            if connection is not None:
                connection.close()
            connection = None
            time.sleep(0.01)
        with lock:
            records.append({"t": time.time(), "status": status, "retry_after": retry_after})
        if status == 503:
            time.sleep(0.05)


threads = [threading.Thread(target=work) for _ in range(workers)]
for thread in threads:
    thread.start()
for thread in threads:
    thread.join()
with open(out, "w") as file:
    for record in records:
        file.write(json.dumps(record) + "\n")
print("RESULT " + " ".join(f"{status}={count}" for status, count in sorted(Counter(r["status"] for r in records).items())))
