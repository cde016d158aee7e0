"""bench/tray's measurements, inside Xvfb and a D-Bus session: starts the tray host and
patchbay-tray ($TRAY) on the store of $PATCHBAY_DATA_DIR, measures, and writes the figures as
JSON to $RUN/figures.json (and prints them)."""
import json, os, re, statistics, subprocess, tempfile, time

from Xlib import X, display


def pss_mib(pid):
    with open(f"/proc/{pid}/smaps_rollup") as f:
        return int(re.search(r"^Pss:\s+(\d+)", f.read(), re.M).group(1)) / 1024


def registered():
    o = subprocess.run(["dbus-send", "--session", "--print-reply", "--dest=org.kde.StatusNotifierWatcher",
                        "/StatusNotifierWatcher", "org.freedesktop.DBus.Properties.Get",
                        "string:org.kde.StatusNotifierWatcher", "string:RegisteredStatusNotifierItems"],
                       capture_output=True, text=True).stdout
    return re.findall(r'string "([^"]+)"', o)


def timed(cmd, runs=20):
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL)
        times.append((time.perf_counter() - t) * 1000)
    return statistics.median(times)


watcher = subprocess.Popen(["status-notifier-watcher"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
time.sleep(0.5)
host = subprocess.Popen(["gtk-sni-tray-standalone", "--top", "--end"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
time.sleep(1.5)
d = display.Display()
root = d.screen().root
width = d.screen().width_in_pixels


def menu_shown():
    for w in root.query_tree().children:
        a = w.get_attributes()
        if a.map_state == X.IsViewable and a.override_redirect and w.get_geometry().height > 20:
            return True
    return False


def start_tray(env):
    tray = subprocess.Popen([os.environ["TRAY"]], stdout=subprocess.DEVNULL, env=env)
    for _ in range(200):
        name = next((n for n in registered() if n.startswith(f"org.kde.StatusNotifierItem-{tray.pid}-")), None)
        if name:
            time.sleep(3)  # settled: the host has read the item and its menu
            return tray, name
        time.sleep(0.05)
    raise SystemExit("the tray did not register")


def clicks():
    times = []
    for _ in range(5):
        t = time.perf_counter()
        subprocess.run(["xdotool", "mousemove", str(width - 15), "15", "click", "1"], check=True)
        while not menu_shown():
            time.sleep(0.002)
        times.append((time.perf_counter() - t) * 1000)
        subprocess.run(["xdotool", "key", "Escape"], check=True)
        while menu_shown():
            time.sleep(0.01)
        time.sleep(0.3)
    return statistics.median(times)


tray, name = start_tray(os.environ)
call = ["dbus-send", "--session", "--print-reply", f"--dest={name}"]
layout = timed(call + ["/MenuBar", "com.canonical.dbusmenu.GetLayout", "int32:0", "int32:-1", "array:string:"])
ping = timed(call + ["/MenuBar", "org.freedesktop.DBus.Peer.Ping"])
click = clicks()
tray_pss = pss_mib(tray.pid)
tray.kill()
tray.wait()
# The same click on the tray of a store with nothing saved: what the host takes for any menu.
empty = tempfile.mkdtemp()
tray, _ = start_tray({**os.environ, "PATCHBAY_DATA_DIR": empty})
click_empty = clicks()
tray.kill()
figures = {"tray_pss_mib": tray_pss, "host_pss_mib": pss_mib(host.pid), "layout_ms": layout,
           "ping_ms": ping, "click_ms": click, "click_empty_ms": click_empty}
with open(os.path.join(os.environ["RUN"], "figures.json"), "w") as f:
    json.dump(figures, f)
print(json.dumps(figures))
for p in (tray, host, watcher):
    p.kill()
