//! The Azure Blob Storage check: one "list containers" request (`maxresults=1`), or "list blobs"
//! in the saved container, proven by the auth mode's own means (SharedKey signature, SAS on the
//! URL, a service principal's bearer token, the Azure CLI's token), telling apart an unknown
//! account, a wrong key, an expired or forged SAS, a missing permission, a missing container and
//! a wrong tenant, client id or client secret.

use super::proof::{self, AzureSecrets, Proof};
use super::{blob_endpoint, sas_expiry, sas_is_container_scoped};
use crate::check::endpoint::{self, Endpoint};
use crate::check::http::{xml_tag, Response};
use crate::check::tls::TlsSettings;
use crate::check::verdict::{Failure, Recorder, StepName};
use crate::model::{AzureAuth, AzureSpec};

pub async fn check(
    rec: &mut Recorder,
    s: &AzureSpec,
    secrets: &AzureSecrets<'_>,
) -> Result<String, Failure> {
    let base = blob_endpoint(s);
    let ep = Endpoint::parse_allowing(
        &base,
        StepName::Request,
        s.allow_http,
        "the endpoint",
        endpoint::HTTP_HINT,
    )?;
    if let (AzureAuth::Sas, Some(sas), None) = (s.auth, secrets.sas, &s.container) {
        if sas_is_container_scoped(sas) {
            return Err(Failure::new(
                StepName::Request,
                "this SAS is scoped to one container (sr=c), so it cannot list the account's containers",
            )
            .hint("set the container the SAS was made for"));
        }
    }
    let proof = proof::proof(rec, s, secrets).await?;
    if let Some(at) = &s.sas_expires {
        rec.fact("SAS expires", at.clone());
    }
    let settings = TlsSettings::verified(s.ca_cert.as_deref());
    let first = rec.step_count();
    let io = endpoint::open(rec, &ep, &settings).await.map_err(|f| match f.step {
        StepName::Dns if s.endpoint_url.is_none() => Failure::new(
            StepName::Dns,
            format!("storage account \"{}\" does not exist ({} has no address)", s.account, ep.host),
        )
        .hint("check the account name: it is the first part of https://ACCOUNT.blob.core.windows.net"),
        StepName::Tls if f.message.contains("certificate") && s.ca_cert.is_none() => f.hint(
            "the endpoint's certificate is not signed by a CA this machine trusts: add the endpoint's CA certificate",
        ),
        _ => f,
    });
    if matches!(s.auth, AzureAuth::ServicePrincipal) {
        rec.prefix_since(first, "blob endpoint: ");
    }
    let io = io?;

    let container_path = s
        .container
        .as_ref()
        .map(|c| format!("{}/{c}", ep.base_path));
    let (resource, query): (String, Vec<(&str, &str)>) = match &container_path {
        Some(p) => (
            p.clone(),
            vec![
                ("restype", "container"),
                ("comp", "list"),
                ("maxresults", "1"),
            ],
        ),
        None => (
            format!("{}/", ep.base_path),
            vec![("comp", "list"), ("maxresults", "1")],
        ),
    };
    let (headers, path_query) = proof.authorize(&s.account, &resource, &query)?;
    let sas_expired_at = match &proof {
        Proof::Sas(t) => sas_expiry(t)
            .ok()
            .filter(|at| *at <= crate::clock::now_ms())
            .map(crate::clock::rfc3339),
        _ => None,
    };
    let what = Context {
        account: s.account.clone(),
        container: s.container.clone(),
        auth: s.auth,
        sas_expired_at,
    };
    let path = format!("{resource}?{path_query}");
    endpoint::get(rec, StepName::Auth, io, &ep, &path, headers, move |r| {
        judge(r, &what)
    })
    .await
}

/// What the verdict needs to know about the request.
struct Context {
    account: String,
    container: Option<String>,
    auth: AzureAuth,
    sas_expired_at: Option<String>,
}

