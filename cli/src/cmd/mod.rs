//! One module per subcommand.

pub mod presign;
pub mod request;
pub mod sign;
pub mod verify;
