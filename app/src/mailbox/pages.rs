//! The customer's Postfach: the conversations, starting one by choosing what it is about
//! (each kind with its own short form, a draft kept on the phone), and a conversation with
//! its replies. The pieces both sides show (status, details, thread, reply) live here too.

use leptos::prelude::*;
use leptos_router::hooks::{use_params_map, use_query_map};

use super::rules::{concerns_health, format_iban};
use super::texts::{texts, MailboxTexts};
use super::{
    my_consents, my_conversations, show_conversation, Compose, Consent, Conversation, ConversationRow,
    Details, Message, Reply, StartConversation, Status, Topic, WithdrawConsent,
};
use crate::auth::use_viewer;
use crate::contracts::my_contracts;
use crate::customers::input::{country_name, COUNTRY_CHOICES};
use crate::documents::fmt_size;
use crate::documents::upload::AttachmentPicker;
use crate::i18n::{fmt_date, fmt_datetime, Locale};
use crate::ids::{ConversationId, CustomerId, DocumentId};
use crate::ui::{
    action_error, described_by, field_error, Confirm, EmptyState, FormError, LoadError, Loading, Notice,
    BUTTON, BUTTON_SECONDARY,
};

/// What a conversation is called in lists: the office's subject, else its kind and contract.
pub fn title_of(row: &ConversationRow, locale: Locale) -> String {
    if !row.subject.is_empty() {
        return row.subject.clone();
    }
    let kind = texts(locale).topic(row.topic);
    match &row.contract_label {
        Some(label) => format!("{kind} · {label}"),
        None => kind.to_owned(),
    }
}

#[component]
pub fn StatusBadge(status: Status) -> impl IntoView {
    let mt = texts(use_viewer().locale);
    let class = match status {
        Status::New => "bg-amber-100 text-amber-900",
        Status::Open => "bg-sky-100 text-sky-900",
        Status::Done => "bg-emerald-100 text-emerald-900",
    };
    view! {
        <span class=format!("inline-block rounded-full px-2 py-0.5 text-xs font-medium {class}") data-testid="status">
            {mt.status(status)}
        </span>
    }
}

