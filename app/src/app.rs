//! The shell: app-wide state, the header, the routes and the toast region.

use leptos::prelude::*;
use leptos_router::components::{Route, Router, Routes};
use leptos_router::path;

use crate::components::header::Header;
use crate::components::toast::{ToastRegion, Toasts};
use crate::i18n::I18n;
use crate::pages::{
    accept::AcceptPage,
    account::AccountPage,
    audit::AuditPage,
    clients::ClientsPage,
    home::HomePage,
    not_found::NotFoundPage,
    reset::{ForgotPage, ResetPage},
    roles::RolesPage,
    signin::SignInPage,
    users::UsersPage,
};
use crate::session::Session;

/// The whole app.
#[component]
pub fn App() -> impl IntoView {
    I18n::provide();
    Session::provide();
    Toasts::provide();

    view! {
        <Router>
            <Header/>
            <main id="main" class="main" tabindex="-1">
                <Routes fallback=NotFoundPage>
                    <Route path=path!("/") view=HomePage/>
                    <Route path=path!("/signin") view=SignInPage/>
                    <Route path=path!("/users") view=UsersPage/>
                    <Route path=path!("/clients") view=ClientsPage/>
                    <Route path=path!("/clients/:key") view=ClientsPage/>
                    <Route path=path!("/roles") view=RolesPage/>
                    <Route path=path!("/audit") view=AuditPage/>
                    <Route path=path!("/security") view=crate::pages::security::SecurityPage/>
                    <Route path=path!("/accounts/:id") view=AccountPage/>
                    <Route path=path!("/accept") view=AcceptPage/>
                    <Route path=path!("/forgot") view=ForgotPage/>
                    <Route path=path!("/reset") view=ResetPage/>
                </Routes>
            </main>
            <ToastRegion/>
        </Router>
    }
}
