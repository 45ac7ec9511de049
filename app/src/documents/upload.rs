//! The two uploaders. The office's files several documents into a customer's folder, each
//! with title, type and optional contract, by picker or drag and drop. The customer's sends
//! photos from the camera or the gallery, and PDFs, into their own folder, each with a
//! preview. Both send one request per file with its own progress bar and a key that makes a
//! retry after a dropped connection safe: the server answers a second attempt with the
//! document of the first. Without the wasm both are plain forms for one file.

use leptos::prelude::*;

use super::pages::{Thumb, SELECT};
use super::texts::texts;
use super::{fmt_size, Kind};
use crate::auth::use_viewer;
use crate::contracts::pages::CustomerContractsResource;
use crate::ids::{CustomerId, DocumentId};
use crate::ui::{Notice, BUTTON, BUTTON_SECONDARY};

/// Where an upload stands (the wasm moves it on; the server only renders `Waiting`).
#[derive(Clone, Debug, PartialEq)]
#[cfg_attr(not(feature = "hydrate"), allow(dead_code))]
enum UploadState {
    Waiting,
    Sending,
    Done,
    Failed(String),
}

/// A file as the browser hands it over.
#[cfg_attr(not(feature = "hydrate"), allow(dead_code))]
struct Picked {
    name: String,
    size: i64,
    /// An object URL of the picked photo, for its preview.
    preview: Option<String>,
    upload_key: String,
}

/// One chosen file and what is said about it.
#[derive(Clone, Copy)]
#[cfg_attr(not(feature = "hydrate"), allow(dead_code))]
struct PendingFile {
    key: u64,
    name: StoredValue<String>,
    size: i64,
    preview: StoredValue<Option<String>>,
    upload_key: StoredValue<String>,
    title: RwSignal<String>,
    kind: RwSignal<String>,
    contract: RwSignal<String>,
    /// 0.0 to 1.0.
    progress: RwSignal<f64>,
    state: RwSignal<UploadState>,
    /// The stored document, once the server has it.
    document_id: RwSignal<Option<DocumentId>>,
}

/// Whose folder the files go to: a customer's (the office names it) or the signed-in
/// customer's own.
#[derive(Clone, Copy)]
#[cfg_attr(not(feature = "hydrate"), allow(dead_code))]
enum Folder {
    OfCustomer(CustomerId),
    Own,
    /// Held for a message being written: into that customer's folder (staff name it), or the
    /// signed-in customer's own.
    ForMessage(Option<CustomerId>),
}

/// The files chosen in one uploader, and how they are sent.
#[derive(Clone, Copy)]
#[cfg_attr(not(feature = "hydrate"), allow(dead_code))]
struct Batch {
    files: RwSignal<Vec<PendingFile>>,
    next_key: StoredValue<u64>,
    folder: Folder,
    /// The first title of a picked file, from its name.
    title: fn(&str) -> String,
    on_uploaded: Callback<()>,
    connection_lost: &'static str,
}

impl Batch {
    fn new(
        folder: Folder,
        title: fn(&str) -> String,
        on_uploaded: Callback<()>,
        connection_lost: &'static str,
    ) -> Self {
        let batch = Batch {
            files: RwSignal::new(Vec::new()),
            next_key: StoredValue::new(0),
            folder,
            title,
            on_uploaded,
            connection_lost,
        };
        // The photos' object URLs go with the page.
        on_cleanup(move || {
            for file in batch.files.get_untracked() {
                batch.forget(file);
            }
        });
        batch
    }

    /// Adds picked files; returns their keys.
    #[cfg_attr(not(feature = "hydrate"), allow(dead_code))]
    fn add(self, picked: Vec<Picked>) -> Vec<u64> {
        let mut keys = Vec::new();
        for p in picked {
            let key = self.next_key.get_value();
            self.next_key.set_value(key + 1);
            keys.push(key);
            let file = PendingFile {
                key,
                title: RwSignal::new((self.title)(&p.name)),
                kind: RwSignal::new(guess_kind(&p.name).as_str().to_owned()),
                name: StoredValue::new(p.name),
                size: p.size,
                preview: StoredValue::new(p.preview),
                upload_key: StoredValue::new(p.upload_key),
                contract: RwSignal::new(String::new()),
                progress: RwSignal::new(0.0),
                state: RwSignal::new(UploadState::Waiting),
                document_id: RwSignal::new(None),
            };
            self.files.update(|f| f.push(file));
        }
        keys
    }

