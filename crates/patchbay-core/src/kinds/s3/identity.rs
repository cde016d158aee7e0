//! Who a check's credentials are: STS GetCallerIdentity, signed with them (SigV4 for "sts"),
//! at AWS's regional STS endpoint or the connection's own endpoint (moto, MinIO and LocalStack
//! serve STS beside S3). A store without STS is said, not failed: the S3 request decides.

use crate::check::endpoint;
use crate::check::http::xml_tag;
use crate::check::sigv4;
use crate::check::verdict::{Failure, Recorder, StepName};
use crate::model::S3Spec;

/// The principal's ARN recorded as a fact ("principal"); a refusal of the credentials fails
/// the `identity` step.
pub async fn caller(
    rec: &mut Recorder,
    s: &S3Spec,
    c: &sigv4::Credentials<'_>,
) -> Result<(), Failure> {
    let ep = super::endpoint_of(s, "sts", StepName::Identity)?;
    let tls = super::tls(s);
    let first = rec.step_count();
    let io = endpoint::open(rec, &ep, &tls).await;
    rec.prefix_since(first, "sts: ");
    let io = io?;
    let query =
        sigv4::canonical_query(&[("Action", "GetCallerIdentity"), ("Version", "2011-06-15")]);
    let path = format!("{}/", ep.base_path);
    let now = crate::clock::now_ms();
    let headers = sigv4::sign_for("sts", &ep.authority, (&path, &query), &s.region, c, now);
    let target = format!("{path}?{query}");
    let principal = endpoint::get(rec, StepName::Identity, io, &ep, &target, headers, |r| {
        if let (200, Some(arn)) = (r.status, xml_tag(&r.body, "Arn")) {
            return Ok(Some(arn.to_string()));
        }
        let code = xml_tag(&r.body, "Code").unwrap_or("");
        match code {
            "InvalidClientTokenId" | "SignatureDoesNotMatch" | "ExpiredToken" | "AccessDenied" => Err(Failure::new(
                StepName::Identity,
                format!("STS refused the credentials ({code})"),
            )
            .error(format!("HTTP {} {code}", r.status))
            .hint("the profile's credentials are not (or no longer) valid: run the profile with the aws CLI to see why")),
            _ => Ok(None),
        }
    })
    .await?;
    rec.fact(
        "principal",
        principal.unwrap_or_else(|| "not known (this endpoint has no STS)".into()),
    );
    Ok(())
}
