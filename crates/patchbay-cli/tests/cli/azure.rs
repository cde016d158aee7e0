//! Azure Blob Storage connections against Azurite (https with the test CA; SharedKey, SAS and
//! OAuth bearer claims checked) and the Microsoft Entra ID token endpoint stand-in: every auth
//! mode checked, each way of failing named, and the hand-off used by the real Python SDK.

use crate::common::{text, Env};

pub(crate) struct Azurite {
    srv: std::collections::HashMap<String, String>,
}

impl Azurite {
    pub(crate) fn new() -> Azurite {
        Azurite {
            srv: crate::common::servers(),
        }
    }

    pub(crate) fn get(&self, k: &str) -> &str {
        &self.srv[k]
    }

    /// `patchbay add azure NAME` against Azurite with the test CA, plus `extra` options, the
    /// secret on stdin.
    pub(crate) fn add(&self, e: &Env, name: &str, extra: &[&str], secret: &str) {
        self.add_to(e, name, self.get("PB_AZ_ACCOUNT"), extra, secret);
    }

    /// `add`, for another account of the same Azurite (`PB_AZ_BROWSE_ACCOUNT`).
    pub(crate) fn add_to(&self, e: &Env, name: &str, account: &str, extra: &[&str], secret: &str) {
        let endpoint = format!("https://127.0.0.1:10000/{account}");
        let mut args = vec![
            "add",
            "azure",
            name,
            "--account",
            account,
            "--endpoint-url",
            &endpoint,
            "--ca-cert",
            self.get("PB_CA_CERT"),
        ];
        args.extend_from_slice(extra);
        e.ok(&args, secret);
    }
}

/// `patchbay --json test NAME` of a check that must fail: (exit code, failed step, message).
fn failure(e: &Env, name: &str) -> (Option<i32>, String, String) {
    let (code, v) = crate::common::json_verdict(e, name);
    let field = |k: &str| v[k].as_str().unwrap_or_default().to_string();
    (code, field("failed_step"), field("message"))
}

/// `patchbay test NAME`: (exit code, what it printed).
fn check(e: &Env, name: &str) -> (Option<i32>, String) {
    let o = e.run(&["test", name]);
    (o.status.code(), text(&o))
}

fn python() -> String {
    std::env::var("PATCHBAY_TEST_PYTHON").expect("tests/run's Python")
}

#[test]
#[ignore = "needs the test servers (Azurite) and tests/run's Python with azure-storage-blob"]
fn an_account_key_connection_is_checked_and_used_by_the_python_sdk_through_exec() {
    let az = Azurite::new();
    let e = Env::new();
    az.add(&e, "lake", &["--account-key-stdin"], az.get("PB_AZ_KEY"));
    let (code, out) = check(&e, "lake");
    assert_eq!(code, Some(0), "{out}");
    assert!(out.contains("1 container(s) listed"), "{out}");

    // The SDK takes the connection string exec hands it, and the CA bundle for the endpoint.
    let o = e
        .cmd(["exec", "lake", "--", &python(), "-c"])
        .arg("import os; from azure.storage.blob import BlobServiceClient as B; c = B.from_connection_string(os.environ['AZURE_STORAGE_CONNECTION_STRING']); print(','.join(x.name for x in c.list_containers()))")
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", text(&o));
    assert_eq!(String::from_utf8_lossy(&o.stdout).trim(), "reports");

    // A wrong key is named as such.
    let wrong =
        "V3Jvbmcta2V5LWZvci10aGUtYXp1cmUtdGVzdHMtMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMA==";
    e.ok(&["edit", "lake", "--account-key-stdin"], wrong);
    assert_eq!(
        failure(&e, "lake"),
        (
            Some(3),
            "auth".into(),
            "the account key does not match account patchbaytest".into()
        )
    );
}

