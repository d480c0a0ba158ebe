//! Where credentials come from: the environment, the shared AWS files (static keys and
//! `credential_process`), container endpoints (ECS) and the instance metadata service (IMDSv2).
//! Temporary credentials are kept until shortly before they expire, then fetched again.
//! All of this is I/O, so it lives here and never in the core.

mod container;
mod imds;
mod process;
mod profile;

use std::collections::HashMap;
use std::path::PathBuf;
use std::time::Duration;

use sigv4::Credentials;
use tokio::sync::Mutex;

use crate::error::{CliError, Result};

pub use profile::ProfileFiles;

/// Fetch temporary credentials again when they expire within this many seconds (the SDKs use 5
/// minutes for container and instance credentials).
pub const REFRESH_WINDOW_SECONDS: i64 = 300;

/// A snapshot of the environment variables the providers read (tests give their own).
#[derive(Debug, Clone, Default)]
pub struct Env {
    vars: HashMap<String, String>,
}

impl Env {
    /// The process environment.
    pub fn from_process() -> Self {
        Env {
            vars: std::env::vars().collect(),
        }
    }

    /// An environment from pairs.
    #[cfg(test)]
    pub fn from_pairs<'a>(pairs: impl IntoIterator<Item = (&'a str, &'a str)>) -> Self {
        Env {
            vars: pairs
                .into_iter()
                .map(|(k, v)| (k.to_owned(), v.to_owned()))
                .collect(),
        }
    }

    /// A variable's non-empty value.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.vars
            .get(name)
            .map(String::as_str)
            .filter(|v| !v.is_empty())
    }

    fn home(&self) -> Option<PathBuf> {
        self.get("HOME")
            .or_else(|| self.get("USERPROFILE"))
            .map(PathBuf::from)
    }
}

/// One place credentials come from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Source {
    /// AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY / AWS_SESSION_TOKEN.
    Environment,
    /// Static keys of a profile.
    Profile(String),
    /// A profile's `credential_process` command.
    Process {
        /// The profile.
        profile: String,
        /// The command line.
        command: String,
    },
    /// An ECS / container credentials endpoint.
    Container {
        /// The full URL.
        url: String,
        /// The Authorization header value (from the token or token file).
        authorization: Option<String>,
    },
    /// IMDSv2 at this base URL.
    Instance {
        /// `http://169.254.169.254` or AWS_EC2_METADATA_SERVICE_ENDPOINT.
        endpoint: String,
    },
}

impl Source {
    /// A short description for messages (never a secret).
    pub fn describe(&self) -> String {
        match self {
            Source::Environment => "environment variables".to_owned(),
            Source::Profile(p) => format!("profile {p:?}"),
            Source::Process { profile, .. } => format!("credential_process of profile {profile:?}"),
            Source::Container { url, .. } => format!("container endpoint {url}"),
            Source::Instance { endpoint } => format!("instance metadata (IMDSv2) at {endpoint}"),
        }
    }

    async fn fetch(&self, env: &Env, files: &ProfileFiles) -> Result<Credentials> {
        match self {
            Source::Environment => from_env(env),
            Source::Profile(name) => files.static_keys(name),
            Source::Process { command, .. } => process::run(command).await,
            Source::Container { url, authorization } => {
                container::fetch(url, authorization.as_deref()).await
            }
            Source::Instance { endpoint } => imds::fetch(endpoint).await,
        }
    }
}

fn from_env(env: &Env) -> Result<Credentials> {
    let akid = env.get("AWS_ACCESS_KEY_ID");
    let secret = env.get("AWS_SECRET_ACCESS_KEY");
    match (akid, secret) {
        (Some(akid), Some(secret)) => {
            let token = env
                .get("AWS_SESSION_TOKEN")
                .or_else(|| env.get("AWS_SECURITY_TOKEN"))
                .map(str::to_owned);
            Credentials::new(akid, secret, token).map_err(|e| {
                CliError::credentials(format!("the AWS_* environment variables: {}", e.message()))
            })
        }
        (Some(_), None) => Err(CliError::credentials(
            "AWS_ACCESS_KEY_ID is set but AWS_SECRET_ACCESS_KEY is not: export both",
        )),
        (None, Some(_)) => Err(CliError::credentials(
            "AWS_SECRET_ACCESS_KEY is set but AWS_ACCESS_KEY_ID is not: export both",
        )),
        (None, None) => Err(CliError::credentials(
            "no AWS_ACCESS_KEY_ID in the environment",
        )),
    }
}

