//! Settings → API keys (owners only): the list with last use, a new key shown once,
//! replace and revoke after a confirmation.

use leptos::prelude::*;

use super::texts::texts;
use super::{list_api_keys, ApiKeyRow, CreateApiKey, NewApiKey, RevokeApiKey, RotateApiKey};
use crate::auth::use_viewer;
use crate::i18n::{fmt_datetime, Locale};
use crate::ui::{
    action_error, field_error, Confirm, EmptyState, FormError, LoadError, Loading, Notice, TextField, BUTTON,
    BUTTON_SECONDARY,
};

#[component]
pub fn ApiKeySettings() -> impl IntoView {
    let locale = use_viewer().locale;
    let t = texts(locale);
    let create = ServerAction::<CreateApiKey>::new();
    let revoke = ServerAction::<RevokeApiKey>::new();
    let rotate = ServerAction::<RotateApiKey>::new();
    let keys = Resource::new(
        move || (create.version().get(), revoke.version().get(), rotate.version().get()),
        |_| list_api_keys(),
    );
    // The newest key made here, created or replaced: shown until the next change.
    let fresh = RwSignal::new(None::<NewApiKey>);
    Effect::new(move || {
        if let Some(Ok(key)) = create.value().get() {
            fresh.set(Some(key));
        }
    });
    Effect::new(move || {
        if let Some(Ok(key)) = rotate.value().get() {
            fresh.set(Some(key));
        }
    });
    Effect::new(move || {
        if let Some(Ok(())) = revoke.value().get() {
            fresh.set(None);
        }
    });
    let create_error = action_error(create.value());
    let revoke_error = action_error(revoke.value());
    let rotate_error = action_error(rotate.value());
    view! {
        <section class="mb-6 rounded-xl bg-white p-4 ring-1 ring-slate-200" aria-labelledby="api-keys-heading">
            <h2 id="api-keys-heading" class="mb-1 font-semibold text-slate-900">{t.heading}</h2>
            <p class="mb-3 text-sm text-slate-600">
                {t.intro}" "
                <a href="/api/v1/openapi.json" class="text-brand underline">{t.docs_link}</a>
            </p>
            {move || fresh.get().map(|k| view! { <FreshKey key=k locale/> })}
            {move || matches!(revoke.value().get(), Some(Ok(()))).then(|| view! { <Notice text=t.key_revoked/> })}
            <FormError error=revoke_error/>
            <FormError error=rotate_error/>
            <Transition fallback=Loading>
                {move || Suspend::new(async move {
                    match keys.await {
                        Err(e) => view! { <LoadError error=e/> }.into_any(),
                        Ok(rows) if rows.is_empty() => view! { <EmptyState title=t.empty_title text=t.empty_text/> }.into_any(),
                        Ok(rows) => view! {
                            <ul class="mb-4 divide-y divide-slate-100">
                                {rows.into_iter().map(|k| view! { <KeyLine key=k locale revoke rotate/> }).collect_view()}
                            </ul>
                        }.into_any(),
                    }
                })}
            </Transition>
            <FormError error=create_error/>
            <ActionForm action=create attr:class="mt-4 flex flex-wrap items-start gap-3">
                <div class="min-w-64 flex-1">
                    <TextField label=t.name name="name" required=true error=field_error(create_error, "name")/>
                </div>
                <button type="submit" class=format!("{BUTTON} mt-6") disabled=move || create.pending().get()>{t.create}</button>
            </ActionForm>
        </section>
    }
}

#[component]
fn FreshKey(key: NewApiKey, locale: Locale) -> impl IntoView {
    let t = texts(locale);
    view! {
        <div role="status" class="mb-4 rounded-lg bg-emerald-50 p-3 ring-1 ring-emerald-200">
            <label for="api-key-new" class="block font-medium text-emerald-900">
                {t.new_key}" „"{key.name}"“"
            </label>
            <input id="api-key-new" readonly=true value=key.key aria-describedby="api-key-new-hint"
                class="mt-1 block w-full rounded-lg border border-emerald-300 bg-white px-3 py-2 font-mono text-sm"/>
            <p id="api-key-new-hint" class="mt-1 text-sm text-emerald-900">{t.new_key_hint}</p>
        </div>
    }
}

#[component]
fn KeyLine(
    key: ApiKeyRow,
    locale: Locale,
    revoke: ServerAction<RevokeApiKey>,
    rotate: ServerAction<RotateApiKey>,
) -> impl IntoView {
    let t = texts(locale);
    let name = if key.name.is_empty() { t.unnamed.to_owned() } else { key.name.clone() };
    let used = key.last_used_at.map_or_else(|| t.never_used.to_owned(), |at| fmt_datetime(at, locale));
    let live = key.revoked_at.is_none();
    view! {
        <li class="flex flex-wrap items-start gap-x-4 gap-y-2 py-3">
            <div class="min-w-0 flex-1">
                <p class=if live { "font-medium text-slate-900" } else { "font-medium text-slate-500 line-through" }>{name.clone()}</p>
                <p class="font-mono text-sm text-slate-600">"fk_"{key.prefix.clone()}"_…"</p>
                <p class="text-sm text-slate-600">
                    {t.created}" "{fmt_datetime(key.created_at, locale)}" · "{t.last_used}": "{used}
                    {key.revoked_at.map(|at| format!(" · {} {}", t.revoked, fmt_datetime(at, locale)))}
                </p>
            </div>
            {live.then(|| view! {
                <div class="flex flex-wrap gap-2">
                    <Confirm summary=t.rotate question=t.rotate_question context=name.clone() warning=true>
                        <ActionForm action=rotate>
                            <input type="hidden" name="id" value=key.id.0/>
                            <button type="submit" class=BUTTON_SECONDARY>{t.confirm_rotate}</button>
                        </ActionForm>
                    </Confirm>
                    <Confirm summary=t.revoke question=t.revoke_question context=name.clone()>
                        <ActionForm action=revoke>
                            <input type="hidden" name="id" value=key.id.0/>
                            <button type="submit" class=BUTTON_SECONDARY>{t.confirm_revoke}</button>
                        </ActionForm>
                    </Confirm>
                </div>
            })}
        </li>
    }
}
