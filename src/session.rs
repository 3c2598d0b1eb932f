//! What every page shares, and nothing else: the connection, the portal's
//! TFA settings (one resource that the connect step fills and every page
//! reads), the owner once a search has shown who it is, the tasks and the
//! result a task shows. Imports no page and no widget, so pages and widgets
//! can import it without a circle.

use std::cell::RefCell;
use std::future::Future;
use std::pin::Pin;
use std::rc::Rc;

use leptos::prelude::*;

use crate::api::session::PendingSettings;
use crate::api::{ApiError, Client, Me, PortalTfa};
use crate::domain::link::Origin;
use crate::domain::{Guid, Server};

/// A checked connection: the client, who it signs in as, and which DocSpace
/// release answers (the rules of API notes §8 and §10 follow it).
#[derive(Clone, Debug, PartialEq)]
pub struct Connected {
    pub client: Client,
    pub me: Me,
    pub server: Server,
}

/// The tasks.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Tab {
    Policy,
    ConfirmLink,
    UserMethod,
    Overview,
    History,
}

impl Tab {
    pub const ALL: [Tab; 5] = [
        Tab::Policy,
        Tab::ConfirmLink,
        Tab::UserMethod,
        Tab::Overview,
        Tab::History,
    ];

    /// The fragment that names the tab in the URL.
    pub fn slug(self) -> &'static str {
        match self {
            Tab::Policy => "policy",
            Tab::ConfirmLink => "confirm",
            Tab::UserMethod => "user",
            Tab::Overview => "protected",
            Tab::History => "history",
        }
    }

    /// The tab named by a URL fragment (`#policy`).
    pub fn from_hash(hash: &str) -> Option<Tab> {
        let slug = hash.trim_start_matches('#');
        Tab::ALL.into_iter().find(|t| t.slug() == slug)
    }
}

/// What a finished request produced, shown by the result view.
#[derive(Clone, Debug, PartialEq)]
pub struct Outcome {
    pub heading: String,
    pub lead: String,
    /// The link the server returned, when there is one.
    pub link: Option<String>,
    pub note: Option<String>,
    /// The panel is still finding out more (the view says so, `aria-busy`).
    pub checking: bool,
}

/// The portal's TFA settings as a page reads them: `None` while loading or
/// without a connection.
pub type SettingsRead = Option<Result<PortalTfa, ApiError>>;

/// A page's write, as the future that does it.
pub type WriteJob = Pin<Box<dyn Future<Output = Result<(), ApiError>>>>;

/// One write handed to a [`WriteAction`], taken once by the action.
#[derive(Clone)]
pub struct Write(Rc<RefCell<Option<WriteJob>>>);

impl Write {
    pub fn new(job: impl Future<Output = Result<(), ApiError>> + 'static) -> Self {
        Write(Rc::new(RefCell::new(Some(Box::pin(job)))))
    }
}

/// Every page's write (connect, save, confirmation link, reset) is one
/// action of this type: `pending` drives the button, an `Err` value the
/// banner. One type for all of them keeps one copy of Leptos's action code
/// in the wasm instead of one per page.
pub type WriteAction = Action<Write, Result<(), ApiError>>;

/// A new write action under the current owner.
pub fn write_action() -> WriteAction {
    Action::new_local(|write: &Write| {
        let job = write.0.borrow_mut().take();
        job.unwrap_or_else(|| Box::pin(async { Ok(()) }))
    })
}

/// The shared state, provided once by the shell; pages reach it with
/// [`use_session`].
#[derive(Clone, Copy)]
pub struct Session {
    pub connection: RwSignal<Option<Connected>>,
    /// `GET settings/tfaapp` for the current connection. Keyed on the
    /// connection: a new connection loads it again (or takes the answer the
    /// connect step already has), `refetch` reloads it.
    pub settings: LocalResource<SettingsRead>,
    /// The read the connect step started alongside the session check; the
    /// resource takes it instead of asking again.
    preloaded: StoredValue<Option<PendingSettings>, LocalStorage>,
    /// The owner's id once a search has shown who the owner is: the change
    /// summary warns before the owner is made mandatory by someone else.
    pub known_owner: RwSignal<Option<Guid>>,
}

