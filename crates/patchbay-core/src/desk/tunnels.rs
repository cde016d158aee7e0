//! SSH for the Desk: where host keys are judged (the user's `~/.ssh/known_hosts` and
//! Patchbay's own list beside the store), the fingerprint a user accepts for an unknown
//! bastion, tunnels opened for hand-offs (`exec`, `patchbay tunnel`), and tunnels the tray holds
//! open until closed.

use std::path::Path;
use std::time::Duration;

use super::Desk;
use crate::check::verdict::Recorder;
use crate::error::{Error, Result};
use crate::kinds::database::tunnel;
use crate::model::{Kind, Spec};
use crate::ssh::host_keys::HostKeys;
use crate::ssh::Tunnel;

pub(super) fn standard_host_keys(store_dir: &Path) -> HostKeys {
    let home = std::env::var_os("HOME").map(std::path::PathBuf::from);
    HostKeys::standard(home.as_deref(), store_dir)
}

impl Desk {
    pub(super) fn host_keys(&self) -> HostKeys {
        self.host_keys
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .clone()
    }

    /// Trusts an unknown bastion whose host key has this fingerprint (`SHA256:…`, as a check
    /// named it) for the checks and tunnels that follow; the key is recorded when one shows it.
    pub fn accept_host_key(&self, fingerprint: &str) -> Result<()> {
        let fp = fingerprint.trim();
        let well_formed = fp.strip_prefix("SHA256:").is_some_and(|b| {
            b.len() == 43
                && b.chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '+' || c == '/')
        });
        if !well_formed {
            return Err(Error::invalid(
                "accept_host_key",
                "is not a SHA256 fingerprint: copy it whole from the check (SHA256: and 43 characters)",
            ));
        }
        self.host_keys
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .accepted = Some(fp.to_string());
        Ok(())
    }

    /// Opens the SSH tunnel of the database connection `name` (its SSH steps bounded by the
    /// check timeout); `None` when it has no tunnel. The tunnel lives until dropped.
    pub async fn open_tunnel(&self, name: &str) -> Result<Option<Tunnel>> {
        let r = self.cat().resolve(Some(Kind::Database), name)?;
        self.open_tunnel_for(&r).await
    }

    /// Opens the SSH tunnel of `r` (a saved connection, or a team's read from its engine);
    /// `None` when it has no tunnel.
    pub async fn open_tunnel_for(&self, r: &crate::model::Resolved) -> Result<Option<Tunnel>> {
        let Spec::Database(d) = &r.connection.spec else {
            return Ok(None);
        };
        let Some(t) = &d.ssh else { return Ok(None) };
        let mut rec = Recorder::new(self.timeout.max(Duration::from_secs(10)), Vec::new());
        crate::ssh::open(
            &mut rec,
            t,
            (&d.host, d.port as u16),
            &tunnel::secrets(r),
            &self.host_keys(),
        )
        .await
        .map(Some)
        .map_err(|f| {
            let hint = f.hint.map(|h| format!(" ({h})")).unwrap_or_default();
            Error::Check(format!("the SSH tunnel did not open: {}{hint}", f.message))
        })
    }

    /// Opens the tunnel of `name` and holds it until [`Desk::close_tunnel`] (or the bastion ends
    /// it); an open one is kept. Its local address.
    pub async fn hold_tunnel(&self, name: &str) -> Result<std::net::SocketAddr> {
        if let Some(local) = self
            .held_tunnels()
            .into_iter()
            .find(|(n, _)| n == name)
            .map(|(_, a)| a)
        {
            return Ok(local);
        }
        let tunnel = self
            .open_tunnel(name)
            .await?
            .ok_or_else(|| Error::invalid("name", format!("{name} has no SSH tunnel")))?;
        let local = tunnel.local();
        self.held
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .insert(name.to_string(), tunnel);
        Ok(local)
    }

    /// The tunnels held open, by name (one the bastion ended is let go).
    pub fn held_tunnels(&self) -> Vec<(String, std::net::SocketAddr)> {
        let mut held = self.held.lock().unwrap_or_else(|p| p.into_inner());
        held.retain(|_, t| !t.is_closed());
        held.iter().map(|(n, t)| (n.clone(), t.local())).collect()
    }

    /// Closes the held tunnel of `name`; whether there was one.
    pub async fn close_tunnel(&self, name: &str) -> bool {
        let t = self
            .held
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .remove(name);
        match t {
            Some(t) => {
                t.close().await;
                true
            }
            None => false,
        }
    }

    /// The URL (without its password) that reaches `name` through its held tunnel.
    pub fn tunnel_url(&self, name: &str) -> Result<String> {
        let local = self
            .held_tunnels()
            .into_iter()
            .find(|(n, _)| n == name)
            .map(|(_, a)| a)
            .ok_or_else(|| {
                Error::invalid("name", format!("{name} has no open tunnel: open it first"))
            })?;
        let c = self.lists().get(Some(Kind::Database), name)?;
        let r = crate::model::Resolved::new(c, Default::default());
        Ok(crate::kinds::url(&tunnel::through(&r, local), false))
    }
}
