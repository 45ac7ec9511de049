//! The office's side of the mailbox: one inbox for the whole office with filters and counts,
//! a conversation with assignment, close and reopen, a change request beside the record it
//! would change (apply with one click, or edit first), and writing to a customer.

use leptos::prelude::*;
use leptos_router::hooks::{use_params_map, use_query_map};

use super::pages::{title_of, ConversationHeader, ReplyForm, StatusBadge, TextArea, Thread};
use super::rules::format_iban;
use super::texts::texts;
use super::{
    colleagues, load_inbox, show_conversation, ApplyChange, Assign, Conversation, Details, InboxFilter,
    Reply, SetStatus, Status, Topic, WriteToCustomer,
};
use crate::auth::use_viewer;
use crate::documents::upload::AttachmentPicker;
use crate::i18n::fmt_datetime;
use crate::ui::{
    action_error, field_error, EmptyState, FormError, LoadError, Loading, TextField, BUTTON, BUTTON_SECONDARY,
};

const SELECT: &str = "block w-full rounded-lg border border-slate-300 bg-white px-3 py-2 text-sm focus:border-brand focus:outline-none focus:ring-2 focus:ring-brand/40";

#[component]
pub fn OfficeMailboxPage() -> impl IntoView {
    let locale = use_viewer().locale;
    let mt = texts(locale);
    let query = use_query_map();
    let filter = move || {
        let q = query.read();
        InboxFilter {
            status: q.get("status").unwrap_or_else(|| "active".into()),
            topic: q.get("topic").unwrap_or_default(),
            assignee: q.get("assignee").unwrap_or_default(),
            customer: q.get("customer").unwrap_or_default(),
            page: q.get("page").and_then(|p| p.parse().ok()).unwrap_or(0),
        }
    };
    // The same filter on another page.
    let page_link = move |page: u32| {
        let f = filter();
        let encode = crate::ui::percent_encode;
        format!(
            "/office/messages?status={}&topic={}&assignee={}&customer={}&page={page}",
            encode(&f.status),
            encode(&f.topic),
            encode(&f.assignee),
            encode(&f.customer)
        )
    };
    let t = locale.texts();
    let list = Resource::new(filter, load_inbox);
    let people = Resource::new(|| (), |()| colleagues());
    let current = filter();
    let selected = move |value: &str, wanted: &str| value == wanted;
    view! {
        <h1 class="mb-4 text-2xl font-semibold text-slate-900">{mt.title}</h1>
        <form method="get" action="/office/messages" class="mb-4 grid grid-cols-2 gap-3 rounded-xl bg-white p-4 ring-1 ring-slate-200 md:grid-cols-5" role="search">
            <div>
                <label for="filter-status" class="mb-1 block text-xs font-medium text-slate-700">{mt.status_label}</label>
                <select id="filter-status" name="status" class=SELECT>
                    {[("active", mt.status_active), ("new", mt.status(Status::New)), ("open", mt.status(Status::Open)), ("done", mt.status(Status::Done)), ("all", mt.status_all)]
                        .into_iter().map(|(v, label)| view! { <option value=v selected=selected(&current.status, v)>{label}</option> }).collect_view()}
                </select>
            </div>
            <div>
                <label for="filter-topic" class="mb-1 block text-xs font-medium text-slate-700">{mt.topic_label}</label>
                <select id="filter-topic" name="topic" class=SELECT>
                    <option value="">{mt.all_topics}</option>
                    {Topic::ALL.into_iter().map(|t| view! { <option value=t.as_str() selected=selected(&current.topic, t.as_str())>{mt.topic(t)}</option> }).collect_view()}
                </select>
            </div>
            <div>
                <label for="filter-assignee" class="mb-1 block text-xs font-medium text-slate-700">{mt.assignee}</label>
                <select id="filter-assignee" name="assignee" class=SELECT>
                    <option value="">{mt.anyone}</option>
                    <option value="me" selected=selected(&current.assignee, "me")>{mt.me}</option>
                    <option value="none" selected=selected(&current.assignee, "none")>{mt.nobody}</option>
                    <Suspense>
                        {move || Suspend::new(async move {
                            let wanted = query.read_untracked().get("assignee").unwrap_or_default();
                            people.await.unwrap_or_default().into_iter().map(|p| {
                                let id = p.id.to_string();
                                let sel = wanted == id;
                                view! { <option value=id selected=sel>{p.name}</option> }
                            }).collect_view()
                        })}
                    </Suspense>
                </select>
            </div>
            <div>
                <label for="filter-customer" class="mb-1 block text-xs font-medium text-slate-700">{mt.customer}</label>
                <input id="filter-customer" name="customer" type="search" value=current.customer.clone()
                    class="block w-full rounded-lg border border-slate-300 px-3 py-2 text-sm"/>
            </div>
            <div class="flex items-end">
                <button type="submit" class=BUTTON_SECONDARY>{mt.filter}</button>
            </div>
        </form>
        <Suspense fallback=Loading>
            {move || Suspend::new(async move {
                match list.await {
                    Err(e) => view! { <LoadError error=e/> }.into_any(),
                    Ok(inbox) => {
                        let page = filter().page;
                        view! {
                        <p class="mb-3 text-sm text-slate-700" data-testid="inbox-counts">
                            {mt.counts.replace("{unread}", &inbox.unread.to_string()).replace("{new}", &inbox.new.to_string()).replace("{open}", &inbox.open.to_string())}
                        </p>
                        {if inbox.rows.is_empty() {
                            view! { <EmptyState title=mt.office_empty_title text=mt.office_empty_text/> }.into_any()
                        } else {
                            view! {
                                <table class="w-full rounded-xl bg-white text-left text-sm ring-1 ring-slate-200" data-testid="inbox">
                                    <thead class="text-slate-600">
                                        <tr>
                                            <th scope="col" class="px-3 py-2">{mt.subject}</th>
                                            <th scope="col" class="px-3 py-2">{mt.customer}</th>
                                            <th scope="col" class="px-3 py-2">{mt.status_label}</th>
                                            <th scope="col" class="px-3 py-2">{mt.assignee}</th>
                                            <th scope="col" class="px-3 py-2">{mt.last_activity}</th>
                                        </tr>
                                    </thead>
                                    <tbody>
                                        {inbox.rows.into_iter().map(|row| {
                                            let title = title_of(&row, locale);
                                            view! {
                                                <tr class="border-t border-slate-100" class=("font-semibold", row.unread) data-testid="inbox-row">
                                                    <td class="px-3 py-2">
                                                        <a class="text-slate-900 underline decoration-slate-300 hover:text-brand" href=format!("/office/messages/{}", row.id)>{title}</a>
                                                        {row.unread.then(|| view! { <span class="ml-2 rounded-full bg-brand px-2 py-0.5 text-xs text-on-brand">{mt.unread}</span> })}
                                                    </td>
                                                    <td class="px-3 py-2">{row.customer_name.clone()}{row.person_name.clone().map(|p| view! { <span class="block text-xs text-slate-600">{mt.written_by.replace("{name}", &p)}</span> })}</td>
                                                    <td class="px-3 py-2"><StatusBadge status=row.status/></td>
                                                    <td class="px-3 py-2">{row.assignee_name.clone().unwrap_or_else(|| "–".into())}</td>
                                                    <td class="px-3 py-2">{fmt_datetime(row.updated_at, locale)}</td>
                                                </tr>
                                            }
                                        }).collect_view()}
                                    </tbody>
                                </table>
                                <nav aria-label=t.pages class="mt-4 flex items-center gap-4">
                                    {(page > 0).then(|| view! { <a class=BUTTON_SECONDARY href=page_link(page - 1)>{t.previous_page}</a> })}
                                    {(page > 0 || inbox.more).then(|| view! { <span class="text-sm text-slate-600">{t.page_n.replace("{n}", &(page + 1).to_string())}</span> })}
                                    {inbox.more.then(|| view! { <a class=BUTTON_SECONDARY href=page_link(page + 1)>{t.next_page}</a> })}
                                </nav>
                            }.into_any()
                        }}
                    }.into_any()
                    }
                }
            })}
        </Suspense>
    }
}