impl Session {
    fn new() -> Self {
        let connection = RwSignal::new(None::<Connected>);
        let preloaded = StoredValue::new_local(None);
        let settings = LocalResource::new(move || {
            let client = connection.with(|c| c.as_ref().map(|c| c.client.clone()));
            let early = preloaded.try_update_value(Option::take).flatten();
            async move {
                let client = client?;
                Some(match early {
                    Some(pending) => pending.await,
                    None => client.tfa_settings().await,
                })
            }
        });
        Session {
            connection,
            settings,
            preloaded,
            known_owner: RwSignal::new(None),
        }
    }

    /// Makes `connected` the panel's connection; `settings` is the read the
    /// connect step started, if any.
    pub fn connect(&self, connected: Connected, settings: Option<PendingSettings>) {
        use futures::FutureExt;
        // A read already finished (the loader's early answers) is in place
        // before the pages for the connection are built: the first page is
        // built with the settings, not built "loading" and then patched.
        let settings = settings.map(|mut pending| match (&mut pending).now_or_never() {
            Some(read) => {
                self.settings.set(Some(Some(read.clone())));
                Box::pin(std::future::ready(read)) as PendingSettings
            }
            None => pending,
        });
        self.preloaded.set_value(settings);
        self.connection.set(Some(connected));
    }

    /// Drops the connection and every credential remembered for the tab.
    pub fn disconnect(&self) {
        crate::web::forget();
        self.connection.set(None);
    }

    /// The client of the current connection (not tracked).
    pub fn client(&self) -> Option<Client> {
        self.connection
            .with_untracked(|c| c.as_ref().map(|c| c.client.clone()))
    }

    /// Names the current connection (portal and who is signed in), not
    /// tracked: a page's read belongs to the connection it was made on.
    pub fn key(&self) -> Option<String> {
        self.connection.with_untracked(|c| {
            c.as_ref()
                .map(|c| format!("{}|{}", c.client.portal, c.me.id))
        })
    }

    /// The portal of the current connection.
    pub fn portal(&self) -> Option<Origin> {
        self.connection
            .with(|c| c.as_ref().map(|c| c.client.portal.clone()))
    }

    /// Who is signed in.
    pub fn me(&self) -> Option<Me> {
        self.connection.with(|c| c.as_ref().map(|c| c.me.clone()))
    }

    /// The portal's release (unknown without a connection).
    pub fn server(&self) -> Server {
        self.connection
            .with(|c| c.as_ref().map(|c| c.server.clone()).unwrap_or_default())
    }

    /// The settings as loaded, when they loaded.
    pub fn current(&self) -> Option<PortalTfa> {
        self.settings
            .get()
            .flatten()
            .and_then(|r: Result<PortalTfa, ApiError>| r.ok())
    }

    /// Puts a fresh read of the settings in place (after a save).
    pub fn store(&self, tfa: PortalTfa) {
        self.settings.set(Some(Some(Ok(tfa))));
    }
}

/// Creates the session and provides it to everything below.
pub fn provide_session() -> Session {
    let session = Session::new();
    provide_context(session);
    session
}

/// The session provided by the shell.
pub fn use_session() -> Session {
    expect_context::<Session>()
}

#[cfg(test)]
mod tests {
    use super::Tab;

    #[test]
    fn tabs_round_trip_through_the_fragment() {
        for tab in Tab::ALL {
            assert_eq!(Tab::from_hash(&format!("#{}", tab.slug())), Some(tab));
        }
        assert_eq!(Tab::from_hash("#nope"), None);
        assert_eq!(Tab::from_hash(""), None);
    }
}
