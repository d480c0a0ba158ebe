//! HTTP framing rules the bindings and their middlewares share, decided here once: what a
//! request-target may hold and which path and query the application behind a server receives.

mod forwarded;
mod target;

pub use forwarded::{Forwarded, TrustedProxies};
pub use target::{RequestTarget, TargetForm};
