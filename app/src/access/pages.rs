//! What people see of access (R3): the office's section *Zugänge* on a customer's page (who
//! can see what, on which mandate, since when; add with the signed form; print the form;
//! revoke after confirming), the folder switcher and the note on what an access rests on
//! (the customer's side), and *Wer hat Zugriff?* in the holder's profile (R3.4).

use leptos::prelude::*;
use leptos::server_fn::ServerFn;

use super::texts::texts;
use super::{
    customer_grants, grants_on_my_folder, Basis, GrantRole, GrantView, RequestEnd, RevokeGrant, Signature,
    SwitchFolder,
};
use crate::auth::use_viewer;
use crate::contracts::pages::CustomerContractsResource;
use crate::customers::input::{country_name, COUNTRY_CHOICES};
use crate::customers::{Access, CustomerRecord};
use crate::error::AppError;
use crate::i18n::{fmt_date, fmt_datetime, Locale};
use crate::ui::{
    action_error, described_by, Confirm, FormError, LoadError, Loading, Notice, BUTTON, BUTTON_DANGER,
    BUTTON_SECONDARY,
};

const INPUT: &str = "block w-full rounded-lg border border-slate-300 px-3 py-2 text-base focus:border-brand focus:outline-none focus:ring-2 focus:ring-brand/40 aria-[invalid=true]:border-red-600";

/// "Hausrat · HR-1, Privathaftpflicht" or "all contracts, also future ones".
fn contracts_text(grant: &GrantView, locale: Locale) -> String {
    if grant.all_contracts {
        texts(locale).all_contracts.to_owned()
    } else {
        grant.contracts.iter().map(|(_, label)| label.as_str()).collect::<Vec<_>>().join(", ")
    }
}

fn mandate_text(grant: &GrantView, locale: Locale) -> String {
    let at = texts(locale);
    format!(
        "{} · {}",
        at.mandate_of.replace("{date}", &fmt_date(&grant.requested_on, locale)),
        at.signature(grant.signature)
    )
}

/// The office's section on a customer's page.
#[component]
pub fn CustomerAccess(customer: CustomerRecord, contracts: CustomerContractsResource) -> impl IntoView {
    let locale = use_viewer().locale;
    let at = texts(locale);
    let customer_id = customer.id;
    let revoke = ServerAction::<RevokeGrant>::new();
    let revoke_error = action_error(revoke.value());
    let reload = RwSignal::new(0_u32);
    // A form posted without JS comes back with `grant_saved`.
    let saved =
        RwSignal::new(leptos_router::hooks::use_query_map().read_untracked().get("grant_saved").is_some());
    let grants = Resource::new(
        move || (customer_id, revoke.version().get(), reload.get()),
        |(id, _, _)| customer_grants(id),
    );
    let on_saved = Callback::new(move |()| {
        saved.set(true);
        reload.update(|n| *n += 1);
    });
    view! {
        <section id="access" class="mb-6 rounded-xl bg-white p-4 ring-1 ring-slate-200" aria-labelledby="grants-heading">
            <h2 id="grants-heading" class="mb-1 font-semibold text-slate-900">{at.heading}</h2>
            <p class="mb-3 text-sm text-slate-600">{at.intro}</p>
            {move || saved.get().then(|| view! { <Notice text=at.saved/> })}
            {move || matches!(revoke.value().get(), Some(Ok(()))).then(|| view! { <Notice text=at.revoked/> })}
            <FormError error=revoke_error/>
            <Transition fallback=Loading>
                {move || Suspend::new(async move {
                    match grants.await {
                        Err(e) => view! { <LoadError error=e/> }.into_any(),
                        Ok(list) if list.is_empty() => view! { <p class="mb-3 text-sm text-slate-600">{at.empty}</p> }.into_any(),
                        Ok(list) => view! {
                            <ul class="mb-4 divide-y divide-slate-100" data-testid="grants">
                                {list.into_iter().map(|g| view! { <GrantItem grant=g revoke/> }).collect_view()}
                            </ul>
                        }.into_any(),
                    }
                })}
            </Transition>
            <GrantForm customer contracts on_saved/>
        </section>
    }
    .into_any()
}

