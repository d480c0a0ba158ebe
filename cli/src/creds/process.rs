//! `credential_process`: run the command, read the JSON it prints (Version 1).

use tokio::process::Command;

use sigv4::Credentials;

use crate::error::{CliError, Result};

/// Splits a command line the way the SDKs do: whitespace-separated, double quotes group.
fn split(command: &str) -> Vec<String> {
    let mut words = Vec::new();
    let mut word = String::new();
    let mut quoted = false;
    let mut any = false;
    for c in command.chars() {
        match c {
            '"' => {
                quoted = !quoted;
                any = true;
            }
            c if c.is_whitespace() && !quoted => {
                if any {
                    words.push(std::mem::take(&mut word));
                    any = false;
                }
            }
            c => {
                word.push(c);
                any = true;
            }
        }
    }
    if any {
        words.push(word);
    }
    words
}

/// Runs `command` and parses its output.
pub async fn run(command: &str) -> Result<Credentials> {
    let words = split(command);
    let (program, args) = words
        .split_first()
        .ok_or_else(|| CliError::credentials("credential_process is empty"))?;
    let output = Command::new(program)
        .args(args)
        .stdin(std::process::Stdio::null())
        .stderr(std::process::Stdio::inherit())
        .output()
        .await
        .map_err(|e| {
            CliError::credentials(format!("cannot run credential_process {program:?}: {e}"))
        })?;
    if !output.status.success() {
        return Err(CliError::credentials(format!(
            "credential_process {program:?} failed ({})",
            output.status
        )));
    }
    let doc: serde_json::Value = serde_json::from_slice(&output.stdout).map_err(|e| {
        CliError::credentials(format!(
            "credential_process {program:?} did not print JSON: {e}"
        ))
    })?;
    if doc.get("Version").and_then(|v| v.as_u64()) != Some(1) {
        return Err(CliError::credentials(format!(
            "credential_process {program:?} printed no \"Version\": 1"
        )));
    }
    super::from_json(&output.stdout, "credential_process")
}

#[cfg(test)]
mod tests {
    #[test]
    fn splits_like_the_sdks() {
        assert_eq!(
            super::split(r#"/bin/x --a "b c" d"#),
            ["/bin/x", "--a", "b c", "d"]
        );
        assert_eq!(super::split(r#""/opt/my tool" """#), ["/opt/my tool", ""]);
    }
}
