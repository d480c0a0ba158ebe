//! ECS / container credentials: AWS_CONTAINER_CREDENTIALS_RELATIVE_URI (on 169.254.170.2) or
//! AWS_CONTAINER_CREDENTIALS_FULL_URI, with AWS_CONTAINER_AUTHORIZATION_TOKEN(_FILE) sent as the
//! `Authorization` header. The answer is the JSON document every credential endpoint returns.

use sigv4::Credentials;

use super::{Env, Source, ENDPOINT_TIMEOUT};
use crate::error::{CliError, Result};

/// The container source the environment configures, if any.
pub fn source(env: &Env) -> Result<Option<Source>> {
    let url = if let Some(relative) = env.get("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI") {
        format!("http://169.254.170.2{relative}")
    } else if let Some(full) = env.get("AWS_CONTAINER_CREDENTIALS_FULL_URI") {
        full.to_owned()
    } else {
        return Ok(None);
    };
    let authorization = if let Some(path) = env.get("AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE") {
        let text = std::fs::read_to_string(path).map_err(|e| {
            CliError::credentials(format!(
                "cannot read AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE {path}: {e}"
            ))
        })?;
        Some(text.trim().to_owned())
    } else {
        env.get("AWS_CONTAINER_AUTHORIZATION_TOKEN")
            .map(str::to_owned)
    };
    if let Some(token) = &authorization {
        if token.bytes().any(|b| b == b'\r' || b == b'\n') {
            return Err(CliError::credentials(
                "the container authorization token contains a line break",
            ));
        }
    }
    Ok(Some(Source::Container { url, authorization }))
}

/// Fetches the credentials from the endpoint.
pub async fn fetch(url: &str, authorization: Option<&str>) -> Result<Credentials> {
    let headers: Vec<(String, String)> = authorization
        .map(|a| vec![("Authorization".to_owned(), a.to_owned())])
        .unwrap_or_default();
    let answer = crate::http::fetch("GET", url, &headers, ENDPOINT_TIMEOUT).await?;
    if answer.status != 200 {
        return Err(CliError::credentials(format!(
            "the container credentials endpoint {url} answered {}",
            answer.status
        )));
    }
    super::from_json(&answer.body, "the container credentials endpoint")
}
