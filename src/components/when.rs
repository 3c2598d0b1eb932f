//! `When`: a part of a view shown while a condition holds.
//!
//! Leptos's `Show` is generic over its condition and its children, so each
//! use compiles the framework's show-and-hide code again for its own closure
//! and children types: more code to download, and more functions compiled
//! on the main thread the first time the page is built. `When` takes the
//! condition as a `Signal<bool>` (a closure converts into one) and the
//! children boxed, so every use in the panel shares one copy of that code.

use leptos::prelude::*;

/// Shows `children` while `when` is true; they are built when it becomes
/// true and dropped when it becomes false (as with `Show`, a change of what
/// `when` reads that leaves its value alone rebuilds nothing).
#[component]
pub fn When(#[prop(into)] when: Signal<bool>, children: ChildrenFn) -> impl IntoView {
    let when = Memo::new(move |_| when.get());
    move || when.get().then(|| children())
}
