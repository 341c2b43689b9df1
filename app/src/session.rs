//! Who is signed in, as far as the app knows: checked once at start, then set by sign-in, accepting
//! an invitation and sign-out, and dropped when any call answers `unauthenticated`.

use domain::api::{ApiError, ErrorCode, Me};
use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::api;

/// What the app knows about the session.
// one value for the whole app, never a collection: the size of the signed-in variant costs nothing
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Clone, PartialEq)]
pub enum SessionState {
    /// Asking the worker.
    Checking,
    /// Nobody is signed in.
    SignedOut,
    /// This account is signed in.
    SignedIn(Me),
    /// The worker could not be asked (network down, server error): neither signed in nor out.
    Unreachable(ApiError),
}

/// The session state, shared through context.
#[derive(Debug, Clone, Copy)]
pub struct Session {
    state: RwSignal<SessionState>,
    /// Set when the person has just accepted an invitation, for the welcome on the start page.
    just_accepted: RwSignal<bool>,
    /// Bumped after a client was created or changed, so every view of the client tree reloads.
    clients_version: RwSignal<u64>,
}

impl Session {
    /// Creates the state, provides it to the whole app and asks the worker who is signed in.
    pub fn provide() -> Self {
        let session = Self {
            state: RwSignal::new(SessionState::Checking),
            just_accepted: RwSignal::new(false),
            clients_version: RwSignal::new(0),
        };
        provide_context(session);
        session.check();
        session
    }

    /// Asks the worker again (at start, and from "Try again" when it was unreachable).
    pub fn check(self) {
        self.state.set(SessionState::Checking);
        spawn_local(async move {
            let state = match api::current_session().await {
                Ok(me) => SessionState::SignedIn(me),
                Err(e) if e.error.code == ErrorCode::Unauthenticated => SessionState::SignedOut,
                Err(e) => SessionState::Unreachable(e),
            };
            self.state.set(state);
        });
    }

    /// The current state (tracked).
    pub fn state(self) -> SessionState {
        self.state.get()
    }

    /// The signed-in account, if any (tracked).
    pub fn me(self) -> Option<Me> {
        self.state.with(|s| match s {
            SessionState::SignedIn(me) => Some(me.clone()),
            _ => None,
        })
    }

    /// Sign-in or accepting an invitation succeeded.
    pub fn signed_in(self, me: Me) {
        self.state.set(SessionState::SignedIn(me));
    }

    /// Signed out, or the worker says the session has ended.
    pub fn signed_out(self) {
        self.just_accepted.set(false);
        self.state.set(SessionState::SignedOut);
    }

    /// Marks (or clears) "has just accepted an invitation".
    pub fn set_just_accepted(self, value: bool) {
        self.just_accepted.set(value);
    }

    /// Whether the person has just accepted an invitation (tracked).
    pub fn just_accepted(self) -> bool {
        self.just_accepted.get()
    }

    /// A client was created or changed: views of the client tree fetch it again.
    pub fn clients_changed(self) {
        self.clients_version.update(|v| *v += 1);
    }

    /// Tracks [`Session::clients_changed`] (for resources that show the client tree).
    pub fn track_clients(self) {
        self.clients_version.track();
    }

    /// Looks at an API answer: `unauthenticated` means the session is gone (expired, or ended
    /// elsewhere), so the app shows the sign-in page instead of an error.
    pub fn notice<T>(self, result: &Result<T, ApiError>) {
        if matches!(result, Err(e) if e.error.code == ErrorCode::Unauthenticated) {
            self.signed_out();
        }
    }
}

/// The session state provided by [`Session::provide`].
pub fn use_session() -> Session {
    expect_context::<Session>()
}
