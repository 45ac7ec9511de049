//! Document lists: the customer's page with filters (and the customer's uploader), a
//! contract's documents, the office's section on a customer page (with the office's
//! uploader, see `upload`) and the broker's storage usage.

use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

use super::texts::texts;
use super::upload::{PhotoUploader, Uploader};
use super::{customer_documents, fmt_size, my_documents, DeleteDocument, DocumentRow, Kind};
use crate::auth::use_viewer;
use crate::contracts::pages::CustomerContractsResource;
use crate::i18n::fmt_datetime;
use crate::ui::{
    action_error, Confirm, EmptyState, FormError, LoadError, Loading, Notice, BUTTON_DANGER, BUTTON_SECONDARY,
};

pub(super) const SELECT: &str = "block w-full rounded-lg border border-slate-300 bg-white px-3 py-2 text-base focus:border-brand focus:outline-none focus:ring-2 focus:ring-brand/40";

#[component]
pub fn DocumentList(documents: Vec<DocumentRow>, show_contract: bool) -> impl IntoView {
    let locale = use_viewer().locale;
    let dt = texts(locale);
    view! {
        <ul class="divide-y divide-slate-100 overflow-hidden rounded-xl bg-white ring-1 ring-slate-200" data-testid="documents">
            {documents.into_iter().map(|d| {
                let meta = meta(&d, locale);
                let contract = show_contract.then(|| d.contract_label.clone().unwrap_or_else(|| dt.without_contract.to_owned()));
                let sender = d.from_customer.then_some(dt.from_you);
                view! {
                    <li class="flex items-center gap-3 px-4 py-3">
                        <Thumb src=d.preview_url() size="h-12 w-12" testid="preview"/>
                        <div class="min-w-0 flex-1">
                            <a href=d.view_url() class="font-medium text-slate-900 underline decoration-slate-300 hover:text-brand">{d.title.clone()}</a>
                            <p class="text-xs text-slate-600">{meta}</p>
                            {contract.map(|c| view! { <p class="text-xs text-slate-500">{c}</p> })}
                            {sender.map(|s| view! { <p class="text-xs text-slate-500">{s}</p> })}
                        </div>
                        <a href=d.download_url() class="inline-flex min-h-11 shrink-0 items-center px-2 text-sm text-brand underline" download>
                            {dt.download}<span class="sr-only">": "{d.title.clone()}</span>
                        </a>
                    </li>
                }
            }).collect_view()}
        </ul>
    }
    .into_any()
}

/// A photo's preview in `size` (Tailwind height and width), or the badge of a PDF.
#[component]
pub(super) fn Thumb(
    src: Option<String>,
    size: &'static str,
    #[prop(optional)] alt: &'static str,
    /// For a picture already in the browser's memory.
    #[prop(optional)]
    eager: bool,
    testid: &'static str,
) -> impl IntoView {
    match src {
        Some(src) => view! {
            <img src=src alt=alt loading=if eager { "eager" } else { "lazy" } decoding="async" data-testid=testid
                class=format!("{size} shrink-0 rounded-lg bg-slate-100 object-cover ring-1 ring-slate-200")/>
        }
        .into_any(),
        None => view! {
            <span aria-hidden="true"
                class=format!("{size} flex shrink-0 items-center justify-center rounded-lg bg-slate-100 text-xs font-semibold text-slate-600")>
                "PDF"
            </span>
        }
        .into_any(),
    }
}

/// "Police · 23.11.2026, 14:05 · 1,2 MB".
fn meta(d: &DocumentRow, locale: crate::i18n::Locale) -> String {
    let dt = texts(locale);
    format!(
        "{} · {} · {}",
        dt.kind_name(d.kind),
        fmt_datetime(d.created_at, locale),
        fmt_size(d.size_bytes, locale)
    )
}

/// `/app/documents`: every document of the customer, newest first, by type and title.
#[component]
pub fn MyDocumentsPage() -> impl IntoView {
    let locale = use_viewer().locale;
    let dt = texts(locale);
    let query = use_query_map();
    let filter = move || {
        let q = query.read();
        (q.get("kind").unwrap_or_default(), q.get("q").unwrap_or_default())
    };
    let uploaded = query.read_untracked().get("uploaded").is_some();
    let reload = RwSignal::new(0_u32);
    let documents = Resource::new(move || (filter(), reload.get()), |((kind, q), _)| my_documents(kind, q));
    let holder = use_viewer()
        .user
        .is_some_and(|u| u.current_folder().is_some_and(crate::access::FolderAccess::acts_for_holder));
    view! {
        <h1 class="mb-4 text-2xl font-semibold text-slate-900">{dt.title}</h1>
        {uploaded.then(|| view! { <Notice text=dt.sent_notice/> })}
        // Files go into a folder only from whoever acts for its holder.
        {holder.then(|| view! { <PhotoUploader on_uploaded=move || reload.update(|n| *n += 1)/> })}
        <form method="get" role="search" class="mb-4 grid grid-cols-1 gap-2 sm:grid-cols-[1fr_12rem_auto]">
            <label for="doc-search" class="sr-only">{dt.search_title}</label>
            <input id="doc-search" name="q" type="search" placeholder=dt.search_title value=move || filter().1
                class="w-full rounded-lg border border-slate-300 px-3 py-2"/>
            <label for="doc-kind" class="sr-only">{dt.kind}</label>
            <select id="doc-kind" name="kind" class=SELECT>
                <option value="">{dt.all_kinds}</option>
                {Kind::ALL.into_iter().map(|k| view! {
                    <option value=k.as_str() selected=move || filter().0 == k.as_str()>{dt.kind_name(k)}</option>
                }).collect_view()}
            </select>
            <button type="submit" class=BUTTON_SECONDARY>{dt.filter}</button>
        </form>
        <Transition fallback=Loading>
            {move || Suspend::new(async move {
                let filtered = filter() != (String::new(), String::new());
                match documents.await {
                    Err(e) => view! { <LoadError error=e/> }.into_any(),
                    Ok(list) if list.is_empty() && filtered => view! {
                        <p role="status" class="rounded-xl bg-white px-4 py-6 text-center text-slate-600 ring-1 ring-slate-200">{dt.none_found}</p>
                    }.into_any(),
                    Ok(list) if list.is_empty() => view! { <EmptyState title=dt.empty_title text=dt.empty_text/> }.into_any(),
                    Ok(list) => view! { <DocumentList documents=list show_contract=true/> }.into_any(),
                }
            })}
        </Transition>
    }
    .into_any()
}

