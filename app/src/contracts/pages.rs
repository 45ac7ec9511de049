//! The customer's overview (contracts grouped by line, with what they pay), a contract's
//! page, and the office's contract form.

use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

use super::money::fmt_money;
use super::texts::texts;
use super::{group_by_line, load_contract_form, my_contract, my_contracts, totals, ContractCard};
use super::{ContractForm, Interval, SaveContract, Status};
use crate::auth::use_viewer;
use crate::catalogue::catalogue;
use crate::documents::pages::DocumentList;
use crate::i18n::{fmt_date, Locale};
use crate::mailbox::Topic;
use crate::ui::{
    action_error, field_error, EmptyState, Fact, FormError, LoadError, Loading, TextField, BUTTON,
    BUTTON_SECONDARY,
};

/// A customer's contracts as the office's page loads them once for all its sections.
pub type CustomerContractsResource = Resource<Result<Vec<ContractCard>, crate::error::AppError>>;

fn premium_text(c: &ContractCard, locale: Locale) -> String {
    format!("{} {}", fmt_money(c.premium_cents, &c.currency, locale), texts(locale).interval(c.interval))
}

#[component]
pub fn OverviewPage() -> impl IntoView {
    let viewer = use_viewer();
    let locale = viewer.locale;
    let t = locale.texts();
    let ct = texts(locale);
    // In someone else's folder the contracts and premiums are theirs, not the reader's.
    let own = viewer.user.as_ref().and_then(|u| u.current_folder()).is_none_or(|f| f.grant().is_none());
    let at = crate::access::texts::texts(locale);
    let (contracts_heading, totals_heading) =
        if own { (ct.active_contracts, ct.you_pay) } else { (at.shown_contracts, at.shown_premiums) };
    let name = viewer.user.map(|u| u.display_name).unwrap_or_default();
    let contracts = Resource::new(|| (), |()| my_contracts());
    view! {
        <h1 class="text-2xl font-semibold text-slate-900">{t.overview_greeting.replace("{name}", &name)}</h1>
        <p class="mt-1 mb-5 text-slate-600">{t.overview_intro}</p>
        <Suspense fallback=Loading>
            {move || Suspend::new(async move {
                match contracts.await {
                    Err(e) => view! { <LoadError error=e/> }.into_any(),
                    Ok(all) if all.is_empty() => view! {
                        <h2 class="mb-3 text-lg font-semibold text-slate-900">{t.contracts_title}</h2>
                        <EmptyState title=t.contracts_empty_title text=t.contracts_empty_text/>
                    }.into_any(),
                    Ok(all) => {
                        let (active, ended): (Vec<_>, Vec<_>) = all.into_iter().partition(|c| c.status == Status::Active);
                        let sums = totals(&active);
                        view! {
                            {(!sums.is_empty()).then(|| view! {
                                <section aria-labelledby="totals-heading" class="mb-6 rounded-2xl bg-brand p-4 text-white shadow-sm">
                                    <h2 id="totals-heading" class="text-sm opacity-90">{totals_heading}</h2>
                                    {sums.into_iter().map(|s| view! {
                                        <p class="mt-1 flex flex-wrap items-baseline gap-x-4">
                                            <span data-testid="total-month" class="text-2xl font-semibold">
                                                {fmt_money(s.monthly_cents, &s.currency, locale)}" "
                                                <span class="text-base font-normal">{ct.per_month}</span>
                                            </span>
                                            <span data-testid="total-year" class="opacity-90">
                                                {fmt_money(s.yearly_cents, &s.currency, locale)}" "{ct.per_year}
                                            </span>
                                        </p>
                                    }).collect_view()}
                                </section>
                            })}
                            <h2 class="mb-3 text-lg font-semibold text-slate-900">{contracts_heading}</h2>
                            {if active.is_empty() {
                                view! { <EmptyState title=t.contracts_empty_title text=t.contracts_empty_text/> }.into_any()
                            } else {
                                group_by_line(&active).into_iter().map(|group| {
                                    let label = group.line.clone();
                                    view! {
                                    <section class="mb-5" aria-label=label>
                                        <h3 class="mb-2 text-sm font-semibold uppercase tracking-wide text-slate-600">{group.line}</h3>
                                        <ul class="space-y-2">
                                            {group.contracts.into_iter().map(|c| view! { <ContractItem contract=c/> }).collect_view()}
                                        </ul>
                                    </section>
                                    }
                                }).collect_view().into_any()
                            }}
                            {(!ended.is_empty()).then(|| view! {
                                <details class="mt-6 rounded-xl bg-white p-4 ring-1 ring-slate-200">
                                    <summary class="cursor-pointer font-medium text-slate-800">
                                        {format!("{} ({})", ct.ended_contracts, ended.len())}
                                    </summary>
                                    <ul class="mt-3 space-y-2">
                                        {ended.into_iter().map(|c| view! { <ContractItem contract=c/> }).collect_view()}
                                    </ul>
                                </details>
                            })}
                        }.into_any()
                    }
                }
            })}
        </Suspense>
    }
    .into_any()
}

