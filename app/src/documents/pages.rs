//! Document lists (the customer's page with filters, a contract's documents, the office's
//! section on a customer page) and the office's uploader: several files at once, by
//! picker or drag and drop, each with its title, type, optional contract and progress bar.
//! Without the wasm it is a plain form for one file.

use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

use super::texts::texts;
use super::{customer_documents, fmt_size, my_documents, DeleteDocument, DocumentRow, Kind};
use crate::auth::use_viewer;
use crate::contracts::customer_contracts;
use crate::i18n::fmt_datetime;
use crate::ui::{action_error, EmptyState, FormError, LoadError, Loading, Notice, BUTTON, BUTTON_SECONDARY};

const SELECT: &str = "block w-full rounded-lg border border-slate-300 bg-white px-3 py-2 text-base focus:border-brand focus:outline-none focus:ring-2 focus:ring-brand/40";

#[component]
pub fn DocumentList(documents: Vec<DocumentRow>, show_contract: bool) -> impl IntoView {
    let locale = use_viewer().locale;
    let dt = texts(locale);
    view! {
        <ul class="divide-y divide-slate-100 overflow-hidden rounded-xl bg-white ring-1 ring-slate-200" data-testid="documents">
            {documents.into_iter().map(|d| {
                let meta = format!("{} · {} · {}", dt.kind_name(d.kind), fmt_datetime(d.created_at, locale), fmt_size(d.size_bytes, locale));
                let contract = show_contract.then(|| d.contract_label.clone().unwrap_or_else(|| dt.without_contract.to_owned()));
                view! {
                    <li class="flex flex-wrap items-center justify-between gap-2 px-4 py-3">
                        <div class="min-w-0">
                            <a href=d.view_url() class="font-medium text-slate-900 underline decoration-slate-300 hover:text-brand">{d.title.clone()}</a>
                            <p class="text-xs text-slate-600">{meta}</p>
                            {contract.map(|c| view! { <p class="text-xs text-slate-500">{c}</p> })}
                        </div>
                        <a href=d.download_url() class="shrink-0 text-sm text-brand underline" download>
                            {dt.download}<span class="sr-only">": "{d.title.clone()}</span>
                        </a>
                    </li>
                }
            }).collect_view()}
        </ul>
    }
    .into_any()
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
    let documents = Resource::new(filter, |(kind, q)| my_documents(kind, q));
    view! {
        <h1 class="mb-4 text-2xl font-semibold text-slate-900">{dt.title}</h1>
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
pub fn CustomerDocuments(customer_id: i64) -> impl IntoView {
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
                                    let meta = format!("{} · {} · {}", dt.kind_name(d.kind), fmt_datetime(d.created_at, locale), fmt_size(d.size_bytes, locale));
                                    let question = dt.delete_confirm.replace("{title}", &d.title);
                                    view! {
                                        <li class="flex flex-wrap items-start justify-between gap-2 py-2">
                                            <div class="min-w-0">
                                                <a href=d.view_url() target="_blank" rel="noopener" class="font-medium text-slate-900 underline">{d.title.clone()}</a>
                                                <p class="text-xs text-slate-600">{meta}</p>
                                                <p class="text-xs text-slate-500">{d.contract_label.clone().unwrap_or_else(|| dt.without_contract.to_owned())}</p>
                                            </div>
                                            <details class="text-sm">
                                                <summary class="cursor-pointer text-red-700 underline">{dt.delete}<span class="sr-only">": "{d.title.clone()}</span></summary>
                                                <div class="mt-2 max-w-xs rounded-lg border border-red-200 bg-red-50 p-3">
                                                    <p class="mb-2 text-red-900">{question}</p>
                                                    <ActionForm action=delete>
                                                        <input type="hidden" name="id" value=d.id/>
                                                        <button type="submit" class="rounded-lg bg-red-700 px-3 py-1.5 font-medium text-white hover:bg-red-800">
                                                            {dt.delete}
                                                        </button>
                                                    </ActionForm>
                                                </div>
                                            </details>
                                        </li>
                                    }
                                }).collect_view()}
                            </ul>
                        }.into_any(),
                    }
                })}
            </Transition>
            <Uploader customer_id on_uploaded=move || reload.update(|n| *n += 1)/>
        </section>
    }
    .into_any()
}

