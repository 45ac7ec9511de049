//! The broker's office: a desktop shell with a sidebar, for staff only.

use leptos::prelude::*;
use leptos::server_fn::ServerFn;
use leptos_router::components::{Outlet, Redirect, A};

use crate::auth::{use_viewer, Logout};
use crate::brand::pages::BrandName;
use crate::portal::login_path;

#[component]
pub fn OfficeShell() -> impl IntoView {
    let viewer = use_viewer();
    let t = viewer.locale.texts();
    let user = match &viewer.user {
        None => return view! { <Redirect path=login_path(viewer.session_expired)/> }.into_any(),
        Some(user) if !user.role.is_staff() => return view! { <Redirect path="/app"/> }.into_any(),
        Some(user) => user.clone(),
    };
    let unread = crate::portal::unread_badge();
    let mt = crate::mailbox::texts::texts(viewer.locale);
    view! {
        // On a phone the navigation sits above the page instead of beside it.
        <div class="flex min-h-screen flex-col bg-slate-50 md:flex-row">
            <aside class="flex shrink-0 flex-col border-b border-slate-200 bg-white md:w-60 md:border-b-0 md:border-r">
                <BrandName class="flex items-center gap-3 px-5 py-4 text-lg font-semibold text-brand"/>
                <nav aria-label=t.nav_label class="flex-1 px-2">
                    <ul class="flex flex-wrap gap-1 md:block md:space-y-1">
                        <SideItem href="/office/customers" label=t.nav_customers/>
                        <li>
                            <A href="/office/messages" exact=false
                                attr:class="flex items-center justify-between rounded-lg px-3 py-2 text-slate-700 hover:bg-slate-100 aria-[current=page]:bg-brand/10 aria-[current=page]:font-semibold aria-[current=page]:text-brand">
                                <span>{t.nav_mailbox}</span>
                                <Suspense>
                                    {move || unread.get().map(|n| view! {
                                        <span class="rounded-full bg-brand px-2 text-xs font-semibold leading-5 text-on-brand" data-testid="unread-badge">
                                            {n}<span class="sr-only">" "{mt.unread}</span>
                                        </span>
                                    })}
                                </Suspense>
                            </A>
                        </li>
                        <SideItem href="/office/catalogue" label=t.nav_catalogue/>
                        <SideItem href="/office/import" label=crate::imports::texts::texts(viewer.locale).nav/>
                        <SideItem href="/office/settings" label=t.nav_settings/>
                    </ul>
                </nav>
                <div class="border-t border-slate-200 px-5 py-3 text-sm md:py-4">
                    <p class="font-medium text-slate-900">{user.display_name}</p>
                    <p class="mb-2 truncate text-slate-600">{user.email}</p>
                    <div class="flex gap-3">
                        <A href="/office/profile" attr:class="text-brand underline">{t.nav_profile}</A>
                        <form method="post" action=Logout::url()>
                            <button type="submit" class="text-slate-700 underline">{t.sign_out}</button>
                        </form>
                    </div>
                </div>
            </aside>
            <main id="main" class="min-w-0 flex-1 px-4 py-6 md:px-8">
                <Outlet/>
            </main>
        </div>
    }
    .into_any()
}

#[component]
fn SideItem(href: &'static str, label: &'static str) -> impl IntoView {
    view! {
        <li>
            <A href=href
                attr:class="block rounded-lg px-3 py-2 text-slate-700 hover:bg-slate-100 aria-[current=page]:bg-brand/10 aria-[current=page]:font-semibold aria-[current=page]:text-brand">
                {label}
            </A>
        </li>
    }
}
