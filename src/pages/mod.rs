//! One module per task, plus the connect screen.

pub mod confirm;
pub mod connect;
pub mod policy;
pub mod user_method;
