//! The tray item as the host sees it: Patchbay's icon, and the core's tray model rendered as a
//! D-Bus menu (favourites and recent first, the tunnels held open, a submenu per kind and per
//! team, Open Patchbay and Quit). An item's action goes to `actions.rs` through a channel; the
//! host's own thread never waits for a check, a copy or an engine.

use std::sync::Arc;

use ksni::menu::{MenuItem, StandardItem, SubMenu};
use patchbay_core::tray::{TrayAction, TrayEntry, TrayGroup, TrayMenu};
use patchbay_core::Desk;
use tokio::sync::mpsc::UnboundedSender;

pub struct Resident {
    model: TrayMenu,
    icon: Vec<ksni::Icon>,
    actions: UnboundedSender<TrayAction>,
}

impl Resident {
    pub fn new(desk: &Arc<Desk>, actions: UnboundedSender<TrayAction>) -> Resident {
        Resident {
            model: model(desk),
            icon: icon(),
            actions,
        }
    }

    fn item(&self, label: &str, action: &TrayAction) -> MenuItem<Self> {
        let action = action.clone();
        StandardItem {
            label: label_text(label),
            activate: Box::new(move |this: &mut Self| {
                let _ = this.actions.send(action.clone());
            }),
            ..Default::default()
        }
        .into()
    }

    fn entry(&self, entry: &TrayEntry) -> MenuItem<Self> {
        let mut items = Vec::new();
        if let Some(status) = &entry.status {
            items.push(heading(status));
            items.push(MenuItem::Separator);
        }
        items.extend(entry.actions.iter().map(|(l, a)| self.item(l, a)));
        submenu(&entry.label, items)
    }

    /// A kind's or a team's submenu: its connections, and how many more the window has.
    fn group(&self, group: &TrayGroup) -> MenuItem<Self> {
        let mut items: Vec<_> = group.entries.iter().map(|e| self.entry(e)).collect();
        if group.more > 0 {
            items.push(MenuItem::Separator);
            let more = format!("…and {} more (open Patchbay)", group.more);
            items.push(self.item(&more, &TrayAction::OpenApp));
        }
        let count = group.entries.len() + group.more;
        submenu(&format!("{} ({count})", group.title), items)
    }
}

impl ksni::Tray for Resident {
    /// A click on the icon opens the menu, as it did in every desktop's tray before.
    const MENU_ON_ACTIVATE: bool = true;

    fn id(&self) -> String {
        "patchbay".into()
    }
    fn title(&self) -> String {
        "Patchbay".into()
    }
    fn category(&self) -> ksni::Category {
        ksni::Category::ApplicationStatus
    }
    fn icon_pixmap(&self) -> Vec<ksni::Icon> {
        self.icon.clone()
    }
    fn tool_tip(&self) -> ksni::ToolTip {
        ksni::ToolTip {
            title: "Patchbay".into(),
            ..Default::default()
        }
    }
    fn menu(&self) -> Vec<MenuItem<Self>> {
        let m = &self.model;
        let mut menu = Vec::new();
        if m.is_empty() {
            menu.push(heading("No saved connections yet"));
        }
        for (title, entries) in [
            ("Open SSH tunnels", &m.tunnels),
            ("Favourites", &m.favourites),
            ("Recent", &m.recent),
        ] {
            if entries.is_empty() {
                continue;
            }
            menu.push(heading(title));
            menu.extend(entries.iter().map(|e| self.entry(e)));
            menu.push(MenuItem::Separator);
        }
        // One submenu per kind, then one per team: short whatever the number of connections.
        menu.extend(m.groups.iter().chain(&m.teams).map(|g| self.group(g)));
        if !m.is_empty() {
            menu.push(MenuItem::Separator);
        }
        menu.extend(m.footer.iter().map(|(l, a)| self.item(l, a)));
        menu
    }
}

/// The model read from the store now (an empty one when the store cannot be read).
fn model(desk: &Desk) -> TrayMenu {
    desk.tray_menu().unwrap_or_else(|e| {
        eprintln!("patchbay-tray: the menu could not be read: {e}");
        patchbay_core::tray::menu(&[], &Default::default(), &Default::default())
    })
}

/// Reads the model again (the store changed, or an action moved "Recent").
pub async fn refresh(handle: &ksni::Handle<Resident>, desk: &Desk) {
    let fresh = model(desk);
    handle.update(move |t| t.model = fresh).await;
}

/// A menu label shows its text as written: in D-Bus menus `_` marks an access key, `__` is one.
fn label_text(text: &str) -> String {
    text.replace('_', "__")
}

fn heading<T>(text: &str) -> MenuItem<T> {
    StandardItem {
        label: label_text(text),
        enabled: false,
        ..Default::default()
    }
    .into()
}

fn submenu<T>(label: &str, submenu: Vec<MenuItem<T>>) -> MenuItem<T> {
    SubMenu {
        label: label_text(label),
        submenu,
        ..Default::default()
    }
    .into()
}

/// Patchbay's tray icon as the protocol carries it: ARGB32, big-endian.
fn icon() -> Vec<ksni::Icon> {
    let decoder = png::Decoder::new(std::io::Cursor::new(
        &include_bytes!("../../../icons/tray.png")[..],
    ));
    let mut reader = match decoder.read_info() {
        Ok(r) => r,
        Err(_) => return Vec::new(),
    };
    let mut rgba = vec![0; reader.output_buffer_size().unwrap_or(0)];
    let Ok(info) = reader.next_frame(&mut rgba) else {
        return Vec::new();
    };
    if info.color_type != png::ColorType::Rgba || info.bit_depth != png::BitDepth::Eight {
        return Vec::new();
    }
    rgba.truncate(info.buffer_size());
    for pixel in rgba.chunks_exact_mut(4) {
        pixel.rotate_right(1); // RGBA → ARGB
    }
    vec![ksni::Icon {
        width: info.width as i32,
        height: info.height as i32,
        data: rgba,
    }]
}
