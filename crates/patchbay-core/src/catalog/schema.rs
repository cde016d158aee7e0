//! The SQLite schema and its numbered migrations. `PRAGMA user_version` records the version; each
//! migration runs in its own transaction, so a store is always at exactly one version.

use rusqlite::{Connection, TransactionBehavior};

use crate::error::{Error, Result};

/// Each entry moves the store from version `i` to `i + 1`.
const MIGRATIONS: &[&str] = &[
    // 1: connections, their owned secrets, user secrets, and references between them.
    r#"
    CREATE TABLE meta (
        key   TEXT PRIMARY KEY,
        value TEXT NOT NULL
    ) STRICT;

    CREATE TABLE connections (
        id         INTEGER PRIMARY KEY,
        kind       TEXT NOT NULL CHECK (kind IN ('database', 'storage', 'kafka')),
        name       TEXT NOT NULL COLLATE NOCASE CHECK (length(name) BETWEEN 1 AND 64),
        env_tag    TEXT,
        spec       TEXT NOT NULL CHECK (json_valid(spec)),
        created_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL,
        UNIQUE (kind, name)
    ) STRICT;
    CREATE INDEX connections_name ON connections (name);

    -- A secret is either owned by one field of one connection (owner_id, field) or is a user
    -- secret with a name. Owned secrets go when their connection goes.
    CREATE TABLE secrets (
        id          INTEGER PRIMARY KEY,
        uid         TEXT NOT NULL UNIQUE,
        name        TEXT COLLATE NOCASE,
        description TEXT,
        owner_id    INTEGER REFERENCES connections (id) ON DELETE CASCADE,
        field       TEXT,
        ciphertext  TEXT NOT NULL,
        created_at  INTEGER NOT NULL,
        updated_at  INTEGER NOT NULL,
        CHECK ((owner_id IS NULL) = (field IS NULL)),
        CHECK ((owner_id IS NULL) = (name IS NOT NULL)),
        UNIQUE (owner_id, field)
    ) STRICT;
    CREATE UNIQUE INDEX secrets_user_name ON secrets (name) WHERE owner_id IS NULL;

    -- A connection field that uses a user secret. The secret cannot go while it is used.
    CREATE TABLE secret_refs (
        connection_id INTEGER NOT NULL REFERENCES connections (id) ON DELETE CASCADE,
        field         TEXT NOT NULL,
        secret_id     INTEGER NOT NULL REFERENCES secrets (id) ON DELETE RESTRICT,
        PRIMARY KEY (connection_id, field)
    ) STRICT;
    CREATE INDEX secret_refs_secret ON secret_refs (secret_id);
    "#,
    // 2: the last check of each connection, shown in lists and the tray.
    r#"
    CREATE TABLE last_checks (
        connection_id INTEGER PRIMARY KEY REFERENCES connections (id) ON DELETE CASCADE,
        ok            INTEGER NOT NULL,
        failed_step   TEXT,
        message       TEXT NOT NULL,
        total_ms      REAL NOT NULL,
        checked_at    INTEGER NOT NULL
    ) STRICT;
    "#,
    // 3: each connection gets a random uid (sealed into its secrets) and a MAC over its fields
    // (written once the key is unlocked: see catalog/binding.rs, which re-seals a v1 store).
    r#"
    ALTER TABLE connections ADD COLUMN uid TEXT;
    ALTER TABLE connections ADD COLUMN mac TEXT;
    UPDATE connections SET uid = lower(hex(randomblob(16))) WHERE uid IS NULL;
    CREATE UNIQUE INDEX connections_uid ON connections (uid);
    "#,
    // 4: Azure storage connections. SQLite cannot change a CHECK in place: the table is rebuilt
    // (its documented procedure; `migrate` turns foreign keys off around it, so nothing cascades,
    // and checks them before committing).
    r#"
    CREATE TABLE connections_v4 (
        id         INTEGER PRIMARY KEY,
        kind       TEXT NOT NULL CHECK (kind IN ('database', 'storage', 'azure', 'kafka')),
        name       TEXT NOT NULL COLLATE NOCASE CHECK (length(name) BETWEEN 1 AND 64),
        env_tag    TEXT,
        spec       TEXT NOT NULL CHECK (json_valid(spec)),
        created_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL,
        uid        TEXT,
        mac        TEXT,
        UNIQUE (kind, name)
    ) STRICT;
    INSERT INTO connections_v4 (id, kind, name, env_tag, spec, created_at, updated_at, uid, mac)
        SELECT id, kind, name, env_tag, spec, created_at, updated_at, uid, mac FROM connections;
    DROP TABLE connections;
    ALTER TABLE connections_v4 RENAME TO connections;
    CREATE INDEX connections_name ON connections (name);
    CREATE UNIQUE INDEX connections_uid ON connections (uid);
    "#,
    // 5: Google Cloud Storage connections (the same rebuild).
    r#"
    CREATE TABLE connections_v5 (
        id         INTEGER PRIMARY KEY,
        kind       TEXT NOT NULL CHECK (kind IN ('database', 'storage', 'azure', 'gcs', 'kafka')),
        name       TEXT NOT NULL COLLATE NOCASE CHECK (length(name) BETWEEN 1 AND 64),
        env_tag    TEXT,
        spec       TEXT NOT NULL CHECK (json_valid(spec)),
        created_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL,
        uid        TEXT,
        mac        TEXT,
        UNIQUE (kind, name)
    ) STRICT;
    INSERT INTO connections_v5 (id, kind, name, env_tag, spec, created_at, updated_at, uid, mac)
        SELECT id, kind, name, env_tag, spec, created_at, updated_at, uid, mac FROM connections;
    DROP TABLE connections;
    ALTER TABLE connections_v5 RENAME TO connections;
    CREATE INDEX connections_name ON connections (name);
    CREATE UNIQUE INDEX connections_uid ON connections (uid);
    "#,
    // 6: favourites and when each connection was last used, for the window's and tray's order.
    r#"
    CREATE TABLE usage (
        connection_id INTEGER PRIMARY KEY REFERENCES connections (id) ON DELETE CASCADE,
        favourite     INTEGER NOT NULL DEFAULT 0,
        used_at       INTEGER
    ) STRICT;
    "#,
    // 7: the last rebuild for a kind: the kind column is checked in Rust (`Kind::from_column`
    // on every read, a `Spec`'s own kind on every write), so a new kind needs no migration.
    r#"
    CREATE TABLE connections_v7 (
        id         INTEGER PRIMARY KEY,
        kind       TEXT NOT NULL,
        name       TEXT NOT NULL COLLATE NOCASE CHECK (length(name) BETWEEN 1 AND 64),
        env_tag    TEXT,
        spec       TEXT NOT NULL CHECK (json_valid(spec)),
        created_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL,
        uid        TEXT,
        mac        TEXT,
        UNIQUE (kind, name)
    ) STRICT;
    INSERT INTO connections_v7 (id, kind, name, env_tag, spec, created_at, updated_at, uid, mac)
        SELECT id, kind, name, env_tag, spec, created_at, updated_at, uid, mac FROM connections;
    DROP TABLE connections;
    ALTER TABLE connections_v7 RENAME TO connections;
    CREATE INDEX connections_name ON connections (name);
    CREATE UNIQUE INDEX connections_uid ON connections (uid);
    "#,
    // 8: the last check's whole verdict (steps, timings, hint: already free of secrets) and the
    // target it was made against, so the window can show it again and say when it is stale.
    r#"
    ALTER TABLE last_checks ADD COLUMN target TEXT;
    ALTER TABLE last_checks ADD COLUMN verdict TEXT;
    "#,
    // 9: buckets typed and listed with a connection that may not list the store's buckets
    // (`places.rs`), offered when it is browsed again.
    r#"
    CREATE TABLE known_buckets (
        connection_id INTEGER NOT NULL REFERENCES connections (id) ON DELETE CASCADE,
        bucket        TEXT NOT NULL,
        seen_at       INTEGER NOT NULL,
        PRIMARY KEY (connection_id, bucket)
    ) STRICT;
    "#,
    // 10: AWS sessions minted for connections by profile or role, kept sealed until they expire
    // (`aws_sessions.rs`); `made_for` vouches for the fields they were minted with.
    r#"
    CREATE TABLE aws_sessions (
        connection_id INTEGER PRIMARY KEY REFERENCES connections (id) ON DELETE CASCADE,
        made_for      TEXT NOT NULL,
        sealed        TEXT NOT NULL,
        expires_at    INTEGER NOT NULL
    ) STRICT;
    "#,
    // 11: teams (where each one's engine is; never its token) and the last list of each team's
    // connections, without secrets (`teams.rs`).
    r#"
    CREATE TABLE teams (
        name       TEXT PRIMARY KEY,
        settings   TEXT NOT NULL,
        created_at INTEGER NOT NULL
    ) STRICT;
    CREATE TABLE team_rows (
        team      TEXT NOT NULL REFERENCES teams (name) ON DELETE CASCADE,
        name      TEXT NOT NULL,
        kind      TEXT NOT NULL,
        env_tag   TEXT,
        spec      TEXT NOT NULL,
        version   INTEGER NOT NULL,
        may_edit  INTEGER NOT NULL,
        listed_at INTEGER NOT NULL,
        PRIMARY KEY (team, name)
    ) STRICT;
    "#,
];

