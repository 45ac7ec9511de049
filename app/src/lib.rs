//! Folio's shared crate: types, pages and server functions. Server-only parts sit behind
//! the `ssr` feature; the browser build (`hydrate`) gets the same components.

pub mod access;
pub mod api_keys;
pub mod audit;
pub mod auth;
pub mod brand;
pub mod catalogue;
pub mod contracts;
pub mod customers;
pub mod documents;
pub mod email;
pub mod erasure;
pub mod error;
pub mod i18n;
pub mod ids;
pub mod imports;
pub mod mail;
pub mod mailbox;
pub mod my_data;
pub mod office;
pub mod passkeys;
pub mod portal;
pub mod profile;
pub mod second_factor;
pub mod team;
pub mod tenancy;
pub mod ui;

#[cfg(feature = "ssr")]
pub mod db;
#[cfg(feature = "ssr")]
pub mod housekeeping;
#[cfg(feature = "ssr")]
pub mod request;
#[cfg(feature = "ssr")]
pub mod state;

use leptos::prelude::*;
use leptos_meta::{provide_meta_context, MetaTags, Title};
use leptos_router::components::{ParentRoute, Redirect, Route, Router, Routes};
use leptos_router::{path, SsrMode};

use auth::{use_viewer, Viewer};

/// The HTML document around the app, rendered on the server.
pub fn shell(options: LeptosOptions) -> impl IntoView {
    let viewer = current_viewer();
    let lang = viewer.locale.code();
    // The front end's files under this build's version (cached for a year), see `brand::http`.
    #[cfg(feature = "ssr")]
    let root = brand::http::asset_root(&options);
    #[cfg(not(feature = "ssr"))]
    let root = "";
    let stylesheet = format!("{root}/{}/site.css", options.site_pkg_dir);
    // The office's pages start the office's bundle; every other page the customer's.
    #[cfg(feature = "ssr")]
    let options = brand::http::bundle_for(options, &request_path());
    view! {
        <!DOCTYPE html>
        <html lang=lang>
            <head>
                <meta charset="utf-8"/>
                <meta name="viewport" content="width=device-width, initial-scale=1"/>
                <link rel="stylesheet" href="/brand.css"/>
                <link rel="stylesheet" href=stylesheet/>
                // The broker's installable app: its manifest, icons and offline support.
                <meta name="theme-color" content=viewer.broker.primary_color/>
                <link rel="manifest" href="/manifest.webmanifest"/>
                <link rel="icon" type="image/png" sizes="32x32" href="/brand/favicon-32.png"/>
                <link rel="apple-touch-icon" href="/brand/apple-touch-icon.png"/>
                <script src="/register-sw.js" defer></script>
                <script src=format!("{root}/passkeys.js") defer></script>
                <StartFrontEnd options root=root.to_owned()/>
                <MetaTags/>
            </head>
            <body class="bg-slate-50 text-slate-900 antialiased">
                <App/>
            </body>
        </html>
    }
}

/// Starts the front end once the page has loaded, instead of preloading it with the page as
/// Leptos' `HydrationScripts` does: on a slow connection the wasm then never competes with the
/// page's own HTML and styles, and the first paint never waits for it. The page works before
/// (links, and forms that post plainly), so nothing is lost while it loads.
#[component]
fn StartFrontEnd(options: LeptosOptions, root: String) -> impl IntoView {
    let js = options.output_name.to_string();
    // Without LEPTOS_OUTPUT_NAME at build time (a debug build) wasm-bindgen's file keeps `_bg`.
    let wasm = if option_env!("LEPTOS_OUTPUT_NAME").is_some() { js.clone() } else { format!("{js}_bg") };
    let dir = format!("{root}/{}", options.site_pkg_dir);
    let script = format!(
        "(function (js, wasm) {{\
         const start = () => import(js).then((m) => m.default({{ module_or_path: wasm }}).then(() => m.hydrate()));\
         if (document.readyState === 'complete') start(); else window.addEventListener('load', start, {{ once: true }});\
         }})({:?}, {:?});",
        format!("{dir}/{js}.js"),
        format!("{dir}/{wasm}.wasm"),
    );
    view! { <script type="module" nonce=leptos::nonce::use_nonce()>{script}</script> }
}

#[cfg(feature = "ssr")]
fn request_path() -> String {
    use_context::<http::request::Parts>().map(|p| p.uri.path().to_owned()).unwrap_or_default()
}

/// The viewer of this request: computed from the request on the server, read back from the
/// page on the browser.
fn current_viewer() -> Viewer {
    #[cfg(feature = "ssr")]
    {
        use_context::<http::request::Parts>()
            .and_then(|p| p.extensions.get::<request::RequestCtx>().cloned())
            .map(|ctx| Viewer {
                broker: (&ctx.broker).into(),
                user: ctx.user.as_ref().map(|u| u.user.clone()),
                locale: ctx.locale,
                session_expired: ctx.session_expired,
            })
            .unwrap_or_default()
    }
    #[cfg(not(feature = "ssr"))]
    {
        Viewer::default()
    }
}

