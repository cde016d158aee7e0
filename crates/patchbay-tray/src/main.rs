//! `patchbay-tray`: the part of Patchbay that stays running. A StatusNotifierItem (the tray
//! protocol of KDE, GNOME's AppIndicator extension, Xfce, Cinnamon, MATE and Budgie) whose menu is
//! the core's tray model; its actions run here, and "Open Patchbay" starts the window, a process
//! of its own that ends when it is closed. No GTK and no web engine are loaded in this process.
//!
//! One tray per store (`instance.rs`); without a tray host it says so and ends, unless
//! `--wait-for-host SECONDS` (the login entry) gives the desktop's panel time to start.

mod actions;
mod instance;
mod menu;
mod window;

use std::time::{Duration, Instant};

use ksni::TrayMethods as _;
use patchbay_core::Desk;

use crate::menu::Resident;

const USAGE: &str = "usage: patchbay-tray [--wait-for-host SECONDS]";

fn main() {
    // First, while the process has one thread: the key variables leave the environment, so
    // nothing started later (a terminal, the window) inherits them.
    patchbay_core::keys::take_env();
    patchbay_core::process::harden();
    let wait = match wait_from_args(std::env::args().skip(1).collect()) {
        Ok(w) => w,
        Err(e) => {
            eprintln!("patchbay-tray: {e}\n{USAGE}");
            std::process::exit(2);
        }
    };
    let desk = match Desk::open_default() {
        Ok(d) => d,
        Err(e) => {
            eprintln!("patchbay-tray: {e}");
            std::process::exit(1);
        }
    };
    let Some(_instance) = instance::claim() else {
        return; // this store's tray is already running
    };
    let runtime = tokio::runtime::Runtime::new().expect("a tokio runtime");
    std::process::exit(runtime.block_on(run(desk, wait)));
}

/// `--wait-for-host SECONDS`: how long to wait for a tray host to appear (0: not at all).
fn wait_from_args(args: Vec<String>) -> Result<Duration, String> {
    match args.as_slice() {
        [] => Ok(Duration::ZERO),
        [flag, s] if flag == "--wait-for-host" => s
            .parse::<u64>()
            .map(Duration::from_secs)
            .map_err(|_| format!("--wait-for-host takes a number of seconds, not {s:?}")),
        _ => Err(format!("unexpected arguments: {}", args.join(" "))),
    }
}

async fn run(desk: Desk, wait: Duration) -> i32 {
    let desk = std::sync::Arc::new(desk);
    let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel();
    let deadline = Instant::now() + wait;
    let handle = loop {
        match Resident::new(&desk, tx.clone()).spawn().await {
            Ok(h) => break h,
            Err(ksni::Error::Watcher(_)) if Instant::now() < deadline => {
                tokio::time::sleep(Duration::from_secs(1)).await;
            }
            Err(e) => {
                eprintln!(
                    "patchbay-tray: no tray host on this desktop ({e}); the window is the way in \
                     (patchbay-desktop). A tray needs a StatusNotifierItem host: KDE, Xfce, \
                     Cinnamon, MATE or Budgie panels, or GNOME with the AppIndicator extension"
                );
                return 3;
            }
        }
    };
    // The menu follows the store: another process (the window, the CLI) wrote when its data
    // version moved.
    let (follow, menu_desk) = (handle.clone(), desk.clone());
    tokio::spawn(async move {
        let mut seen = menu_desk.data_version();
        loop {
            tokio::time::sleep(Duration::from_secs(2)).await;
            let now = menu_desk.data_version();
            if now != seen {
                seen = now;
                menu::refresh(&follow, &menu_desk).await;
            }
        }
    });
    // Each action runs on its own: a slow check does not hold up "Open Patchbay".
    while let Some(action) = rx.recv().await {
        if action == patchbay_core::tray::TrayAction::Quit {
            handle.shutdown().await;
            break;
        }
        tokio::spawn(actions::carry_out(desk.clone(), handle.clone(), action));
    }
    0
}
