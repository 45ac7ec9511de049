//! The customer's side: a phone-first shell with a bottom navigation, and its pages.
//! The overview is the contracts feature's, documents the documents feature's, the Postfach
//! the mailbox's.

use leptos::prelude::*;
use leptos_router::components::{Outlet, Redirect, A};
use leptos_router::hooks::use_location;

use crate::access::pages::{FolderBar, NoFolder};
use crate::auth::use_viewer;
use crate::brand::pages::BrandName;

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
    let unread = unread_badge();
    // Someone whose last access was just ended has no folder: only the profile is left.
    let has_folder = crate::access::pages::has_folder();
    let location = use_location();
    let page = move || {
        if has_folder || location.pathname.get().starts_with("/app/profile") {
            view! { <Outlet/> }.into_any()
        } else {
            view! { <NoFolder/> }.into_any()
        }
    };
    view! {
        <div class="min-h-screen bg-slate-50 pb-24">
            <header class="border-b-4 border-accent bg-brand px-4 py-3 text-on-brand">
                <BrandName class="mx-auto flex max-w-2xl items-center gap-3 font-semibold"/>
            </header>
            <FolderBar/>
            <main id="main" class="mx-auto max-w-2xl px-4 py-5">
                {page}
            </main>
            <nav aria-label=t.nav_label class="fixed inset-x-0 bottom-0 border-t border-slate-200 bg-white">
                <ul class="mx-auto grid max-w-2xl grid-cols-4">
                    <NavItem href="/app" label=t.nav_overview icon=ICON_HOME/>
                    <NavItem href="/app/documents" label=t.nav_documents icon=ICON_FOLDER/>
                    <NavItem href="/app/messages" label=t.nav_mailbox icon=ICON_MAIL badge=unread exact=false/>
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

/// The unread count of the navigation, for pages that change it (opening a conversation).
#[derive(Clone, Copy)]
#[cfg_attr(not(feature = "hydrate"), allow(dead_code))]
pub struct UnreadCount(Resource<Result<i64, crate::error::AppError>>);

impl UnreadCount {
    /// The count of the page being built, to look again later (from a task, which has no
    /// context of its own).
    pub fn here() -> Option<Self> {
        use_context::<UnreadCount>()
    }

    /// Looks again, in the browser (the server renders each page once anyway).
    pub fn refetch(self) {
        #[cfg(feature = "hydrate")]
        self.0.refetch();
    }
}

/// How many conversations have something unread, looked up again on every page change.
pub fn unread_badge() -> Signal<Option<i64>> {
    let location = use_location();
    let count = Resource::new(move || location.pathname.get(), |_| crate::mailbox::unread_count());
    provide_context(UnreadCount(count));
    Signal::derive(move || count.get().and_then(Result::ok).filter(|n| *n > 0))
}

#[component]
fn NavItem(
    href: &'static str,
    label: &'static str,
    icon: &'static str,
    #[prop(optional)] badge: Option<Signal<Option<i64>>>,
    #[prop(default = true)] exact: bool,
) -> impl IntoView {
    let t = crate::mailbox::texts::texts(use_viewer().locale);
    let badge = move || {
        badge.and_then(|b| b.get()).map(|n| {
            view! {
                <span class="absolute -top-1 left-1/2 ml-2 min-w-5 rounded-full bg-accent px-1.5 text-center text-[11px] font-semibold leading-5 text-on-accent" data-testid="unread-badge">
                    {n}<span class="sr-only">" "{t.unread}</span>
                </span>
            }
        })
    };
    view! {
        <li>
            <A href=href exact=exact
                attr:class="flex flex-col items-center gap-1 py-2 text-xs text-slate-600 aria-[current=page]:text-brand aria-[current=page]:font-semibold">
                <span class="relative">
                    <svg aria-hidden="true" viewBox="0 0 24 24" class="h-6 w-6" fill="none" stroke="currentColor" stroke-width="1.8" stroke-linejoin="round">
                        <path d=icon/>
                    </svg>
                    <Suspense>{badge}</Suspense>
                </span>
                <span>{label}</span>
            </A>
        </li>
    }
}
