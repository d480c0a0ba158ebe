//! HTTP framing rules the bindings and their middlewares share, decided here once: what a
//! request-target may hold and which path and query the application behind a server receives.

mod forwarded;
mod framing;
mod target;

pub use forwarded::{Forwarded, TrustedProxies};
pub use framing::{
    announced_body, announces_body, join_target, require_origin_form, requote_path, target_text,
    wire_text, AnnouncedBody,
};
pub(crate) use target::{
    default_port, split_query, strip_port, CLASS as URL_CLASS, CONTROL, HASH, QUESTION,
};
pub use target::{RequestTarget, TargetForm};
