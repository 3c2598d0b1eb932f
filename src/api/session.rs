//! Opening a connection: the session check (`people/@self`), the version
//! read and the TFA settings read, asked together; and, at start-up, the
//! answers the loader asked for before the panel's code arrived.
//!
//! When the panel may be served by the portal itself, the loader sends the
//! requests of [`EARLY_GETS`] for the page's own origin while the wasm
//! downloads (`scripts/csp.py` reads that list from this file, so a path
//! lives in one place). [`open`] adopts those answers for the first check of
//! the page's own session and discards them otherwise (see `prefetch`).

use std::future::Future;
use std::pin::Pin;
use std::task::Poll;

use super::{prefetch, ApiError, Client, Me, PortalTfa, ME_PATH, SETTINGS_PATH, VERSION_PATH};
use crate::domain::Server;

/// The reads the loader may send early, by path under [`super::API_ROOT`].
pub const EARLY_GETS: [&str; 3] = [ME_PATH, SETTINGS_PATH, VERSION_PATH];

/// The settings read, finished or still on its way.
pub type PendingSettings = Pin<Box<dyn Future<Output = Result<PortalTfa, ApiError>>>>;

/// An opened connection.
pub struct Opened {
    pub me: Me,
    pub server: Server,
    /// `None` when the caller did not ask for the settings.
    pub settings: Option<PendingSettings>,
}

/// Whether the loader's early answers serve this page's first check.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Early {
    /// Use them: this check is the page's own session.
    Adopt,
    /// Drop them: this check goes elsewhere, or none will happen.
    Discard,
}

/// Takes or drops the loader's early answers; call once at start-up.
pub fn early_answers(choice: Early) {
    match choice {
        Early::Adopt => prefetch::adopt(),
        Early::Discard => prefetch::discard(),
    }
}

/// Checks `client` and tells who it signs in as and which release answers.
/// With `with_settings`, the portal's TFA settings are asked for at the same
/// time, not after: the policy form then appears one round trip sooner.
pub async fn open(client: &Client, with_settings: bool) -> Result<Opened, ApiError> {
    let pending: Option<PendingSettings> = with_settings.then(|| {
        let client = client.clone();
        Box::pin(async move { client.tfa_settings().await }) as PendingSettings
    });
    let mut me = {
        let client = client.clone();
        Box::pin(async move { client.me().await })
    };
    // Which DocSpace this is decides what the rules of §8 and §10 say. A
    // failure leaves it unknown, and the rules then assume the worst.
    let server = {
        let client = client.clone();
        Box::pin(async move { client.server().await.unwrap_or_default() })
    };
    let ready = |s| Some(Box::pin(std::future::ready(s)) as PendingSettings);
    let who = Box::pin(async move {
        let Some(mut pending) = pending else {
            return (me.await, None);
        };
        match first(&mut me, &mut pending).await {
            First::A(result) => {
                // The settings may be a moment behind (two answers on their way
                // together): give them one more task, so the policy page is built
                // once, with its data, rather than filled a moment later. (The
                // loader's early answers arrive read and together, so with them
                // the settings are already in and no task is lost.)
                if result.is_ok() {
                    let mut later = Box::pin(crate::web::next_task());
                    if let First::A(s) = first(&mut pending, &mut later).await {
                        return (result, ready(s));
                    }
                }
                (result, Some(pending))
            }
            First::B(done) => (me.await, ready(done)),
        }
    });
    let ((me, settings), server) = both(who, server).await;
    // Answers the loader sent early serve this first check only.
    prefetch::discard();
    Ok(Opened {
        me: me?,
        server,
        settings,
    })
}

enum First<A, B> {
    A(A),
    B(B),
}

/// Waits for whichever of two futures finishes first; the other is left as
/// it is, to be awaited later or dropped.
async fn first<A, B>(a: &mut A, b: &mut B) -> First<A::Output, B::Output>
where
    A: Future + Unpin,
    B: Future + Unpin,
{
    std::future::poll_fn(|cx| {
        if let Poll::Ready(v) = Pin::new(&mut *a).poll(cx) {
            return Poll::Ready(First::A(v));
        }
        if let Poll::Ready(v) = Pin::new(&mut *b).poll(cx) {
            return Poll::Ready(First::B(v));
        }
        Poll::Pending
    })
    .await
}

/// Waits for both futures, polling them together.
async fn both<A, B>(mut a: A, mut b: B) -> (A::Output, B::Output)
where
    A: Future + Unpin,
    B: Future + Unpin,
{
    let (mut done_a, mut done_b) = (None, None);
    std::future::poll_fn(|cx| {
        if done_a.is_none() {
            if let Poll::Ready(v) = Pin::new(&mut a).poll(cx) {
                done_a = Some(v);
            }
        }
        if done_b.is_none() {
            if let Poll::Ready(v) = Pin::new(&mut b).poll(cx) {
                done_b = Some(v);
            }
        }
        match (done_a.take(), done_b.take()) {
            (Some(a), Some(b)) => Poll::Ready((a, b)),
            (a, b) => {
                done_a = a;
                done_b = b;
                Poll::Pending
            }
        }
    })
    .await
}