#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    let viewer = SharedValue::new(current_viewer).into_inner();
    provide_context(viewer.clone());
    // A marker for browser tests (and curious people): the wasm has taken over the page.
    #[cfg(feature = "hydrate")]
    Effect::new(|_| {
        if let Some(body) = document().body() {
            let _ = body.set_attribute("data-hydrated", "");
        }
    });
    view! {
        <Title text=viewer.broker.name/>
        <Router>
            <Routes fallback=NotFound>
                <Route path=path!("/") view=Home/>
                <Route path=path!("/login") view=auth::pages::LoginPage/>
                <Route path=path!("/set-password/:token") view=auth::pages::SetPasswordPage/>
                <Route path=path!("/sign-in/:token") view=auth::pages::SignInLinkPage/>
                // In order, so that the code page works before (or without) the wasm too.
                <Route path=path!("/login/code") view=second_factor::pages::CodePage ssr=SsrMode::InOrder/>
                <Route path=path!("/confirm-identity") view=second_factor::pages::ProvePage ssr=SsrMode::InOrder/>
                // In order: each page arrives as plain HTML, so a phone without JS (or before the
                // wasm has loaded) shows the lists too, not only their loading state.
                <ParentRoute path=path!("/app") view=portal::CustomerShell ssr=SsrMode::InOrder>
                    <Route path=path!("") view=contracts::pages::OverviewPage/>
                    <Route path=path!("contracts/:id") view=contracts::pages::ContractPage/>
                    <Route path=path!("documents") view=documents::pages::MyDocumentsPage/>
                    <Route path=path!("messages") view=mailbox::pages::MailboxPage/>
                    <Route path=path!("messages/new") view=mailbox::pages::NewMessagePage/>
                    <Route path=path!("messages/new/:topic") view=mailbox::pages::ComposePage/>
                    <Route path=path!("messages/:id") view=mailbox::pages::ConversationPage/>
                    <Route path=path!("profile") view=profile::ProfilePage/>
                </ParentRoute>
                <OfficeRoutes/>
            </Routes>
        </Router>
    }
}

/// The office's pages. They are in the office's own bundle (the `office` feature), which
/// the server hands out on `/office/…` only, so their code never reaches a customer's phone.
#[cfg(feature = "office")]
#[component(transparent)]
fn OfficeRoutes() -> impl leptos_router::MatchNestedRoutes + Clone {
    view! {
        <ParentRoute path=path!("/office") view=office::OfficeShell>
            <Route path=path!("") view=|| view! { <Redirect path="/office/customers"/> }/>
            <Route path=path!("customers") view=customers::pages::CustomerListPage/>
            <Route path=path!("customers/:id") view=customers::pages::CustomerDetailPage/>
            <Route path=path!("customers/:id/contracts/new") view=contracts::pages::ContractFormPage/>
            <Route path=path!("contracts/:contract") view=contracts::pages::ContractFormPage/>
            <Route path=path!("messages") view=mailbox::office::OfficeMailboxPage/>
            <Route path=path!("messages/new") view=mailbox::office::OfficeComposePage/>
            <Route path=path!("messages/:id") view=mailbox::office::OfficeConversationPage/>
            <Route path=path!("catalogue") view=catalogue::pages::CataloguePage/>
            <Route path=path!("import") view=imports::pages::ImportPage/>
            <Route path=path!("settings") view=team::pages::SettingsPage/>
            <Route path=path!("profile") view=profile::ProfilePage/>
        </ParentRoute>
    }
    .into_inner()
}

/// The customer's bundle has no office pages: a link into the office (a member of staff
/// signing in) loads the page afresh, and with it the office's bundle.
#[cfg(not(feature = "office"))]
#[component(transparent)]
fn OfficeRoutes() -> impl leptos_router::MatchNestedRoutes + Clone {
    view! { <Route path=path!("/office/*any") view=LoadOffice/> }.into_inner()
}

#[cfg(not(feature = "office"))]
#[component]
fn LoadOffice() -> impl IntoView {
    let location = leptos_router::hooks::use_location();
    Effect::new(move |_| {
        let target = format!("{}{}", location.pathname.get_untracked(), location.search.get_untracked());
        let _ = window().location().set_href(&target);
    });
}

#[component]
fn Home() -> impl IntoView {
    let viewer = use_viewer();
    let target = match &viewer.user {
        Some(user) => user.role.home(),
        None => portal::login_path(viewer.session_expired),
    };
    view! { <Redirect path=target/> }
}

#[component]
fn NotFound() -> impl IntoView {
    let t = use_viewer().locale.texts();
    #[cfg(feature = "ssr")]
    if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
        response.set_status(http::StatusCode::NOT_FOUND);
    }
    view! {
        <main class="mx-auto max-w-md px-4 py-16 text-center">
            <h1 class="mb-2 text-2xl font-semibold">{t.not_found_title}</h1>
            <p class="mb-6 text-slate-600">{t.not_found_text}</p>
            <a href="/" class="text-brand underline">{t.to_start}</a>
        </main>
    }
}