    fn remove(self, file: PendingFile) {
        self.files.update(|f| f.retain(|x| x.key != file.key));
        self.forget(file);
    }

    #[allow(clippy::unused_self)]
    fn forget(self, file: PendingFile) {
        #[cfg(feature = "hydrate")]
        browser::forget(file.key, file.preview.get_value().as_deref());
        #[cfg(not(feature = "hydrate"))]
        let _ = file;
    }

    #[cfg_attr(not(feature = "hydrate"), allow(clippy::unused_self))]
    fn send(self, file: PendingFile) {
        #[cfg(feature = "hydrate")]
        browser::send(self, file);
        #[cfg(not(feature = "hydrate"))]
        let _ = file;
    }

    fn send_waiting(self) {
        for file in self.files.get_untracked() {
            if matches!(file.state.get_untracked(), UploadState::Waiting | UploadState::Failed(_)) {
                self.send(file);
            }
        }
    }

    fn sending(self) -> bool {
        self.files.read().iter().any(|f| f.state.get() == UploadState::Sending)
    }

    fn waiting(self) -> usize {
        self.files.read().iter().filter(|f| f.state.get() == UploadState::Waiting).count()
    }

    /// The `change` handler of a file input.
    #[cfg_attr(not(feature = "hydrate"), allow(clippy::unused_self))]
    fn on_pick(self) -> impl Fn(leptos::ev::Event) + Copy {
        move |ev: leptos::ev::Event| {
            #[cfg(feature = "hydrate")]
            browser::take_from_input(&ev, |picked| self.add(picked));
            #[cfg(not(feature = "hydrate"))]
            let _ = ev;
        }
    }

