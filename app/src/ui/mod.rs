//! Small building blocks every page uses: labelled fields with their error, alerts,
//! empty and loading states. Accessible by default (labels, aria-invalid, live regions).

use leptos::prelude::*;

use crate::auth::use_viewer;
use crate::error::AppError;

/// The error of a finished action, if any.
pub fn action_error<T, S>(value: S) -> Signal<Option<AppError>>
where
    S: Get<Value = Option<Result<T, AppError>>> + Send + Sync + 'static,
    T: 'static,
{
    Signal::derive(move || value.get().and_then(Result::err))
}

/// The message for one field of a failed action.
pub fn field_error(error: Signal<Option<AppError>>, field: &'static str) -> Signal<Option<String>> {
    let locale = use_viewer().locale;
    Signal::derive(move || error.get().and_then(|e| e.for_field(field, locale)))
}

/// The `aria-describedby` of a field with id `id`: its hint (`{id}-hint`) if it has one, and
/// its error (`{id}-error`) while there is one.
pub fn described_by(
    id: &str,
    has_hint: bool,
    error: Signal<Option<String>>,
) -> impl Fn() -> Option<String> + use<> {
    let hint_id = format!("{id}-hint");
    let error_id = format!("{id}-error");
    move || {
        let mut ids = Vec::new();
        if has_hint {
            ids.push(hint_id.clone());
        }
        if error.get().is_some() {
            ids.push(error_id.clone());
        }
        (!ids.is_empty()).then(|| ids.join(" "))
    }
}

#[component]
pub fn TextField(
    label: &'static str,
    name: &'static str,
    #[prop(default = "text")] kind: &'static str,
    #[prop(default = "off")] autocomplete: &'static str,
    #[prop(optional)] required: bool,
    #[prop(optional, into)] value: Option<String>,
    #[prop(optional, into)] hint: Option<&'static str>,
    #[prop(into)] error: Signal<Option<String>>,
) -> impl IntoView {
    let id = format!("field-{name}");
    let error_id = format!("{id}-error");
    let hint_id = format!("{id}-hint");
    let described = described_by(&id, hint.is_some(), error);
    view! {
        <div class="mb-4">
            <label for=id.clone() class="block text-sm font-medium text-slate-800 mb-1">{label}</label>
            <input
                id=id
                name=name
                type=kind
                autocomplete=autocomplete
                required=required
                value=value
                aria-invalid=move || error.get().map(|_| "true")
                aria-describedby=described
                class="block w-full rounded-lg border border-slate-300 px-3 py-2 text-base focus:border-brand focus:outline-none focus:ring-2 focus:ring-brand/40 aria-[invalid=true]:border-red-600"
            />
            {hint.map(|h| view! { <p id=hint_id class="mt-1 text-sm text-slate-600">{h}</p> })}
            {move || error.get().map(|e| view! { <p id=error_id.clone() class="mt-1 text-sm text-red-700">{e}</p> })}
        </div>
    }
}

/// A password input with a show/hide button (works once the page has hydrated).
#[component]
pub fn PasswordField(
    label: &'static str,
    name: &'static str,
    autocomplete: &'static str,
    #[prop(optional, into)] hint: Option<&'static str>,
    #[prop(into)] error: Signal<Option<String>>,
) -> impl IntoView {
    let t = use_viewer().locale.texts();
    let visible = RwSignal::new(false);
    let id = format!("field-{name}");
    let error_id = format!("{id}-error");
    let hint_id = format!("{id}-hint");
    let described = described_by(&id, hint.is_some(), error);
    view! {
        <div class="mb-4">
            <label for=id.clone() class="block text-sm font-medium text-slate-800 mb-1">{label}</label>
            <div class="flex gap-2">
                <input
                    id=id.clone()
                    name=name
                    type=move || if visible.get() { "text" } else { "password" }
                    autocomplete=autocomplete
                    required=true
                    aria-invalid=move || error.get().map(|_| "true")
                    aria-describedby=described
                    class="block w-full rounded-lg border border-slate-300 px-3 py-2 text-base focus:border-brand focus:outline-none focus:ring-2 focus:ring-brand/40 aria-[invalid=true]:border-red-600"
                />
                <button
                    type="button"
                    class="shrink-0 rounded-lg border border-slate-300 px-3 text-sm text-slate-700 hover:bg-slate-100"
                    aria-controls=id
                    aria-pressed=move || if visible.get() { "true" } else { "false" }
                    on:click=move |_| visible.update(|v| *v = !*v)
                >
                    {move || if visible.get() { t.hide_password } else { t.show_password }}
                </button>
            </div>
            {hint.map(|h| view! { <p id=hint_id class="mt-1 text-sm text-slate-600">{h}</p> })}
            {move || error.get().map(|e| view! { <p id=error_id.clone() class="mt-1 text-sm text-red-700">{e}</p> })}
        </div>
    }
}