#[component]
pub fn OfficeConversationPage() -> impl IntoView {
    let mt = texts(use_viewer().locale);
    let params = use_params_map();
    let id = move || params.read().get("id").and_then(|s| crate::ids::parse_id(&s)).unwrap_or_default();
    let reply = ServerAction::<Reply>::new();
    let assign = ServerAction::<Assign>::new();
    let status = ServerAction::<SetStatus>::new();
    let apply = ServerAction::<ApplyChange>::new();
    let conversation = Resource::new(
        move || {
            (
                id(),
                reply.version().get(),
                assign.version().get(),
                status.version().get(),
                apply.version().get(),
            )
        },
        |(id, ..)| show_conversation(id),
    );
    let people = Resource::new(|| (), |()| colleagues());
    let marked = StoredValue::new(None);
    view! {
        <a href="/office/messages" class="text-sm text-brand underline">{mt.back}</a>
        <Suspense fallback=Loading>
            {move || Suspend::new(async move {
                let people = people.await.unwrap_or_default();
                match conversation.await {
                    Err(e) => view! { <div class="mt-4"><LoadError error=e/></div> }.into_any(),
                    Ok(c) => {
                        super::mark_shown_read(marked, &c.row);
                        let id = c.row.id;
                        let customer_id = c.row.customer_id;
                        let done = c.row.status == Status::Done;
                        let assignee = c.row.assignee_id;
                        view! {
                            <div class="grid gap-6 lg:grid-cols-3">
                                <div class="lg:col-span-2">
                                    <ConversationHeader conversation=c.clone()/>
                                    <p class="mb-4 text-sm text-slate-700">
                                        {mt.customer}": "
                                        <a class="text-brand underline" href=format!("/office/customers/{customer_id}")>{c.row.customer_name.clone()}</a>
                                        {c.row.person_name.clone().map(|p| view! { " · "{mt.written_by.replace("{name}", &p)} })}
                                    </p>
                                    <ChangeRequest conversation=c.clone() action=apply/>
                                    <MissingContractLink conversation=c.clone()/>
                                    <Thread messages=c.messages mine_from_customer=false/>
                                    <ReplyForm id action=reply customer_id=Some(customer_id)/>
                                </div>
                                <aside class="space-y-4">
                                    <ActionForm action=assign attr:class="rounded-xl bg-white p-4 ring-1 ring-slate-200">
                                        <input type="hidden" name="id" value=id.0/>
                                        <label for="assignee" class="mb-1 block text-sm font-medium text-slate-800">{mt.assignee}</label>
                                        <select id="assignee" name="assignee" class=SELECT>
                                            <option value="">{mt.nobody}</option>
                                            {people.into_iter().map(|p| view! { <option value=p.id.0 selected=assignee == Some(p.id)>{p.name}</option> }).collect_view()}
                                        </select>
                                        <button type="submit" class=format!("{BUTTON_SECONDARY} mt-2")>{mt.assign}</button>
                                    </ActionForm>
                                    <ActionForm action=status attr:class="rounded-xl bg-white p-4 ring-1 ring-slate-200">
                                        <input type="hidden" name="id" value=id.0/>
                                        <input type="hidden" name="status" value=if done { "open" } else { "done" }/>
                                        <button type="submit" class=if done { BUTTON_SECONDARY } else { BUTTON }>
                                            {if done { mt.reopen } else { mt.close }}
                                        </button>
                                    </ActionForm>
                                </aside>
                            </div>
                        }.into_any()
                    }
                }
            })}
        </Suspense>
    }
}