#[component]
fn GrantItem(grant: GrantView, revoke: ServerAction<RevokeGrant>) -> impl IntoView {
    let locale = use_viewer().locale;
    let at = texts(locale);
    let name = grant.person.name();
    let status = match (grant.revoked_at, grant.account) {
        (Some(at_time), _) => at.status_revoked.replace("{date}", &fmt_datetime(at_time, locale)),
        (None, Access::Active) => at.status_active.to_owned(),
        (None, Access::Deactivated) => locale.texts().access_deactivated.to_owned(),
        (None, _) => at.status_invited.to_owned(),
    };
    let question = at.revoke_confirm.replace("{name}", &name);
    let active = grant.active();
    let badge = if active { "bg-emerald-50 text-emerald-800" } else { "bg-slate-100 text-slate-600" };
    view! {
        <li class="py-3" data-testid="grant" aria-label=name.clone()>
            <div class="flex flex-wrap items-start justify-between gap-2">
                <div class="min-w-0">
                    <p class="font-medium text-slate-900">{name.clone()}" "<span class="text-sm font-normal text-slate-600">{grant.email.clone()}</span></p>
                    <p class="text-sm text-slate-800">{at.role(grant.role)}": "{contracts_text(&grant, locale)}</p>
                    <p class="text-sm text-slate-600">
                        {mandate_text(&grant, locale)}" · "
                        <a class="text-brand underline" href=grant.form_url() target="_blank" rel="noopener">{at.show_form}</a>
                    </p>
                    <p class="text-xs text-slate-500">{at.since.replace("{date}", &fmt_datetime(grant.created_at, locale))}</p>
                </div>
                <span class=format!("rounded-full px-2 py-0.5 text-xs font-medium {badge}")>{status}</span>
            </div>
            {active.then(|| view! {
                <Confirm summary=at.revoke question context=name.clone() class="mt-1">
                    <ActionForm action=revoke>
                        <input type="hidden" name="id" value=grant.id.0/>
                        <button type="submit" class=BUTTON_DANGER>{at.revoke}</button>
                    </ActionForm>
                </Confirm>
            })}
        </li>
    }
    .into_any()
}

/// A field of the grant form, with its label, hint and the error the server names for it.
#[component]
fn GrantField(
    label: &'static str,
    name: &'static str,
    #[prop(default = "text")] kind: &'static str,
    #[prop(optional, into)] value: Option<String>,
    #[prop(optional)] hint: Option<&'static str>,
    #[prop(default = "off")] autocomplete: &'static str,
    errors: RwSignal<Option<AppError>>,
) -> impl IntoView {
    let locale = use_viewer().locale;
    let error = Signal::derive(move || errors.get().and_then(|e| e.for_field(name, locale)));
    let id = format!("grant-{}", name.replace('.', "-"));
    let described = described_by(&id, hint.is_some(), error);
    let (hint_id, error_id) = (format!("{id}-hint"), format!("{id}-error"));
    view! {
        <div class="mb-3">
            <label for=id.clone() class="mb-1 block text-sm font-medium text-slate-800">{label}</label>
            <input id=id name=name type=kind value=value autocomplete=autocomplete class=INPUT
                aria-invalid=move || error.get().map(|_| "true") aria-describedby=described/>
            {hint.map(|h| view! { <p id=hint_id class="mt-1 text-sm text-slate-600">{h}</p> })}
            {move || error.get().map(|e| view! { <p id=error_id.clone() class="mt-1 text-sm text-red-700">{e}</p> })}
        </div>
    }
    .into_any()
}

/// The error the server named for a group of fields (radio buttons, checkboxes).
fn group_error(errors: RwSignal<Option<AppError>>, name: &'static str) -> impl Fn() -> Option<AnyView> {
    let locale = use_viewer().locale;
    move || {
        errors.get().and_then(|e| e.for_field(name, locale)).map(|e| {
            view! { <p id=format!("grant-{name}-error") class="mb-2 text-sm text-red-700" role="alert">{e}</p> }.into_any()
        })
    }
}

