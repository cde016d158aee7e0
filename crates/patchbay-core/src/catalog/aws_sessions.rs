//! AWS sessions minted for a connection (by its profile, or by assuming its role) kept until they
//! expire, so that a role that asks for an MFA code asks once per session, not once per use.
//! Sealed like every secret, bound to the connection and to the fields they were minted with
//! (an edited connection mints anew); a cache: anything that does not open is simply not used,
//! and a key rotation drops them all.

use rusqlite::{params, OptionalExtension};
use serde::{Deserialize, Serialize};

use super::Catalog;
use crate::error::Result;
use crate::model::{Connection, Session};
use crate::secret::SecretString;

/// The sealed form of a session.
#[derive(Serialize, Deserialize, zeroize::Zeroize, zeroize::ZeroizeOnDrop)]
struct Sealed {
    id: String,
    secret: String,
    token: Option<String>,
}

impl Catalog {
    /// What a session of `c` is sealed with and vouched for by: the store, the connection and
    /// its fields.
    fn session_binding(&self, c: &Connection) -> Result<(String, String)> {
        let uid: String =
            self.db
                .query_row("SELECT uid FROM connections WHERE id = ?1", [c.id], |r| {
                    r.get(0)
                })?;
        let context = format!("aws-session:{}:{uid}", self.store_id()?);
        let fields = serde_json::to_string(&c.spec).unwrap_or_default();
        Ok((context.clone(), format!("{context}\0{fields}")))
    }

    /// The session kept for `c`, if one was minted with its fields as they are and has not
    /// expired.
    pub fn kept_session(&self, c: &Connection) -> Result<Option<Session>> {
        let row: Option<(String, String, i64)> = self
            .db
            .query_row(
                "SELECT made_for, sealed, expires_at FROM aws_sessions WHERE connection_id = ?1",
                [c.id],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
            )
            .optional()?;
        let Some((made_for, sealed, expires_at)) = row else {
            return Ok(None);
        };
        if expires_at <= crate::clock::now_ms() {
            return Ok(None);
        }
        let vault = self.vault()?;
        let (context, fields) = self.session_binding(c)?;
        if !vault.mac_matches(&fields, &made_for) {
            return Ok(None);
        }
        let Ok(plain) = vault.open(&context, &sealed, "a kept AWS session") else {
            return Ok(None);
        };
        let Ok(s) = serde_json::from_str::<Sealed>(plain.expose()) else {
            return Ok(None);
        };
        Ok(Some(Session {
            access_key_id: s.id.clone(),
            secret: SecretString::new(s.secret.as_str()),
            token: s.token.as_deref().map(SecretString::new),
            expires_ms: Some(expires_at),
        }))
    }

    /// Keeps `s`, minted for `c` just now, in place of any session kept before (one that does
    /// not expire is not kept: it is not a session).
    pub fn keep_session(&mut self, c: &Connection, s: &Session) -> Result<()> {
        let Some(expires_at) = s.expires_ms else {
            return Ok(());
        };
        let vault = self.vault()?;
        let (context, fields) = self.session_binding(c)?;
        let plain = zeroize::Zeroizing::new(
            serde_json::to_string(&Sealed {
                id: s.access_key_id.clone(),
                secret: s.secret.expose().to_string(),
                token: s.token.as_ref().map(|t| t.expose().to_string()),
            })
            .unwrap_or_default(),
        );
        self.db.execute(
            "INSERT INTO aws_sessions (connection_id, made_for, sealed, expires_at)
             SELECT ?1, ?2, ?3, ?4 WHERE EXISTS (SELECT 1 FROM connections WHERE id = ?1)
             ON CONFLICT (connection_id) DO UPDATE SET made_for = excluded.made_for,
               sealed = excluded.sealed, expires_at = excluded.expires_at",
            params![
                c.id,
                vault.mac(&fields),
                vault.seal(&context, &plain),
                expires_at
            ],
        )?;
        Ok(())
    }

    /// Forgets the session kept for connection `id` (`patchbay logout`, a refused session).
    pub fn forget_session(&mut self, id: i64) -> Result<bool> {
        Ok(self
            .db
            .execute("DELETE FROM aws_sessions WHERE connection_id = ?1", [id])?
            > 0)
    }
}
