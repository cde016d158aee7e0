//! A confirmation the web view cannot give: a native GTK dialog, shown by Rust over the window,
//! that only a person at the keyboard or mouse can answer. Revealing a production secret asks
//! through it (the decision is Rust's; the web view only learns the answer's outcome).

use tauri::{AppHandle, Manager as _};

/// The title of the dialog (the end-to-end test finds the window by it).
pub const REVEAL_TITLE: &str = "Reveal a production secret? — Patchbay";

/// Asks `question` in a modal dialog over the main window; true when the user chose Reveal.
/// Closing the dialog, Escape or Cancel (the default) say no.
pub async fn reveal(app: &AppHandle, question: String) -> patchbay_core::Result<bool> {
    let (tx, rx) = tokio::sync::oneshot::channel::<bool>();
    let window = app.get_webview_window("main");
    app.run_on_main_thread(move || show(window, question, tx))
        .map_err(|e| patchbay_core::Error::Io(format!("cannot ask for confirmation: {e}")))?;
    Ok(rx.await.unwrap_or(false))
}

#[cfg(target_os = "linux")]
fn show(
    window: Option<tauri::WebviewWindow>,
    question: String,
    tx: tokio::sync::oneshot::Sender<bool>,
) {
    use gtk::prelude::*;
    let parent = window.and_then(|w| w.gtk_window().ok());
    let dialog = gtk::MessageDialog::new(
        parent.as_ref(),
        gtk::DialogFlags::MODAL | gtk::DialogFlags::DESTROY_WITH_PARENT,
        gtk::MessageType::Warning,
        gtk::ButtonsType::None,
        &question,
    );
    dialog.set_title(REVEAL_TITLE);
    dialog.add_button("_Cancel", gtk::ResponseType::Cancel);
    dialog.add_button("_Reveal", gtk::ResponseType::Accept);
    dialog.set_default_response(gtk::ResponseType::Cancel);
    let tx = std::cell::Cell::new(Some(tx));
    dialog.connect_response(move |d, answer| {
        if let Some(tx) = tx.take() {
            let _ = tx.send(answer == gtk::ResponseType::Accept);
        }
        // SAFETY: the dialog is ours and nothing uses it after this response.
        unsafe { d.destroy() };
    });
    dialog.show_all();
}

#[cfg(not(target_os = "linux"))]
fn show(
    _window: Option<tauri::WebviewWindow>,
    _question: String,
    tx: tokio::sync::oneshot::Sender<bool>,
) {
    // No native dialog here yet: production secrets stay hidden (Copy still works).
    let _ = tx.send(false);
}
