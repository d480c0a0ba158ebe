//! `sigv4`: sign, send, presign, verify and explain AWS Signature Version 4 requests from the
//! command line, on the pure `sigv4` core. Credential providers, HTTP and files live here.
#![forbid(unsafe_code)]

mod args;
mod body;
mod cmd;
mod creds;
mod error;
mod explain;
mod http;
mod infer;
mod proxy;
mod raw;
mod signing;

use std::process::ExitCode;

use clap::{CommandFactory, Parser};

use args::{Cli, Command};
use error::{exit, Result};

async fn dispatch(command: Command) -> Result<u8> {
    match command {
        Command::Request(a) => cmd::request::run(a).await,
        Command::Sign(a) => cmd::sign::run(a).await.map(|()| exit::OK),
        Command::Presign(a) => cmd::presign::run(a).await.map(|()| exit::OK),
        Command::Verify(a) => cmd::verify::run(a).await,
        Command::Explain(a) => explain::run(a).await,
        Command::Proxy(a) => proxy::run(a).await,
        Command::Completions { shell } => {
            clap_complete::generate(shell, &mut Cli::command(), "sigv4", &mut std::io::stdout());
            Ok(exit::OK)
        }
    }
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    // The proxy serves many connections on every core; the other commands run one exchange.
    let built = match &cli.command {
        Command::Proxy(a) => {
            let mut builder = tokio::runtime::Builder::new_multi_thread();
            if let Some(n) = a.threads {
                builder.worker_threads(n.max(1));
            }
            builder.enable_all().build()
        }
        _ => tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build(),
    };
    let runtime = match built {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("sigv4: cannot start the I/O runtime: {e}");
            return ExitCode::from(exit::NETWORK);
        }
    };
    match runtime.block_on(dispatch(cli.command)) {
        Ok(code) => ExitCode::from(code),
        Err(error) => {
            eprintln!("sigv4: {}", error.message);
            ExitCode::from(error.code)
        }
    }
}