/// Where an upload stands (the wasm moves it on; the server only renders `Waiting`).
#[derive(Clone, Debug, PartialEq)]
#[cfg_attr(not(feature = "hydrate"), allow(dead_code))]
enum UploadState {
    Waiting,
    Sending,
    Done,
    Failed(String),
}

/// One chosen file and what the office says about it.
#[derive(Clone, Copy)]
struct PendingFile {
    key: u64,
    name: StoredValue<String>,
    size: i64,
    title: RwSignal<String>,
    kind: RwSignal<String>,
    contract: RwSignal<String>,
    /// 0.0 to 1.0.
    progress: RwSignal<f64>,
    state: RwSignal<UploadState>,
}

/// A first guess of the type from the file name; the office corrects it if needed.
fn guess_kind(name: &str) -> Kind {
    let name = name.to_lowercase();
    if name.contains("police") || name.contains("versicherungsschein") || name.contains("policy") {
        Kind::Policy
    } else if name.contains("nachtrag") || name.contains("amendment") {
        Kind::Amendment
    } else if name.contains("rechnung") || name.contains("beitrag") || name.contains("invoice") {
        Kind::Invoice
    } else if name.contains("brief") || name.contains("schreiben") || name.contains("letter") {
        Kind::Letter
    } else {
        Kind::Other
    }
}

fn title_of(name: &str) -> String {
    let stem = name.rsplit_once('.').map_or(name, |(stem, _)| stem);
    stem.replace(['_', '-'], " ").trim().chars().take(super::TITLE_MAX_CHARS).collect()
}

