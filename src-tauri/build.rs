// The app's capabilities live in src-tauri/capabilities (tauri.conf.json is at the top, so the
// default pattern would look in ./capabilities). Listing the commands in the app manifest makes
// each one need an explicit permission: the web view gets only what the capability grants.
fn main() {
    tauri_build::try_build(
        tauri_build::Attributes::new()
            .capabilities_path_pattern("src-tauri/capabilities/**/*")
            .app_manifest(tauri_build::AppManifest::new().commands(&[
                "list_connections",
                "get_connection",
                "save_connection",
                "undo_delete",
                "set_favourite",
                "cancel_check",
                "accept_host_key",
                "snippets",
                "browse",
                "copy_uri",
                "copy_object_snippet",
                "use_bucket",
                "mint_session",
                "sso_login",
                "sso_login_wait",
                "list_teams",
                "join_team",
                "team_login",
                "team_connections",
                "test_team",
                "share_with_team",
                "team_connection",
                "save_team_connection",
                "test_team_draft",
                "copy_team_connection",
                "open_team_in_terminal",
                "team_snippets",
                "autostart",
                "set_autostart",
                "unlock_keychain",
                "use_key_file",
                "backup_key",
                "delete_connection",
                "test_saved",
                "last_verdict",
                "test_draft",
                "test_all",
                "reveal_field",
                "list_secrets",
                "save_secret",
                "delete_secret",
                "reveal_secret",
                "copy_connection",
                "open_in_terminal",
                "copy_secret",
                "key_status",
                "parse_url",
                "import_sources",
                "import_preview",
                "import_restage",
                "import_commit",
            ])),
    )
    .expect("tauri-build failed");
    // tauri-build does not watch a capabilities folder of its own choosing: a changed grant
    // (a new command's permission) must rebuild the app, or the window is refused the command.
    println!("cargo:rerun-if-changed=src-tauri/capabilities");
}
