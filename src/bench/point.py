"""One benchmark line ("password c=4 rps=54.0 p50_ms=70.2 ... gateway_cpu=194% rss_mib=451") as a JSON object."""
import json
import sys

fields = sys.argv[1].split()
point = {"grant": fields[0]}
for field in fields[1:]:
    key, _, value = field.partition("=")
    value = value.rstrip("%")
    point["connections" if key == "c" else key] = float(value) if "." in value else int(value)
print(json.dumps(point))
