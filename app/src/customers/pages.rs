//! The office's customer list (search, invite) and a customer's page.

use leptos::prelude::*;
use leptos_router::hooks::{use_params_map, use_query_map};

use super::{customer_detail, list_customers, Access, InviteCustomer, PAGE_SIZE};
use crate::access::pages::CustomerAccess;
use crate::audit::ChainCheck;
use crate::auth::pages::AccountActiveSwitch;
use crate::auth::{use_viewer, SendReset, SetAccountActive};
use crate::contracts::pages::CustomerContracts;
use crate::documents::pages::CustomerDocuments;
use crate::i18n::{fmt_datetime, Texts};
use crate::ui::{
    action_error, field_error, percent_encode, Fact, FormError, LoadError, Loading, Notice, TextField,
    BUTTON, BUTTON_SECONDARY,
};

fn access_label(access: Access, t: &'static Texts) -> &'static str {
    match access {
        Access::None => t.access_none,
        Access::Invited => t.access_invited,
        Access::Active => t.access_active,
        Access::Deactivated => t.access_deactivated,
    }
}

#[component]
pub fn CustomerListPage() -> impl IntoView {
    let t = use_viewer().locale.texts();
    let query = use_query_map();
    let search = move || query.read().get("q").unwrap_or_default();
    let page = move || query.read().get("page").and_then(|p| p.parse::<u32>().ok()).unwrap_or(0);
    let customers = Resource::new(move || (search(), page()), |(q, page)| list_customers(q, page));
    let page_link = move |page: u32| {
        let q = search();
        let mut href = format!("/office/customers?page={page}");
        if !q.is_empty() {
            href.push_str("&q=");
            href.push_str(&percent_encode(&q));
        }
        href
    };
    let invite = ServerAction::<InviteCustomer>::new();
    let error = action_error(invite.value());
    view! {
        <div class="flex items-start justify-between gap-4">
            <h1 class="mb-4 text-2xl font-semibold text-slate-900">{t.customers_title}</h1>
        </div>
        <details class="mb-6 rounded-xl bg-white p-4 ring-1 ring-slate-200" open=move || error.get().is_some()>
            <summary class="cursor-pointer font-medium text-brand">{t.invite_customer}</summary>
            <p class="mt-2 mb-4 text-sm text-slate-600">{t.invite_customer_hint}</p>
            <FormError error/>
            <ActionForm action=invite attr:class="grid max-w-2xl grid-cols-1 gap-x-4 md:grid-cols-2">
                <TextField label=t.first_name name="first_name" autocomplete="off" required=true
                    error=field_error(error, "first_name")/>
                <TextField label=t.last_name name="last_name" autocomplete="off" required=true
                    error=field_error(error, "last_name")/>
                <div class="md:col-span-2">
                    <TextField label=t.email name="email" kind="email" autocomplete="off" required=true
                        error=field_error(error, "email")/>
                </div>
                <div>
                    <button type="submit" class=BUTTON disabled=move || invite.pending().get()>
                        {move || if invite.pending().get() { t.sending } else { t.send_invite }}
                    </button>
                </div>
            </ActionForm>
        </details>
        <form method="get" role="search" class="mb-4 flex max-w-xl gap-2">
            <label for="customer-search" class="sr-only">{t.search_customers}</label>
            <input id="customer-search" name="q" type="search" value=search placeholder=t.search_customers
                class="w-full rounded-lg border border-slate-300 px-3 py-2"/>
            <button type="submit" class=BUTTON_SECONDARY>{t.search}</button>
        </form>
        <Transition fallback=Loading>
            {move || Suspend::new(async move {
                match customers.await {
                    Err(e) => view! { <LoadError error=e/> }.into_any(),
                    Ok(rows) if rows.is_empty() => view! {
                        <p class="rounded-xl bg-white px-4 py-8 text-center text-slate-600 ring-1 ring-slate-200">
                            {t.customers_empty}
                        </p>
                    }.into_any(),
                    Ok(mut rows) => {
                        let more = rows.len() > PAGE_SIZE;
                        rows.truncate(PAGE_SIZE);
                        let current = page();
                        view! {
                        <table class="w-full overflow-hidden rounded-xl bg-white text-left ring-1 ring-slate-200">
                            <thead class="bg-slate-100 text-sm text-slate-700">
                                <tr>
                                    <th scope="col" class="px-4 py-2">{t.name}</th>
                                    <th scope="col" class="hidden px-4 py-2 sm:table-cell">{t.email}</th>
                                    <th scope="col" class="px-4 py-2">{t.access}</th>
                                </tr>
                            </thead>
                            <tbody>
                                {rows.into_iter().map(|c| { let email = c.email.unwrap_or_default(); view! {
                                    <tr class="border-t border-slate-100">
                                        <td class="px-4 py-2">
                                            <a class="text-brand underline" href=format!("/office/customers/{}", c.id)>{c.name}</a>
                                            // On a phone the address sits under the name; the column is for wider screens.
                                            <span class="block break-all text-sm text-slate-600 sm:hidden">{email.clone()}</span>
                                        </td>
                                        <td class="hidden px-4 py-2 text-slate-700 sm:table-cell">{email}</td>
                                        <td class="px-4 py-2 text-slate-700">{access_label(c.access, t)}</td>
                                    </tr>
                                }}).collect_view()}
                            </tbody>
                        </table>
                        <nav aria-label=t.pages class="mt-4 flex items-center gap-4">
                            {(current > 0).then(|| view! { <a class=BUTTON_SECONDARY href=page_link(current - 1)>{t.previous_page}</a> })}
                            {(current > 0 || more).then(|| view! { <span class="text-sm text-slate-600">{t.page_n.replace("{n}", &(current + 1).to_string())}</span> })}
                            {more.then(|| view! { <a class=BUTTON_SECONDARY href=page_link(current + 1)>{t.next_page}</a> })}
                        </nav>
                    }.into_any()
                    }
                }
            })}
        </Transition>
    }
}

/// A contact detail, or a dash where it is not known.
fn or_dash(value: Option<String>) -> String {
    value.filter(|v| !v.is_empty()).unwrap_or_else(|| "–".to_owned())
}

#[component]
pub fn CustomerDetailPage() -> impl IntoView {
    let viewer = use_viewer();
    let t = viewer.locale.texts();
    let locale = viewer.locale;
    let mt = crate::mailbox::texts::texts(locale);
    let params = use_params_map();
    let query = use_query_map();
    let invited = query.read_untracked().get("invited").is_some();
    let contract_saved = query.read_untracked().get("contract_saved").is_some();
    let id = move || params.read().get("id").and_then(|s| crate::ids::parse_id(&s)).unwrap_or_default();
    let set_active = ServerAction::<SetAccountActive>::new();
    let customer = Resource::new(move || (id(), set_active.version().get()), |(id, _)| customer_detail(id));
    let set_active_error = action_error(set_active.value());
    // One fetch of the contracts serves their section and the uploader's contract choice.
    let contracts = Resource::new(id, crate::contracts::customer_contracts);
    let reset = ServerAction::<SendReset>::new();
    let reset_error = action_error(reset.value());
    let reset_sent = move || matches!(reset.value().get(), Some(Ok(())));
    view! {
        <a href="/office/customers" class="text-sm text-brand underline">{t.back_to_customers}</a>
        <Suspense fallback=Loading>
            {move || Suspend::new(async move {
                match customer.await {
                    Err(e) => view! { <div class="mt-4"><LoadError error=e/></div> }.into_any(),
                    Ok(c) => view! {
                        <h1 class="mt-2 mb-1 text-2xl font-semibold text-slate-900">{c.display_name()}</h1>
                        <p class="mb-4 text-slate-700">{c.email.clone().unwrap_or_default()}" · "{access_label(c.access, t)}</p>
                        <section class="mb-6 rounded-xl bg-white p-4 ring-1 ring-slate-200" aria-labelledby="contact-heading">
                            <h2 id="contact-heading" class="mb-2 font-semibold text-slate-900">{t.contact_heading}</h2>
                            <dl class="grid grid-cols-1 gap-x-6 gap-y-2 text-sm sm:grid-cols-2">
                                {c.company_name.is_some().then(|| view! {
                                    <Fact label=t.contact_person value=format!("{} {}", c.first_name, c.last_name)/>
                                })}
                                <Fact label=t.email value=or_dash(c.email.clone())/>
                                <Fact label=t.phone value=or_dash(c.phone.clone())/>
                                <Fact label=t.address value=or_dash(c.address.as_ref().map(|a| a.lines(locale).join(", ")))/>
                                <Fact label=t.birth_date value=or_dash(c.birth_date.as_deref().map(|d| crate::i18n::fmt_date(d, locale)))/>
                                <Fact label=mt.iban value=or_dash(c.iban.as_deref().map(crate::mailbox::rules::format_iban))/>
                                <Fact label=mt.account_holder value=or_dash(c.account_holder.clone())/>
                            </dl>
                            <a class=format!("{BUTTON_SECONDARY} mt-3") href=format!("/office/messages/new?customer={}", c.id)>{mt.action(crate::mailbox::Topic::Office)}</a>
                        </section>
                        {invited.then(|| view! { <Notice text=t.invite_sent/> })}
                        <section class="mb-6 rounded-xl bg-white p-4 ring-1 ring-slate-200" aria-labelledby="access-heading">
                            <h2 id="access-heading" class="mb-2 font-semibold text-slate-900">{t.access_heading}</h2>
                            <p class="mb-3 text-sm text-slate-600">{t.reset_explainer}</p>
                            {c.user_id.map(|user_id| view! {
                                {move || reset_sent().then(|| view! { <Notice text=t.reset_sent/> })}
                                <FormError error=reset_error/>
                                <div class="flex flex-wrap items-start gap-3">
                                    {(c.access != Access::Deactivated).then(|| view! {
                                        <ActionForm action=reset>
                                            <input type="hidden" name="user_id" value=user_id.0/>
                                            <button type="submit" class=BUTTON_SECONDARY disabled=move || reset.pending().get()>
                                                {t.send_reset_link}
                                            </button>
                                        </ActionForm>
                                    })}
                                    <AccountActiveSwitch user_id deactivated=c.access == Access::Deactivated action=set_active/>
                                </div>
                                <crate::second_factor::pages::FactorReset user_id/>
                                <FormError error=set_active_error/>
                            })}
                        </section>
                        {contract_saved.then(|| view! { <Notice text=crate::contracts::texts::texts(locale).saved/> })}
                        <CustomerContracts customer_id=c.id contracts/>
                        <CustomerAccess customer=c.clone() contracts/>
                        <CustomerDocuments customer_id=c.id contracts/>
                        <crate::my_data::MyDataForCustomer customer_id=c.id/>
                        <crate::erasure::EraseCustomer customer_id=c.id locked=c.locked.clone()/>
                        <section class="rounded-xl bg-white p-4 ring-1 ring-slate-200" aria-labelledby="audit-heading">
                            <h2 id="audit-heading" class="mb-2 font-semibold text-slate-900">{t.audit_heading}</h2>
                            <TrailCheck check=c.trail_check/>
                            <ul class="divide-y divide-slate-100 text-sm">
                                {c.audit.into_iter().map(|a| view! {
                                    <li class="flex flex-wrap gap-x-4 py-2">
                                        <span class="w-40 shrink-0 text-slate-500">{fmt_datetime(a.at, locale)}</span>
                                        <span class="text-slate-800">{t.audit_action(&a.action)}</span>
                                        <span class="text-slate-600">
                                            {a.actor_name.unwrap_or_else(|| t.audit_action(&format!("actor.{}", a.actor_kind)))}
                                        </span>
                                        {a.ip.map(|ip| view! {
                                            <span class="text-slate-500 tabular-nums" title=t.audit_ip_hint>
                                                <span class="sr-only">{t.audit_ip_hint}": "</span>{ip}
                                            </span>
                                        })}
                                    </li>
                                }).collect_view()}
                            </ul>
                        </section>
                    }.into_any(),
                }
            })}
        </Suspense>
    }
}

/// Whether the broker's trail was found whole when it was last checked (hourly, and by
/// `folio audit verify`).
#[component]
fn TrailCheck(check: Option<ChainCheck>) -> impl IntoView {
    let locale = use_viewer().locale;
    let t = locale.texts();
    let (class, text) = match check {
        None => ("text-slate-500", t.trail_unchecked.to_owned()),
        Some(c) => {
            let date = fmt_datetime(c.checked_at, locale);
            match c.broken {
                None => (
                    "text-slate-500",
                    t.trail_whole.replace("{date}", &date).replace("{count}", &c.count.to_string()),
                ),
                Some(b) => (
                    "font-medium text-red-700",
                    t.trail_broken.replace("{date}", &date).replace("{entry}", &b.at.to_string()),
                ),
            }
        }
    };
    view! { <p class=format!("mb-2 text-xs {class}") data-testid="trail-check">{text}</p> }
}
