//! Reusable widgets: error banner, trusted-IP list editor, people/group picker,
//! confirmation dialog, role notice, the result view with its link, and `When`
//! (a part of a view shown while a condition holds).

pub mod dialog;
pub mod error_banner;
pub mod ip_list;
pub mod lang_switch;
pub mod picker;
pub mod result_view;
pub mod role_notice;
pub mod when;