/// Name, date of birth and address of a person the mandate names.
#[component]
fn PersonFieldset(
    legend: &'static str,
    prefix: &'static str,
    #[prop(optional)] hint: Option<&'static str>,
    #[prop(optional)] with_email: bool,
    #[prop(optional)] defaults: Option<CustomerRecord>,
    errors: RwSignal<Option<AppError>>,
) -> impl IntoView {
    let locale = use_viewer().locale;
    let at = texts(locale);
    let d = defaults.filter(|c| !c.is_company());
    let address = d.as_ref().and_then(|c| c.address.clone()).unwrap_or_default();
    let field = move |name: &str| -> &'static str {
        // Static names, as the server reads them: "person.first_name" …
        match (prefix, name) {
            ("person", "first_name") => "person.first_name",
            ("person", "last_name") => "person.last_name",
            ("person", "birth_date") => "person.birth_date",
            ("person", "street") => "person.street",
            ("person", "postal_code") => "person.postal_code",
            ("person", "city") => "person.city",
            ("person", "country") => "person.country",
            ("person", _) => "person.email",
            (_, "first_name") => "requester.first_name",
            (_, "last_name") => "requester.last_name",
            (_, "birth_date") => "requester.birth_date",
            (_, "street") => "requester.street",
            (_, "postal_code") => "requester.postal_code",
            (_, "city") => "requester.city",
            (_, _) => "requester.country",
        }
    };
    let country = if address.country.is_empty() { "DE".to_owned() } else { address.country.clone() };
    let country_id = format!("grant-{prefix}-country");
    view! {
        <fieldset class="mb-4 rounded-lg border border-slate-200 p-3">
            <legend class="px-1 text-sm font-semibold text-slate-900">{legend}</legend>
            {hint.map(|h| view! { <p class="mb-2 text-sm text-slate-600">{h}</p> })}
            <div class="grid grid-cols-1 gap-x-3 sm:grid-cols-2">
                <GrantField label=at.first_name name=field("first_name") value=d.as_ref().map(|c| c.first_name.clone()).unwrap_or_default() errors/>
                <GrantField label=at.last_name name=field("last_name") value=d.as_ref().map(|c| c.last_name.clone()).unwrap_or_default() errors/>
                <GrantField label=at.birth_date name=field("birth_date") kind="date" value=d.as_ref().and_then(|c| c.birth_date.clone()).unwrap_or_default() errors/>
                <div class="sm:col-span-2">
                    <GrantField label=at.street name=field("street") value=address.street.clone() errors/>
                </div>
                <GrantField label=at.postal_code name=field("postal_code") value=address.postal_code.clone() errors/>
                <GrantField label=at.city name=field("city") value=address.city errors/>
                <div class="mb-3">
                    <label for=country_id.clone() class="mb-1 block text-sm font-medium text-slate-800">{at.country}</label>
                    <select id=country_id name=field("country") class=INPUT>
                        {COUNTRY_CHOICES.iter().map(|code| view! {
                            <option value=*code selected=*code == country.as_str()>{country_name(code, locale)}</option>
                        }).collect_view()}
                    </select>
                </div>
                {with_email.then(|| view! {
                    <div class="sm:col-span-2">
                        <GrantField label=at.email name=field("email") kind="email" hint=at.email_hint errors/>
                    </div>
                })}
            </div>
        </fieldset>
    }
    .into_any()
}