/// The schema version this build writes.
pub const VERSION: i64 = MIGRATIONS.len() as i64;

/// Brings the store up to [`VERSION`]; refuses a store written by a newer Patchbay.
pub fn migrate(db: &mut Connection) -> Result<()> {
    // Every open takes the write lock once, even with nothing to migrate: it waits for a key
    // rotation in another process to commit, so that the key check read next is not older than
    // the key files (which a rotation promotes right after its commit).
    let tx = db.transaction_with_behavior(TransactionBehavior::Immediate)?;
    let version: i64 = tx.query_row("PRAGMA user_version", [], |r| r.get(0))?;
    tx.commit()?;
    if version == VERSION {
        return Ok(());
    }
    // Table rebuilds must not cascade: foreign keys are off while migrating (the pragma is a
    // no-op inside a transaction, so it is set here) and checked before each commit.
    db.pragma_update(None, "foreign_keys", false)?;
    let result = migrate_steps(db);
    db.pragma_update(None, "foreign_keys", true)?;
    result
}

fn migrate_steps(db: &mut Connection) -> Result<()> {
    loop {
        let tx = db.transaction_with_behavior(TransactionBehavior::Immediate)?;
        let version: i64 = tx.query_row("PRAGMA user_version", [], |r| r.get(0))?;
        if version > VERSION {
            return Err(Error::Storage(format!(
                "this store was written by a newer Patchbay (schema {version}, this one knows up to {VERSION}); update Patchbay"
            )));
        }
        if version == VERSION {
            return Ok(());
        }
        tx.execute_batch(MIGRATIONS[version as usize])?;
        if version == 0 {
            tx.execute(
                "INSERT INTO meta (key, value) VALUES ('store_id', ?1)",
                [crate::vault::random_uid()?],
            )?;
        }
        let dangling: i64 =
            tx.query_row("SELECT count(*) FROM pragma_foreign_key_check", [], |r| {
                r.get(0)
            })?;
        if dangling > 0 {
            return Err(Error::Storage(format!(
                "migrating the store to schema {} left {dangling} broken reference(s); nothing was changed",
                version + 1
            )));
        }
        tx.pragma_update(None, "user_version", version + 1)?;
        tx.commit()?;
    }
}
