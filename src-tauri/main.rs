//! Entry point of the Patchbay desktop app.
#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

fn main() {
    patchbay_desktop::run()
}