/// The form that adds a grant: the R3.3 fields, the contracts, the signed form. With the
/// wasm it is sent in the background and keeps what was typed when something is missing;
/// without, it is a plain multipart form. Its second button makes the form to print.
#[component]
fn GrantForm(
    customer: CustomerRecord,
    contracts: CustomerContractsResource,
    on_saved: Callback<()>,
) -> impl IntoView {
    let locale = use_viewer().locale;
    let at = texts(locale);
    let company = customer.is_company();
    let customer_id = customer.id;
    let roles = GrantRole::for_folder(company);
    let role = RwSignal::new(roles[0]);
    let errors = RwSignal::new(None::<AppError>);
    let sending = RwSignal::new(false);
    let open = RwSignal::new(false);
    let form_ref = NodeRef::<leptos::html::Form>::new();
    let query = leptos_router::hooks::use_query_map();
    let failed_plain = query.read_untracked().get("grant_error").is_some();
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        #[cfg(feature = "hydrate")]
        {
            // The print button posts to its own address in a new tab: let it.
            let printing = ev.submitter().and_then(|b| b.get_attribute("formaction")).is_some();
            if printing {
                return;
            }
            ev.prevent_default();
            if let Some(form) = form_ref.get() {
                sending.set(true);
                browser::send(&form, move |result| {
                    sending.set(false);
                    match result {
                        Ok(()) => {
                            errors.set(None);
                            open.set(false);
                            if let Some(form) = form_ref.get_untracked() {
                                form.reset();
                            }
                            on_saved.run(());
                        }
                        Err(error) => errors.set(Some(error)),
                    }
                });
            }
        }
        #[cfg(not(feature = "hydrate"))]
        let _ = (ev, form_ref, on_saved);
    };
    let requester_legend = if company { at.section_requester_company } else { at.section_requester };
    let defaults = (!company).then(|| customer.clone());
    let summary_error = Signal::derive(move || errors.get());
    view! {
        <details class="rounded-lg border border-slate-200 p-3" prop:open=move || open.get() || failed_plain
            on:toggle=move |ev| {
                #[cfg(feature = "hydrate")]
                {
                    use leptos::wasm_bindgen::JsCast;
                    if let Some(d) = ev.target().and_then(|t| t.dyn_into::<leptos::web_sys::HtmlDetailsElement>().ok()) {
                        open.set(d.open());
                    }
                }
                #[cfg(not(feature = "hydrate"))]
                let _ = ev;
            }>
            <summary class="cursor-pointer font-medium text-brand">{at.add}</summary>
            <form node_ref=form_ref method="post" action="/office/grants" enctype="multipart/form-data"
                class="mt-3 max-w-3xl" on:submit=on_submit novalidate=true data-testid="grant-form">
                {failed_plain.then(|| view! { <p class="mb-3 rounded-lg border border-red-200 bg-red-50 px-3 py-2 text-sm text-red-800">{use_viewer().locale.texts().err_invalid}</p> })}
                <FormError error=summary_error/>
                <input type="hidden" name="customer_id" value=customer_id.0/>
                <fieldset class="mb-4 rounded-lg border border-slate-200 p-3" aria-describedby="grant-role-error">
                    <legend class="px-1 text-sm font-semibold text-slate-900">{at.kind}</legend>
                    {group_error(errors, "role")}
                    {roles.into_iter().enumerate().map(|(i, r)| {
                        let id = format!("grant-role-{}", r.as_str());
                        view! {
                            <div class="mb-2 flex items-start gap-2">
                                <input type="radio" id=id.clone() name="role" value=r.as_str() checked=i == 0
                                    class="mt-1" on:change=move |_| role.set(r)/>
                                <label for=id>
                                    <span class="block font-medium text-slate-900">{at.role(r)}</span>
                                    <span class="block text-sm text-slate-600">{at.role_hint(r)}</span>
                                </label>
                            </div>
                        }
                    }).collect_view()}
                </fieldset>
                <ContractChoice contracts role errors/>
                <PersonFieldset legend=at.section_person prefix="person" with_email=true errors/>
                <PersonFieldset legend=requester_legend prefix="requester" hint=at.requester_hint defaults=defaults.unwrap_or_else(|| customer.clone()) errors/>
                <fieldset class="mb-4 rounded-lg border border-slate-200 p-3">
                    <legend class="px-1 text-sm font-semibold text-slate-900">{at.section_mandate}</legend>
                    <div class="grid grid-cols-1 gap-x-3 sm:grid-cols-2">
                        <GrantField label=at.requested_on name="requested_on" kind="date" errors/>
                        <div class="mb-3">
                            <label for="grant-signature" class="mb-1 block text-sm font-medium text-slate-800">{at.signature}</label>
                            <select id="grant-signature" name="signature" class=INPUT>
                                {Signature::ALL.into_iter().map(|s| view! {
                                    <option value=s.as_str() selected=s == Signature::Handwritten>{at.signature(s)}</option>
                                }).collect_view()}
                            </select>
                        </div>
                        <div class="mb-3">
                            <label for="grant-locale" class="mb-1 block text-sm font-medium text-slate-800">{at.form_language}</label>
                            <select id="grant-locale" name="locale" class=INPUT>
                                {Locale::ALL.into_iter().map(|l| view! {
                                    <option value=l.code() selected=l == locale>{l.native_name()}</option>
                                }).collect_view()}
                            </select>
                        </div>
                    </div>
                    <div class="mb-3 rounded-lg bg-slate-50 p-3">
                        <button type="submit" formaction="/office/mandate-form" formtarget="_blank" formnovalidate=true
                            class=BUTTON_SECONDARY data-testid="print-mandate">{at.print_form}</button>
                        <p class="mt-1 text-sm text-slate-600">{at.print_hint}</p>
                    </div>
                    <div class="mb-1">
                        <label for="grant-form-file" class="mb-1 block text-sm font-medium text-slate-800">{at.form_file}</label>
                        <input id="grant-form-file" name="form" type="file" accept="application/pdf,image/jpeg,image/png,image/webp"
                            class="block w-full text-sm" aria-describedby="grant-form-file-hint grant-form_document_id-error"/>
                        <p id="grant-form-file-hint" class="mt-1 text-sm text-slate-600">{at.form_hint}</p>
                        {group_error(errors, "form_document_id")}
                    </div>
                </fieldset>
                <button type="submit" class=BUTTON disabled=move || sending.get()>
                    {move || if sending.get() { at.saving } else { at.save }}
                </button>
            </form>
        </details>
    }
    .into_any()
}

