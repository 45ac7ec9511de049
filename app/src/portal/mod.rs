//! The customer's side: a phone-first shell with a bottom navigation, and its pages.
//! The overview is the contracts feature's, documents the documents feature's; messages
//! arrive with the mailbox.

use leptos::prelude::*;
use leptos_router::components::{Outlet, Redirect, A};

use crate::auth::use_viewer;
use crate::brand::pages::BrandName;
use crate::ui::EmptyPage;

/// Where a visitor without a session goes.
pub fn login_path(session_expired: bool) -> &'static str {
    if session_expired {
        "/login?expired=1"
    } else {
        "/login"
    }
}

#[component]
pub fn CustomerShell() -> impl IntoView {
    let viewer = use_viewer();
    let t = viewer.locale.texts();
    match &viewer.user {
        None => return view! { <Redirect path=login_path(viewer.session_expired)/> }.into_any(),
        Some(user) if user.role.is_staff() => {
            return view! { <Redirect path="/office/customers"/> }.into_any()
        }
        Some(_) => {}
    }
    view! {
        <div class="min-h-screen bg-slate-50 pb-24">
            <header class="border-b-4 border-accent bg-brand px-4 py-3 text-on-brand">
                <BrandName class="mx-auto flex max-w-2xl items-center gap-3 font-semibold"/>
            </header>
            <main id="main" class="mx-auto max-w-2xl px-4 py-5">
                <Outlet/>
            </main>
            <nav aria-label=t.nav_label class="fixed inset-x-0 bottom-0 border-t border-slate-200 bg-white">
                <ul class="mx-auto grid max-w-2xl grid-cols-4">
                    <NavItem href="/app" label=t.nav_overview icon=ICON_HOME/>
                    <NavItem href="/app/documents" label=t.nav_documents icon=ICON_FOLDER/>
                    <NavItem href="/app/messages" label=t.nav_mailbox icon=ICON_MAIL/>
                    <NavItem href="/app/profile" label=t.nav_profile icon=ICON_USER/>
                </ul>
            </nav>
        </div>
    }
    .into_any()
}

const ICON_HOME: &str = "M3 10.5 12 3l9 7.5V21h-6v-6H9v6H3z";
const ICON_FOLDER: &str = "M3 6h7l2 2h9v12H3z";
const ICON_MAIL: &str = "M3 5h18v14H3zM3 6l9 7 9-7";
const ICON_USER: &str = "M12 12a4 4 0 1 0 0-8 4 4 0 0 0 0 8zm-8 9a8 8 0 0 1 16 0";

#[component]
fn NavItem(href: &'static str, label: &'static str, icon: &'static str) -> impl IntoView {
    view! {
        <li>
            <A href=href exact=true
                attr:class="flex flex-col items-center gap-1 py-2 text-xs text-slate-600 aria-[current=page]:text-brand aria-[current=page]:font-semibold">
                <svg aria-hidden="true" viewBox="0 0 24 24" class="h-6 w-6" fill="none" stroke="currentColor" stroke-width="1.8" stroke-linejoin="round">
                    <path d=icon/>
                </svg>
                <span>{label}</span>
            </A>
        </li>
    }
}

#[component]
pub fn MailboxPage() -> impl IntoView {
    let t = use_viewer().locale.texts();
    view! { <EmptyPage heading=t.mailbox_title title=t.mailbox_empty_title text=t.mailbox_empty_text/> }
}
