//! A PostgreSQL login over the TLS session the check opened and verified itself. Left alone,
//! sqlx would open a second connection and verify it its own way, and sqlx 0.8 checks the host
//! name even in `verify-ca` (it recognises only rustls's older "not valid for name" error), where
//! PostgreSQL and psql check the chain only. Handing sqlx this session instead means one
//! connection per check, verified once by the rules of the chosen SSL mode. sqlx reaches it
//! through a Unix socket in a private (0700) directory, bridged to the TLS stream; the bridge
//! serves one connection and is gone when the tunnel is dropped.

use std::path::{Path, PathBuf};

use tokio::io::{AsyncRead, AsyncWrite};
use tokio::task::JoinHandle;

pub struct Tunnel {
    dir: PathBuf,
    bridge: JoinHandle<()>,
}

impl Tunnel {
    /// The socket directory to give sqlx (with the same port).
    pub fn dir(&self) -> &Path {
        &self.dir
    }
}

impl Drop for Tunnel {
    fn drop(&mut self) {
        self.bridge.abort();
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

/// Serves `remote` (a verified TLS session, StartupMessage not yet sent) on a Unix socket named
/// as PostgreSQL names them for `port`.
pub fn open<S>(remote: S, port: u16) -> std::io::Result<Tunnel>
where
    S: AsyncRead + AsyncWrite + Unpin + Send + 'static,
{
    let uid = crate::vault::random_uid().map_err(|e| std::io::Error::other(e.to_string()))?;
    let dir = std::env::temp_dir().join(format!("patchbay-pg-{uid}"));
    let mut builder = std::fs::DirBuilder::new();
    std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o700);
    builder.create(&dir)?;
    let listener = match tokio::net::UnixListener::bind(dir.join(format!(".s.PGSQL.{port}"))) {
        Ok(l) => l,
        Err(e) => {
            let _ = std::fs::remove_dir_all(&dir);
            return Err(e);
        }
    };
    let bridge = tokio::spawn(async move {
        let mut remote = remote;
        if let Ok((mut local, _)) = listener.accept().await {
            let _ = tokio::io::copy_bidirectional(&mut local, &mut remote).await;
        }
    });
    Ok(Tunnel { dir, bridge })
}
