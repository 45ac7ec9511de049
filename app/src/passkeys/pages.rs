//! The profile's passkeys and the sign-in page's passkey button. The ceremonies themselves
//! run in `public/passkeys.js`; these buttons stay hidden where a browser has no passkeys.

use leptos::prelude::*;

use super::texts::texts;
use super::{list_passkeys, RemovePasskey};
use crate::auth::use_viewer;
use crate::i18n::fmt_datetime;
use crate::ui::{action_error, Confirm, FormError, LoadError, Loading, BUTTON_SECONDARY};

#[component]
pub fn PasskeysInProfile() -> impl IntoView {
    let locale = use_viewer().locale;
    let p = texts(locale);
    let remove = ServerAction::<RemovePasskey>::new();
    let list = Resource::new(move || remove.version().get(), |_| list_passkeys());
    let error = action_error(remove.value());
    view! {
        <section class="mb-4 rounded-xl bg-white p-4 ring-1 ring-slate-200" aria-labelledby="passkeys-heading" data-passkeys>
            <h2 id="passkeys-heading" class="mb-2 font-semibold text-slate-900">{p.heading}</h2>
            <p class="mb-3 text-sm text-slate-700">{p.intro}</p>
            <FormError error/>
            <p role="alert" data-passkey-error hidden class="mb-3 rounded-lg border border-red-200 bg-red-50 px-3 py-2 text-sm text-red-800">{p.failed}</p>
            <Transition fallback=Loading>
                {move || Suspend::new(async move {
                    match list.await {
                        Err(e) => view! { <LoadError error=e/> }.into_any(),
                        Ok(rows) if rows.is_empty() => view! { <p class="mb-3 text-sm text-slate-600">{p.none}</p> }.into_any(),
                        Ok(rows) => view! {
                            <ul class="mb-3 divide-y divide-slate-100">
                                {rows.into_iter().map(|k| { let name = k.name.clone(); view! {
                                    <li class="flex flex-wrap items-center gap-x-4 gap-y-1 py-2">
                                        <span class="flex-1">
                                            <span class="font-medium text-slate-900">{k.name}</span>
                                            <span class="block text-sm text-slate-600">
                                                {p.created.replace("{date}", &fmt_datetime(k.created_at, locale))}
                                                {k.last_used_at.map(|t| format!(" · {}", p.last_used.replace("{date}", &fmt_datetime(t, locale))))}
                                            </span>
                                        </span>
                                        <Confirm summary=p.remove question=p.remove_question context=name>
                                            <ActionForm action=remove>
                                                <input type="hidden" name="id" value=k.id.0/>
                                                <button type="submit" class=BUTTON_SECONDARY disabled=move || remove.pending().get()>{p.confirm_remove}</button>
                                            </ActionForm>
                                        </Confirm>
                                    </li>
                                }}).collect_view()}
                            </ul>
                        }.into_any(),
                    }
                })}
            </Transition>
            <div class="flex flex-wrap items-end gap-2">
                <div>
                    <label for="field-passkey-name" class="mb-1 block text-sm font-medium text-slate-800">{p.name_label}</label>
                    <input id="field-passkey-name" name="passkey_name" type="text" maxlength="100" value=p.name_default
                        class="rounded-lg border border-slate-300 px-3 py-2"/>
                </div>
                <button type="button" data-passkey-register hidden class=BUTTON_SECONDARY>{p.add}</button>
            </div>
        </section>
    }
}

/// Under the sign-in form: the browser offers the passkeys it keeps for this site.
#[component]
pub fn PasskeySignIn() -> impl IntoView {
    let p = texts(use_viewer().locale);
    view! {
        <div class="mt-4" data-passkeys>
            <p role="alert" data-passkey-error hidden class="mb-3 rounded-lg border border-red-200 bg-red-50 px-3 py-2 text-sm text-red-800">{p.failed}</p>
            <button type="button" data-passkey-sign-in hidden class=format!("{BUTTON_SECONDARY} w-full")>{p.sign_in}</button>
        </div>
    }
}
