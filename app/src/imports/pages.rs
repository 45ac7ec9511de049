//! The office's import: choose a file (a plain form, so it works before the wasm too) →
//! the preview → confirm → a progress bar while it runs → the report, to download, with one
//! click to invite the new customers. Below, the recent imports.

use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

use super::texts::{texts, ImportTexts};
use super::{
    follow_import, import_mappings, list_imports, ConfirmImport, ImportStatus, InviteImported, Report,
    Sample, SetImportMapping,
};
use crate::auth::use_viewer;
use crate::i18n::{fmt_count, fmt_datetime};
use crate::ids::{parse_id, ImportId};
use crate::ui::{action_error, FormError, LoadError, Loading, Notice, BUTTON, BUTTON_SECONDARY};

const INPUT: &str = "block w-full rounded-lg border border-slate-300 px-3 py-2";

const SELECT: &str = "mt-1 block w-full rounded-lg border border-slate-300 bg-white px-3 py-2";

#[component]
pub fn ImportPage() -> impl IntoView {
    let t = texts(use_viewer().locale);
    let query = use_query_map();
    let id = move || query.with(|q| q.get("id").and_then(|v| parse_id::<ImportId>(&v)));
    // The state the import on view is in, so that the list below follows it.
    let shown_state = RwSignal::new(String::new());
    provide_context(ShownState(shown_state));
    view! {
        <h1 class="mb-2 text-2xl font-semibold text-slate-900">{t.title}</h1>
        {move || match id() {
            Some(id) => view! { <ImportView id=id/> }.into_any(),
            None => view! { <ChooseFile/> }.into_any(),
        }}
        <RecentImports shown_state=shown_state/>
        <Mappings/>
    }
}

#[derive(Clone, Copy)]
struct ShownState(RwSignal<String>);

#[component]
fn ChooseFile() -> impl IntoView {
    let t = texts(use_viewer().locale);
    // A plain form: the browser shows the upload's progress, the server answers with the
    // preview's address, with or without the wasm.
    let sending = RwSignal::new(false);
    view! {
        <p class="mb-4 max-w-2xl text-slate-700">{t.intro}</p>
        <form method="post" action="/office/imports" enctype="multipart/form-data"
            class="mb-6 max-w-2xl space-y-4 rounded-xl bg-white p-4 ring-1 ring-slate-200"
            on:submit=move |_| sending.set(true)>
            <div>
                <label for="import-file" class="block font-medium text-slate-900">{t.file_label}</label>
                <input id="import-file" name="file" type="file" required aria-describedby="import-file-hint"
                    class="mt-1 block w-full text-sm"/>
                <p id="import-file-hint" class="mt-1 text-sm text-slate-600">{t.file_hint}</p>
            </div>
            <div>
                <label for="import-encoding" class="block font-medium text-slate-900">{t.encoding_label}</label>
                <select id="import-encoding" name="encoding" class=SELECT>
                    <option value="latin1">{t.encoding_latin1}</option>
                    <option value="latin9">{t.encoding_latin9}</option>
                    <option value="cp850">{t.encoding_cp850}</option>
                </select>
            </div>
            <div class="flex flex-wrap items-center gap-4">
                <button type="submit" class=BUTTON>{t.preview_submit}</button>
                <a href="/office/import/template.csv" class="text-brand underline" rel="external">{t.template}</a>
            </div>
            {move || sending.get().then(|| view! {
                <p role="status" aria-live="polite" class="text-sm text-slate-600">{t.uploading}</p>
            })}
        </form>
    }
}

