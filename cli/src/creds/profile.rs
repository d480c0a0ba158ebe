//! `~/.aws/credentials` and `~/.aws/config`: INI sections of `key = value`, the config file's
//! sections named `profile NAME` (except `default`), the credentials file winning for a key both set.

use std::collections::HashMap;
use std::path::PathBuf;

use sigv4::Credentials;

use super::{Env, Source};
use crate::error::{CliError, Result};

type Section = HashMap<String, String>;

/// The two shared files, parsed.
#[derive(Debug, Clone, Default)]
pub struct ProfileFiles {
    credentials_path: Option<PathBuf>,
    config_path: Option<PathBuf>,
    credentials: HashMap<String, Section>,
    config: HashMap<String, Section>,
}

/// Parses INI text into sections; `config` strips the `profile ` prefix.
fn parse(text: &str, config: bool, path: &std::path::Path) -> Result<HashMap<String, Section>> {
    let mut sections: HashMap<String, Section> = HashMap::new();
    let mut current: Option<String> = None;
    for (number, raw) in text.lines().enumerate() {
        let line = raw.trim_end();
        let trimmed = line.trim_start();
        if trimmed.is_empty() || trimmed.starts_with('#') || trimmed.starts_with(';') {
            continue;
        }
        if let Some(header) = trimmed.strip_prefix('[') {
            let name = header
                .split(']')
                .next()
                .filter(|_| header.contains(']'))
                .ok_or_else(|| {
                    CliError::credentials(format!(
                        "{}:{}: section header without ']'",
                        path.display(),
                        number + 1
                    ))
                })?
                .trim();
            let name = if config {
                match name.strip_prefix("profile") {
                    Some(rest) if rest.starts_with([' ', '\t']) => rest.trim(),
                    _ => name,
                }
            } else {
                name
            };
            current = Some(name.to_owned());
            sections.entry(name.to_owned()).or_default();
            continue;
        }
        // Indented lines continue a nested property (s3 = ...); not needed for credentials.
        if line.starts_with([' ', '\t']) {
            continue;
        }
        let Some(section) = current.as_ref() else {
            return Err(CliError::credentials(format!(
                "{}:{}: a setting before any [section]",
                path.display(),
                number + 1
            )));
        };
        let (key, value) = trimmed.split_once('=').ok_or_else(|| {
            CliError::credentials(format!(
                "{}:{}: expected key = value",
                path.display(),
                number + 1
            ))
        })?;
        let value = value.trim();
        // An inline comment needs whitespace before it (botocore's rule).
        let value = value
            .find(" #")
            .or_else(|| value.find(" ;"))
            .map_or(value, |i| value[..i].trim_end());
        sections
            .get_mut(section)
            .expect("section exists")
            .insert(key.trim().to_ascii_lowercase(), value.to_owned());
    }
    Ok(sections)
}

fn read(path: &std::path::Path, config: bool) -> Result<HashMap<String, Section>> {
    match std::fs::read_to_string(path) {
        Ok(text) => parse(&text, config, path),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(HashMap::new()),
        Err(e) => Err(CliError::credentials(format!(
            "cannot read {}: {e}",
            path.display()
        ))),
    }
}

impl ProfileFiles {
    /// Reads AWS_SHARED_CREDENTIALS_FILE (default ~/.aws/credentials) and AWS_CONFIG_FILE (default
    /// ~/.aws/config); a missing file is an empty one.
    pub fn load(env: &Env) -> Result<Self> {
        let home = env.home();
        let credentials_path = env
            .get("AWS_SHARED_CREDENTIALS_FILE")
            .map(PathBuf::from)
            .or_else(|| home.as_ref().map(|h| h.join(".aws").join("credentials")));
        let config_path = env
            .get("AWS_CONFIG_FILE")
            .map(PathBuf::from)
            .or_else(|| home.as_ref().map(|h| h.join(".aws").join("config")));
        let credentials = match &credentials_path {
            Some(p) => read(p, false)?,
            None => HashMap::new(),
        };
        let config = match &config_path {
            Some(p) => read(p, true)?,
            None => HashMap::new(),
        };
        Ok(ProfileFiles {
            credentials_path,
            config_path,
            credentials,
            config,
        })
    }

    /// Which files were searched, for messages.
    pub fn describe(&self) -> String {
        let show = |p: &Option<PathBuf>| {
            p.as_ref()
                .map_or("(no HOME)".to_owned(), |p| p.display().to_string())
        };
        format!(
            "{} and {}",
            show(&self.credentials_path),
            show(&self.config_path)
        )
    }

    /// True when either file has the profile.
    pub fn has_profile(&self, name: &str) -> bool {
        self.credentials.contains_key(name) || self.config.contains_key(name)
    }

    fn get(&self, profile: &str, key: &str) -> Option<&str> {
        self.credentials
            .get(profile)
            .and_then(|s| s.get(key))
            .or_else(|| self.config.get(profile).and_then(|s| s.get(key)))
            .map(String::as_str)
            .filter(|v| !v.is_empty())
    }

    /// The profile's `region`.
    pub fn region(&self, profile: &str) -> Option<String> {
        self.get(profile, "region").map(str::to_owned)
    }

    /// Where a profile's credentials come from: static keys or credential_process.
    pub fn source_for(&self, name: &str) -> Result<Source> {
        if !self.has_profile(name) {
            return Err(CliError::credentials(format!(
                "no profile {name:?} in {}",
                self.describe()
            )));
        }
        if self.get(name, "aws_access_key_id").is_some() {
            return Ok(Source::Profile(name.to_owned()));
        }
        if let Some(command) = self.get(name, "credential_process") {
            return Ok(Source::Process {
                profile: name.to_owned(),
                command: command.to_owned(),
            });
        }
        for key in [
            "role_arn",
            "sso_session",
            "sso_start_url",
            "web_identity_token_file",
        ] {
            if self.get(name, key).is_some() {
                return Err(CliError::credentials(format!(
                    "profile {name:?} uses {key}, which sigv4 does not resolve: run `aws configure export-credentials --profile {name} --format env` and use the environment, or a credential_process"
                )));
            }
        }
        Err(CliError::credentials(format!(
            "profile {name:?} has neither aws_access_key_id nor credential_process ({})",
            self.describe()
        )))
    }

    /// A profile's static keys.
    pub fn static_keys(&self, name: &str) -> Result<Credentials> {
        let akid = self.get(name, "aws_access_key_id");
        let secret = self.get(name, "aws_secret_access_key").ok_or_else(|| {
            CliError::credentials(format!(
                "profile {name:?} has aws_access_key_id but no aws_secret_access_key"
            ))
        })?;
        let token = self
            .get(name, "aws_session_token")
            .or_else(|| self.get(name, "aws_security_token"))
            .map(str::to_owned);
        Credentials::new(akid.unwrap_or_default(), secret, token)
            .map_err(|e| CliError::credentials(format!("profile {name:?}: {}", e.message())))
    }
}

#[cfg(test)]
pub(super) fn parse_for_test(text: &str, config: bool) -> Result<HashMap<String, Section>> {
    parse(text, config, std::path::Path::new("test"))
}