#[test]
#[ignore = "needs the test servers (Azurite) and tests/run's Python with azure-storage-blob"]
fn sas_tokens_are_checked_by_scope_and_expiry_and_a_forged_one_is_told_apart() {
    let az = Azurite::new();
    let e = Env::new();
    let sas = ["--auth", "sas", "--sas-stdin"];
    az.add(&e, "account-sas", &sas, az.get("PB_AZ_ACCOUNT_SAS"));
    let (code, out) = check(&e, "account-sas");
    assert_eq!(code, Some(0), "{out}");

    // The SDK with the SAS exec hands over.
    let o = e
        .cmd(["exec", "account-sas", "--", &python(), "-c"])
        .arg("import os; from azure.storage.blob import BlobServiceClient as B; c = B(os.environ['AZURE_STORAGE_BLOB_ENDPOINT'], credential=os.environ['AZURE_STORAGE_SAS_TOKEN']); print(','.join(x.name for x in c.list_containers()))")
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", text(&o));
    assert_eq!(String::from_utf8_lossy(&o.stdout).trim(), "reports");

    // A container SAS cannot list the account: the check says to set the container…
    az.add(&e, "container-sas", &sas, az.get("PB_AZ_CONTAINER_SAS"));
    let (code, out) = check(&e, "container-sas");
    assert_eq!(code, Some(3), "{out}");
    assert!(out.contains("scoped to one container (sr=c)"), "{out}");
    // …and with it, lists the container's blobs.
    e.ok(&["edit", "container-sas", "--container", "reports"], "");
    let (code, out) = check(&e, "container-sas");
    assert_eq!(code, Some(0), "{out}");
    assert!(out.contains("container reports listed (1 blob(s)"), "{out}");

    // Expired: said with its expiry, and flagged in the list.
    az.add(&e, "old-sas", &sas, az.get("PB_AZ_EXPIRED_SAS"));
    let (code, step, message) = failure(&e, "old-sas");
    assert_eq!((code, step.as_str()), (Some(3), "auth"), "{message}");
    assert!(message.starts_with("the SAS expired at 20"), "{message}");
    let list = e.ok(&["list"], "");
    let line = list.lines().find(|l| l.starts_with("old-sas")).unwrap();
    assert!(
        line.contains("! SAS expired 1 days ago") || line.contains("! SAS expired 24 h ago"),
        "{list}"
    );

    // Valid, but without the list permission.
    az.add(&e, "read-only-sas", &sas, az.get("PB_AZ_READ_ONLY_SAS"));
    let (code, out) = check(&e, "read-only-sas");
    assert!(out.contains("lacks the list permission (sp=l)"), "{out}");
    assert_eq!(
        (code, failure(&e, "read-only-sas")),
        (
            Some(3),
            (
                Some(3),
                "auth".into(),
                "credentials accepted, but they may not list here".into()
            )
        )
    );

    // Forged: a signature changed by one character.
    let forged = az.get("PB_AZ_ACCOUNT_SAS").replacen("sig=", "sig=A", 1);
    az.add(&e, "forged-sas", &sas, &forged);
    assert_eq!(
        failure(&e, "forged-sas"),
        (
            Some(3),
            "auth".into(),
            "account patchbaytest refused the SAS's signature".into()
        )
    );
}

#[test]
#[ignore = "needs the test servers (Azurite and the Entra ID stand-in)"]
fn a_service_principal_gets_a_token_and_each_wrong_part_is_named() {
    let az = Azurite::new();
    let e = Env::new();
    let sp = |tenant: &str, client: &str| -> Vec<String> {
        [
            "--auth",
            "service-principal",
            "--tenant-id",
            tenant,
            "--client-id",
            client,
            "--authority-host",
            az.get("PB_AZ_AUTHORITY"),
            "--client-secret-stdin",
        ]
        .map(String::from)
        .to_vec()
    };
    let (tenant, client) = (az.get("PB_AZ_TENANT"), az.get("PB_AZ_CLIENT"));
    let args = sp(tenant, client);
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    az.add(&e, "sp", &args, az.get("PB_AZ_CLIENT_SECRET"));
    let (code, out) = check(&e, "sp");
    assert_eq!(code, Some(0), "{out}");
    assert!(
        out.contains("token endpoint: TLS") && out.contains("blob endpoint: TLS"),
        "{out}"
    );
    // The storage browser lists with the service principal's bearer token too.
    let o = e.run(&["ls", "sp:reports"]);
    assert!(o.status.success(), "{}", text(&o));
    assert_eq!(String::from_utf8_lossy(&o.stdout), "2026/\n");

    e.ok(&["edit", "sp", "--client-secret-stdin"], "not-the-secret");
    // A refused secret: the listing says where it was refused, as the check does.
    let o = e.run(&["ls", "sp"]);
    assert_eq!(o.status.code(), Some(1));
    assert_eq!(
        crate::common::stderr(&o).trim(),
        format!("patchbay: the client secret of application {client} was refused (wrong or expired): create a new client secret under the app registration's Certificates & secrets and paste its value (not its id)")
    );
    assert_eq!(
        failure(&e, "sp"),
        (
            Some(3),
            "auth".into(),
            format!("the client secret of application {client} was refused (wrong or expired)")
        )
    );

    let other = "00000000-0000-0000-0000-000000000001";
    let args = sp(other, client);
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    az.add(&e, "wrong-tenant", &args, az.get("PB_AZ_CLIENT_SECRET"));
    assert_eq!(
        failure(&e, "wrong-tenant"),
        (
            Some(3),
            "auth".into(),
            format!("tenant {other} does not exist")
        )
    );

    let args = sp(tenant, other);
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    az.add(&e, "wrong-client", &args, az.get("PB_AZ_CLIENT_SECRET"));
    assert_eq!(
        failure(&e, "wrong-client"),
        (
            Some(3),
            "auth".into(),
            format!("application {other} is not known in tenant {tenant}")
        )
    );
}

