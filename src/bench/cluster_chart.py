"""Chart of a cluster harness run: for each scenario its verdict and headline numbers, and for the PostgreSQL
restart the answers per 250 ms (200 and 503) around the restart.

    python3 src/bench/cluster_chart.py results.json chart.svg [dir with pg-cc.jsonl]
"""
import json
import os
import sys

results = json.load(open(sys.argv[1]))
out = sys.argv[2]
directory = sys.argv[3] if len(sys.argv) > 3 else os.path.dirname(sys.argv[1])
width, height = 760, 420
svg = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" font-family="sans-serif" font-size="12">',
       '<rect width="100%" height="100%" fill="white"/>',
       '<text x="20" y="24" font-size="15">tokengate cluster harness: replicas behind HAProxy, PgBouncer transaction mode</text>']
y = 50
for result in results:
    colour = "#2a7" if result["pass"] else "#c33"
    text = {k: v for k, v in result.items() if k not in ("scenario", "pass")}
    line = json.dumps(text)
    svg.append(f'<rect x="20" y="{y - 12}" width="60" height="16" fill="{colour}"/>')
    svg.append(f'<text x="26" y="{y}" fill="white">{"PASS" if result["pass"] else "FAIL"}</text>')
    svg.append(f'<text x="90" y="{y}">{result["scenario"]}: {line[:100].replace("<", "")}</text>')
    y += 24
trace = os.path.join(directory, "pg-cc.jsonl")
if os.path.exists(trace):
    records = [json.loads(line) for line in open(trace)]
    if records:
        start = min(r["t"] for r in records)
        buckets = {}
        for r in records:
            b = int((r["t"] - start) * 4)
            ok, unavailable = buckets.get(b, (0, 0))
            buckets[b] = (ok + (r["status"] == 200), unavailable + (r["status"] == 503))
        top = max(max(a, b) for a, b in buckets.values()) or 1
        x0, y0, w, h = 60, height - 30, width - 100, height - y - 70
        svg.append(f'<text x="20" y="{y + 20}">PostgreSQL restart: answers per 250 ms through HAProxy (green 200, red 503 with Retry-After)</text>')
        step = w / (max(buckets) + 1)
        for b, (ok, unavailable) in sorted(buckets.items()):
            svg.append(f'<rect x="{x0 + b * step:.1f}" y="{y0 - ok / top * h:.1f}" width="{step * 0.45:.1f}" height="{ok / top * h:.1f}" fill="#2a7"/>')
            svg.append(f'<rect x="{x0 + b * step + step * 0.5:.1f}" y="{y0 - unavailable / top * h:.1f}" width="{step * 0.45:.1f}" height="{unavailable / top * h:.1f}" fill="#c33"/>')
        svg.append(f'<line x1="{x0}" y1="{y0}" x2="{x0 + w}" y2="{y0}" stroke="black"/>')
        svg.append(f'<text x="{x0}" y="{y0 + 16}">0 s</text><text x="{x0 + w - 30}" y="{y0 + 16}">{(max(buckets) + 1) / 4:.0f} s</text>')
svg.append('</svg>')
open(out, "w").write("\n".join(svg))
