//! The completions and manual pages a package installs come from the command line's own
//! definition: bash completes the commands and a command's options (read by the real bash), and
//! the manual has a page per command, add's naming the kinds' words.

use std::process::Command;

use crate::common::{text, Env};

#[test]
fn bash_completes_patchbays_commands_and_the_options_of_one() {
    let e = Env::new();
    let script = e.ok(&["completions", "bash"], "");
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("patchbay.bash");
    std::fs::write(&file, script).unwrap();
    // What bash offers after `patchbay te<TAB>` and `patchbay team add --en<TAB>`.
    let complete = |line: &str| {
        let words: Vec<&str> = line.split(' ').collect();
        let probe = format!(
            "source {}; COMP_WORDS=({}); COMP_CWORD={}; COMP_LINE='{line}'; COMP_POINT=${{#COMP_LINE}}; _patchbay patchbay {} {}; printf '%s\\n' \"${{COMPREPLY[@]}}\"",
            file.display(),
            words.join(" "),
            words.len() - 1,
            words[words.len() - 1],
            words[words.len() - 2],
        );
        let o = Command::new("bash")
            .args(["--norc", "-c", &probe])
            .output()
            .unwrap();
        assert!(o.status.success(), "{}", text(&o));
        let mut got: Vec<String> = String::from_utf8_lossy(&o.stdout)
            .lines()
            .map(str::to_string)
            .collect();
        got.sort();
        got
    };
    assert_eq!(complete("patchbay te"), ["team", "test"]);
    assert_eq!(complete("patchbay team add --en"), ["--engine"]);
    assert!(e
        .ok(&["completions", "zsh"], "")
        .starts_with("#compdef patchbay"));
    assert!(e
        .ok(&["completions", "fish"], "")
        .contains("complete -c patchbay"));
}

#[test]
fn the_manual_has_a_page_for_patchbay_and_for_each_command() {
    let e = Env::new();
    let dir = tempfile::tempdir().unwrap();
    let o = e.run(&["--json", "man", "--dir", dir.path().to_str().unwrap()]);
    assert!(o.status.success(), "{}", text(&o));
    let pages: Vec<String> = serde_json::from_slice(&o.stdout).unwrap();
    for page in [
        "patchbay.1",
        "patchbay-add.1",
        "patchbay-exec.1",
        "patchbay-team-add.1",
        "patchbay-share.1",
    ] {
        assert!(
            pages.iter().any(|p| p == page),
            "{page} is not in {pages:?}"
        );
    }
    // add's page says what TYPE is, from the kinds.
    let add = std::fs::read_to_string(dir.path().join("patchbay-add.1")).unwrap();
    assert!(add.contains(".TH patchbay-add 1"), "{add}");
    assert!(add.contains("google\\-cloud\\-storage"), "{add}");
}
