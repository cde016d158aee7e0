//! A database login over a session the check opened itself. sqlx reaches the session through a
//! Unix socket in a private (0700) directory, bridged to the stream; the bridge serves one
//! connection and is gone when dropped. Two reasons to hand sqlx our session instead of letting
//! it dial:
//! - TLS verified once, by the rules of the chosen SSL mode: sqlx 0.8 checks the host name even
//!   in `verify-ca` (it recognises only rustls's older "not valid for name" error), where
//!   PostgreSQL and psql check the chain only.
//! - On a session without TLS, the [`Guard`](super::cleartext::Guard) reads what the server says
//!   before sqlx answers it, and ends the session before a password would go out in cleartext.
//!   The decision is made on the very session that would carry the password (a guard on a
//!   session of its own could be told one thing and the login another).

use std::future::Future;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use tokio::io::{AsyncRead, AsyncWrite, AsyncWriteExt as _};
use tokio::net::UnixStream;
use tokio::task::JoinHandle;

use super::cleartext::Guard;
use super::verdict::Failure;

/// Where the session's relay says why it ended the session, when it did.
pub type Said = Arc<Mutex<Option<Failure>>>;

pub struct Bridge {
    dir: PathBuf,
    socket: PathBuf,
    task: JoinHandle<()>,
    said: Said,
}

impl Bridge {
    /// The socket directory (PostgreSQL: sqlx names the socket from it and the port).
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// The socket itself (MySQL).
    pub fn socket(&self) -> &Path {
        &self.socket
    }

    /// Why the relay ended the session (the guard's refusal, a failed TLS upgrade), if it did.
    pub fn failure(&self) -> Option<Failure> {
        self.said.lock().unwrap_or_else(|p| p.into_inner()).clone()
    }
}

impl Drop for Bridge {
    fn drop(&mut self) {
        self.task.abort();
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

/// Serves `remote` (nothing sent on it yet by the client) on a Unix socket called
/// `socket_name`, through `guard` when given.
pub fn open<S>(remote: S, socket_name: &str, guard: Option<Guard>) -> std::io::Result<Bridge>
where
    S: AsyncRead + AsyncWrite + Unpin + Send + 'static,
{
    serve(socket_name, move |local, said| {
        relay(local, remote, guard, said)
    })
}

/// A Unix socket called `socket_name` in a private directory; the one client that connects is
/// handed to `relay`, which may record why it ended the session in the `Said` it gets.
pub fn serve<F, Fut>(socket_name: &str, relay: F) -> std::io::Result<Bridge>
where
    F: FnOnce(UnixStream, Said) -> Fut + Send + 'static,
    Fut: Future<Output = ()> + Send + 'static,
{
    let uid = crate::vault::random_uid().map_err(|e| std::io::Error::other(e.to_string()))?;
    let dir = std::env::temp_dir().join(format!("patchbay-db-{uid}"));
    let mut builder = std::fs::DirBuilder::new();
    std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o700);
    builder.create(&dir)?;
    let socket = dir.join(socket_name);
    let listener = match tokio::net::UnixListener::bind(&socket) {
        Ok(l) => l,
        Err(e) => {
            let _ = std::fs::remove_dir_all(&dir);
            return Err(e);
        }
    };
    let said: Said = Arc::default();
    let theirs = said.clone();
    let task = tokio::spawn(async move {
        if let Ok((local, _)) = listener.accept().await {
            relay(local, theirs).await;
        }
    });
    Ok(Bridge {
        dir,
        socket,
        task,
        said,
    })
}

/// Copies both ways; the server's side through `guard` first, when given.
async fn relay<S>(local: UnixStream, remote: S, guard: Option<Guard>, said: Said)
where
    S: AsyncRead + AsyncWrite + Unpin + Send + 'static,
{
    let (mut lr, mut lw) = local.into_split();
    let (mut rr, mut rw) = tokio::io::split(remote);
    let to_server = async {
        let _ = tokio::io::copy(&mut lr, &mut rw).await;
        let _ = rw.shutdown().await;
    };
    let to_client = async {
        if let Some(guard) = guard {
            if let Err(r) = guard.watch(&mut rr, &mut lw).await {
                *said.lock().unwrap_or_else(|p| p.into_inner()) = r.map(|r| r.failure());
                return;
            }
        }
        let _ = tokio::io::copy(&mut rr, &mut lw).await;
    };
    tokio::pin!(to_server, to_client);
    tokio::select! {
        _ = &mut to_server => to_client.await,
        // The server is done, or the guard ended the session: the client hears EOF.
        _ = &mut to_client => {}
    }
}
