"""One refresh token presented N times at once (threads released together), spread by the load balancer.

    python3 src/bench/double_use.py URL REFRESH_TOKEN N      (BENCH_AUTH as for wrk)

Prints a JSON object: counts by status, and whether a successor token was issued (never the token itself).
"""
import http.client
import json
import os
import sys
import threading
import urllib.parse
from collections import Counter

url = urllib.parse.urlsplit(sys.argv[1])
token, n = sys.argv[2], int(sys.argv[3])
body = "grant_type=refresh_token&refresh_token=" + urllib.parse.quote_plus(token)
headers = {"Content-Type": "application/x-www-form-urlencoded", "Authorization": os.environ["BENCH_AUTH"]}
barrier = threading.Barrier(n)
answers, lock = [], threading.Lock()


def use():
    connection = http.client.HTTPConnection(url.hostname, url.port, timeout=30)
    connection.connect()
    barrier.wait()
    try:
        connection.request("POST", url.path, body, headers)
        response = connection.getresponse()
        answer = (response.status, response.read())
    except Exception:
        answer = (0, b"")
    with lock:
        answers.append(answer)


threads = [threading.Thread(target=use) for _ in range(n)]
for thread in threads:
    thread.start()
for thread in threads:
    thread.join()
issued = any("refresh_token" in json.loads(b) for s, b in answers if s == 200)
print(json.dumps({"statuses": {str(k): v for k, v in Counter(s for s, _ in answers).items()}, "successor_issued": issued}))