#[component]
fn ContractItem(contract: ContractCard) -> impl IntoView {
    let locale = use_viewer().locale;
    let ct = texts(locale);
    let href = format!("/app/contracts/{}", contract.id);
    let ended = contract.end_date.clone().filter(|_| contract.status == Status::Ended);
    view! {
        <li>
            <a href=href class="block rounded-xl bg-white p-4 ring-1 ring-slate-200 hover:ring-brand focus:outline-none focus:ring-2 focus:ring-brand">
                <span class="flex items-start justify-between gap-3">
                    <span>
                        <span class="block font-medium text-slate-900">{contract.title().to_owned()}</span>
                        <span class="block text-sm text-slate-600">{contract.insurer.clone()}</span>
                        <span class="block text-xs text-slate-500">{ct.policy_number}": "{contract.policy_number.clone()}</span>
                    </span>
                    <span class="shrink-0 text-right text-sm font-medium text-slate-900">
                        {premium_text(&contract, locale)}
                    </span>
                </span>
                {ended.map(|d| view! { <span class="mt-1 block text-xs text-slate-500">{ct.ended_on.replace("{date}", &fmt_date(&d, locale))}</span> })}
            </a>
        </li>
    }
    .into_any()
}

#[component]
pub fn ContractPage() -> impl IntoView {
    let locale = use_viewer().locale;
    let ct = texts(locale);
    let mt = crate::mailbox::texts::texts(locale);
    let params = use_params_map();
    let id = move || params.read().get("id").and_then(|s| crate::ids::parse_id(&s)).unwrap_or_default();
    let contract = Resource::new(id, my_contract);
    // Someone with a grant for some contracts asks questions; claims are the holder's.
    let holder = use_viewer()
        .user
        .is_some_and(|u| u.current_folder().is_some_and(crate::access::FolderAccess::acts_for_holder));
    view! {
        <a href="/app" class="text-sm text-brand underline">{ct.back_to_overview}</a>
        <Suspense fallback=Loading>
            {move || Suspend::new(async move {
                match contract.await {
                    Err(e) => view! { <div class="mt-4"><LoadError error=e/></div> }.into_any(),
                    Ok(d) => {
                        let c = d.card;
                        let term = match (d.start_date.as_deref(), c.end_date.as_deref()) {
                            (Some(s), Some(e)) => format!("{} – {}", fmt_date(s, locale), fmt_date(e, locale)),
                            (Some(s), None) => ct.since.replace("{date}", &fmt_date(s, locale)),
                            (None, Some(e)) => ct.until.replace("{date}", &fmt_date(e, locale)),
                            (None, None) => String::new(),
                        };
                        view! {
                            <h1 class="mt-2 text-2xl font-semibold text-slate-900">{c.title().to_owned()}</h1>
                            <p class="mb-4 text-slate-600">{c.line.clone()}" · "{c.insurer.clone()}</p>
                            <section class="mb-4 rounded-xl bg-white p-4 ring-1 ring-slate-200" aria-labelledby="what-for">
                                <h2 id="what-for" class="mb-1 font-semibold text-slate-900">{ct.what_for}</h2>
                                <p class="whitespace-pre-line text-slate-700">{d.what_for}</p>
                            </section>
                            <dl class="mb-4 grid grid-cols-1 gap-x-4 gap-y-3 rounded-xl bg-white p-4 ring-1 ring-slate-200 sm:grid-cols-2">
                                <Fact label=ct.policy_number value=c.policy_number.clone()/>
                                <Fact label=ct.premium value=premium_text(&c, locale)/>
                                <Fact label=ct.insurer value=c.insurer.clone()/>
                                <Fact label=ct.status value=ct.status(c.status).to_owned()/>
                                {(!term.is_empty()).then(|| view! { <Fact label=ct.term value=term/> })}
                                {(!d.insured.is_empty()).then(|| view! { <Fact label=ct.insured value=d.insured.clone()/> })}
                            </dl>
                            <div class="mb-6 flex flex-wrap gap-2">
                                {holder.then(|| view! { <a class=BUTTON href=format!("/app/messages/new/claim?contract={}", c.id)>{mt.action(Topic::Claim)}</a> })}
                                <a class=BUTTON_SECONDARY href=format!("/app/messages/new/question?contract={}", c.id)>{mt.ask_about_contract}</a>
                            </div>
                            <h2 class="mb-2 text-lg font-semibold text-slate-900">{ct.documents}</h2>
                            {if d.documents.is_empty() {
                                view! { <p class="rounded-xl bg-white px-4 py-6 text-center text-sm text-slate-600 ring-1 ring-slate-200">{ct.no_documents}</p> }.into_any()
                            } else {
                                view! { <DocumentList documents=d.documents show_contract=false/> }.into_any()
                            }}
                        }.into_any()
                    }
                }
            })}
        </Suspense>
    }
    .into_any()
}