#[component]
fn Uploader(customer_id: i64, #[prop(into)] on_uploaded: Callback<()>) -> impl IntoView {
    let locale = use_viewer().locale;
    let dt = texts(locale);
    let contracts = Resource::new(move || customer_id, customer_contracts);
    let contract_options = move || {
        contracts
            .get()
            .and_then(Result::ok)
            .unwrap_or_default()
            .into_iter()
            .map(|c| (c.id.to_string(), format!("{} · {}", c.title(), c.policy_number)))
            .collect::<Vec<_>>()
    };
    let files = RwSignal::new(Vec::<PendingFile>::new());
    let dragging = RwSignal::new(false);
    let next_key = StoredValue::new(0_u64);

    let add_files = move |list: Vec<(String, i64)>, keys: &mut Vec<u64>| {
        for (name, size) in list {
            let key = next_key.get_value();
            next_key.set_value(key + 1);
            keys.push(key);
            files.update(|f| {
                f.push(PendingFile {
                    key,
                    name: StoredValue::new(name.clone()),
                    size,
                    title: RwSignal::new(title_of(&name)),
                    kind: RwSignal::new(guess_kind(&name).as_str().to_owned()),
                    contract: RwSignal::new(String::new()),
                    progress: RwSignal::new(0.0),
                    state: RwSignal::new(UploadState::Waiting),
                });
            });
        }
    };
    let _ = &add_files;

    #[cfg(feature = "hydrate")]
    let on_pick = move |ev: leptos::ev::Event| {
        use wasm_bindgen::JsCast;
        let Some(input) = ev.target().and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok()) else {
            return;
        };
        if let Some(list) = input.files() {
            browser::take(&list, add_files);
        }
        input.set_value("");
    };
    #[cfg(not(feature = "hydrate"))]
    let on_pick = move |_: leptos::ev::Event| {};

    #[cfg(feature = "hydrate")]
    let on_drop = move |ev: leptos::ev::DragEvent| {
        ev.prevent_default();
        dragging.set(false);
        if let Some(list) = ev.data_transfer().and_then(|d| d.files()) {
            browser::take(&list, add_files);
        }
    };
    #[cfg(not(feature = "hydrate"))]
    let on_drop = move |_: leptos::ev::DragEvent| {};

    let send_all = move || {
        for file in files.get_untracked() {
            if matches!(file.state.get_untracked(), UploadState::Waiting | UploadState::Failed(_)) {
                send(customer_id, file, on_uploaded, dt.connection_lost);
            }
        }
    };
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        // With the wasm running, files go one request each with progress; else the form posts.
        if !files.read_untracked().is_empty() {
            ev.prevent_default();
            send_all();
        } else if cfg!(feature = "hydrate") {
            ev.prevent_default();
        }
    };
    let sending = move || files.read().iter().any(|f| f.state.get() == UploadState::Sending);

    view! {
        <form method="post" action="/files/upload" enctype="multipart/form-data" on:submit=on_submit
            class="rounded-xl border border-slate-200 p-4" aria-labelledby="upload-heading">
            <h3 id="upload-heading" class="mb-3 font-medium text-slate-900">{dt.upload_heading}</h3>
            <input type="hidden" name="customer_id" value=customer_id/>
            <div
                class="mb-4 flex flex-wrap items-center gap-3 rounded-lg border-2 border-dashed px-4 py-6 text-sm text-slate-600"
                class=("border-brand", move || dragging.get())
                class=("border-slate-300", move || !dragging.get())
                on:dragover=move |ev| { ev.prevent_default(); dragging.set(true); }
                on:dragleave=move |_| dragging.set(false)
                on:drop=on_drop
                data-testid="drop-zone"
            >
                <label for="upload-files" class=BUTTON_SECONDARY>{dt.choose_files}</label>
                <input id="upload-files" name="file" type="file" multiple class="sr-only"
                    accept="application/pdf,image/jpeg,image/png,image/webp" on:change=on_pick/>
                <span>{dt.drop_hint}</span>
            </div>
            // Without the wasm: one file, described once.
            <Show when=move || files.read().is_empty()>
                <div class="grid grid-cols-1 gap-x-4 md:grid-cols-3" data-plain-fields="">
                    <MetaFields title_name="title" kind_name="kind" contract_name="contract_id" options=Signal::derive(contract_options)/>
                </div>
            </Show>
            <ul class="mb-4 space-y-3" aria-live="polite">
                <For each=move || files.get() key=|f| f.key let:file>
                    <FileRow file options=Signal::derive(contract_options)
                        on_remove=move || files.update(|f| f.retain(|x| x.key != file.key))
                        on_retry=move || send(customer_id, file, on_uploaded, dt.connection_lost)/>
                </For>
            </ul>
            <button type="submit" class=BUTTON disabled=sending>
                {move || if sending() { dt.uploading } else { dt.upload }}
            </button>
        </form>
    }
    .into_any()
}

/// Title, type and contract: once for the plain form, per file for the wasm uploader.
#[component]
fn MetaFields(
    title_name: &'static str,
    kind_name: &'static str,
    contract_name: &'static str,
    options: Signal<Vec<(String, String)>>,
) -> impl IntoView {
    let dt = texts(use_viewer().locale);
    view! {
        <div class="mb-3">
            <label for="plain-title" class="mb-1 block text-sm font-medium text-slate-800">{dt.doc_title}</label>
            <input id="plain-title" name=title_name class="block w-full rounded-lg border border-slate-300 px-3 py-2"/>
        </div>
        <div class="mb-3">
            <label for="plain-kind" class="mb-1 block text-sm font-medium text-slate-800">{dt.kind}</label>
            <select id="plain-kind" name=kind_name class=SELECT>
                {Kind::ALL.into_iter().map(|k| view! { <option value=k.as_str()>{dt.kind_name(k)}</option> }).collect_view()}
            </select>
        </div>
        <div class="mb-3">
            <label for="plain-contract" class="mb-1 block text-sm font-medium text-slate-800">{dt.contract}</label>
            <select id="plain-contract" name=contract_name class=SELECT>
                <option value="">{dt.without_contract}</option>
                {move || options.get().into_iter().map(|(id, label)| view! { <option value=id>{label}</option> }).collect_view()}
            </select>
        </div>
    }
    .into_any()
}