/// The contracts a grant covers: chosen one by one, or all for a legal representative.
#[component]
fn ContractChoice(
    contracts: CustomerContractsResource,
    role: RwSignal<GrantRole>,
    errors: RwSignal<Option<AppError>>,
) -> impl IntoView {
    let at = texts(use_viewer().locale);
    view! {
        <fieldset class="mb-4 rounded-lg border border-slate-200 p-3" aria-describedby="grant-contracts-error">
            <legend class="px-1 text-sm font-semibold text-slate-900">{at.section_contracts}</legend>
            {group_error(errors, "contracts")}
            <p class="mb-2 text-sm text-slate-800" class:hidden=move || !role.get().sees_all()>{at.all_contracts}</p>
            <div class:hidden=move || role.get().sees_all()>
                <p class="mb-2 text-sm text-slate-600">{at.choose_contracts}</p>
                <Suspense fallback=Loading>
                    {move || Suspend::new(async move {
                        match contracts.await {
                            Err(e) => view! { <LoadError error=e/> }.into_any(),
                            Ok(list) if list.is_empty() => view! { <p class="text-sm text-slate-600">{at.no_contracts}</p> }.into_any(),
                            Ok(list) => list.into_iter().map(|c| {
                                let id = format!("grant-contract-{}", c.id);
                                let label = match c.policy_number.as_str() {
                                    "" => format!("{} ({})", c.title(), c.insurer),
                                    p => format!("{} ({}, {p})", c.title(), c.insurer),
                                };
                                view! {
                                    <div class="mb-1 flex items-center gap-2">
                                        <input type="checkbox" id=id.clone() name="contracts" value=c.id.0/>
                                        <label for=id class="text-sm text-slate-800">{label}</label>
                                    </div>
                                }
                            }).collect_view().into_any(),
                        }
                    })}
                </Suspense>
            </div>
        </fieldset>
    }
    .into_any()
}

#[cfg(feature = "hydrate")]
mod browser {
    //! Sends the grant form with its file in the background and reads the answer.

    use leptos::wasm_bindgen::closure::Closure;
    use leptos::wasm_bindgen::JsCast;

    use crate::error::{AppError, FieldError};

    pub fn send(form: &leptos::web_sys::HtmlFormElement, done: impl Fn(Result<(), AppError>) + 'static) {
        let fail = AppError::Transport(String::new());
        let Ok(data) = leptos::web_sys::FormData::new_with_form(form) else { return done(Err(fail)) };
        let Ok(xhr) = leptos::web_sys::XmlHttpRequest::new() else { return done(Err(fail)) };
        if xhr.open_with_async("POST", "/office/grants", true).is_err() {
            return done(Err(fail));
        }
        let _ = xhr.set_request_header("Accept", "application/json");
        let done = std::rc::Rc::new(done);
        let on_load = {
            let xhr = xhr.clone();
            let done = done.clone();
            Closure::<dyn FnMut()>::new(move || {
                let status = xhr.status().unwrap_or(0);
                let body = xhr.response_text().ok().flatten().unwrap_or_default();
                done(if status == 201 { Ok(()) } else { Err(problem(status, &body)) });
            })
        };
        xhr.set_onload(Some(on_load.as_ref().unchecked_ref()));
        on_load.forget();
        let on_error = {
            let done = done.clone();
            Closure::<dyn FnMut()>::new(move || done(Err(AppError::Transport(String::new()))))
        };
        xhr.set_onerror(Some(on_error.as_ref().unchecked_ref()));
        on_error.forget();
        if xhr.send_with_opt_form_data(Some(&data)).is_err() {
            done(Err(AppError::Transport(String::new())));
        }
    }