/// The documents section of the office's customer page: list, delete, upload.
#[component]
pub fn CustomerDocuments(
    customer_id: crate::ids::CustomerId,
    contracts: CustomerContractsResource,
) -> impl IntoView {
    let locale = use_viewer().locale;
    let dt = texts(locale);
    let query = use_query_map();
    let uploaded = query.read_untracked().get("uploaded").is_some();
    let delete = ServerAction::<DeleteDocument>::new();
    let delete_error = action_error(delete.value());
    let reload = RwSignal::new(0_u32);
    let documents = Resource::new(
        move || (customer_id, delete.version().get(), reload.get()),
        |(id, _, _)| customer_documents(id),
    );
    view! {
        <section class="mb-6 rounded-xl bg-white p-4 ring-1 ring-slate-200" aria-labelledby="documents-heading">
            <h2 id="documents-heading" class="mb-3 font-semibold text-slate-900">{dt.title}</h2>
            {uploaded.then(|| view! { <Notice text=dt.uploaded/> })}
            {move || matches!(delete.value().get(), Some(Ok(()))).then(|| view! { <Notice text=dt.deleted/> })}
            <FormError error=delete_error/>
            <Transition fallback=Loading>
                {move || Suspend::new(async move {
                    match documents.await {
                        Err(e) => view! { <LoadError error=e/> }.into_any(),
                        Ok(list) if list.is_empty() => view! { <p class="mb-4 text-sm text-slate-600">{dt.office_empty}</p> }.into_any(),
                        Ok(list) => view! {
                            <ul class="mb-4 divide-y divide-slate-100" data-testid="office-documents">
                                {list.into_iter().map(|d| {
                                    let meta = meta(&d, locale);
                                    let question = dt.delete_confirm.replace("{title}", &d.title);
                                    let sender = d.from_customer.then_some(dt.from_customer);
                                    view! {
                                        <li class="flex items-start gap-3 py-2">
                                            <Thumb src=d.preview_url() size="h-12 w-12" testid="preview"/>
                                            <div class="min-w-0 flex-1">
                                                <a href=d.view_url() target="_blank" rel="noopener" class="font-medium text-slate-900 underline">{d.title.clone()}</a>
                                                <p class="text-xs text-slate-600">{meta}</p>
                                                <p class="text-xs text-slate-500">{d.contract_label.clone().unwrap_or_else(|| dt.without_contract.to_owned())}</p>
                                                {sender.map(|s| view! { <p class="text-xs font-medium text-brand">{s}</p> })}
                                            </div>
                                            <Confirm summary=dt.delete question context=d.title.clone()>
                                                <ActionForm action=delete>
                                                    <input type="hidden" name="id" value=d.id.0/>
                                                    <button type="submit" class=BUTTON_DANGER>
                                                        {dt.delete}
                                                    </button>
                                                </ActionForm>
                                            </Confirm>
                                        </li>
                                    }
                                }).collect_view()}
                            </ul>
                        }.into_any(),
                    }
                })}
            </Transition>
            <Uploader customer_id contracts on_uploaded=move || reload.update(|n| *n += 1)/>
        </section>
    }
    .into_any()
}

/// The broker's storage: how much of the plan's quota the documents use (R2.9).
#[component]
pub fn StorageUsage() -> impl IntoView {
    let locale = use_viewer().locale;
    let dt = texts(locale);
    let usage = Resource::new(|| (), |()| super::storage_usage());
    view! {
        <section class="mb-6 rounded-xl bg-white p-4 ring-1 ring-slate-200" aria-labelledby="storage-heading">
            <h2 id="storage-heading" class="mb-2 font-semibold text-slate-900">{dt.storage}</h2>
            <Suspense fallback=Loading>
                {move || Suspend::new(async move {
                    match usage.await {
                        Err(e) => view! { <LoadError error=e/> }.into_any(),
                        Ok(u) => {
                            let text = dt.storage_used
                                .replace("{used}", &fmt_size(u.used_bytes, locale))
                                .replace("{quota}", &fmt_size(u.quota_bytes, locale));
                            let percent = if u.quota_bytes > 0 { (u.used_bytes.saturating_mul(100) / u.quota_bytes).min(100) } else { 100 };
                            view! {
                                <progress class="h-2 w-full max-w-md" max="100" value=percent aria-label=dt.storage></progress>
                                <p class="mt-1 text-sm text-slate-700" data-testid="storage-used">{text}</p>
                            }.into_any()
                        }
                    }
                })}
            </Suspense>
        </section>
    }
    .into_any()
}