#[component]
fn FileRow(
    file: PendingFile,
    options: Signal<Vec<(String, String)>>,
    #[prop(into)] on_remove: Callback<()>,
    #[prop(into)] on_retry: Callback<()>,
) -> impl IntoView {
    let locale = use_viewer().locale;
    let dt = texts(locale);
    let id = |part: &str| format!("upload-{}-{part}", file.key);
    let name = file.name.get_value();
    let locked = move || matches!(file.state.get(), UploadState::Sending | UploadState::Done);
    view! {
        <li class="rounded-lg bg-slate-50 p-3 ring-1 ring-slate-200" data-testid="upload-row">
            <div class="mb-2 flex flex-wrap items-center justify-between gap-2">
                <p class="text-sm font-medium text-slate-800">{name.clone()}" · "{fmt_size(file.size, locale)}</p>
                {move || match file.state.get() {
                    UploadState::Waiting => view! {
                        <button type="button" class="text-sm text-slate-700 underline" on:click=move |_| on_remove.run(())>
                            {dt.remove}<span class="sr-only">": "{file.name.get_value()}</span>
                        </button>
                    }.into_any(),
                    UploadState::Sending => view! { <span class="text-sm text-slate-600">{dt.uploading}</span> }.into_any(),
                    UploadState::Done => view! { <span class="text-sm font-medium text-emerald-700">"✓ "{dt.uploaded}</span> }.into_any(),
                    UploadState::Failed(_) => view! {
                        <span class="flex gap-3">
                            <button type="button" class="text-sm text-brand underline" on:click=move |_| on_retry.run(())>{dt.retry}</button>
                            <button type="button" class="text-sm text-slate-700 underline" on:click=move |_| on_remove.run(())>{dt.remove}</button>
                        </span>
                    }.into_any(),
                }}
            </div>
            <div class="grid grid-cols-1 gap-x-3 md:grid-cols-3">
                <div class="mb-2">
                    <label for=id("title") class="mb-1 block text-xs font-medium text-slate-700">{dt.doc_title}</label>
                    <input id=id("title") class="block w-full rounded-lg border border-slate-300 px-2 py-1.5"
                        prop:value=move || file.title.get() on:input=move |ev| file.title.set(event_target_value(&ev))
                        disabled=locked required/>
                </div>
                <div class="mb-2">
                    <label for=id("kind") class="mb-1 block text-xs font-medium text-slate-700">{dt.kind}</label>
                    <select id=id("kind") class=SELECT disabled=locked
                        on:change=move |ev| file.kind.set(event_target_value(&ev))>
                        {Kind::ALL.into_iter().map(|k| view! {
                            <option value=k.as_str() selected=move || file.kind.get() == k.as_str()>{dt.kind_name(k)}</option>
                        }).collect_view()}
                    </select>
                </div>
                <div class="mb-2">
                    <label for=id("contract") class="mb-1 block text-xs font-medium text-slate-700">{dt.contract}</label>
                    <select id=id("contract") class=SELECT disabled=locked
                        on:change=move |ev| file.contract.set(event_target_value(&ev))>
                        <option value="">{dt.without_contract}</option>
                        {move || options.get().into_iter().map(|(id, label)| {
                            let selected = file.contract.get_untracked() == id;
                            view! { <option value=id selected=selected>{label}</option> }
                        }).collect_view()}
                    </select>
                </div>
            </div>
            <progress class="h-2 w-full" max="100" aria-label=format!("{}: {name}", dt.uploading)
                value=move || format!("{:.0}", file.progress.get() * 100.0)></progress>
            {move || match file.state.get() {
                UploadState::Failed(message) => Some(view! { <p role="alert" class="mt-1 text-sm text-red-700">{message}</p> }),
                _ => None,
            }}
        </li>
    }
    .into_any()
}

/// Sends one file (wasm only; on the server there is nothing to send).
#[allow(unused_variables)]
fn send(customer_id: i64, file: PendingFile, on_uploaded: Callback<()>, connection_lost: &'static str) {
    #[cfg(feature = "hydrate")]
    browser::send(customer_id, file, on_uploaded, connection_lost);
}