/// A change request: what is on record, what the customer asks for (editable), and apply.
#[component]
fn ChangeRequest(conversation: Conversation, action: ServerAction<ApplyChange>) -> impl IntoView {
    let mt = texts(use_viewer().locale);
    let error = action_error(action.value());
    let current = conversation.current.clone().unwrap_or_default();
    let id = conversation.row.id;
    let applied = conversation.applied_at.is_some();
    let rows: Vec<(&'static str, &'static str, String, String)> =
        match (&conversation.row.topic, &conversation.details) {
            (Topic::Address, Details::Address { street, postal_code, city, country, valid_from }) => vec![
                ("street", mt.street, current.street.clone(), street.clone()),
                ("postal_code", mt.postal_code, current.postal_code.clone(), postal_code.clone()),
                ("city", mt.city, current.city.clone(), city.clone()),
                ("country", mt.country, current.country, country.clone()),
                ("valid_from", mt.valid_from, String::new(), valid_from.clone()),
            ],
            (Topic::Bank, Details::Bank { account_holder, iban, valid_from, .. }) => vec![
                ("account_holder", mt.account_holder, current.account_holder.clone(), account_holder.clone()),
                ("iban", mt.iban, format_iban(&current.iban), format_iban(iban)),
                ("valid_from", mt.valid_from, String::new(), valid_from.clone()),
            ],
            _ => return ().into_any(),
        };
    view! {
        <section class="mb-6 rounded-xl bg-white p-4 ring-1 ring-slate-200" aria-labelledby="change-heading" data-testid="change-request">
            <h2 id="change-heading" class="mb-3 font-semibold text-slate-900">{mt.change_request}</h2>
            <ActionForm action>
                <FormError error/>
                <input type="hidden" name="id" value=id.0/>
                <input type="hidden" name="change[topic]" value=conversation.row.topic.as_str()/>
                <table class="mb-3 w-full text-left text-sm">
                    <thead class="text-slate-600">
                        <tr>
                            <th scope="col" class="py-1 pr-3">{mt.field}</th>
                            <th scope="col" class="py-1 pr-3">{mt.on_record}</th>
                            <th scope="col" class="py-1">{mt.requested}</th>
                        </tr>
                    </thead>
                    <tbody>
                        {rows.into_iter().map(|(name, label, now, wanted)| {
                            let input_id = format!("apply-{name}");
                            let changed = now != wanted && !now.is_empty();
                            view! {
                                <tr class="border-t border-slate-100">
                                    <th scope="row" class="py-2 pr-3 font-medium"><label for=input_id.clone()>{label}</label></th>
                                    <td class="py-2 pr-3 text-slate-600" class=("line-through", changed) data-testid=format!("current-{name}")>{if now.is_empty() { "–".to_owned() } else { now }}</td>
                                    <td class="py-2">
                                        <input id=input_id name=format!("change[{name}]") value=wanted disabled=applied
                                            type=if name == "valid_from" { "date" } else { "text" }
                                            class="block w-full rounded-lg border border-slate-300 px-2 py-1.5"/>
                                        {move || field_error(error, name).get().map(|e| view! { <p class="mt-1 text-sm text-red-700">{e}</p> })}
                                    </td>
                                </tr>
                            }
                        }).collect_view()}
                    </tbody>
                </table>
                {(!applied).then(|| view! {
                    <p class="mb-2 text-xs text-slate-600">{mt.apply_hint}</p>
                    <button type="submit" class=BUTTON>{mt.apply}</button>
                })}
            </ActionForm>
        </section>
    }
    .into_any()
}

