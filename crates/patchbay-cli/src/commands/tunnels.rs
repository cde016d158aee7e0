//! SSH tunnels from the shell: the one `exec` opens for its child's lifetime, and
//! `patchbay tunnel NAME`, which holds one open until Ctrl+C and says where it listens.

use patchbay_core::model::{Resolved, Spec};
use patchbay_core::ssh::Tunnel;
use patchbay_core::{Desk, Error, Result};

use crate::out::Out;

/// The tunnel of `r` (a saved connection or a team's; none for one without a tunnel), served by
/// the runtime returned with it: keep both alive while the tunnel is used.
pub fn open(
    desk: &Desk,
    r: &Resolved,
    accept: Option<&str>,
) -> Result<(Option<tokio::runtime::Runtime>, Option<Tunnel>)> {
    let tunnelled = matches!(&r.connection.spec, Spec::Database(d) if d.ssh.is_some());
    if !tunnelled {
        if accept.is_some() {
            return Err(Error::invalid(
                "accept_host_key",
                format!("{} has no SSH tunnel", r.connection.name),
            ));
        }
        return Ok((None, None));
    }
    if let Some(fp) = accept {
        desk.accept_host_key(fp)?;
    }
    let rt = crate::runtime()?;
    let tunnel = rt.block_on(desk.open_tunnel_for(r))?;
    Ok((Some(rt), tunnel))
}

/// `patchbay tunnel NAME`: opens the tunnel, prints its address, waits for Ctrl+C.
pub fn hold(desk: &Desk, name: &str, accept: Option<&str>, out: Out) -> Result<()> {
    let r = desk.handoff_source(Some(patchbay_core::model::Kind::Database), name, false)?;
    let (rt, tunnel) = open(desk, &r, accept)?;
    let (Some(rt), Some(tunnel)) = (rt, tunnel) else {
        return Err(Error::invalid("name", format!("{name} has no SSH tunnel: add one with patchbay edit {name} --ssh [user@]host[:port]")));
    };
    let local = tunnel.local();
    let through = patchbay_core::kinds::database::tunnel::through(&r, local);
    let url = patchbay_core::kinds::url(&through, false);
    out.show(
        &serde_json::json!({ "name": name, "local": local.to_string(), "url": url }),
        |_| {
            println!(
                "{name}: the database is at {local} (through the SSH tunnel) — Ctrl+C closes it"
            );
            println!("{url}");
        },
    );
    use std::io::Write as _;
    let _ = std::io::stdout().flush();
    rt.block_on(async {
        tokio::select! {
            _ = tokio::signal::ctrl_c() => {}
            _ = wait_closed(&tunnel) => eprintln!("patchbay: the bastion closed the tunnel"),
        }
    });
    rt.block_on(tunnel.close());
    Ok(())
}

async fn wait_closed(t: &Tunnel) {
    while !t.is_closed() {
        tokio::time::sleep(std::time::Duration::from_millis(500)).await;
    }
}