/// The contracts on the office's customer page.
#[component]
pub fn CustomerContracts(
    customer_id: crate::ids::CustomerId,
    contracts: CustomerContractsResource,
) -> impl IntoView {
    let locale = use_viewer().locale;
    let ct = texts(locale);
    view! {
        <section class="mb-6 rounded-xl bg-white p-4 ring-1 ring-slate-200" aria-labelledby="contracts-heading">
            <div class="mb-3 flex items-center justify-between gap-4">
                <h2 id="contracts-heading" class="font-semibold text-slate-900">{locale.texts().contracts_title}</h2>
                <a class=BUTTON_SECONDARY href=format!("/office/customers/{customer_id}/contracts/new")>{ct.new_contract}</a>
            </div>
            <Suspense fallback=Loading>
                {move || Suspend::new(async move {
                    match contracts.await {
                        Err(e) => view! { <LoadError error=e/> }.into_any(),
                        Ok(list) if list.is_empty() => view! { <p class="text-sm text-slate-600">{ct.office_contracts_empty}</p> }.into_any(),
                        Ok(list) => view! {
                            <table class="w-full text-left text-sm">
                                <thead class="text-slate-600">
                                    <tr>
                                        <th scope="col" class="py-1 pr-3">{ct.line}" / "{ct.product}</th>
                                        <th scope="col" class="py-1 pr-3">{ct.insurer}</th>
                                        <th scope="col" class="py-1 pr-3">{ct.policy_number}</th>
                                        <th scope="col" class="py-1 pr-3">{ct.premium}</th>
                                        <th scope="col" class="py-1 pr-3">{ct.status}</th>
                                        <th scope="col" class="py-1"><span class="sr-only">{ct.edit}</span></th>
                                    </tr>
                                </thead>
                                <tbody>
                                    {list.into_iter().map(|c| view! {
                                        <tr class="border-t border-slate-100">
                                            <td class="py-2 pr-3">{c.line.clone()}{c.product.clone().map(|p| format!(" · {p}"))}</td>
                                            <td class="py-2 pr-3">{c.insurer.clone()}</td>
                                            <td class="py-2 pr-3">{c.policy_number.clone()}</td>
                                            <td class="py-2 pr-3">{premium_text(&c, locale)}</td>
                                            <td class="py-2 pr-3">{ct.status(c.status)}</td>
                                            <td class="py-2 text-right">
                                                <a class="text-brand underline" href=format!("/office/contracts/{}", c.id)>{ct.edit}</a>
                                            </td>
                                        </tr>
                                    }).collect_view()}
                                </tbody>
                            </table>
                        }.into_any(),
                    }
                })}
            </Suspense>
        </section>
    }
    .into_any()
}

