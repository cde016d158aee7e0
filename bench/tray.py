"""bench/tray's measurements, inside Xvfb and a D-Bus session (prints JSON): starts the tray host
and patchbay-tray ($TRAY) on the store of $PATCHBAY_DATA_DIR, then measures."""
import json, os, re, statistics, subprocess, time

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
tray = subprocess.Popen([os.environ["TRAY"]], stdout=subprocess.DEVNULL)
name = None
for _ in range(200):
    name = next((n for n in registered() if n.startswith(f"org.kde.StatusNotifierItem-{tray.pid}-")), None)
    if name:
        break
    time.sleep(0.05)
assert name, "the tray did not register"
time.sleep(3)  # settled: the host has read the item and its menu
call = ["dbus-send", "--session", "--print-reply", f"--dest={name}"]
layout = timed(call + ["/MenuBar", "com.canonical.dbusmenu.GetLayout", "int32:0", "int32:-1", "array:string:"])
ping = timed(call + ["/MenuBar", "org.freedesktop.DBus.Peer.Ping"])

d = display.Display()
root = d.screen().root
width = d.screen().width_in_pixels


def menu_shown():
    for w in root.query_tree().children:
        a = w.get_attributes()
        if a.map_state == X.IsViewable and a.override_redirect and w.get_geometry().height > 20:
            return True
    return False


clicks = []
for _ in range(5):
    t = time.perf_counter()
    subprocess.run(["xdotool", "mousemove", str(width - 15), "15", "click", "1"], check=True)
    while not menu_shown():
        time.sleep(0.002)
    clicks.append((time.perf_counter() - t) * 1000)
    subprocess.run(["xdotool", "key", "Escape"], check=True)
    while menu_shown():
        time.sleep(0.01)
    time.sleep(0.3)
figures = {"tray_pss_mib": pss_mib(tray.pid), "host_pss_mib": pss_mib(host.pid), "layout_ms": layout,
           "ping_ms": ping, "click_ms": statistics.median(clicks)}
print(json.dumps(figures))
for p in (tray, host, watcher):
    p.kill()
