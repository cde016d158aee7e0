//! One tray per store: the tray holds an exclusive lock on `tray.lock` in the store's data
//! directory for as long as it runs (the kernel lets go when the process ends, however it ends).
//! A second tray for the same store finds it held and ends quietly.

use std::fs::{File, OpenOptions, TryLockError};

/// The held lock, or None when this store's tray is already running.
pub fn claim() -> Option<File> {
    let dir = match patchbay_core::paths::data_dir() {
        Ok(d) => d,
        Err(e) => {
            eprintln!("patchbay-tray: {e}");
            std::process::exit(1);
        }
    };
    let lock = OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(dir.join("tray.lock"));
    let file = match lock {
        Ok(f) => f,
        Err(e) => {
            eprintln!(
                "patchbay-tray: cannot open {}: {e}",
                dir.join("tray.lock").display()
            );
            std::process::exit(1);
        }
    };
    match file.try_lock() {
        Ok(()) => Some(file),
        Err(TryLockError::WouldBlock) => None,
        Err(TryLockError::Error(e)) => {
            eprintln!(
                "patchbay-tray: cannot lock {}: {e}",
                dir.join("tray.lock").display()
            );
            std::process::exit(1);
        }
    }
}