/// `/office/customers/:id/contracts/new` and `/office/contracts/:id`.
#[component]
pub fn ContractFormPage() -> impl IntoView {
    let params = use_params_map();
    let existing = move || params.read().get("contract").and_then(|s| crate::ids::parse_id(&s));
    let customer = move || params.read().get("id").and_then(|s| crate::ids::parse_id(&s)).unwrap_or_default();
    // "Create contract from this message" brings the insurer the customer named.
    let insurer = leptos_router::hooks::use_query_map().read_untracked().get("insurer").unwrap_or_default();
    let form = Resource::new(
        move || (existing(), customer()),
        move |(existing, customer_id)| {
            let insurer = insurer.clone();
            async move {
                match existing {
                    Some(id) => load_contract_form(id).await,
                    None => Ok(ContractForm {
                        customer_id,
                        insurer,
                        status: "active".into(),
                        interval: "monthly".into(),
                        ..ContractForm::default()
                    }),
                }
            }
        },
    );
    let lines = Resource::new(|| (), |()| catalogue());
    view! {
        <Suspense fallback=Loading>
            {move || Suspend::new(async move {
                match (form.await, lines.await) {
                    (Err(e), _) | (_, Err(e)) => view! { <LoadError error=e/> }.into_any(),
                    (Ok(form), Ok(lines)) => view! { <ContractEditor form lines/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn ContractEditor(form: ContractForm, lines: Vec<crate::catalogue::Line>) -> impl IntoView {
    let locale = use_viewer().locale;
    let ct = texts(locale);
    let save = ServerAction::<SaveContract>::new();
    let error = action_error(save.value());
    let line = RwSignal::new(form.line_id.clone());
    let lines = StoredValue::new(lines);
    let back = format!("/office/customers/{}", form.customer_id);
    let select_class = "block w-full rounded-lg border border-slate-300 bg-white px-3 py-2 text-base focus:border-brand focus:outline-none focus:ring-2 focus:ring-brand/40 aria-[invalid=true]:border-red-600";
    let field_err = move |name: &'static str| field_error(error, name);
    view! {
        <a href=back.clone() class="text-sm text-brand underline">{locale.texts().back_to_customers}</a>
        <h1 class="mt-2 mb-4 text-2xl font-semibold text-slate-900">
            {if form.id.is_some() { ct.edit_contract } else { ct.new_contract }}
        </h1>
        <FormError error/>
        <ActionForm action=save attr:class="grid max-w-3xl grid-cols-1 gap-x-4 rounded-xl bg-white p-4 ring-1 ring-slate-200 md:grid-cols-2">
            <input type="hidden" name="form[customer_id]" value=form.customer_id.0/>
            {form.id.map(|id| view! { <input type="hidden" name="form[id]" value=id.0/> })}
            <div class="mb-4">
                <label for="field-line" class="mb-1 block text-sm font-medium text-slate-800">{ct.line}</label>
                <select id="field-line" name="form[line_id]" required class=select_class
                    aria-invalid=move || field_err("line_id").get().map(|_| "true")
                    on:change=move |ev| line.set(event_target_value(&ev))>
                    <option value="">{ct.choose}</option>
                    {lines.get_value().into_iter().filter(|l| !l.hidden || l.id.to_string() == form.line_id).map(|l| {
                        let selected = l.id.to_string() == form.line_id;
                        view! { <option value=l.id.0 selected=selected>{l.name}</option> }
                    }).collect_view()}
                </select>
                <FieldMessage error=field_err("line_id")/>
            </div>
            <div class="mb-4">
                <label for="field-product" class="mb-1 block text-sm font-medium text-slate-800">{ct.product}</label>
                <select id="field-product" name="form[product_id]" class=select_class
                    aria-invalid=move || field_err("product_id").get().map(|_| "true")>
                    <option value="">{ct.no_product}</option>
                    {move || {
                        let selected = form.product_id.clone();
                        lines.get_value().into_iter().filter(|l| l.id.to_string() == line.get()).flat_map(|l| l.products)
                            .filter(|p| !p.hidden || p.id.to_string() == selected)
                            .map(|p| {
                                let is_selected = p.id.to_string() == selected;
                                view! { <option value=p.id.0 selected=is_selected>{p.name}</option> }
                            })
                            .collect_view()
                    }}
                </select>
                <FieldMessage error=field_err("product_id")/>
            </div>
            <TextField label=ct.insurer name="form[insurer]" required=true value=form.insurer.clone() error=field_err("insurer")/>
            <TextField label=ct.policy_number name="form[policy_number]" value=form.policy_number.clone() error=field_err("policy_number")/>
            <TextField label=ct.premium name="form[premium]" required=true value=form.premium.clone() hint=ct.premium_hint
                error=field_err("premium")/>
            <div class="mb-4">
                <label for="field-interval" class="mb-1 block text-sm font-medium text-slate-800">{ct.interval}</label>
                <select id="field-interval" name="form[interval]" class=select_class>
                    {Interval::ALL.into_iter().map(|i| view! {
                        <option value=i.as_str() selected=i.as_str() == form.interval>{ct.interval(i)}</option>
                    }).collect_view()}
                </select>
            </div>
            <TextField label=ct.start_date name="form[start_date]" kind="date" value=form.start_date.clone() error=field_err("start_date")/>
            <TextField label=ct.end_date name="form[end_date]" kind="date" value=form.end_date.clone() error=field_err("end_date")/>
            <div class="mb-4">
                <label for="field-status" class="mb-1 block text-sm font-medium text-slate-800">{ct.status}</label>
                <select id="field-status" name="form[status]" class=select_class aria-describedby="status-hint">
                    {[Status::Active, Status::Ended].into_iter().map(|s| view! {
                        <option value=s.as_str() selected=s.as_str() == form.status>{ct.status(s)}</option>
                    }).collect_view()}
                </select>
                <p id="status-hint" class="mt-1 text-sm text-slate-600">{ct.end_hint}</p>
            </div>
            <TextField label=ct.insured name="form[insured]" value=form.insured.clone() hint=ct.insured_hint error=field_err("insured")/>
            <div class="mb-4 md:col-span-2">
                <label for="field-description" class="mb-1 block text-sm font-medium text-slate-800">{ct.description}</label>
                <textarea id="field-description" name="form[description]" rows="4" aria-describedby="description-hint"
                    class="block w-full rounded-lg border border-slate-300 px-3 py-2 text-base focus:border-brand focus:outline-none focus:ring-2 focus:ring-brand/40">
                    {form.description.clone()}
                </textarea>
                <p id="description-hint" class="mt-1 text-sm text-slate-600">{ct.description_hint}</p>
                <FieldMessage error=field_err("description")/>
            </div>
            <div class="flex gap-3 md:col-span-2">
                <button type="submit" class=BUTTON disabled=move || save.pending().get()>
                    {move || if save.pending().get() { ct.saving } else { ct.save_contract }}
                </button>
                <a href=back class=BUTTON_SECONDARY>{ct.cancel}</a>
            </div>
        </ActionForm>
    }
    .into_any()
}

#[component]
fn FieldMessage(error: Signal<Option<String>>) -> impl IntoView {
    move || error.get().map(|e| view! { <p role="alert" class="mt-1 text-sm text-red-700">{e}</p> })
}
