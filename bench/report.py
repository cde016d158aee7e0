#!/usr/bin/env python3
"""Turns bench/checks' results (hyperfine JSON, the catalog bench's output, kcat's answer) into
BENCHMARKS.md, keeping the sections bench/app and bench/import write, and prints it."""
import json
import os
import platform
import sys
from datetime import datetime, timezone

src, out = sys.argv[1], sys.argv[2]


def load(name):
    with open(os.path.join(src, "json", name + ".json")) as f:
        return {r["command"]: r for r in json.load(f)["results"]}


def ms(r):
    return r["median"] * 1000


def read(name):
    path = os.path.join(src, name)
    return open(path).read().strip() if os.path.exists(path) else ""


# key, scenario, reference client, target ratio (None: see the closed-port rule)
ROWS = [
    ("pg-success", "PostgreSQL: success", "psql -c 'select 1'", 1.5),
    ("pg-wrong-password", "PostgreSQL: wrong password", "psql", 1.5),
    ("pg-closed-port", "PostgreSQL: closed port", "psql", None),
    ("pg-silent-listener", "PostgreSQL: silent listener (3 s bound)", "psql connect_timeout=3", None),
    ("mysql-success", "MariaDB: success", "mariadb -e 'select 1'", 1.5),
    ("mysql-wrong-password", "MariaDB: wrong password", "mariadb", 1.5),
    ("mysql-closed-port", "MariaDB: closed port", "mariadb", None),
    ("mysql-silent-listener", "MariaDB: silent listener (3 s bound)", "mariadb --connect-timeout=3", None),
    ("s3-success", "S3 (s3s-fs): success", "s3cmd ls", 1.5),
    ("s3-success-curl", "S3 (s3s-fs): success", "curl --aws-sigv4 (ListBuckets)", 1.5),
    ("s3-wrong-secret", "S3 (s3s-fs): wrong secret", "s3cmd ls", 1.5),
    ("s3-closed-port", "S3: closed port", "s3cmd ls", None),
    ("s3-silent-listener", "S3: silent listener (3 s bound)", "curl --max-time 3 (s3cmd has no time bound)", None),
    ("azure-success", "Azure Blob (Azurite, https): success", "azure-storage-blob list_containers", 0.5),
    ("azure-wrong-key", "Azure Blob (Azurite): wrong account key", "azure-storage-blob list_containers", 0.5),
    ("azure-closed-port", "Azure Blob: closed port", "azure-storage-blob, no retries", None),
    ("azure-silent-listener", "Azure Blob: silent listener (3 s bound)", "azure-storage-blob, 3 s timeouts, no retries", None),
    ("gcs-success", "Cloud Storage (fake-gcs-server, https): success", "google-cloud-storage list_buckets", 0.5),
    ("gcs-closed-port", "Cloud Storage: closed port", "google-cloud-storage, no retries", None),
    ("gcs-silent-listener", "Cloud Storage: silent listener (3 s bound)", "google-cloud-storage, timeout=3, no retries", None),
    ("kafka-success", "Kafka (tansu): metadata", "confluent-kafka list_topics", 1.5),
    ("kafka-wrong-password", "Kafka (tansu): wrong SASL password", "confluent-kafka list_topics", 1.5),
    ("kafka-closed-port", "Kafka: closed port", "kcat -L (Debian)", None),
    ("kafka-silent-listener", "Kafka: silent listener (3 s bound)", "kcat -L -m 3 (Debian)", None),
]

now = datetime.now(timezone.utc)
lines = [
    "# Benchmarks",
    "",
    f"Produced by `bench/checks` in one run on {now:%Y-%m-%d}, {platform.machine()}, {os.cpu_count()} cores, "
    "with the servers of `tests/servers/start` on 127.0.0.1 (then `bench/app` for the desktop section). "
    "Times are hyperfine medians of whole commands, each started afresh: Patchbay is the release "
    "`patchbay test NAME` (opens its store, decrypts, checks, prints the verdict), the reference is the client "
    "a person would use for the same question. Ratio = Patchbay / reference (below 1: Patchbay is faster). "
    "No test asserts any of these numbers. Absolute times move by up to a third between runs on this shared "
    "2-core virtual machine; the ratios, taken minutes apart on the same machine, move much less.",
    "",
    "## Connectivity checks",
    "",
    "| scenario | patchbay | reference | reference client | ratio | target |",
    "|---|---:|---:|---|---:|---|",
]
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
        t = "the bound"
    lines.append(f"| {label} | {p:.1f} ms | {ref:.1f} ms | {client} | {ratio:.2f}x | {t} |")

kcat = read("kcat-tansu.txt").splitlines()
if kcat:
    first = next((l for l in kcat if "ApiVersion" in l or "ERROR" in l), kcat[0])
    lines += [
        "",
        f"kcat is Debian's ({read('kcat-version.txt') or 'kcat'}, librdkafka 2.0.2). It cannot read tansu 0.6's "
        "ApiVersions answer, so it times only the cases without a broker; the broker cases use confluent-kafka "
        "(a current librdkafka, from PyPI). What kcat prints against tansu:",
        "",
        "```",
        first.split("]: ", 1)[-1][:220],
        "```",
    ]

if os.path.exists(os.path.join(src, "json", "gcs-success.json")):
    lines += [
        "",
        "fake-gcs-server accepts any token, so a wrong Google key cannot be timed here (the token's signature is "
        "proven in `crates/patchbay-core/tests/core/gcs.rs`). The SDK rows run the SDKs as their documentation "
        "shows them; the closed-port and silent-listener rows turn their retries off (with the defaults, azure-storage-blob "
        "backs off for about a minute per call and google-cloud-storage for up to two), and bound both sides to 3 s.",
    ]

try:
    run100 = load("all-100")["patchbay"]
    all100 = ms(run100)
    own = (run100["user"] + run100["system"]) * 1000
    slowest = max(singles.get(k, 0) for k in ("pg-success", "mysql-success", "s3-success", "kafka-success"))
    lines += [
        "",
        "## Checking everything",
        "",
        f"`patchbay test --all` over 100 connections (25 PostgreSQL, 25 MariaDB, 25 S3, 25 Kafka; 32 at once): "
        f"**{all100:.0f} ms**, against {slowest:.0f} ms for the slowest single check: "
        f"**{all100 / slowest:.2f}x** (target < 2x). Patchbay's own CPU time in it is {own:.0f} ms (user + "
        "system); the rest is waiting for the servers, which share the two cores and answer 100 logins at once "
        "(each PostgreSQL login forks a backend and runs TLS and SCRAM): on this machine the ratio measures the "
        "servers more than the checks.",
    ]
except FileNotFoundError:
    pass

catalog = read("catalog.txt")
if catalog:
    lines += [
        "",
        "## Catalog at 10,000 connections",
        "",
        "`cargo bench -p patchbay-core --bench catalog` (in-process, release):",
        "",
        "```",
        catalog,
        "```",
    ]
text = "\n".join(lines) + "\n"
if os.path.exists(out):
    old = open(out).read()
    kept = [old.index(m) for m in ("<!-- app:start -->", "<!-- import:start -->") if m in old]
    if kept:
        text += "\n" + old[min(kept):]
with open(out, "w") as f:
    f.write(text)
print(text)