/// One import: its preview, its progress while it runs, its report when done.
#[component]
fn ImportView(id: ImportId) -> impl IntoView {
    let t = texts(use_viewer().locale);
    let confirm = ServerAction::<ConfirmImport>::new();
    let invite = ServerAction::<InviteImported>::new();
    let tick = RwSignal::new(0_u32);
    let status =
        Resource::new(move || (id, tick.get(), confirm.version().get()), |(id, _, _)| follow_import(id));
    // While it runs, ask again twice a second.
    Effect::new(move |_| {
        let running = confirm.pending().get()
            || status.get().is_some_and(|s| s.is_ok_and(|s| s.report.state == "running"));
        if running {
            set_timeout(move || tick.update(|n| *n += 1), std::time::Duration::from_millis(500));
        }
    });
    if let Some(ShownState(shown)) = use_context::<ShownState>() {
        Effect::new(move |_| {
            if let Some(Ok(s)) = status.get() {
                if shown.with_untracked(|state| *state != s.report.state) {
                    shown.set(s.report.state);
                }
            }
        });
    }
    let confirm_error = action_error(confirm.value());
    let invite_error = action_error(invite.value());
    view! {
        <FormError error=confirm_error/>
        <FormError error=invite_error/>
        {move || invite.value().get().and_then(Result::ok).map(|n| view! {
            <Notice text=t.invited.replace("{count}", &n.to_string())/>
        })}
        <Transition fallback=Loading>
            {move || Suspend::new(async move {
                match status.await {
                    Err(e) => view! { <LoadError error=e/> }.into_any(),
                    Ok(s) => view! { <ImportState status=s confirm=confirm invite=invite/> }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn ImportState(
    status: ImportStatus,
    confirm: ServerAction<ConfirmImport>,
    invite: ServerAction<InviteImported>,
) -> impl IntoView {
    let locale = use_viewer().locale;
    let t = texts(locale);
    let r = status.report;
    let id = r.id.unwrap_or_default();
    let heading = match r.state.as_str() {
        "running" => t.running,
        "done" => t.done_title,
        "failed" => t.failed_title,
        _ => t.preview_title,
    };
    let progress = status.progress.unwrap_or_default();
    let head = view! {
        <h2 class="mb-1 text-lg font-semibold text-slate-900" data-testid="import-state">{heading}</h2>
        <p class="mb-4 text-sm text-slate-600">{r.file_name.clone()}" · "{r.encoding.clone()}</p>
    };
    let body = match r.state.as_str() {
        "running" => view! {
            <div class="mb-6 max-w-xl">
                <progress class="h-3 w-full" max=progress.total.max(1) value=progress.done
                    aria-label=t.running data-testid="import-progress"></progress>
                <p class="mt-1 text-sm text-slate-600" aria-live="polite">{format!("{} / {}", fmt_count(progress.done.into(), locale), fmt_count(progress.total.into(), locale))}</p>
            </div>
        }
        .into_any(),
        "previewed" => view! {
            <p class="mb-4 text-slate-700">{t.preview_intro}</p>
            <Counts report=r.clone()/>
            <Samples report=r.clone()/>
            <Skipped report=r.clone()/>
            <div class="mb-6 flex flex-wrap gap-3">
                {(r.readable() && r.changes_anything()).then(|| view! {
                    <ActionForm action=confirm>
                        <input type="hidden" name="id" value=id.0/>
                        <button type="submit" class=BUTTON disabled=move || confirm.pending().get()>{t.confirm}</button>
                    </ActionForm>
                })}
                <a href="/office/import" class=BUTTON_SECONDARY>{t.cancel}</a>
            </div>
        }
        .into_any(),
        _ => view! {
            <Counts report=r.clone()/>
            <Skipped report=r.clone()/>
            <div class="mb-6 flex flex-wrap items-center gap-3">
                <a href=format!("/office/imports/{id}/report.txt") class=BUTTON_SECONDARY rel="external">{t.download_report}</a>
                {(r.state == "done" && r.new_with_email > 0).then(|| view! {
                    <ActionForm action=invite>
                        <input type="hidden" name="id" value=id.0/>
                        <button type="submit" class=BUTTON disabled=move || invite.pending().get()>
                            {t.invite_all.replace("{count}", &r.new_with_email.to_string())}
                        </button>
                    </ActionForm>
                })}
                <a href="/office/import" class="text-brand underline">{t.another}</a>
            </div>
        }
        .into_any(),
    };
    view! { <section class="mb-6" aria-live="polite">{head}{body}</section> }
}

#[component]
fn Counts(report: Report) -> impl IntoView {
    let locale = use_viewer().locale;
    let t: &'static ImportTexts = texts(locale);
    if !report.readable() {
        return view! {
            <div role="alert" class="mb-4 rounded-lg border border-red-200 bg-red-50 p-3 text-sm text-red-900">
                <p class="mb-2 font-medium">{t.unreadable}</p>
                <ul class="list-disc space-y-1 pl-5" data-testid="import-errors">
                    {report.errors.into_iter().map(|e| view! {
                        <li>{format!("{} {}, {} {} ({}): {}", t.line, e.line, t.column, e.column, e.field, e.detail)}</li>
                    }).collect_view()}
                </ul>
            </div>
        }
        .into_any();
    }
    let nothing = !report.changes_anything() && report.state == "previewed";
    view! {
        {nothing.then(|| view! { <Notice text=t.nothing_to_do/> })}
        <dl class="mb-4 grid max-w-3xl grid-cols-2 gap-3 sm:grid-cols-4" data-testid="import-counts">
            {t.counts(&report).into_iter().map(|(label, n)| view! {
                <div class="rounded-lg bg-white p-3 ring-1 ring-slate-200">
                    <dt class="text-xs font-medium text-slate-600">{label}</dt>
                    <dd class="text-xl font-semibold text-slate-900">{fmt_count(n.into(), locale)}</dd>
                </div>
            }).collect_view()}
        </dl>
    }
    .into_any()
}

#[component]
fn Samples(report: Report) -> impl IntoView {
    let t = texts(use_viewer().locale);
    let groups: Vec<(&'static str, Vec<Sample>)> = vec![
        (t.customers_new, report.new_customers),
        (t.customers_updated, report.updated_customers),
        (t.contracts_new, report.new_contracts),
        (t.contracts_changed, report.changed_contracts),
        (t.contracts_ended, report.ended_contracts),
    ];
    view! {
        <div class="mb-4 grid max-w-3xl gap-3 sm:grid-cols-2">
            {groups.into_iter().filter(|(_, rows)| !rows.is_empty()).map(|(label, rows)| view! {
                <section class="rounded-lg bg-white p-3 ring-1 ring-slate-200">
                    <h3 class="mb-1 text-sm font-semibold text-slate-900">{label}</h3>
                    <ul class="text-sm text-slate-700">
                        {rows.into_iter().map(|s| view! {
                            <li><span class="text-slate-500">{format!("{} {}: ", t.line, s.line)}</span>{s.text}</li>
                        }).collect_view()}
                    </ul>
                </section>
            }).collect_view()}
        </div>
    }
}

#[component]
fn Skipped(report: Report) -> impl IntoView {
    let t = texts(use_viewer().locale);
    (!report.skipped.is_empty() || !report.ignored.is_empty()).then(|| {
        let ignored: Vec<String> = report.ignored.iter().map(|(k, n)| format!("{k} × {n}")).collect();
        let count = report.skipped.len();
        view! {
            <details class="mb-4 max-w-3xl rounded-lg bg-white p-3 ring-1 ring-slate-200" open=count > 0>
                <summary class="cursor-pointer text-sm font-semibold text-slate-900">
                    {format!("{}: {count}", t.skipped)}
                </summary>
                <ul class="mt-2 max-h-64 space-y-1 overflow-auto text-sm text-slate-700" data-testid="import-skipped">
                    {report.skipped.into_iter().take(200).map(|s| {
                        let field = if s.field.is_empty() { String::new() } else { format!(" ({})", s.field) };
                        view! { <li>{format!("{} {}: {}{field}", t.line, s.line, t.reason(s.reason))}</li> }
                    }).collect_view()}
                </ul>
                {(!ignored.is_empty()).then(|| view! {
                    <p class="mt-2 text-sm text-slate-600">{format!("{}: {}", t.ignored, ignored.join(", "))}</p>
                })}
            </details>
        }
    })
}

#[component]
fn RecentImports(shown_state: RwSignal<String>) -> impl IntoView {
    let viewer = use_viewer();
    let locale = viewer.locale;
    let t = texts(locale);
    let imports = Resource::new(move || shown_state.get(), |_| list_imports());
    view! {
        <section class="max-w-3xl" aria-labelledby="recent-imports">
            <h2 id="recent-imports" class="mb-2 font-semibold text-slate-900">{t.recent}</h2>
            <Transition fallback=Loading>
                {move || Suspend::new(async move {
                    match imports.await {
                        Err(e) => view! { <LoadError error=e/> }.into_any(),
                        Ok(list) if list.is_empty() => view! { <p class="text-sm text-slate-600">{t.none_yet}</p> }.into_any(),
                        Ok(list) => view! {
                            <ul class="divide-y divide-slate-100 rounded-xl bg-white ring-1 ring-slate-200">
                                {list.into_iter().map(|s| {
                                    let id = s.report.id.unwrap_or_default();
                                    view! {
                                        <li class="flex flex-wrap items-center gap-x-4 px-4 py-2 text-sm">
                                            <a href=format!("/office/import?id={id}") class="flex-1 text-brand underline">{s.report.file_name.clone()}</a>
                                            <span class="text-slate-600">{fmt_datetime(s.created_at, locale)}</span>
                                            <span class="text-slate-700">{t.state(&s.report.state)}</span>
                                        </li>
                                    }
                                }).collect_view()}
                            </ul>
                        }
                        .into_any(),
                    }
                })}
            </Transition>
        </section>
    }
}

/// Where GDV Sparten land in the catalogue, and the broker's names for VU numbers.
#[component]
fn Mappings() -> impl IntoView {
    let t = texts(use_viewer().locale);
    let save = ServerAction::<SetImportMapping>::new();
    let mappings = Resource::new(move || save.version().get(), |_| import_mappings());
    let error = action_error(save.value());
    view! {
        <details class="mt-6 max-w-3xl rounded-xl bg-white p-4 ring-1 ring-slate-200">
            <summary class="cursor-pointer font-semibold text-slate-900">{t.mappings_title}</summary>
            <p class="my-2 text-sm text-slate-600">{t.mappings_intro}</p>
            <FormError error=error/>
            {move || matches!(save.value().get(), Some(Ok(()))).then(|| view! { <Notice text=t.saved/> })}
            <Transition fallback=Loading>
                {move || Suspend::new(async move {
                    match mappings.await {
                        Err(e) => view! { <LoadError error=e/> }.into_any(),
                        Ok(list) => view! {
                            <ul class="divide-y divide-slate-100">
                                {list.into_iter().map(|m| {
                                    let label = if m.kind == "sparte" { t.sparte } else { t.vu_number };
                                    let input_id = format!("mapping-{}-{}", m.kind, m.code);
                                    view! {
                                        <li class="py-2">
                                            <ActionForm action=save attr:class="flex flex-wrap items-end gap-2">
                                                <input type="hidden" name="kind" value=m.kind.clone()/>
                                                <input type="hidden" name="code" value=m.code.clone()/>
                                                <label for=input_id.clone() class="w-full text-sm text-slate-700 sm:w-40">
                                                    {format!("{label} {}", m.code)}
                                                </label>
                                                <input id=input_id name="value" value=m.value class=format!("{INPUT} flex-1")/>
                                                <button type="submit" class=BUTTON_SECONDARY>{t.save}</button>
                                            </ActionForm>
                                        </li>
                                    }
                                }).collect_view()}
                            </ul>
                        }
                        .into_any(),
                    }
                })}
            </Transition>
            <ActionForm action=save attr:class="mt-3 flex flex-wrap items-end gap-2 border-t border-slate-200 pt-3">
                <input type="hidden" name="kind" value="insurer"/>
                <label class="text-sm text-slate-700">{t.vu_number}
                    <input name="code" inputmode="numeric" maxlength="5" class=format!("{INPUT} w-28")/>
                </label>
                <label class="flex-1 text-sm text-slate-700">{t.insurer_name}
                    <input name="value" class=INPUT/>
                </label>
                <button type="submit" class=BUTTON_SECONDARY>{t.save}</button>
            </ActionForm>
        </details>
    }
}