/// Reads the answer: containers (or blobs) listed, or why not.
fn judge(r: Response, c: &Context) -> Result<String, Failure> {
    let code = xml_tag(&r.body, "Code").unwrap_or("");
    let server_msg = xml_tag(&r.body, "Message")
        .and_then(|m| m.lines().next())
        .unwrap_or("");
    let fail = |step: StepName, msg: String, hint: &str| {
        Failure::new(step, msg)
            .error(
                format!("HTTP {} {code} {server_msg}", r.status)
                    .trim()
                    .to_string(),
            )
            .hint(hint)
    };
    let unauthenticated = server_msg.contains("failed to authenticate")
        || code == "AuthenticationFailed"
        || code == "InvalidAuthenticationInfo";
    match (r.status, code) {
        (200, _) if r.body.contains("<EnumerationResults") => Ok(match &c.container {
            Some(name) => {
                let n = r.body.matches("<Blob>").count();
                format!("credentials accepted; container {name} listed ({n} blob(s) on the first page of 1)")
            }
            None => {
                let n = r.body.matches("<Container>").count();
                format!("credentials accepted; {n} container(s) listed (at most 1 asked for)")
            }
        }),
        (200, _) => Err(fail(StepName::Request, "the endpoint answered, but not like Azure Blob Storage".into(), "is this the Blob service URL (https://ACCOUNT.blob.core.windows.net)?")),
        (_, "ContainerNotFound") => Err(fail(StepName::Request, format!("container {} does not exist in account {}", c.container.as_deref().unwrap_or(""), c.account), "check the container name (names are lower case)")),
        (_, "ResourceNotFound" | "AccountNotFound" | "InvalidUri") if c.container.is_none() => Err(fail(StepName::Request, format!("the endpoint does not know account {}", c.account), "check the account name and the endpoint URL")),
        _ if unauthenticated => Err(match (c.auth, &c.sas_expired_at) {
            (AzureAuth::Sas, Some(at)) => fail(StepName::Auth, format!("the SAS expired at {at}"), "generate a new SAS and paste it"),
            (AzureAuth::Sas, None) => fail(StepName::Auth, format!("account {} refused the SAS's signature", c.account), "the SAS is forged, revoked (its key was rotated) or for another account: generate a new one"),
            (AzureAuth::AccountKey, _) => fail(StepName::Auth, format!("the account key does not match account {}", c.account), "wrong account key: copy key1 or key2 from the storage account's Access keys"),
            _ => fail(StepName::Auth, format!("account {} refused the token", c.account), "the token is for another tenant or audience: check the tenant id"),
        }),
        (403, "AuthorizationPermissionMismatch" | "AuthorizationResourceTypeMismatch" | "AuthorizationServiceMismatch" | "AuthorizationFailure") => Err(fail(StepName::Auth, "credentials accepted, but they may not list here".into(), match c.auth {
            AzureAuth::Sas => "the SAS lacks the list permission (sp=l) or the service/resource types (ss=b, srt=sc): generate one that has them",
            AzureAuth::AccountKey => "the account's network rules refuse this address: check Networking on the storage account",
            _ => "give the identity a data role (Storage Blob Data Reader) on the account or container",
        })),
        (status, _) => Err(fail(StepName::Request, format!("the endpoint answered HTTP {status}"), "is this the Blob service URL? check the account and endpoint")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Azure's error body, as its REST documentation shows it.
    fn error(status: u16, code: &str, message: &str) -> Response {
        Response {
            status,
            body: format!("<?xml version=\"1.0\" encoding=\"utf-8\"?><Error><Code>{code}</Code><Message>{message}\nRequestId:1\nTime:2026-12-04T00:00:00Z</Message></Error>"),
        }
    }

    fn context(auth: AzureAuth, container: Option<&str>, expired: Option<&str>) -> Context {
        Context {
            account: "lake".into(),
            container: container.map(str::to_string),
            auth,
            sas_expired_at: expired.map(str::to_string),
        }
    }

    /// (step, message, hint, error detail) of a refusal.
    fn said(r: Response, c: &Context) -> (StepName, String, String, String) {
        let f = judge(r, c).unwrap_err();
        (
            f.step,
            f.message,
            f.hint.unwrap_or_default(),
            f.error.unwrap_or_default(),
        )
    }

    #[test]
    fn a_listing_is_counted_and_anything_else_at_200_is_not_taken_for_azure() {
        let list = |inner: &str| Response {
            status: 200,
            body: format!(
                "<?xml version=\"1.0\"?><EnumerationResults>{inner}</EnumerationResults>"
            ),
        };
        let c = context(AzureAuth::AccountKey, None, None);
        assert_eq!(
            judge(
                list("<Containers><Container><Name>a</Name></Container><Container><Name>b</Name></Container></Containers>"),
                &c
            )
            .unwrap(),
            "credentials accepted; 2 container(s) listed (at most 1 asked for)"
        );
        let c = context(AzureAuth::AccountKey, Some("reports"), None);
        assert_eq!(
            judge(list("<Blobs><Blob><Name>q4.csv</Name></Blob></Blobs>"), &c).unwrap(),
            "credentials accepted; container reports listed (1 blob(s) on the first page of 1)"
        );
        let html = Response {
            status: 200,
            body: "<html>hello</html>".into(),
        };
        let (step, message, ..) = said(html, &c);
        assert_eq!(
            (step, message.as_str()),
            (
                StepName::Request,
                "the endpoint answered, but not like Azure Blob Storage"
            )
        );
    }

    #[test]
    fn each_refusal_is_named_by_its_code_and_the_auth_mode() {
        let failed = "Server failed to authenticate the request. Make sure the value of Authorization header is formed correctly including the signature.";
        let cases = [
            (error(404, "ContainerNotFound", "The specified container does not exist."), context(AzureAuth::AccountKey, Some("reports"), None),
             (StepName::Request, "container reports does not exist in account lake")),
            (error(404, "ResourceNotFound", "The specified resource does not exist."), context(AzureAuth::AccountKey, None, None),
             (StepName::Request, "the endpoint does not know account lake")),
            (error(404, "ResourceNotFound", "The specified resource does not exist."), context(AzureAuth::AccountKey, Some("reports"), None),
             (StepName::Request, "the endpoint answered HTTP 404")),
            (error(403, "AuthenticationFailed", failed), context(AzureAuth::Sas, None, Some("2026-12-03T00:00:00Z")),
             (StepName::Auth, "the SAS expired at 2026-12-03T00:00:00Z")),
            (error(403, "AuthenticationFailed", failed), context(AzureAuth::Sas, None, None),
             (StepName::Auth, "account lake refused the SAS's signature")),
            (error(403, "AuthenticationFailed", failed), context(AzureAuth::AccountKey, None, None),
             (StepName::Auth, "the account key does not match account lake")),
            (error(401, "InvalidAuthenticationInfo", "Authentication information is not given in the correct format."), context(AzureAuth::ServicePrincipal, None, None),
             (StepName::Auth, "account lake refused the token")),
            (error(403, "Other", failed), context(AzureAuth::AccountKey, None, None),
             (StepName::Auth, "the account key does not match account lake")),
            (error(403, "AuthorizationPermissionMismatch", "This request is not authorized to perform this operation using this permission."), context(AzureAuth::Sas, None, None),
             (StepName::Auth, "credentials accepted, but they may not list here")),
            (error(403, "AuthorizationFailure", "This request is not authorized to perform this operation."), context(AzureAuth::AccountKey, None, None),
             (StepName::Auth, "credentials accepted, but they may not list here")),
            (error(500, "InternalError", "The server encountered an internal error."), context(AzureAuth::AccountKey, None, None),
             (StepName::Request, "the endpoint answered HTTP 500")),
        ];
        for (r, c, (step, message)) in cases {
            let status = r.status;
            let (s, m, _, detail) = said(r, &c);
            assert_eq!((s, m.as_str()), (step, message), "HTTP {status}");
            assert!(detail.starts_with(&format!("HTTP {status} ")), "{detail}");
        }
        let (.., hint, detail) = said(
            error(
                403,
                "AuthorizationPermissionMismatch",
                "This request is not authorized.",
            ),
            &context(AzureAuth::Sas, None, None),
        );
        assert_eq!(
            detail,
            "HTTP 403 AuthorizationPermissionMismatch This request is not authorized."
        );
        assert!(
            hint.starts_with("the SAS lacks the list permission (sp=l)"),
            "{hint}"
        );
        // The same refusal means something else for the other modes.
        for (auth, fix) in [
            (AzureAuth::AccountKey, "the account's network rules refuse this address: check Networking on the storage account"),
            (AzureAuth::ServicePrincipal, "give the identity a data role (Storage Blob Data Reader) on the account or container"),
        ] {
            let (.., hint, _) = said(
                error(403, "AuthorizationFailure", "This request is not authorized."),
                &context(auth, None, None),
            );
            assert_eq!(hint, fix);
        }
    }
}
