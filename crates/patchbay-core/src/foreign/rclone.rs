//! rclone's configuration (`RCLONE_CONFIG`, `~/.config/rclone/rclone.conf`): one `[remote]`
//! section per remote with its `type` and options. The object-store types Patchbay keeps are
//! `s3`, `azureblob` and `google cloud storage`; their secrets (keys, SAS URLs, service-account
//! JSON) are stored as written — rclone obscures only options of the password kind, none of which
//! these three use for what Patchbay imports. A config rclone encrypted as a whole cannot be read.

use std::path::PathBuf;

use super::ini::{self, Dialect, Section};
use super::{Bad, Env};

/// Where rclone reads its configuration.
pub fn path(env: &Env) -> Option<PathBuf> {
    env.var("RCLONE_CONFIG").map(PathBuf::from).or_else(|| {
        env.var("XDG_CONFIG_HOME")
            .map(PathBuf::from)
            .or_else(|| env.home().map(|h| h.join(".config")))
            .map(|c| c.join("rclone").join("rclone.conf"))
    })
}

/// The remotes of a config's text, or why it cannot be read.
pub fn remotes(text: &str) -> Result<(Vec<Section>, Vec<Bad>), String> {
    if text.trim_start().starts_with("RCLONE_ENCRYPT_V0:") {
        return Err("is encrypted by rclone (config password): decrypt it with `rclone config show` first, or import the remotes one by one".into());
    }
    let (sections, _, bad) = ini::parse(text, Dialect::Aws);
    Ok((sections, bad))
}