    /// With the wasm running, files go one request each; without, the form posts itself.
    fn on_submit(self) -> impl Fn(leptos::ev::SubmitEvent) + Copy {
        move |ev: leptos::ev::SubmitEvent| {
            if cfg!(feature = "hydrate") {
                ev.prevent_default();
                self.send_waiting();
            }
        }
    }
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

/// Phones call photos `IMG_20261123_101112.jpg` or `image.jpg`: the customer says what they show.
fn no_title(_: &str) -> String {
    String::new()
}

/// The office's uploader on a customer's page.
#[component]
pub fn Uploader(
    customer_id: CustomerId,
    contracts: CustomerContractsResource,
    #[prop(into)] on_uploaded: Callback<()>,
) -> impl IntoView {
    let locale = use_viewer().locale;
    let dt = texts(locale);
    let contract_options = Signal::derive(move || {
        contracts
            .get()
            .and_then(Result::ok)
            .unwrap_or_default()
            .into_iter()
            .map(|c| (c.id.to_string(), format!("{} · {}", c.title(), c.policy_number)))
            .collect::<Vec<_>>()
    });
    let batch = Batch::new(Folder::OfCustomer(customer_id), title_of, on_uploaded, dt.connection_lost);
    let dragging = RwSignal::new(false);
    let on_pick = batch.on_pick();

    let on_drop = move |ev: leptos::ev::DragEvent| {
        ev.prevent_default();
        #[cfg(feature = "hydrate")]
        if let Some(list) = ev.data_transfer().and_then(|d| d.files()) {
            browser::take(&list, |picked| batch.add(picked));
        }
        dragging.set(false);
    };

    view! {
        <form method="post" action="/files/upload" enctype="multipart/form-data" on:submit=batch.on_submit()
            class="rounded-xl border border-slate-200 p-4" aria-labelledby="upload-heading">
            <h3 id="upload-heading" class="mb-3 font-medium text-slate-900">{dt.upload_heading}</h3>
            <input type="hidden" name="customer_id" value=customer_id.0/>
            <div
                class="mb-4 flex flex-wrap items-center gap-3 rounded-lg border-2 border-dashed px-4 py-6 text-sm text-slate-600"
                class=("border-brand", move || dragging.get())
                class=("border-slate-300", move || !dragging.get())
                on:dragover=move |ev| { ev.prevent_default(); dragging.set(true); }
                on:dragleave=move |_| dragging.set(false)
                on:drop=on_drop
                data-testid="drop-zone"
            >
                <label class=format!("{BUTTON_SECONDARY} cursor-pointer has-[:focus-visible]:ring-2")>
                    {dt.choose_files}
                    <input id="upload-files" name="file" type="file" multiple class="sr-only"
                        accept="application/pdf,image/jpeg,image/png,image/webp" on:change=on_pick/>
                </label>
                <span>{dt.drop_hint}</span>
            </div>
            // Without the wasm: one file, described once.
            <Show when=move || batch.files.read().is_empty()>
                <div class="grid grid-cols-1 gap-x-4 md:grid-cols-3" data-plain-fields="">
                    <PlainFields options=contract_options/>
                </div>
            </Show>
            <ul class="mb-4 space-y-3" aria-live="polite">
                <For each=move || batch.files.get() key=|f| f.key let:file>
                    <FileRow file options=contract_options
                        on_remove=move || batch.remove(file) on_retry=move || batch.send(file)/>
                </For>
            </ul>
            <button type="submit" class=BUTTON disabled=move || batch.sending()>
                {move || if batch.sending() { dt.uploading } else { dt.upload }}
            </button>
        </form>
    }
    .into_any()
}

/// Title, type and contract of the one file the plain form (no wasm) sends.
#[component]
fn PlainFields(options: Signal<Vec<(String, String)>>) -> impl IntoView {
    let dt = texts(use_viewer().locale);
    view! {
        <div class="mb-3">
            <label for="plain-title" class="mb-1 block text-sm font-medium text-slate-800">{dt.doc_title}</label>
            <input id="plain-title" name="title" class="block w-full rounded-lg border border-slate-300 px-3 py-2"/>
        </div>
        <div class="mb-3">
            <label for="plain-kind" class="mb-1 block text-sm font-medium text-slate-800">{dt.kind}</label>
            <select id="plain-kind" name="kind" class=SELECT>
                {Kind::ALL.into_iter().map(|k| view! { <option value=k.as_str()>{dt.kind_name(k)}</option> }).collect_view()}
            </select>
        </div>
        <div class="mb-3">
            <label for="plain-contract" class="mb-1 block text-sm font-medium text-slate-800">{dt.contract}</label>
            <select id="plain-contract" name="contract_id" class=SELECT>
                <option value="">{dt.without_contract}</option>
                {move || options.get().into_iter().map(|(id, label)| view! { <option value=id>{label}</option> }).collect_view()}
            </select>
        </div>
    }
    .into_any()
}

/// What a row shows beside the file's name: remove, sending, done, or retry and remove.
#[component]
fn RowStatus(
    file: PendingFile,
    on_remove: Callback<()>,
    on_retry: Callback<()>,
    /// A sent file can still be taken out (attachments of an unsent message).
    #[prop(optional)]
    removable: bool,
) -> impl IntoView {
    let dt = texts(use_viewer().locale);
    let remove = move || {
        view! {
            <button type="button" class="text-sm text-slate-700 underline" on:click=move |_| on_remove.run(())>
                {dt.remove}<span class="sr-only">": "{file.name.get_value()}</span>
            </button>
        }
    };
    move || {
        match file.state.get() {
        UploadState::Waiting => remove().into_any(),
        UploadState::Sending => view! { <span class="text-sm text-slate-600">{dt.uploading}</span> }.into_any(),
        UploadState::Done if removable => view! {
            <span class="flex gap-3">
                <span class="text-sm font-medium text-emerald-700">"✓ "{dt.uploaded}</span>
                {remove()}
            </span>
        }
        .into_any(),
        UploadState::Done => view! { <span class="text-sm font-medium text-emerald-700">"✓ "{dt.uploaded}</span> }.into_any(),
        UploadState::Failed(_) => view! {
            <span class="flex gap-3">
                <button type="button" class="text-sm text-brand underline" on:click=move |_| on_retry.run(())>{dt.retry}</button>
                {remove()}
            </span>
        }
        .into_any(),
    }
    }
}

/// The progress bar and, after a refusal, its reason.
#[component]
fn RowProgress(file: PendingFile) -> impl IntoView {
    let dt = texts(use_viewer().locale);
    let label = format!("{}: {}", dt.uploading, file.name.get_value());
    view! {
        <progress class="h-2 w-full" max="100" aria-label=label
            value=move || format!("{:.0}", file.progress.get() * 100.0)></progress>
        {move || match file.state.get() {
            UploadState::Failed(message) => Some(view! { <p role="alert" class="mt-1 text-sm text-red-700">{message}</p> }),
            _ => None,
        }}
    }
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
    let locked = move || matches!(file.state.get(), UploadState::Sending | UploadState::Done);
    view! {
        <li class="rounded-lg bg-slate-50 p-3 ring-1 ring-slate-200" data-testid="upload-row">
            <div class="mb-2 flex flex-wrap items-center justify-between gap-2">
                <p class="text-sm font-medium text-slate-800">{file.name.get_value()}" · "{fmt_size(file.size, locale)}</p>
                <RowStatus file on_remove on_retry/>
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
            <RowProgress file/>
        </li>
    }
    .into_any()
}

/// The customer's uploader (`/app/documents`): the R5.2 notice first, then the camera or the
/// gallery, a preview of every photo, an optional description, and one tap to send.
#[component]
pub fn PhotoUploader(#[prop(into)] on_uploaded: Callback<()>) -> impl IntoView {
    let dt = texts(use_viewer().locale);
    let batch = Batch::new(Folder::Own, no_title, on_uploaded, dt.connection_lost);
    let on_pick = batch.on_pick();
    // Without the wasm the form sends one file, so only the wasm offers several at once.
    let hydrated = RwSignal::new(false);
    Effect::new(move |_| hydrated.set(true));
    let all_sent = move || {
        let files = batch.files.read();
        !files.is_empty() && files.iter().all(|f| f.state.get() == UploadState::Done)
    };
    let pick_class = |base: &str| format!("{base} cursor-pointer has-[:focus-visible]:ring-2");
    view! {
        <section class="mb-6 rounded-xl bg-white p-4 ring-1 ring-slate-200" aria-labelledby="send-heading">
            <h2 id="send-heading" class="mb-2 font-semibold text-slate-900">{dt.send_heading}</h2>
            <p class="mb-3 rounded-lg bg-amber-50 p-3 text-sm text-amber-950 ring-1 ring-amber-200" data-testid="photo-notice">
                {dt.photo_notice}
            </p>
            <form method="post" action="/files/upload" enctype="multipart/form-data" on:submit=batch.on_submit()>
                <div class="mb-2 flex flex-wrap gap-2">
                    <label class=pick_class(BUTTON)>
                        {dt.take_photo}
                        <input id="photo-camera" name="file" type="file" accept="image/*" capture="environment"
                            class="sr-only" on:change=on_pick/>
                    </label>
                    <label class=pick_class(BUTTON_SECONDARY)>
                        {dt.choose_photos}
                        <input id="photo-files" name="file" type="file" accept="image/*,application/pdf"
                            multiple=move || hydrated.get() class="sr-only" on:change=on_pick/>
                    </label>
                </div>
                <p class="mb-3 text-xs text-slate-600">{dt.photo_types}</p>
                <Show when=move || batch.files.read().is_empty()>
                    <div class="mb-3">
                        <label for="plain-photo-title" class="mb-1 block text-sm font-medium text-slate-800">{dt.what_is_it}</label>
                        <input id="plain-photo-title" name="title" maxlength="200" placeholder=dt.what_placeholder
                            class="block w-full rounded-lg border border-slate-300 px-3 py-2"/>
                    </div>
                </Show>
                <ul class="mb-3 space-y-3" aria-live="polite">
                    <For each=move || batch.files.get() key=|f| f.key let:file>
                        <PhotoRow file on_remove=move || batch.remove(file) on_retry=move || batch.send(file)/>
                    </For>
                </ul>
                <Show when=all_sent>
                    <Notice text=dt.sent_notice/>
                </Show>
                <button type="submit" class=BUTTON
                    disabled=move || batch.sending() || (hydrated.get() && batch.waiting() == 0)>
                    {move || match (batch.sending(), batch.waiting()) {
                        (true, _) => dt.uploading.to_owned(),
                        (false, n) if n > 1 => dt.send_n.replace("{n}", &n.to_string()),
                        _ => dt.send.to_owned(),
                    }}
                </button>
            </form>
        </section>
    }
    .into_any()
}

/// A chosen photo (or PDF) with its preview, description and progress.
#[component]
fn PhotoRow(
    file: PendingFile,
    #[prop(into)] on_remove: Callback<()>,
    #[prop(into)] on_retry: Callback<()>,
) -> impl IntoView {
    let locale = use_viewer().locale;
    let dt = texts(locale);
    let title_id = format!("photo-{}-title", file.key);
    let locked = move || matches!(file.state.get(), UploadState::Sending | UploadState::Done);
    view! {
        <li class="rounded-lg bg-slate-50 p-3 ring-1 ring-slate-200" data-testid="upload-row">
            <div class="mb-2 flex gap-3">
                <Thumb src=file.preview.get_value() size="h-20 w-20" alt=dt.preview eager=true testid="photo-preview"/>
                <div class="min-w-0 flex-1">
                    <div class="mb-1 flex flex-wrap items-center justify-between gap-2">
                        <p class="truncate text-sm text-slate-700">{fmt_size(file.size, locale)}</p>
                        <RowStatus file on_remove on_retry/>
                    </div>
                    <label for=title_id.clone() class="mb-1 block text-xs font-medium text-slate-700">{dt.what_is_it}</label>
                    <input id=title_id class="block w-full rounded-lg border border-slate-300 px-2 py-1.5" maxlength="200"
                        placeholder=dt.what_placeholder
                        prop:value=move || file.title.get() on:input=move |ev| file.title.set(event_target_value(&ev))
                        disabled=locked/>
                </div>
            </div>
            <RowProgress file/>
        </li>
    }
    .into_any()
}

/// Files for a message being written (`/app/messages/…`, `/office/messages/…`): each is sent
/// as soon as it is picked, with its preview and progress, and held out of the folder until
/// the message goes; `attached` collects the stored ids (a restored draft brings its own).
/// Taking one out again deletes it. The R5.2 notice comes before the first photo.
#[component]
pub fn AttachmentPicker(
    /// The customer whose folder the files go to, when staff write; `None` for the customer.
    customer_id: Option<CustomerId>,
    attached: RwSignal<Vec<DocumentId>>,
    /// True while a file is on its way (the message waits for it).
    busy: RwSignal<bool>,
    #[prop(optional)] error: Option<Signal<Option<String>>>,
) -> impl IntoView {
    let dt = texts(use_viewer().locale);
    let batch =
        Batch::new(Folder::ForMessage(customer_id), no_title, Callback::new(|()| {}), dt.connection_lost);
    Effect::new(move |_| busy.set(batch.sending()));
    // Every stored file joins the message.
    Effect::new(move |_| {
        for file in batch.files.get() {
            if let Some(id) = file.document_id.get() {
                if !attached.get_untracked().contains(&id) {
                    attached.update(|a| a.push(id));
                }
            }
        }
    });
    let on_pick = move |ev: leptos::ev::Event| {
        #[cfg(feature = "hydrate")]
        {
            browser::take_from_input(&ev, |picked| batch.add(picked));
            batch.send_waiting();
        }
        #[cfg(not(feature = "hydrate"))]
        let _ = ev;
    };
    let drop_file = move |file: PendingFile| {
        if let Some(id) = file.document_id.get_untracked() {
            attached.update(|a| a.retain(|x| *x != id));
            leptos::task::spawn_local(async move {
                let _ = crate::mailbox::discard_attachment(id).await;
            });
        }
        batch.remove(file);
    };
    let drop_restored = move |id: DocumentId| {
        attached.update(|a| a.retain(|x| *x != id));
        leptos::task::spawn_local(async move {
            let _ = crate::mailbox::discard_attachment(id).await;
        });
    };
    // Files of a restored draft, already on the server.
    let restored = move || {
        let mine: Vec<DocumentId> = batch.files.read().iter().filter_map(|f| f.document_id.get()).collect();
        attached.get().into_iter().filter(|id| !mine.contains(id)).collect::<Vec<_>>()
    };
    let pick_class = |base: &str| format!("{base} cursor-pointer has-[:focus-visible]:ring-2");
    let error_view = move || {
        error
            .and_then(|e| e.get())
            .map(|e| view! { <p class="mb-2 text-sm text-red-700" role="alert">{e}</p> })
    };
    view! {
        <fieldset class="mb-4" data-testid="attachments">
            <legend class="mb-1 block text-sm font-medium text-slate-800">{dt.attachments}</legend>
            // The R5.2 notice is the customer's; staff send documents.
            {customer_id.is_none().then(|| view! {
                <p class="mb-2 rounded-lg bg-amber-50 p-3 text-sm text-amber-950 ring-1 ring-amber-200" data-testid="photo-notice">
                    {dt.photo_notice}
                </p>
            })}
            {error_view}
            <div class="mb-2 flex flex-wrap gap-2">
                <label class=pick_class(BUTTON_SECONDARY)>
                    {dt.take_photo}
                    <input id="attach-camera" type="file" accept="image/*" capture="environment" class="sr-only" on:change=on_pick/>
                </label>
                <label class=pick_class(BUTTON_SECONDARY)>
                    {dt.choose_photos}
                    <input id="attach-files" type="file" accept="image/*,application/pdf" multiple class="sr-only" on:change=on_pick/>
                </label>
            </div>
            <p class="mb-2 text-xs text-slate-600">{dt.photo_types}</p>
            <ul class="space-y-2" aria-live="polite">
                {move || restored().into_iter().map(|id| view! {
                    <li class="flex items-center gap-3 rounded-lg bg-slate-50 p-2 ring-1 ring-slate-200" data-testid="attachment-row">
                        <img src=format!("/files/{id}/preview") alt="" class="h-14 w-14 rounded-lg bg-slate-100 object-cover"/>
                        <span class="flex-1 text-sm font-medium text-emerald-700">"✓ "{dt.uploaded}</span>
                        <button type="button" class="text-sm text-slate-700 underline" on:click=move |_| drop_restored(id)>{dt.remove}</button>
                    </li>
                }).collect_view()}
                <For each=move || batch.files.get() key=|f| f.key let:file>
                    <li class="rounded-lg bg-slate-50 p-2 ring-1 ring-slate-200" data-testid="attachment-row">
                        <div class="mb-1 flex items-center gap-3">
                            <Thumb src=file.preview.get_value() size="h-14 w-14" alt=dt.preview eager=true testid="photo-preview"/>
                            <p class="min-w-0 flex-1 truncate text-sm text-slate-700">{file.name.get_value()}" · "{fmt_size(file.size, use_viewer().locale)}</p>
                            <RowStatus file removable=true on_remove=Callback::new(move |()| drop_file(file)) on_retry=Callback::new(move |()| batch.send(file))/>
                        </div>
                        <RowProgress file/>
                    </li>
                </For>
            </ul>
        </fieldset>
    }
    .into_any()
}

#[cfg(feature = "hydrate")]
mod browser {
    //! The browser side: the chosen `File`s (kept here, they cannot live in signals), their
    //! object URLs, and one XMLHttpRequest per file for its progress events.

