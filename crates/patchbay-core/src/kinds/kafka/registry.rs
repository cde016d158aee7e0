//! The Schema Registry step of a Kafka check: GET /subjects with the saved basic-auth
//! credentials, reported as its own step.

use base64::engine::general_purpose::STANDARD;
use base64::Engine as _;

use crate::check::endpoint::{self, Endpoint};
use crate::check::http::Response;
use crate::check::tls::TlsSettings;
use crate::check::verdict::{Failure, Recorder, StepName};

pub async fn check(
    rec: &mut Recorder,
    url: &str,
    user: Option<&str>,
    password: Option<&str>,
    ca_pem: Option<&str>,
) -> Result<String, Failure> {
    let first = rec.step_count();
    let result = run(rec, url, user, password, ca_pem).await;
    // Its name lookup, TCP and TLS steps belong to the registry, not to the brokers.
    rec.prefix_since(first, "Schema Registry: ");
    result
}

async fn run(
    rec: &mut Recorder,
    url: &str,
    user: Option<&str>,
    password: Option<&str>,
    ca_pem: Option<&str>,
) -> Result<String, Failure> {
    let ep = Endpoint::parse(url, StepName::Registry)?;
    let settings = TlsSettings::verified(ca_pem);
    let io = endpoint::open(rec, &ep, &settings).await.map_err(|mut f| {
        f.message = format!("Schema Registry: {}", f.message);
        f.step = StepName::Registry;
        f
    })?;
    let mut headers = vec![(
        "Accept".to_string(),
        "application/vnd.schemaregistry.v1+json".to_string(),
    )];
    if let Some(u) = user {
        let token = STANDARD.encode(format!("{u}:{}", password.unwrap_or("")));
        headers.push(("Authorization".into(), format!("Basic {token}")));
    }
    let with_user = user.is_some();
    let path = format!("{}/subjects", ep.base_path);
    let count = endpoint::get(rec, StepName::Registry, io, &ep, &path, headers, move |r| {
        judge(r, with_user)
    })
    .await?;
    rec.fact("registry subjects", count.to_string());
    Ok(format!("Schema Registry answered with {count} subject(s)"))
}

fn judge(r: Response, with_user: bool) -> Result<usize, Failure> {
    match r.status {
        200 => serde_json::from_str::<Vec<serde_json::Value>>(&r.body)
            .map(|v| v.len())
            .map_err(|_| {
                Failure::new(
                    StepName::Registry,
                    "the Schema Registry URL answered, but not with a list of subjects",
                )
                .hint("is this the Schema Registry's URL?")
            }),
        401 | 403 => Err(Failure::new(
            StepName::Registry,
            format!(
                "the Schema Registry refused the credentials (HTTP {})",
                r.status
            ),
        )
        .hint(if with_user {
            "wrong Schema Registry user or password"
        } else {
            "the Schema Registry needs a user and password"
        })),
        404 => Err(Failure::new(StepName::Registry, "the URL has no /subjects")
            .hint("is this the Schema Registry's URL (not Kafka's or a UI's)?")),
        s => Err(Failure::new(
            StepName::Registry,
            format!("the Schema Registry answered HTTP {s}"),
        )),
    }
}
