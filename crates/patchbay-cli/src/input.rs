//! Reading secret values: from standard input (`--password-stdin`) or from a terminal prompt.
//! Never from a command-line argument, where other users could see them in the process list.

use std::io::{IsTerminal as _, Read as _};

use patchbay_core::{Error, Result, SecretString};

/// Reads all of stdin as one secret; a single trailing newline is dropped.
pub fn from_stdin(what: &str) -> Result<SecretString> {
    let mut bytes = zeroize::Zeroizing::new(Vec::new());
    std::io::stdin()
        .read_to_end(&mut bytes)
        .map_err(|e| Error::Io(format!("could not read the {what} from stdin: {e}")))?;
    let mut buf = String::from_utf8(std::mem::take(&mut *bytes)).map_err(|e| {
        let mut raw = e.into_bytes();
        zeroize::Zeroize::zeroize(&mut raw);
        Error::invalid(
            what,
            "stdin is not UTF-8 text; convert it first (iconv -f LATIN1 -t UTF-8)",
        )
    })?;
    let value = SecretString::new(
        buf.strip_suffix('\n')
            .map(|s| s.strip_suffix('\r').unwrap_or(s))
            .unwrap_or(&buf),
    );
    zeroize::Zeroize::zeroize(&mut buf);
    if value.is_empty() {
        return Err(Error::invalid(
            what,
            "stdin was empty; pipe the value in, e.g. printf '%s' \"$PW\" | patchbay …",
        ));
    }
    Ok(value)
}

/// Asks for a secret on the terminal without echoing it.
pub fn prompt(what: &str) -> Result<SecretString> {
    if !std::io::stdin().is_terminal() {
        return Err(Error::invalid(
            what,
            "cannot prompt without a terminal; pipe the value to the matching --…-stdin option",
        ));
    }
    let v = rpassword::prompt_password(format!("{what}: "))
        .map_err(|e| Error::Io(format!("could not read the {what}: {e}")))?;
    Ok(SecretString::new(v))
}

/// An MFA code typed on the terminal (the controlling one, so that it works under
/// `credential_process` too), after saying what asks for it; None without a terminal.
pub fn mfa_code(why: &str) -> Result<Option<SecretString>> {
    if std::fs::File::open("/dev/tty").is_err() {
        return Ok(None);
    }
    eprintln!("patchbay: {why}");
    let v = rpassword::prompt_password("MFA code: ")
        .map_err(|e| Error::Io(format!("could not read the MFA code: {e}")))?;
    Ok(Some(SecretString::new(v)))
}

/// Whether the person wants `name` moved to `team` (not copied), asked on the terminal; without
/// one, the local connection stays (a copy), as `--copy` says.
pub fn asks_to_move(name: &str, team: &str) -> Result<bool> {
    use std::io::Write as _;
    if !std::io::stdin().is_terminal() {
        return Ok(false);
    }
    loop {
        eprint!("Keep {name} on this computer too (copy), or move it to team {team}? [c/m] ");
        let _ = std::io::stderr().flush();
        let mut line = String::new();
        let read = std::io::stdin()
            .read_line(&mut line)
            .map_err(|e| Error::Io(format!("could not read the answer: {e}")))?;
        match line.trim().to_ascii_lowercase().as_str() {
            _ if read == 0 => return Ok(false),
            "c" | "copy" => return Ok(false),
            "m" | "move" => return Ok(true),
            _ => eprintln!("answer c (copy) or m (move)"),
        }
    }
}

/// A secret field's value as its options ask: from stdin, or a prompt; None when neither.
pub fn secret_field(
    field: patchbay_core::model::SecretField,
    prompt: bool,
    stdin: bool,
) -> Result<Option<SecretString>> {
    Ok(if stdin {
        Some(from_stdin(field.as_str())?)
    } else if prompt {
        Some(self::prompt(field.label())?)
    } else {
        None
    })
}

/// Reads a PEM file named on the command line (the path is not secret; the content may be).
pub fn pem_file(field: &str, path: &str) -> Result<String> {
    std::fs::read_to_string(path)
        .map_err(|e| Error::invalid(field, format!("cannot read {path}: {e}")))
}

/// A command-line value that must be UTF-8 text. Clap's own check says only that "invalid UTF-8
/// was detected in one or more arguments"; this one names the option and the fix.
#[derive(Clone, Copy, Debug)]
pub struct Utf8;

impl clap::builder::TypedValueParser for Utf8 {
    type Value = String;

    fn parse_ref(
        &self,
        cmd: &clap::Command,
        arg: Option<&clap::Arg>,
        value: &std::ffi::OsStr,
    ) -> std::result::Result<String, clap::Error> {
        value.to_str().map(str::to_string).ok_or_else(|| {
            let option = arg.map_or_else(
                || "a value".to_string(),
                |a| match a.get_long() {
                    Some(long) => format!("--{long}"),
                    None => format!("<{}>", a.get_id().as_str().to_uppercase()),
                },
            );
            let mut e = clap::Error::raw(
                clap::error::ErrorKind::InvalidUtf8,
                format!(
                    "{option} is not UTF-8 text; type it again, or convert it first (iconv -f LATIN1 -t UTF-8)\n"
                ),
            );
            e = e.with_cmd(cmd);
            e.insert(
                clap::error::ContextKind::InvalidArg,
                clap::error::ContextValue::String(option),
            );
            e
        })
    }
}