    use std::cell::RefCell;
    use std::collections::HashMap;
    use std::fmt::Write as _;

    use leptos::prelude::*;
    use wasm_bindgen::closure::Closure;
    use wasm_bindgen::JsCast;

    use super::{Batch, Folder, PendingFile, Picked, UploadState};

    thread_local! {
        static FILES: RefCell<HashMap<u64, web_sys::File>> = RefCell::new(HashMap::new());
    }

    /// Takes the files chosen in a file input, and empties it for the next choice.
    pub fn take_from_input(ev: &leptos::ev::Event, add: impl FnOnce(Vec<Picked>) -> Vec<u64>) {
        let Some(input) = ev.target().and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok()) else {
            return;
        };
        if let Some(list) = input.files() {
            take(&list, add);
        }
        input.set_value("");
    }

    pub fn take(list: &web_sys::FileList, add: impl FnOnce(Vec<Picked>) -> Vec<u64>) {
        let chosen: Vec<web_sys::File> = (0..list.length()).filter_map(|i| list.get(i)).collect();
        #[allow(clippy::cast_possible_truncation)]
        let picked = chosen
            .iter()
            .map(|f| Picked {
                name: f.name(),
                size: f.size() as i64,
                preview: f
                    .type_()
                    .starts_with("image/")
                    .then(|| web_sys::Url::create_object_url_with_blob(f).ok())
                    .flatten(),
                upload_key: random_key(),
            })
            .collect();
        let keys = add(picked);
        FILES.with(|files| files.borrow_mut().extend(keys.into_iter().zip(chosen)));
    }

