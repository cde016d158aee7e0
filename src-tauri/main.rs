//! Entry point of the Patchbay desktop app.
#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

fn main() {
    // First, while the process has one thread: the key variables leave the environment, so the
    // web view's processes (and anything else started later) never inherit them.
    patchbay_core::keys::take_env();
    patchbay_core::process::harden();
    // `--autostart on|off` writes or removes the login entry, and that is all.
    let args: Vec<String> = std::env::args().collect();
    if let Some(code) = patchbay_desktop::autostart::from_args(&args) {
        std::process::exit(code);
    }
    // `--tray` (login entries written before the tray was a program of its own): the tray only.
    if args.iter().any(|a| a == "--tray") {
        patchbay_desktop::companion::start_tray(Some(60));
        return;
    }
    patchbay_desktop::companion::start_tray(None);
    // A forms-and-lists window needs no GPU: without GL, WebKit renders in software and the app
    // stays ~90 MiB smaller.
    // PATCHBAY_GPU=1, or an explicit GDK_GL, keeps hardware acceleration.
    if std::env::var_os("GDK_GL").is_none()
        && std::env::var_os("PATCHBAY_GPU").is_none_or(|v| v != "1")
    {
        std::env::set_var("GDK_GL", "disable");
    }
    patchbay_desktop::run()
}
