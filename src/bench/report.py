"""Gathers a benchmark run into results.json and draws chart.svg: requests/s and p99 against connections."""
import json
import math
import re
import sys
from pathlib import Path

out = Path(sys.argv[1])
points = [json.loads(line) for line in (out / "points.jsonl").read_text().splitlines() if line.strip()]
hash_text = (out / "hash-bench.txt").read_text()
# hash-bench runs before and after the password points: the ceiling is their mean, the spread shows the noise.
ceilings = [float(rate) for rate in re.findall(r"\d+ threads: ([\d.]+) verifications/s", hash_text)]
hash_ms = [float(ms) for ms in re.findall(r"\d+ threads: [\d.]+ verifications/s \(([\d.]+) ms each\)", hash_text)]
implementation = re.search(r"with (.+) on \d+ cores", hash_text)
ceiling = sum(ceilings) / len(ceilings) if ceilings else None
results = {
    "hash_ceiling_per_second": round(ceiling, 1) if ceiling else None,
    "hash_ceiling_runs": ceilings,
    "hash_ms_under_full_load": round(sum(hash_ms) / len(hash_ms), 2) if hash_ms else None,
    "hash_implementation": implementation.group(1) if implementation else None,
    "startup": json.loads((out / "startup.json").read_text()),
    "points": points,
}
password = [p["rps"] for p in points if p["grant"] == "password" and p.get("non2xx", 0) == 0]
if password and ceiling:
    results["password_share_of_ceiling"] = round(max(password) / ceiling, 3)
paced = [p for p in points if p["grant"] == "password-paced-80%"]
if paced and hash_ms:
    results["paced_p99_in_hash_times"] = round(paced[0]["p99_ms"] / results["hash_ms_under_full_load"], 2)
(out / "results.json").write_text(json.dumps(results, indent=2) + "\n")
if "password_share_of_ceiling" in results:
    print(f"== password grant at saturation: {results['password_share_of_ceiling'] * 100:.0f} % of the hash ceiling "
          f"({max(password)} of {ceiling:.1f}/s)")
if "paced_p99_in_hash_times" in results:
    print(f"== password grant at 80 % of saturation: p99 {paced[0]['p99_ms']} ms = "
          f"{results['paced_p99_in_hash_times']} x one hash ({results['hash_ms_under_full_load']} ms)")
# The chart shows the closed-loop points, whose x axis is connections.
points = [p for p in points if p["grant"] != "password-paced-80%"]

COLOURS = {"password": "#1f77b4", "wrong-password": "#ff7f0e", "refresh_token": "#2ca02c",
           "client_credentials": "#d62728"}
WIDTH, HEIGHT, LEFT, TOP, PANEL_W, PANEL_H = 900, 380, 70, 40, 340, 280


def panel(x0, title, metric, unit):
    grants = sorted({p["grant"] for p in points})
    values = [p[metric] for p in points if p[metric] > 0]
    conns = sorted({p["connections"] for p in points})
    if not values or not conns:
        return ""
    y_lo, y_hi = math.floor(math.log10(min(values))), math.ceil(math.log10(max(values)))
    y_hi = max(y_hi, y_lo + 1)
    c_lo, c_hi = math.log2(min(conns)), math.log2(max(conns))

    def sx(c):
        return x0 + (0 if c_hi == c_lo else (math.log2(c) - c_lo) / (c_hi - c_lo) * PANEL_W)

    def sy(v):
        return TOP + PANEL_H - (math.log10(v) - y_lo) / (y_hi - y_lo) * PANEL_H

    svg = [f'<text x="{x0 + PANEL_W / 2}" y="{TOP - 15}" text-anchor="middle" font-weight="bold">{title}</text>',
           f'<rect x="{x0}" y="{TOP}" width="{PANEL_W}" height="{PANEL_H}" fill="none" stroke="#888"/>']
    for e in range(y_lo, y_hi + 1):
        y = sy(10 ** e)
        svg.append(f'<line x1="{x0}" x2="{x0 + PANEL_W}" y1="{y}" y2="{y}" stroke="#ddd"/>')
        svg.append(f'<text x="{x0 - 6}" y="{y + 4}" text-anchor="end" font-size="11">{10 ** e:g}</text>')
    for c in conns:
        svg.append(f'<text x="{sx(c)}" y="{TOP + PANEL_H + 16}" text-anchor="middle" font-size="11">{c}</text>')
    svg.append(f'<text x="{x0 + PANEL_W / 2}" y="{TOP + PANEL_H + 34}" text-anchor="middle" font-size="12">'
               f'connections</text>')
    svg.append(f'<text x="{x0 - 50}" y="{TOP + PANEL_H / 2}" font-size="12" transform="rotate(-90 {x0 - 50} '
               f'{TOP + PANEL_H / 2})" text-anchor="middle">{unit}</text>')
    for grant in grants:
        series = sorted((p["connections"], p[metric]) for p in points if p["grant"] == grant and p[metric] > 0)
        path = " ".join(f"{sx(c):.1f},{sy(v):.1f}" for c, v in series)
        colour = COLOURS.get(grant, "#555")
        svg.append(f'<polyline points="{path}" fill="none" stroke="{colour}" stroke-width="2"/>')
        svg.extend(f'<circle cx="{sx(c):.1f}" cy="{sy(v):.1f}" r="3" fill="{colour}"/>' for c, v in series)
    return "\n".join(svg)


legend = [f'<text x="{LEFT + i * 210}" y="{HEIGHT - 8}" fill="{COLOURS.get(g, "#555")}" font-size="12">— {g}</text>'
          for i, g in enumerate(sorted({p["grant"] for p in points}))]
svg = "\n".join([
    f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{HEIGHT}" font-family="sans-serif">',
    '<rect width="100%" height="100%" fill="white"/>',
    panel(LEFT, "Throughput", "rps", "requests/s (log)"),
    panel(LEFT + PANEL_W + 110, "p99 latency", "p99_ms", "ms (log)"),
    *legend,
    "</svg>"])
(out / "chart.svg").write_text(svg + "\n")
print(f"== results: {out / 'results.json'}, chart: {out / 'chart.svg'}")