    /// A problem document as the error it describes.
    fn problem(status: u16, body: &str) -> AppError {
        let value: serde_json::Value = serde_json::from_str(body).unwrap_or_default();
        let errors: Vec<FieldError> = serde_json::from_value(value["errors"].clone()).unwrap_or_default();
        match status {
            422 if !errors.is_empty() => AppError::Invalid(errors),
            401 => AppError::Unauthenticated,
            403 => AppError::Forbidden,
            404 => AppError::NotFound,
            413 => AppError::QuotaExceeded {
                used_bytes: value["used_bytes"].as_i64().unwrap_or(0),
                quota_bytes: value["quota_bytes"].as_i64().unwrap_or(0),
            },
            _ => {
                AppError::Internal { request_id: value["request_id"].as_str().unwrap_or_default().to_owned() }
            }
        }
    }
}

/// Above the customer's pages: which folder is shown, and (in someone else's) what the access
/// rests on, with its form. With several folders, a switch between them.
#[component]
pub fn FolderBar() -> impl IntoView {
    let viewer = use_viewer();
    let locale = viewer.locale;
    let at = texts(locale);
    let Some(user) = viewer.user else { return ().into_any() };
    let current = user.current_folder().cloned();
    let several = user.folders.len() > 1;
    let basis = current.as_ref().and_then(|f| match &f.basis {
        Basis::Own => None,
        Basis::Grant { requested_on, form, .. } => Some((f.name.clone(), requested_on.clone(), *form)),
    });
    if !several && basis.is_none() {
        return ().into_any();
    }
    let chosen = current.as_ref().map(|f| f.customer_id);
    view! {
        <div class="border-b border-slate-200 bg-white">
            <div class="mx-auto max-w-2xl px-4 py-2 text-sm">
                // A plain form: the whole page comes back for the other folder.
                {several.then(|| view! {
                    <form method="post" action=SwitchFolder::url() class="flex flex-wrap items-center gap-2" data-testid="folder-switcher">
                        <label for="folder-switch" class="font-medium text-slate-800">{at.switcher_label}</label>
                        <select id="folder-switch" name="customer_id" class="min-w-0 flex-1 rounded-lg border border-slate-300 px-2 py-1.5">
                            {user.folders.iter().map(|f| {
                                let label = match f.basis { Basis::Own => at.my_folder.to_owned(), Basis::Grant { .. } => f.name.clone() };
                                view! { <option value=f.customer_id.0 selected=Some(f.customer_id) == chosen>{label}</option> }
                            }).collect_view()}
                        </select>
                        <button type="submit" class="rounded-lg border border-slate-300 bg-white px-3 py-1.5 font-medium text-slate-800 hover:bg-slate-50">{at.switch}</button>
                    </form>
                })}
                {basis.map(|(name, requested_on, form)| view! {
                    <p class="mt-1 text-slate-700" data-testid="access-basis">
                        {at.viewing_folder.replace("{name}", &name)}" "
                        {at.rests_on.replace("{date}", &fmt_date(&requested_on, locale))}" "
                        {form.map(|id| view! { <a class="text-brand underline" href=format!("/files/{id}") target="_blank" rel="noopener">{at.show_mandate}</a> })}
                    </p>
                })}
            </div>
        </div>
    }
    .into_any()
}

/// Whether the signed-in person has a folder to look at (a person whose only grant was just
/// revoked has none).
pub fn has_folder() -> bool {
    use_viewer().user.is_some_and(|u| u.current_folder().is_some())
}

/// In place of a page for someone without any folder.
#[component]
pub fn NoFolder() -> impl IntoView {
    let at = texts(use_viewer().locale);
    view! {
        <p role="status" class="rounded-xl bg-white px-4 py-8 text-center text-slate-700 ring-1 ring-slate-200" data-testid="no-folder">
            {at.no_folder}
        </p>
    }
}