#[test]
#[ignore = "needs the test servers (Azurite)"]
fn a_connection_string_fills_the_connection_and_is_handed_back_as_one() {
    let az = Azurite::new();
    let e = Env::new();
    let cs = format!(
        "DefaultEndpointsProtocol=https;AccountName={};AccountKey={};BlobEndpoint={}",
        az.get("PB_AZ_ACCOUNT"),
        az.get("PB_AZ_KEY"),
        az.get("PB_AZ_ENDPOINT")
    );
    e.ok(
        &[
            "add",
            "azure",
            "from-cs",
            "--ca-cert",
            az.get("PB_CA_CERT"),
            "--connection-string-stdin",
        ],
        &cs,
    );
    let (code, out) = check(&e, "from-cs");
    assert_eq!(code, Some(0), "{out}");
    let env = e.ok(&["env", "from-cs", "--with-password"], "");
    assert!(
        env.contains(&format!("AZURE_STORAGE_KEY='{}'", az.get("PB_AZ_KEY"))),
        "{env}"
    );
    assert!(env.contains("AZURE_STORAGE_CONNECTION_STRING='DefaultEndpointsProtocol=https;AccountName=patchbaytest;AccountKey="), "{env}");
    // Without --with-password the secret variables are named, not given.
    let env = e.ok(&["env", "from-cs"], "");
    assert!(!env.contains(az.get("PB_AZ_KEY")), "{env}");
}

#[test]
fn plain_http_and_malformed_azure_values_are_refused_with_their_field() {
    let e = Env::new();
    let key = patchbay_testkit::corpus::AZURE_KEY;
    for (args, stdin, field) in [
        (
            vec![
                "--account",
                "ok1",
                "--endpoint-url",
                "http://127.0.0.1:10000/ok1",
                "--account-key-stdin",
            ],
            key,
            "endpoint_url",
        ),
        (
            vec!["--account", "Bad_Name", "--account-key-stdin"],
            key,
            "account",
        ),
        (
            vec!["--account", "ok1", "--account-key-stdin"],
            "c2hvcnQ=",
            "account_key",
        ),
        (
            vec!["--account", "ok1", "--auth", "sas", "--sas-stdin"],
            "sv=2024-11-04&se=2030-01-01",
            "sas_token",
        ),
        (
            vec![
                "--account",
                "ok1",
                "--auth",
                "service-principal",
                "--tenant-id",
                "t",
                "--client-secret-stdin",
            ],
            "s",
            "tenant_id",
        ),
        (vec!["--account", "ok1", "--auth", "nope"], "", "auth"),
    ] {
        let mut all = vec!["--json", "add", "azure", "x"];
        all.extend(args.iter());
        let o = e.run_with_stdin(&all, stdin);
        assert!(!o.status.success(), "{all:?}");
        let err: serde_json::Value =
            serde_json::from_slice::<serde_json::Value>(&o.stderr).unwrap()["error"].clone();
        assert_eq!(err["field"], field, "{all:?}: {err}");
    }
    assert!(e.ok(&["list"], "").starts_with("No saved connections"));
}

#[test]
fn the_ambient_mode_is_never_a_silent_fallback() {
    let e = Env::new();
    e.ok(
        &[
            "add",
            "azure",
            "cli",
            "--account",
            "somestore",
            "--auth",
            "ambient",
            "--endpoint-url",
            "https://127.0.0.1:9/somestore",
        ],
        "",
    );
    // A PATH with no Azure CLI on it, whatever this machine has installed: nothing to skip.
    let no_az = tempfile::tempdir().unwrap();
    let o = e
        .cmd(["test", "cli"])
        .env("PATH", no_az.path())
        .output()
        .unwrap();
    let (code, out) = (o.status.code(), text(&o));
    assert_eq!(code, Some(3), "{out}");
    assert!(out.contains("failed at auth: this connection uses the Azure CLI's login, and the Azure CLI (az) is not installed here"), "{out}");
}