    /// 128 random bits as hex; without `crypto` (very old browsers) no key, and a retry
    /// may then store a file twice.
    fn random_key() -> String {
        let mut bytes = [0_u8; 16];
        let filled = web_sys::window()
            .and_then(|w| w.crypto().ok())
            .is_some_and(|c| c.get_random_values_with_u8_array(&mut bytes).is_ok());
        if !filled {
            return String::new();
        }
        bytes.iter().fold(String::with_capacity(32), |mut hex, b| {
            let _ = write!(hex, "{b:02x}");
            hex
        })
    }

    pub fn forget(key: u64, preview: Option<&str>) {
        FILES.with(|files| files.borrow_mut().remove(&key));
        if let Some(url) = preview {
            let _ = web_sys::Url::revoke_object_url(url);
        }
    }

    pub fn send(batch: Batch, file: PendingFile) {
        let Some(blob) = FILES.with(|files| files.borrow().get(&file.key).cloned()) else { return };
        let connection_lost = batch.connection_lost;
        let fail = move |message: String| file.state.set(UploadState::Failed(message));
        let Ok(form) = web_sys::FormData::new() else { return };
        match batch.folder {
            Folder::OfCustomer(customer_id) | Folder::ForMessage(Some(customer_id)) => {
                let _ = form.append_with_str("customer_id", &customer_id.to_string());
            }
            Folder::Own | Folder::ForMessage(None) => {}
        }
        if matches!(batch.folder, Folder::ForMessage(_)) {
            let _ = form.append_with_str("for_message", "1");
        }
        let _ = form.append_with_str("title", &file.title.get_untracked());
        let _ = form.append_with_str("kind", &file.kind.get_untracked());
        let _ = form.append_with_str("contract_id", &file.contract.get_untracked());
        let _ = form.append_with_str("upload_key", &file.upload_key.get_value());
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
                let body = done_xhr.response_text().ok().flatten().unwrap_or_default();
                let id = serde_json::from_str::<serde_json::Value>(&body)
                    .ok()
                    .and_then(|v| v["id"].as_i64())
                    .map(crate::ids::DocumentId);
                file.document_id.set(id);
                file.progress.set(1.0);
                file.state.set(UploadState::Done);
                FILES.with(|files| files.borrow_mut().remove(&file.key));
                batch.on_uploaded.run(());
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn office_titles_and_types_come_from_the_file_name() {
        assert_eq!(title_of("Police_Hausrat-2027.pdf"), "Police Hausrat 2027");
        assert_eq!(guess_kind("Police_Hausrat-2027.pdf"), Kind::Policy);
        assert_eq!(guess_kind("Beitragsrechnung 2026.pdf"), Kind::Invoice);
        assert_eq!(guess_kind("IMG_4711.jpg"), Kind::Other);
        assert_eq!(title_of("ohne-punkt"), "ohne punkt");
    }
}
