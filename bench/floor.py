"""Runs a command `runs` times and reports, per run, what the machine did meanwhile: the wall
time, the machine's floor (the busy CPU time of every process during the run, from /proc/stat,
divided by the cores: no program could finish sooner on this machine), the command's own CPU
time (user + system, from the kernel's accounting of the child) and its peak memory (max RSS).
Prints one JSON object of medians.
    python3 bench/floor.py RUNS -- COMMAND ARGS...
"""
import json
import os
import resource
import statistics
import subprocess
import sys
import time


def busy_jiffies():
    with open("/proc/stat") as f:
        parts = [int(x) for x in f.readline().split()[1:]]
    idle = parts[3] + parts[4]  # idle + iowait
    return sum(parts[:8]) - idle


def one(cmd):
    hz = os.sysconf("SC_CLK_TCK")
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    b0, t0 = busy_jiffies(), time.monotonic()
    subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
    wall, busy = time.monotonic() - t0, (busy_jiffies() - b0) / hz
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    own = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return {"wall_ms": wall * 1000, "floor_ms": busy / os.cpu_count() * 1000,
            "own_cpu_ms": own * 1000, "max_rss_mib": after.ru_maxrss / 1024}


def main():
    runs = int(sys.argv[1])
    cmd = sys.argv[sys.argv.index("--") + 1:]
    one(cmd)  # warm-up
    results = [one(cmd) for _ in range(runs)]
    print(json.dumps({k: statistics.median(r[k] for r in results) for k in results[0]}))


main()