/// The summary of a failed action, announced to screen readers.
#[component]
pub fn FormError(#[prop(into)] error: Signal<Option<AppError>>) -> impl IntoView {
    let locale = use_viewer().locale;
    let location = leptos_router::hooks::use_location();
    // A sensitive action that wants the password again links to where it is given, and back.
    let prove_href = move || {
        let here = format!("{}{}", location.pathname.get(), location.search.get());
        format!("/confirm-identity?next={}", percent_encode(&here))
    };
    view! {
        <div role="alert" aria-live="assertive">
            {move || error.get().map(|e| view! {
                <p class="mb-4 rounded-lg border border-red-200 bg-red-50 px-3 py-2 text-sm text-red-800">
                    {e.summary(locale)}
                    {(e == AppError::ProofNeeded).then(|| view! {
                        " "<a href=prove_href() rel="external" class="font-medium underline">{locale.texts().err_proof_link}</a>
                    })}
                </p>
            })}
        </div>
    }
}

/// Percent-encodes everything but letters, digits and `-._~` (RFC 3986's unreserved
/// characters): for query values and RFC 5987 file names.
pub fn percent_encode(value: &str) -> String {
    use std::fmt::Write as _;
    value.bytes().fold(String::with_capacity(value.len()), |mut out, b| {
        if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
            out.push(char::from(b));
        } else {
            let _ = write!(out, "%{b:02X}");
        }
        out
    })
}

/// One labelled fact of a `<dl>`: a contract's premium, a customer's phone number.
#[component]
pub fn Fact(label: &'static str, #[prop(into)] value: String) -> impl IntoView {
    view! {
        <div>
            <dt class="text-xs font-medium uppercase tracking-wide text-slate-500">{label}</dt>
            <dd class="text-slate-900">{value}</dd>
        </div>
    }
}

#[component]
pub fn Notice(#[prop(into)] text: String) -> impl IntoView {
    view! {
        <p role="status" class="mb-4 rounded-lg border border-emerald-200 bg-emerald-50 px-3 py-2 text-sm text-emerald-900">
            {text}
        </p>
    }
}

/// A destructive step behind a confirmation: the link opens the question and the form
/// (the children) that carries it out. `context` names, for screen readers, what the link
/// is about where a list has one per line ("Entfernen: portal.example.de"). `warning` for a
/// step that can be undone (amber) rather than one that cannot (red).
#[component]
pub fn Confirm(
    summary: &'static str,
    #[prop(into)] question: String,
    #[prop(optional, into)] context: Option<String>,
    #[prop(optional)] warning: bool,
    #[prop(optional)] class: &'static str,
    children: Children,
) -> impl IntoView {
    let (link, panel, text) = if warning {
        ("text-slate-800", "border-amber-200 bg-amber-50", "text-amber-900")
    } else {
        ("text-red-700", "border-red-200 bg-red-50", "text-red-900")
    };
    view! {
        <details class=format!("text-sm {class}")>
            <summary class=format!("cursor-pointer rounded py-2 underline {link}")>
                {summary}{context.map(|c| view! { <span class="sr-only">": "{c}</span> })}
            </summary>
            <div class=format!("mt-1 max-w-sm rounded-lg border p-3 {panel}")>
                <p class=format!("mb-2 {text}")>{question}</p>
                {children()}
            </div>
        </details>
    }
}

#[component]
pub fn EmptyState(title: &'static str, text: &'static str) -> impl IntoView {
    view! {
        <div class="rounded-xl border border-dashed border-slate-300 bg-white px-6 py-10 text-center">
            <p class="font-medium text-slate-900">{title}</p>
            <p class="mt-1 text-sm text-slate-600">{text}</p>
        </div>
    }
}

#[component]
pub fn Loading() -> impl IntoView {
    let t = use_viewer().locale.texts();
    view! {
        <p role="status" aria-live="polite" class="py-6 text-center text-sm text-slate-500">{t.loading}</p>
    }
}

/// Shows a failed load; a lost session sends the person to sign in again.
#[component]
pub fn LoadError(error: AppError) -> impl IntoView {
    let locale = use_viewer().locale;
    if error == AppError::Unauthenticated {
        #[cfg(feature = "hydrate")]
        if let Some(window) = web_sys_window() {
            let _ = window.location().assign("/login?expired=1");
        }
    }
    view! {
        <p role="alert" class="rounded-lg border border-red-200 bg-red-50 px-3 py-2 text-sm text-red-800">
            {error.summary(locale)}
        </p>
    }
}

#[cfg(feature = "hydrate")]
fn web_sys_window() -> Option<leptos::web_sys::Window> {
    leptos::web_sys::window()
}

pub const BUTTON: &str = "inline-flex items-center justify-center rounded-lg bg-brand px-4 py-2 font-medium text-on-brand hover:opacity-90 focus:outline-none focus:ring-2 focus:ring-brand/50 disabled:opacity-60";
pub const BUTTON_SECONDARY: &str = "inline-flex items-center justify-center rounded-lg border border-slate-300 bg-white px-4 py-2 font-medium text-slate-800 hover:bg-slate-50 focus:outline-none focus:ring-2 focus:ring-brand/40";
/// The button that carries out a step which cannot be undone, inside its `Confirm`.
pub const BUTTON_DANGER: &str =
    "rounded-lg bg-red-700 px-3 py-1.5 font-medium text-white hover:bg-red-800 disabled:opacity-60";
