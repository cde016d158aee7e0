#!/usr/bin/env python3
"""Turns bench/checks' hyperfine JSON files into BENCHMARKS.md (and prints the table)."""
import json
import os
import platform
import subprocess
import sys
from datetime import datetime, timezone

src, out = sys.argv[1], sys.argv[2]


def load(name):
    with open(os.path.join(src, name + ".json")) as f:
        return {r["command"]: r for r in json.load(f)["results"]}


def ms(r):
    return r["median"] * 1000


ROWS = [
    ("pg-success", "PostgreSQL: success", "psql -c 'select 1'", 1.5),
    ("pg-wrong-password", "PostgreSQL: wrong password", "psql", 1.5),
    ("pg-closed-port", "PostgreSQL: closed port", "psql", None),
    ("pg-silent-listener", "PostgreSQL: silent listener (3 s bound)", "psql connect_timeout=3", None),
    ("mysql-success", "MariaDB: success", "mariadb -e 'select 1'", 1.5),
    ("mysql-wrong-password", "MariaDB: wrong password", "mariadb", 1.5),
    ("mysql-closed-port", "MariaDB: closed port", "mariadb", None),
    ("s3-success", "S3 (s3s-fs): success", "curl --aws-sigv4 (ListBuckets)", 1.5),
    ("s3-wrong-secret", "S3 (s3s-fs): wrong secret", "curl --aws-sigv4", None),
    ("s3-closed-port", "S3: closed port", "curl", None),
    ("kafka-success", "Kafka (tansu): metadata", "confluent-kafka AdminClient.list_topics", 1.5),
    ("kafka-closed-port", "Kafka: closed port", "confluent-kafka", None),
]

lines = []
lines.append("# Benchmarks")
lines.append("")
lines.append(
    "Produced by `bench/checks` (hyperfine medians of whole commands, each started afresh) on "
    f"{datetime.now(timezone.utc):%Y-%m-%d}, {platform.machine()}, {os.cpu_count()} cores, "
    "with the servers of `tests/servers/start` on 127.0.0.1. Patchbay is the release `patchbay test NAME` "
    "(opens its store, decrypts, checks, prints the verdict); the reference is the client a person would use. "
    "Closed-port target: a verdict in under 100 ms."
)
lines.append("")
lines.append("| scenario | patchbay | reference | reference client | ratio | target |")
lines.append("|---|---:|---:|---|---:|---|")
singles = {}
for key, label, client, target in ROWS:
    try:
        r = load(key)
    except FileNotFoundError:
        continue
    p, ref = ms(r["patchbay"]), ms(r["reference"])
    singles[key] = p
    ratio = p / ref if ref else float("nan")
    if target:
        t = f"≤ {target}x"
    elif "closed" in key:
        t = "< 100 ms"
    else:
        t = ""
    lines.append(f"| {label} | {p:.1f} ms | {ref:.1f} ms | {client} | {ratio:.2f}x | {t} |")
try:
    all100 = ms(load("all-100")["patchbay"])
    slowest = max(singles.get(k, 0) for k in ("pg-success", "mysql-success", "s3-success", "kafka-success"))
    lines.append("")
    lines.append(
        f"`patchbay test --all` over 100 connections (25 PostgreSQL, 25 MariaDB, 25 S3, 25 Kafka; 32 at once): "
        f"**{all100:.0f} ms**, against {slowest:.0f} ms for the slowest single check: "
        f"**{all100 / slowest:.2f}x** (target < 2x)."
    )
except FileNotFoundError:
    pass
lines.append("")
lines.append("Catalog figures (`cargo bench -p patchbay-core --bench catalog`) are in the README.")
text = "\n".join(lines) + "\n"
# Keep the desktop app's section, which bench/app writes.
if os.path.exists(out):
    old = open(out).read()
    if "<!-- app:start -->" in old:
        text += "\n" + old[old.index("<!-- app:start -->"):]
with open(out, "w") as f:
    f.write(text)
print(text)