/// *Wer hat Zugriff?* for whoever holds the folder (R3.4), and the accesses the person uses
/// on others' folders.
#[component]
pub fn AccessInProfile() -> impl IntoView {
    let viewer = use_viewer();
    let locale = viewer.locale;
    let at = texts(locale);
    let Some(user) = viewer.user else { return ().into_any() };
    let holder = user.current_folder().is_some_and(super::FolderAccess::acts_for_holder);
    let accesses: Vec<_> = user
        .folders
        .iter()
        .filter_map(|f| match &f.basis {
            Basis::Grant { role, requested_on, form, .. } => {
                Some((f.name.clone(), *role, requested_on.clone(), *form))
            }
            Basis::Own => None,
        })
        .collect();
    view! {
        {holder.then(|| view! { <WhoHasAccess/> })}
        {(!accesses.is_empty()).then(|| view! {
            <section class="mb-4 rounded-xl bg-white p-4 ring-1 ring-slate-200" aria-labelledby="my-access-heading">
                <h2 id="my-access-heading" class="mb-2 font-semibold text-slate-900">{at.my_access_heading}</h2>
                <ul class="divide-y divide-slate-100 text-sm">
                    {accesses.into_iter().map(|(name, role, requested_on, form)| view! {
                        <li class="py-2">
                            <p class="font-medium text-slate-900">{name}</p>
                            <p class="text-slate-700">{at.role(role)}" · "{at.mandate_of.replace("{date}", &fmt_date(&requested_on, locale))}</p>
                            {form.map(|id| view! { <a class="text-brand underline" href=format!("/files/{id}") target="_blank" rel="noopener">{at.show_mandate}</a> })}
                        </li>
                    }).collect_view()}
                </ul>
            </section>
        })}
    }
    .into_any()
}

#[component]
fn WhoHasAccess() -> impl IntoView {
    let viewer = use_viewer();
    let locale = viewer.locale;
    let me = StoredValue::new(viewer.user.map(|u| u.email).unwrap_or_default());
    let at = texts(locale);
    let grants = Resource::new(|| (), |()| grants_on_my_folder());
    let request = ServerAction::<RequestEnd>::new();
    let request_error = action_error(request.value());
    view! {
        <section class="mb-4 rounded-xl bg-white p-4 ring-1 ring-slate-200" aria-labelledby="who-heading" data-testid="who-has-access">
            <h2 id="who-heading" class="mb-1 font-semibold text-slate-900">{at.who_heading}</h2>
            <p class="mb-3 text-sm text-slate-600">{at.who_intro}</p>
            {move || match request.value().get() {
                Some(Ok(id)) => Some(view! {
                    <p role="status" class="mb-3 rounded-lg border border-emerald-200 bg-emerald-50 px-3 py-2 text-sm text-emerald-900">
                        {at.end_requested}" "<a class="underline" href=format!("/app/messages/{id}")>"→"</a>
                    </p>
                }),
                _ => None,
            }}
            <FormError error=request_error/>
            <Suspense fallback=Loading>
                {move || Suspend::new(async move {
                    match grants.await {
                        Err(e) => view! { <LoadError error=e/> }.into_any(),
                        Ok(list) => {
                            // One's own access is under "Ihre Zugänge".
                            let live: Vec<GrantView> =
                                list.into_iter().filter(|g| g.active() && g.email != me.get_value()).collect();
                            if live.is_empty() {
                                return view! { <p class="text-sm text-slate-600">{at.who_empty}</p> }.into_any();
                            }
                            view! {
                                <ul class="divide-y divide-slate-100 text-sm">
                                    {live.into_iter().map(|g| view! {
                                        <li class="py-2" data-testid="grant-on-my-folder">
                                            <p class="font-medium text-slate-900">{g.person.name()}" · "{at.role(g.role)}</p>
                                            <p class="text-slate-700">{at.sees}": "{contracts_text(&g, locale)}</p>
                                            <p class="text-slate-600">
                                                {mandate_text(&g, locale)}" · "
                                                <a class="text-brand underline" href=g.form_url() target="_blank" rel="noopener">{at.show_form}</a>
                                            </p>
                                            <ActionForm action=request attr:class="mt-1">
                                                <input type="hidden" name="id" value=g.id.0/>
                                                <button type="submit" class=BUTTON_SECONDARY disabled=move || request.pending().get()>{at.request_end}</button>
                                            </ActionForm>
                                        </li>
                                    }).collect_view()}
                                </ul>
                            }.into_any()
                        }
                    }
                })}
            </Suspense>
        </section>
    }
    .into_any()
}