/// A missing contract: create it from the message, for this customer, with the insurer.
#[component]
fn MissingContractLink(conversation: Conversation) -> impl IntoView {
    let mt = texts(use_viewer().locale);
    let Details::MissingContract { insurer } = &conversation.details else { return ().into_any() };
    let mut href = format!("/office/customers/{}/contracts/new", conversation.row.customer_id);
    if !insurer.is_empty() {
        href.push_str("?insurer=");
        href.push_str(&crate::ui::percent_encode(insurer));
    }
    view! {
        <p class="mb-4"><a href=href class=BUTTON data-testid="create-contract">{mt.create_contract}</a></p>
    }
    .into_any()
}

/// Staff write to a customer: subject, text, files.
#[component]
pub fn OfficeComposePage() -> impl IntoView {
    let mt = texts(use_viewer().locale);
    let query = use_query_map();
    let customer_id: crate::ids::CustomerId =
        query.read_untracked().get("customer").and_then(|s| crate::ids::parse_id(&s)).unwrap_or_default();
    let write = ServerAction::<WriteToCustomer>::new();
    let error = action_error(write.value());
    let body = RwSignal::new(String::new());
    let attached = RwSignal::new(Vec::<crate::ids::DocumentId>::new());
    let busy = RwSignal::new(false);
    let ids = move || attached.get().iter().map(ToString::to_string).collect::<Vec<_>>().join(",");
    view! {
        <a href=format!("/office/customers/{customer_id}") class="text-sm text-brand underline">{mt.back_to_customer}</a>
        <h1 class="mt-2 mb-4 text-2xl font-semibold text-slate-900">{mt.write_to_customer}</h1>
        <ActionForm action=write attr:class="max-w-2xl rounded-xl bg-white p-4 ring-1 ring-slate-200">
            <FormError error/>
            <input type="hidden" name="customer_id" value=customer_id.0/>
            <input type="hidden" name="attachments" prop:value=ids/>
            <TextField label=mt.subject name="subject" required=true error=field_error(error, "subject")/>
            <TextArea value=body name="body" id="field-body" label=mt.your_message required=true error=field_error(error, "body")/>
            <AttachmentPicker customer_id=Some(customer_id) attached busy error=field_error(error, "attachments")/>
            <button type="submit" class=BUTTON disabled=move || busy.get() || write.pending().get()>
                {move || if busy.get() { mt.waiting_for_files } else { mt.send }}
            </button>
        </ActionForm>
    }
}
