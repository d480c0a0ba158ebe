//! IMDSv2: PUT /latest/api/token (TTL header) for a session token, then GET the role name and its
//! credentials under /latest/meta-data/iam/security-credentials/, sending the token.

use sigv4::Credentials;

use super::{Env, Source, ENDPOINT_TIMEOUT};
use crate::error::{CliError, Result};

/// The instance source: AWS_EC2_METADATA_SERVICE_ENDPOINT or the link-local default.
pub fn source(env: &Env) -> Source {
    let endpoint = env
        .get("AWS_EC2_METADATA_SERVICE_ENDPOINT")
        .unwrap_or("http://169.254.169.254")
        .trim_end_matches('/')
        .to_owned();
    Source::Instance { endpoint }
}

/// Fetches the instance role's credentials.
pub async fn fetch(endpoint: &str) -> Result<Credentials> {
    let token = crate::http::fetch(
        "PUT",
        &format!("{endpoint}/latest/api/token"),
        &[(
            "X-aws-ec2-metadata-token-ttl-seconds".to_owned(),
            "21600".to_owned(),
        )],
        ENDPOINT_TIMEOUT,
    )
    .await?;
    if token.status != 200 {
        return Err(CliError::credentials(format!(
            "IMDSv2 at {endpoint} refused a session token ({})",
            token.status
        )));
    }
    let token = String::from_utf8(token.body.to_vec())
        .map_err(|_| CliError::credentials("the IMDSv2 token is not text"))?;
    let auth = vec![(
        "X-aws-ec2-metadata-token".to_owned(),
        token.trim().to_owned(),
    )];
    let base = format!("{endpoint}/latest/meta-data/iam/security-credentials/");
    let roles = crate::http::fetch("GET", &base, &auth, ENDPOINT_TIMEOUT).await?;
    if roles.status != 200 {
        return Err(CliError::credentials(format!(
            "IMDSv2 at {endpoint}: no instance role ({})",
            roles.status
        )));
    }
    let roles = String::from_utf8_lossy(&roles.body).into_owned();
    let role = roles
        .lines()
        .map(str::trim)
        .find(|l| !l.is_empty())
        .ok_or_else(|| {
            CliError::credentials(format!("IMDSv2 at {endpoint}: the instance has no role"))
        })?;
    if !role
        .bytes()
        .all(|b| b.is_ascii_alphanumeric() || b"+=,.@_-".contains(&b))
    {
        return Err(CliError::credentials(format!(
            "IMDSv2 at {endpoint}: unexpected role name {role:?}"
        )));
    }
    let creds =
        crate::http::fetch("GET", &format!("{base}{role}"), &auth, ENDPOINT_TIMEOUT).await?;
    if creds.status != 200 {
        return Err(CliError::credentials(format!(
            "IMDSv2 at {endpoint}: the credentials of role {role} answered {}",
            creds.status
        )));
    }
    super::from_json(&creds.body, "IMDSv2")
}