/// The conversations of the signed-in customer.
#[component]
pub fn MailboxPage() -> impl IntoView {
    let locale = use_viewer().locale;
    let mt = texts(locale);
    let list = Resource::new(|| (), |()| my_conversations());
    view! {
        <div class="mb-4 flex items-center justify-between gap-3">
            <h1 class="text-2xl font-semibold text-slate-900">{mt.title}</h1>
            <a href="/app/messages/new" class=BUTTON>{mt.new_message}</a>
        </div>
        <p class="mb-4 text-sm text-slate-600">{mt.intro}</p>
        <Suspense fallback=Loading>
            {move || Suspend::new(async move {
                match list.await {
                    Err(e) => view! { <LoadError error=e/> }.into_any(),
                    Ok(rows) if rows.is_empty() => view! { <EmptyState title=mt.empty_title text=mt.empty_text/> }.into_any(),
                    Ok(rows) => view! {
                        <ul class="space-y-2" data-testid="conversations">
                            {rows.into_iter().map(|row| { let href = format!("/app/messages/{}", row.id); view! { <ConversationItem row href/> } }).collect_view()}
                        </ul>
                    }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn ConversationItem(row: ConversationRow, href: String) -> impl IntoView {
    let locale = use_viewer().locale;
    let mt = texts(locale);
    let title = title_of(&row, locale);
    view! {
        <li>
            <a href=href data-testid="conversation"
                class="flex items-start gap-3 rounded-xl bg-white p-4 ring-1 ring-slate-200 hover:ring-brand focus:outline-none focus:ring-2 focus:ring-brand">
                <span class="mt-1.5 h-2.5 w-2.5 shrink-0 rounded-full" class=("bg-brand", row.unread) aria-hidden="true"></span>
                <span class="min-w-0 flex-1">
                    <span class="block truncate text-slate-900" class=("font-semibold", row.unread)>{title}</span>
                    <span class="block text-xs text-slate-600">{fmt_datetime(row.updated_at, locale)}</span>
                    {row.unread.then(|| view! { <span class="sr-only">{mt.unread}</span> })}
                </span>
                <StatusBadge status=row.status/>
            </a>
        </li>
    }
}

/// Whether the person acts for the holder of the folder they look at: the policyholder or a
/// company's legal representative may ask for every kind of thing and send files; someone
/// with a grant for some contracts asks questions about them.
fn acts_for_holder() -> bool {
    use_viewer()
        .user
        .is_some_and(|u| u.current_folder().is_some_and(crate::access::FolderAccess::acts_for_holder))
}

/// The kinds of message the person may start.
fn topics() -> Vec<Topic> {
    if acts_for_holder() {
        Topic::CUSTOMER.to_vec()
    } else {
        vec![Topic::Question]
    }
}

/// "Worum geht es?": the kinds of message a customer can start.
#[component]
pub fn NewMessagePage() -> impl IntoView {
    let mt = texts(use_viewer().locale);
    let query = use_query_map();
    let contract = move || query.read().get("contract").unwrap_or_default();
    view! {
        <a href="/app/messages" class="text-sm text-brand underline">{mt.back}</a>
        <h1 class="mt-2 mb-4 text-2xl font-semibold text-slate-900">{mt.what_about}</h1>
        <ul class="space-y-2">
            {topics().into_iter().map(|topic| {
                let href = move || match contract() {
                    c if c.is_empty() => format!("/app/messages/new/{}", topic.as_str()),
                    c => format!("/app/messages/new/{}?contract={c}", topic.as_str()),
                };
                view! {
                    <li>
                        <a href=href class="block rounded-xl bg-white p-4 ring-1 ring-slate-200 hover:ring-brand focus:outline-none focus:ring-2 focus:ring-brand">
                            <span class="block font-medium text-slate-900">{mt.action(topic)}</span>
                            <span class="block text-sm text-slate-600">{mt.topic_hint(topic)}</span>
                        </a>
                    </li>
                }
            }).collect_view()}
        </ul>
    }
}

/// Every field of the message form, as signals (for the draft).
#[derive(Clone, Copy)]
struct Fields([RwSignal<String>; Compose::FIELDS.len()]);

impl Fields {
    fn new() -> Self {
        Fields(std::array::from_fn(|_| RwSignal::new(String::new())))
    }

    fn get(self, name: &str) -> RwSignal<String> {
        let index = Compose::FIELDS.iter().position(|n| *n == name).unwrap_or(0);
        self.0[index]
    }
}

/// Where the draft stands, for the line under the form.
#[derive(Clone, Copy, PartialEq, Eq)]
#[cfg_attr(not(feature = "hydrate"), allow(dead_code))]
enum DraftState {
    Untouched,
    /// A draft from before came back.
    Restored,
    Saving,
    Saved,
    Failed,
}

/// The form as a draft: what the fields hold now.
#[cfg_attr(not(feature = "hydrate"), allow(dead_code))]
fn draft_of(topic: Topic, fields: Fields) -> Compose {
    let mut draft = Compose { topic: topic.as_str().to_owned(), ..Compose::default() };
    for name in Compose::FIELDS {
        if let Some(field) = draft.field_mut(name) {
            *field = fields.get(name).get_untracked();
        }
    }
    draft
}

/// The form of one kind of message.
#[component]
pub fn ComposePage() -> impl IntoView {
    let locale = use_viewer().locale;
    let mt = texts(locale);
    let params = use_params_map();
    let query = use_query_map();
    let topic =
        params.read_untracked().get("topic").and_then(|t| Topic::parse(&t)).filter(|t| topics().contains(t));
    let files = acts_for_holder();
    let Some(topic) = topic else {
        return view! { <LoadError error=crate::error::AppError::NotFound/> }.into_any();
    };
    let fields = Fields::new();
    fields.get("contract_id").set(query.read_untracked().get("contract").unwrap_or_default());
    let start = ServerAction::<StartConversation>::new();
    let error = action_error(start.value());
    let attached = RwSignal::new(Vec::<DocumentId>::new());
    let busy = RwSignal::new(false);
    let attachments = fields.get("attachments");
    // A draft from before comes back (with its files, already on the server), from the
    // server where it is kept for this account; what is typed is kept shortly after.
    let draft_state = RwSignal::new(DraftState::Untouched);
    #[cfg(feature = "hydrate")]
    {
        use std::time::Duration;
        let loaded = RwSignal::new(false);
        let last_saved = StoredValue::new(Compose::default());
        let scheduled = StoredValue::new(false);
        leptos::task::spawn_local(async move {
            if let Ok(saved) = super::load_draft(topic).await {
                // What was typed while the draft was on its way wins.
                if draft_of(topic, fields).fields().iter().all(|(n, v)| v.is_empty() || *n == "contract_id") {
                    for (name, value) in saved.fields() {
                        if !value.is_empty() {
                            fields.get(name).set(value.to_owned());
                        }
                    }
                    let files: Vec<DocumentId> =
                        attachments.get_untracked().split(',').filter_map(crate::ids::parse_id).collect();
                    attached.set(files);
                    if !saved.is_blank() {
                        draft_state.set(DraftState::Restored);
                    }
                }
            }
            // Only a change from here on is saved (a failed load never blanks a draft).
            last_saved.set_value(draft_of(topic, fields));
            loaded.set(true);
        });
        Effect::new(move |_| {
            for name in Compose::FIELDS {
                fields.get(name).track();
            }
            if !loaded.get() || scheduled.get_value() {
                return;
            }
            if last_saved.with_value(|saved| *saved == draft_of(topic, fields)) {
                return;
            }
            // One save a moment after typing stops; it takes what the fields hold then.
            scheduled.set_value(true);
            draft_state.set(DraftState::Saving);
            set_timeout(
                move || {
                    scheduled.set_value(false);
                    if start.pending().get_untracked() || matches!(start.value().get_untracked(), Some(Ok(_)))
                    {
                        return;
                    }
                    let draft = draft_of(topic, fields);
                    leptos::task::spawn_local(async move {
                        match super::save_draft(draft.clone()).await {
                            Ok(()) => {
                                last_saved.set_value(draft);
                                draft_state.set(DraftState::Saved);
                            }
                            Err(_) => draft_state.set(DraftState::Failed),
                        }
                    });
                },
                Duration::from_millis(700),
            );
        });
    }
    // The ids in the form (and so in the draft) follow the picker.
    Effect::new(move |_| {
        let ids = attached.get().iter().map(ToString::to_string).collect::<Vec<_>>().join(",");
        if ids != attachments.get_untracked() {
            attachments.set(ids);
        }
    });
    let contracts = Resource::new(|| (), |()| my_contracts());
    let contract_id = fields.get("contract_id");
    let health = Signal::derive(move || {
        topic == Topic::Claim
            && contracts
                .get()
                .and_then(Result::ok)
                .unwrap_or_default()
                .iter()
                .any(|c| c.id.to_string() == contract_id.get() && concerns_health(&c.line))
    });
    let consent = fields.get("health_consent");
    let err = move |field: &'static str| field_error(error, field);
    view! {
        <a href="/app/messages/new" class="text-sm text-brand underline">{mt.back}</a>
        <h1 class="mt-2 mb-1 text-2xl font-semibold text-slate-900">{mt.action(topic)}</h1>
        <p class="mb-4 text-sm text-slate-600">{mt.topic_hint(topic)}</p>
        <ActionForm action=start attr:class="rounded-xl bg-white p-4 ring-1 ring-slate-200" attr:novalidate="">
            <FormError error/>
            <input type="hidden" name="compose[topic]" value=topic.as_str()/>
            {match topic {
                Topic::Question | Topic::Claim => view! {
                    <ContractSelect contracts value=contract_id required=topic == Topic::Claim error=err("contract_id")/>
                }.into_any(),
                _ => view! { <input type="hidden" name="compose[contract_id]" prop:value=move || contract_id.get()/> }.into_any(),
            }}
            {match topic {
                Topic::Address => view! {
                    <Input fields name="street" label=mt.street autocomplete="street-address" required=true error=err("street")/>
                    <div class="grid grid-cols-3 gap-3">
                        <Input fields name="postal_code" label=mt.postal_code autocomplete="postal-code" required=true error=err("postal_code")/>
                        <div class="col-span-2"><Input fields name="city" label=mt.city autocomplete="address-level2" required=true error=err("city")/></div>
                    </div>
                    <CountrySelect fields label=mt.country error=err("country")/>
                    <Input fields name="valid_from" label=mt.valid_from kind="date" required=true error=err("valid_from")/>
                }.into_any(),
                Topic::Bank => view! {
                    <Input fields name="account_holder" label=mt.account_holder autocomplete="name" required=true error=err("account_holder")/>
                    <Input fields name="iban" label=mt.iban hint=mt.iban_hint required=true error=err("iban")/>
                    <Input fields name="valid_from" label=mt.valid_from kind="date" required=true error=err("valid_from")/>
                    <Input fields name="sepa_note" label=mt.sepa_note hint=mt.sepa_hint error=err("sepa_note")/>
                }.into_any(),
                Topic::Claim => view! {
                    <Input fields name="claim_date" label=mt.claim_date kind="date" required=true error=err("claim_date")/>
                    <Input fields name="place" label=mt.place required=true error=err("place")/>
                }.into_any(),
                Topic::MissingContract => view! {
                    <Input fields name="insurer" label=mt.insurer hint=mt.insurer_hint error=err("insurer")/>
                }.into_any(),
                Topic::Question | Topic::Office => ().into_any(),
            }}
            <TextArea value=fields.get("body") name="compose[body]" id="field-body"
                label=mt.body_label(topic) required=matches!(topic, Topic::Question | Topic::Claim)
                hint=mt.special_data_hint error=err("body")/>
            <input type="hidden" name="compose[attachments]" prop:value=move || attachments.get()/>
            {(files && matches!(topic, Topic::Claim | Topic::MissingContract | Topic::Question)).then(|| view! {
                <AttachmentPicker customer_id=None attached busy error=err("attachments")/>
            })}
            <Show when=move || health.get()>
                <div class="mb-4 rounded-lg bg-sky-50 p-3 ring-1 ring-sky-200">
                    <label class="flex items-start gap-2 text-sm text-slate-900">
                        <input type="checkbox" name="compose[health_consent]" value="on" class="mt-1"
                            prop:checked=move || consent.get() == "on"
                            on:change=move |ev| consent.set(if event_target_checked(&ev) { "on".into() } else { String::new() })
                            aria-describedby="consent-error"/>
                        <span>{mt.health_consent}</span>
                    </label>
                    <p id="consent-error" class="mt-1 text-sm text-red-700">{move || err("health_consent").get()}</p>
                </div>
            </Show>
            <button type="submit" class=BUTTON disabled=move || busy.get() || start.pending().get()>
                {move || if busy.get() { mt.waiting_for_files } else if start.pending().get() { mt.sending } else { mt.send }}
            </button>
            <p class="mt-2 min-h-5 text-sm text-slate-600" role="status" data-testid="draft-status">
                {move || match draft_state.get() {
                    DraftState::Untouched => "",
                    DraftState::Restored => mt.draft_restored,
                    DraftState::Saving => mt.draft_saving,
                    DraftState::Saved => mt.draft_saved,
                    DraftState::Failed => mt.draft_failed,
                }}
            </p>
        </ActionForm>
    }
    .into_any()
}

/// The country of a new address, from the countries Folio knows (the record stores its code).
#[component]
fn CountrySelect(fields: Fields, label: &'static str, error: Signal<Option<String>>) -> impl IntoView {
    let locale = use_viewer().locale;
    let value = fields.get("country");
    if value.get_untracked().is_empty() {
        value.set("DE".to_owned());
    }
    view! {
        <div class="mb-4">
            <label for="field-country" class="mb-1 block text-sm font-medium text-slate-800">{label}</label>
            <select id="field-country" name="compose[country]" autocomplete="country"
                on:change=move |ev| value.set(event_target_value(&ev))
                aria-invalid=move || error.get().map(|_| "true")
                aria-describedby=move || error.get().map(|_| "field-country-error")
                class="block w-full rounded-lg border border-slate-300 bg-white px-3 py-2 text-base focus:border-brand focus:outline-none focus:ring-2 focus:ring-brand/40">
                {COUNTRY_CHOICES.iter().map(|code| view! {
                    <option value=*code selected=move || value.get() == *code>{country_name(code, locale)}</option>
                }).collect_view()}
            </select>
            {move || error.get().map(|e| view! { <p id="field-country-error" class="mt-1 text-sm text-red-700">{e}</p> })}
        </div>
    }
}

/// A text input bound to a field of the message form.
#[component]
fn Input(
    fields: Fields,
    name: &'static str,
    label: &'static str,
    #[prop(default = "text")] kind: &'static str,
    #[prop(default = "off")] autocomplete: &'static str,
    #[prop(optional)] required: bool,
    #[prop(optional)] hint: Option<&'static str>,
    error: Signal<Option<String>>,
) -> impl IntoView {
    let value = fields.get(name);
    let id = format!("field-{name}");
    let described = described_by(&id, hint.is_some(), error);
    view! {
        <div class="mb-4">
            <label for=id.clone() class="mb-1 block text-sm font-medium text-slate-800">
                {label}{(!required).then(|| view! { <span class="font-normal text-slate-500">{texts(use_viewer().locale).optional}</span> })}
            </label>
            <input id=id name=format!("compose[{name}]") type=kind autocomplete=autocomplete required=required
                prop:value=move || value.get() on:input=move |ev| value.set(event_target_value(&ev))
                aria-invalid=move || error.get().map(|_| "true") aria-describedby=described
                class="block w-full rounded-lg border border-slate-300 px-3 py-2 text-base focus:border-brand focus:outline-none focus:ring-2 focus:ring-brand/40 aria-[invalid=true]:border-red-600"/>
            {hint.map(|h| view! { <p id=format!("field-{name}-hint") class="mt-1 text-sm text-slate-600">{h}</p> })}
            {move || error.get().map(|e| view! { <p id=format!("field-{name}-error") class="mt-1 text-sm text-red-700">{e}</p> })}
        </div>
    }
}

/// A multi-line text bound to a signal.
#[component]
pub fn TextArea(
    value: RwSignal<String>,
    name: &'static str,
    id: &'static str,
    label: &'static str,
    #[prop(optional)] required: bool,
    /// Empty for none.
    #[prop(optional)]
    hint: Option<&'static str>,
    error: Signal<Option<String>>,
) -> impl IntoView {
    let hint = hint.filter(|h| !h.is_empty());
    let described = described_by(id, hint.is_some(), error);
    view! {
        <div class="mb-4">
            <label for=id class="mb-1 block text-sm font-medium text-slate-800">{label}</label>
            <textarea id=id name=name rows="5" required=required maxlength="5000"
                prop:value=move || value.get() on:input=move |ev| value.set(event_target_value(&ev))
                aria-invalid=move || error.get().map(|_| "true") aria-describedby=described
                class="block w-full rounded-lg border border-slate-300 px-3 py-2 text-base focus:border-brand focus:outline-none focus:ring-2 focus:ring-brand/40 aria-[invalid=true]:border-red-600">
            </textarea>
            {hint.map(|h| view! { <p id=format!("{id}-hint") class="mt-1 text-sm text-slate-600">{h}</p> })}
            {move || error.get().map(|e| view! { <p id=format!("{id}-error") class="mt-1 text-sm text-red-700">{e}</p> })}
        </div>
    }
}

#[component]
fn ContractSelect(
    contracts: Resource<Result<Vec<crate::contracts::ContractCard>, crate::error::AppError>>,
    value: RwSignal<String>,
    required: bool,
    error: Signal<Option<String>>,
) -> impl IntoView {
    let mt = texts(use_viewer().locale);
    view! {
        <div class="mb-4">
            <label for="field-contract_id" class="mb-1 block text-sm font-medium text-slate-800">
                {mt.contract}{(!required).then(|| view! { <span class="font-normal text-slate-500">{mt.optional}</span> })}
            </label>
            <select id="field-contract_id" name="compose[contract_id]" required=required
                on:change=move |ev| value.set(event_target_value(&ev))
                aria-invalid=move || error.get().map(|_| "true")
                aria-describedby=move || error.get().map(|_| "field-contract_id-error")
                class="block w-full rounded-lg border border-slate-300 bg-white px-3 py-2 text-base focus:border-brand focus:outline-none focus:ring-2 focus:ring-brand/40 aria-[invalid=true]:border-red-600">
                <option value="">{if required { mt.choose_contract } else { mt.no_contract }}</option>
                <Suspense>
                    {move || Suspend::new(async move {
                        contracts.await.unwrap_or_default().into_iter().filter(|c| c.status == crate::contracts::Status::Active).map(|c| {
                            let id = c.id.to_string();
                            let mine = id.clone();
                            // Follows the value: a restored draft selects its contract.
                            view! { <option value=id selected=move || value.get() == mine>{format!("{} · {}", c.title(), c.policy_number)}</option> }
                        }).collect_view()
                    })}
                </Suspense>
            </select>
            {move || error.get().map(|e| view! { <p id="field-contract_id-error" class="mt-1 text-sm text-red-700">{e}</p> })}
        </div>
    }
}

/// One conversation for its customer.
#[component]
pub fn ConversationPage() -> impl IntoView {
    let locale = use_viewer().locale;
    let mt = texts(locale);
    let params = use_params_map();
    let query = use_query_map();
    let id = move || params.read().get("id").and_then(|s| crate::ids::parse_id(&s)).unwrap_or_default();
    let sent = query.read_untracked().get("sent").is_some();
    let files = acts_for_holder();
    let reply = ServerAction::<Reply>::new();
    let conversation = Resource::new(move || (id(), reply.version().get()), |(id, _)| show_conversation(id));
    let marked = StoredValue::new(None);
    view! {
        <a href="/app/messages" class="text-sm text-brand underline">{mt.back}</a>
        {sent.then(|| view! { <div class="mt-3"><Notice text=mt.sent_notice/></div> })}
        <Suspense fallback=Loading>
            {move || Suspend::new(async move {
                match conversation.await {
                    Err(e) => view! { <div class="mt-4"><LoadError error=e/></div> }.into_any(),
                    Ok(c) => {
                        super::mark_shown_read(marked, &c.row);
                        let id = c.row.id;
                        view! {
                            <ConversationHeader conversation=c.clone()/>
                            <Thread messages=c.messages mine_from_customer=true/>
                            <ReplyForm id action=reply customer_id=None files/>
                        }.into_any()
                    }
                }
            })}
        </Suspense>
    }
}

/// Title, status, contract and what a request asks for.
#[component]
pub fn ConversationHeader(conversation: Conversation) -> impl IntoView {
    let locale = use_viewer().locale;
    let mt = texts(locale);
    let c = conversation;
    view! {
        <div class="mt-2 mb-4">
            <div class="flex flex-wrap items-center gap-2">
                <h1 class="text-2xl font-semibold text-slate-900">{title_of(&c.row, locale)}</h1>
                <StatusBadge status=c.row.status/>
            </div>
            <DetailsView details=c.details.clone()/>
            {c.health_consent_at.map(|at| view! {
                <p class="mt-2 text-xs text-slate-600">{mt.consent_given.replace("{date}", &fmt_datetime(at, locale))}</p>
            })}
            {c.health_consent_withdrawn_at.map(|at| view! {
                <p class="mt-2 rounded-lg bg-red-50 px-3 py-2 text-sm font-medium text-red-800" data-testid="consent-withdrawn">
                    {mt.consent_withdrawn.replace("{date}", &fmt_datetime(at, locale))}
                </p>
            })}
            {c.applied_at.map(|at| view! {
                <p class="mt-2 text-sm text-emerald-800" data-testid="applied">
                    {mt.applied_on.replace("{date}", &fmt_datetime(at, locale)).replace("{name}", &c.applied_by.clone().unwrap_or_default())}
                </p>
            })}
        </div>
    }
}

/// The structured part of a request as a list of facts.
#[component]
pub fn DetailsView(details: Details) -> impl IntoView {
    let locale = use_viewer().locale;
    let mt = texts(locale);
    let date = move |d: &str| if d.is_empty() { String::new() } else { fmt_date(d, locale) };
    let facts: Vec<(&'static str, String)> = match details {
        Details::None => Vec::new(),
        Details::Address { street, postal_code, city, country, valid_from } => vec![
            (mt.new_address, format!("{street}, {postal_code} {city}, {}", country_name(&country, locale))),
            (mt.valid_from, date(&valid_from)),
        ],
        Details::Bank { account_holder, iban, valid_from, sepa_note } => {
            let mut facts = vec![
                (mt.account_holder, account_holder),
                (mt.iban, format_iban(&iban)),
                (mt.valid_from, date(&valid_from)),
            ];
            if !sepa_note.is_empty() {
                facts.push((mt.sepa_note, sepa_note));
            }
            facts
        }
        Details::Claim { date: day, place } => vec![(mt.claim_date, date(&day)), (mt.place, place)],
        Details::MissingContract { insurer } if insurer.is_empty() => Vec::new(),
        Details::MissingContract { insurer } => vec![(mt.insurer, insurer)],
    };
    (!facts.is_empty()).then(|| view! {
        <dl class="mt-3 grid grid-cols-1 gap-2 rounded-xl bg-white p-4 ring-1 ring-slate-200 sm:grid-cols-2" data-testid="details">
            {facts.into_iter().map(|(label, value)| view! {
                <div>
                    <dt class="text-xs font-medium uppercase tracking-wide text-slate-500">{label}</dt>
                    <dd class="text-slate-900">{value}</dd>
                </div>
            }).collect_view()}
        </dl>
    })
}

/// The messages, the reader's own on the right.
#[component]
pub fn Thread(messages: Vec<Message>, mine_from_customer: bool) -> impl IntoView {
    let locale = use_viewer().locale;
    let mt = texts(locale);
    view! {
        <ol class="mb-6 space-y-3" aria-label=mt.messages data-testid="thread">
            {messages.into_iter().map(|m| {
                let mine = m.from_customer == mine_from_customer;
                let who = if m.author_name.is_empty() { mt.someone.to_owned() } else { m.author_name.clone() };
                view! {
                    <li class="flex" class=("justify-end", mine) data-testid="message">
                        <div class="max-w-[85%] rounded-2xl px-4 py-3 shadow-sm"
                            class=("bg-brand/10", mine) class=("bg-white", !mine) class=("ring-1", !mine) class=("ring-slate-200", !mine)>
                            <p class="mb-1 text-xs text-slate-600">{who}" · "{fmt_datetime(m.created_at, locale)}</p>
                            {(!m.body.is_empty()).then(|| view! { <p class="whitespace-pre-line text-slate-900">{m.body.clone()}</p> })}
                            <Gallery attachments=m.attachments.clone()/>
                        </div>
                    </li>
                }
            }).collect_view()}
        </ol>
    }
}

/// A message's files: photos as a grid of previews, PDFs as links.
#[component]
pub fn Gallery(attachments: Vec<super::Attachment>) -> impl IntoView {
    let locale = use_viewer().locale;
    (!attachments.is_empty()).then(|| view! {
        <ul class="mt-2 grid grid-cols-3 gap-2" data-testid="gallery">
            {attachments.into_iter().map(|a| {
                let label = format!("{} ({})", a.title, fmt_size(a.size_bytes, locale));
                let title = label.clone();
                view! {
                    <li>
                        <a href=a.url() target="_blank" rel="noopener" class="block" title=title>
                            {match a.preview_url() {
                                Some(src) => view! {
                                    <img src=src alt=label loading="lazy" data-testid="attachment-preview"
                                        class="aspect-square w-full rounded-lg bg-slate-100 object-cover ring-1 ring-slate-200"/>
                                }.into_any(),
                                None => view! {
                                    <span class="flex aspect-square w-full flex-col items-center justify-center rounded-lg bg-slate-100 p-1 text-center text-xs text-slate-700 ring-1 ring-slate-200">
                                        <span class="font-semibold">"PDF"</span>
                                        <span class="line-clamp-2 break-all">{a.title.clone()}</span>
                                    </span>
                                }.into_any(),
                            }}
                        </a>
                    </li>
                }
            }).collect_view()}
        </ul>
    })
}

/// The answer box under a conversation: text and files.
#[component]
pub fn ReplyForm(
    id: ConversationId,
    action: ServerAction<Reply>,
    customer_id: Option<CustomerId>,
    /// Whether files may go with the answer (not for someone with a grant for some contracts).
    #[prop(default = true)]
    files: bool,
) -> impl IntoView {
    let locale = use_viewer().locale;
    let mt: &MailboxTexts = texts(locale);
    let error = action_error(action.value());
    let body = RwSignal::new(String::new());
    let attached = RwSignal::new(Vec::<DocumentId>::new());
    let busy = RwSignal::new(false);
    let ids = move || attached.get().iter().map(ToString::to_string).collect::<Vec<_>>().join(",");
    view! {
        <ActionForm action attr:class="rounded-xl bg-white p-4 ring-1 ring-slate-200" attr:aria-labelledby="reply-heading">
            <h2 id="reply-heading" class="mb-3 font-semibold text-slate-900">{mt.reply}</h2>
            <FormError error/>
            <input type="hidden" name="id" value=id.0/>
            <input type="hidden" name="attachments" prop:value=ids/>
            <TextArea value=body name="body" id="field-reply" label=mt.your_message
                hint=if customer_id.is_none() { mt.special_data_hint } else { "" } error=field_error(error, "body")/>
            {files.then(|| view! { <AttachmentPicker customer_id attached busy error=field_error(error, "attachments")/> })}
            <button type="submit" class=BUTTON disabled=move || busy.get() || action.pending().get()>
                {move || if busy.get() { mt.waiting_for_files } else if action.pending().get() { mt.sending } else { mt.send }}
            </button>
            {move || matches!(action.value().get(), Some(Ok(_))).then(|| view! { <span class="ml-3 text-sm text-emerald-700" role="status">{mt.reply_sent}</span> })}
        </ActionForm>
    }
}

/// *Profil → Einwilligungen*: every consent this person gave, with its message, and
/// withdrawing one after a confirmation (R4.3).
#[component]
pub fn ConsentsInProfile() -> impl IntoView {
    let locale = use_viewer().locale;
    let mt = texts(locale);
    let withdraw = ServerAction::<WithdrawConsent>::new();
    let consents = Resource::new(move || withdraw.version().get(), |_| my_consents());
    let error = action_error(withdraw.value());
    view! {
        <section class="mb-4 rounded-xl bg-white p-4 ring-1 ring-slate-200" aria-labelledby="consents-heading">
            <h2 id="consents-heading" class="mb-1 font-semibold text-slate-900">{mt.consents_heading}</h2>
            <p class="mb-3 text-sm text-slate-600">{mt.consents_intro}</p>
            {move || matches!(withdraw.value().get(), Some(Ok(()))).then(|| view! { <Notice text=mt.consent_withdrawn_notice/> })}
            <FormError error/>
            <Transition fallback=Loading>
                {move || Suspend::new(async move {
                    match consents.await {
                        Err(e) => view! { <LoadError error=e/> }.into_any(),
                        Ok(list) if list.is_empty() => view! { <p class="text-sm text-slate-600">{mt.consents_empty}</p> }.into_any(),
                        Ok(list) => view! {
                            <ul class="divide-y divide-slate-100">
                                {list.into_iter().map(|c| view! { <ConsentLine consent=c withdraw/> }).collect_view()}
                            </ul>
                        }.into_any(),
                    }
                })}
            </Transition>
        </section>
    }
}

#[component]
fn ConsentLine(consent: Consent, withdraw: ServerAction<WithdrawConsent>) -> impl IntoView {
    let locale = use_viewer().locale;
    let mt = texts(locale);
    let row = consent.conversation;
    let title = title_of(&row, locale);
    view! {
        <li class="py-3" data-testid="consent">
            <a href=format!("/app/messages/{}", row.id) class="font-medium text-brand underline">{title.clone()}</a>
            {row.contract_label.clone().map(|l| view! { <span class="block text-sm text-slate-600">{l}</span> })}
            <p class="text-sm text-slate-600">{mt.consent_given_short.replace("{date}", &fmt_datetime(consent.given_at, locale))}</p>
            {match consent.withdrawn_at {
                Some(at) => view! {
                    <p class="mt-1 text-sm font-medium text-red-800">{mt.consent_withdrawn.replace("{date}", &fmt_datetime(at, locale))}</p>
                }.into_any(),
                None => view! {
                    <Confirm summary=mt.withdraw_consent question=mt.withdraw_consent_question context=title>
                        <ActionForm action=withdraw>
                            <input type="hidden" name="id" value=row.id.0/>
                            <button type="submit" class=BUTTON_SECONDARY disabled=move || withdraw.pending().get()>{mt.confirm_withdraw_consent}</button>
                        </ActionForm>
                    </Confirm>
                }.into_any(),
            }}
        </li>
    }
}
