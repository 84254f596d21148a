"""Where the gateway's Java threads spend their time, from a JFR recording (method sampling, every 10-20 ms).

    python3 src/bench/profile.py RECORDING.jfr [TOP]

Prints the share of samples per component (a sample counts for the first component found walking its stack from
the top) and the hottest methods by self time. Time in native code (libsodium's Argon2id) is not sampled by JFR's
execution sampler; the benchmark's per-thread CPU shows it instead.
"""
import collections
import json
import subprocess
import sys

recording = sys.argv[1]
top = int(sys.argv[2]) if len(sys.argv) > 2 else 15
# Most specific first: a frame is matched against these in order.
COMPONENTS = [
    ("ES256/EdDSA/RS256 signing", ("sun.security.ec.", "sun.security.util.math.", "org.bouncycastle.math.ec.",
                                   "org.bouncycastle.crypto.signers.", "sun.security.rsa.", "java.math.")),
    ("JWS/JSON encoding", ("com.nimbusds.", "com.fasterxml.jackson.", "io.vertx.core.json.")),
    ("SHA-256/HMAC", ("sun.security.provider.SHA", "sun.security.provider.Digest", "com.sun.crypto.provider.HmacCore")),
    ("audit and logging", ("io.tokengate.logging.", "io.tokengate.audit.", "java.util.logging.")),
    ("metrics", ("io.micrometer.", "io.prometheus.", "io.vertx.micrometer.")),
    ("PostgreSQL client", ("io.vertx.pgclient.", "io.vertx.sqlclient.")),
    ("HTTP (Vert.x, Netty codec)", ("io.vertx.core.http.", "io.vertx.ext.web.", "io.netty.handler.codec.")),
    ("Netty I/O, event loop", ("io.netty.", "sun.nio.")),
    ("tokengate", ("io.tokengate.",)),
    ("Vert.x core", ("io.vertx.",)),
]

events = json.loads(subprocess.run(["jfr", "print", "--json", "--events", "jdk.ExecutionSample", recording],
                                   check=True, capture_output=True, text=True).stdout)["recording"]["events"]


def name(frame):
    method = frame["method"]
    return method["type"]["name"].replace("/", ".") + "." + method["name"]


components, methods, threads = collections.Counter(), collections.Counter(), collections.Counter()
for event in events:
    frames = [name(frame) for frame in event["values"]["stackTrace"]["frames"]]
    if not frames:
        continue
    thread = event["values"]["sampledThread"]["javaName"] or "?"
    threads[thread.rstrip("0123456789")] += 1
    methods[frames[0]] += 1
    component = next((label for frame in frames for label, prefixes in COMPONENTS
                      if frame.startswith(prefixes)), "JDK and other")
    components[component] += 1

total = sum(methods.values()) or 1
print(f"{total} samples; by thread: " + ", ".join(f"{t} {n * 100 / total:.0f}%" for t, n in threads.most_common(4)))
print("by component (first match from the top of the stack):")
for label, count in components.most_common():
    print(f"  {count * 100 / total:5.1f}%  {label}")
print(f"hottest methods (self):")
for method, count in methods.most_common(top):
    print(f"  {count * 100 / total:5.1f}%  {method}")