/// Picks the source the way the AWS SDKs do: an explicit profile; else the environment's keys;
/// else AWS_PROFILE or `default` when that profile exists; else a container endpoint; else IMDSv2
/// (unless AWS_EC2_METADATA_DISABLED=true).
pub fn choose(env: &Env, files: &ProfileFiles, explicit_profile: Option<&str>) -> Result<Source> {
    if let Some(name) = explicit_profile {
        return files.source_for(name);
    }
    if env.get("AWS_ACCESS_KEY_ID").is_some() || env.get("AWS_SECRET_ACCESS_KEY").is_some() {
        return Ok(Source::Environment);
    }
    let name = env.get("AWS_PROFILE").unwrap_or("default");
    if files.has_profile(name) {
        return files.source_for(name);
    }
    if env.get("AWS_PROFILE").is_some() {
        return Err(CliError::credentials(format!(
            "AWS_PROFILE={name} but no such profile in {}",
            files.describe()
        )));
    }
    if let Some(source) = container::source(env)? {
        return Ok(source);
    }
    if env
        .get("AWS_EC2_METADATA_DISABLED")
        .is_some_and(|v| v.eq_ignore_ascii_case("true"))
    {
        return Err(CliError::credentials(format!(
            "no credentials: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or a profile in {} \
             (--profile / AWS_PROFILE); container and instance credentials are not configured or disabled",
            files.describe()
        )));
    }
    Ok(imds::source(env))
}

/// Credentials from a source, kept until they are about to expire.
#[derive(Debug)]
pub struct Provider {
    source: Source,
    env: Env,
    files: ProfileFiles,
    cached: Mutex<Option<Credentials>>,
}

impl Provider {
    /// The provider for the given profile (or the default chain), reading `env`.
    pub fn new(env: Env, explicit_profile: Option<&str>) -> Result<Self> {
        let files = ProfileFiles::load(&env)?;
        let source = choose(&env, &files, explicit_profile)?;
        Ok(Self::with_source(source, env, files))
    }

    /// A provider for a known source.
    pub fn with_source(source: Source, env: Env, files: ProfileFiles) -> Self {
        Provider {
            source,
            env,
            files,
            cached: Mutex::new(None),
        }
    }

    /// Where the credentials come from.
    pub fn source(&self) -> &Source {
        &self.source
    }

    /// The profile's region setting, if the profile files give one.
    pub fn profile_region(&self, explicit_profile: Option<&str>) -> Option<String> {
        let name = explicit_profile
            .or_else(|| self.env.get("AWS_PROFILE"))
            .unwrap_or("default");
        self.files.region(name)
    }

    /// Credentials valid at `now` (unix seconds): the kept ones unless they expire within
    /// [`REFRESH_WINDOW_SECONDS`], else fetched again. When a refresh fails but the kept ones are
    /// still valid, those are used.
    pub async fn get(&self, now: i64) -> Result<Credentials> {
        let mut cached = self.cached.lock().await;
        if let Some(creds) = cached.as_ref() {
            match creds.expires_at() {
                None => return Ok(creds.clone()),
                Some(at) if at - now > REFRESH_WINDOW_SECONDS => return Ok(creds.clone()),
                _ => {}
            }
        }
        match self.source.fetch(&self.env, &self.files).await {
            Ok(fresh) => {
                if let Some(at) = fresh.expires_at() {
                    if at <= now {
                        return Err(CliError::credentials(format!(
                            "the credentials from {} expired already",
                            self.source.describe()
                        )));
                    }
                }
                *cached = Some(fresh.clone());
                Ok(fresh)
            }
            Err(error) => match cached.as_ref() {
                Some(old) if old.expires_at().is_some_and(|at| at > now) => Ok(old.clone()),
                _ => Err(CliError::credentials(format!(
                    "{} (credentials from {})",
                    error.message,
                    self.source.describe()
                ))),
            },
        }
    }
}

/// The timeout for one credential-endpoint call (the SDKs use 1 second for IMDS).
pub(crate) const ENDPOINT_TIMEOUT: Duration = Duration::from_secs(2);

/// Parses the JSON document that the container endpoint, IMDS and credential_process all return
/// (`AccessKeyId`, `SecretAccessKey`, `Token` or `SessionToken`, `Expiration`).
pub(crate) fn from_json(body: &[u8], what: &str) -> Result<Credentials> {
    let doc: serde_json::Value = serde_json::from_slice(body)
        .map_err(|e| CliError::credentials(format!("{what} did not return JSON: {e}")))?;
    let field = |name: &str| {
        doc.get(name)
            .and_then(|v| v.as_str())
            .filter(|s| !s.is_empty())
    };
    let akid = field("AccessKeyId")
        .ok_or_else(|| CliError::credentials(format!("{what} returned no AccessKeyId")))?;
    let secret = field("SecretAccessKey")
        .ok_or_else(|| CliError::credentials(format!("{what} returned no SecretAccessKey")))?;
    let token = field("Token")
        .or_else(|| field("SessionToken"))
        .map(str::to_owned);
    let mut creds = Credentials::new(akid, secret, token)
        .map_err(|e| CliError::credentials(format!("{what}: {}", e.message())))?;
    if let Some(expiration) = field("Expiration") {
        let at = sigv4::SigningTime::parse(expiration).map_err(|_| {
            CliError::credentials(format!(
                "{what} returned an Expiration that is not an ISO 8601 UTC time: {expiration:?}"
            ))
        })?;
        creds = creds.with_expiry(at.unix());
    }
    Ok(creds)
}

#[cfg(test)]
mod tests;