#[cfg(feature = "hydrate")]
mod browser {
    //! The browser side of the uploader: the chosen `File`s (kept here, they cannot live in
    //! signals) and one XMLHttpRequest per file for its progress events.

    use std::cell::RefCell;
    use std::collections::HashMap;

    use leptos::prelude::*;
    use wasm_bindgen::closure::Closure;
    use wasm_bindgen::JsCast;

    use super::{PendingFile, UploadState};

    thread_local! {
        static FILES: RefCell<HashMap<u64, web_sys::File>> = RefCell::new(HashMap::new());
    }

    pub fn take(list: &web_sys::FileList, add: impl Fn(Vec<(String, i64)>, &mut Vec<u64>)) {
        let picked: Vec<web_sys::File> = (0..list.length()).filter_map(|i| list.get(i)).collect();
        #[allow(clippy::cast_possible_truncation)]
        let described = picked.iter().map(|f| (f.name(), f.size() as i64)).collect();
        let mut keys = Vec::new();
        add(described, &mut keys);
        FILES.with(|files| {
            let mut files = files.borrow_mut();
            for (key, file) in keys.into_iter().zip(picked) {
                files.insert(key, file);
            }
        });
    }

    pub fn send(
        customer_id: i64,
        file: PendingFile,
        on_uploaded: Callback<()>,
        connection_lost: &'static str,
    ) {
        let Some(blob) = FILES.with(|files| files.borrow().get(&file.key).cloned()) else { return };
        let fail = move |message: String| file.state.set(UploadState::Failed(message));
        let Ok(form) = web_sys::FormData::new() else { return };
        let _ = form.append_with_str("customer_id", &customer_id.to_string());
        let _ = form.append_with_str("title", &file.title.get_untracked());
        let _ = form.append_with_str("kind", &file.kind.get_untracked());
        let _ = form.append_with_str("contract_id", &file.contract.get_untracked());
        let _ = form.append_with_blob_and_filename("file", &blob, &blob.name());
        let Ok(xhr) = web_sys::XmlHttpRequest::new() else { return };
        if xhr.open_with_async("POST", "/files/upload", true).is_err() {
            return;
        }
        let _ = xhr.set_request_header("Accept", "application/json");
        file.progress.set(0.0);
        file.state.set(UploadState::Sending);

        if let Ok(upload) = xhr.upload() {
            let on_progress =
                Closure::<dyn FnMut(web_sys::ProgressEvent)>::new(move |e: web_sys::ProgressEvent| {
                    if e.length_computable() && e.total() > 0.0 {
                        file.progress.set(e.loaded() / e.total());
                    }
                });
            upload.set_onprogress(Some(on_progress.as_ref().unchecked_ref()));
            on_progress.forget();
        }
        let done_xhr = xhr.clone();
        let on_load = Closure::<dyn FnMut()>::new(move || {
            let status = done_xhr.status().unwrap_or(0);
            if status == 201 {
                file.progress.set(1.0);
                file.state.set(UploadState::Done);
                FILES.with(|files| files.borrow_mut().remove(&file.key));
                on_uploaded.run(());
            } else {
                let body = done_xhr.response_text().ok().flatten().unwrap_or_default();
                fail(problem_message(&body).unwrap_or_else(|| connection_lost.to_owned()));
            }
        });
        xhr.set_onload(Some(on_load.as_ref().unchecked_ref()));
        on_load.forget();
        let on_error = Closure::<dyn FnMut()>::new(move || fail(connection_lost.to_owned()));
        xhr.set_onerror(Some(on_error.as_ref().unchecked_ref()));
        on_error.forget();
        if xhr.send_with_opt_form_data(Some(&form)).is_err() {
            fail(connection_lost.to_owned());
        }
    }

    /// The first field problem of a problem document, else its title.
    fn problem_message(body: &str) -> Option<String> {
        let value: serde_json::Value = serde_json::from_str(body).ok()?;
        value["errors"][0]["detail"].as_str().or_else(|| value["title"].as_str()).map(str::to_owned)
    }
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
