//! Erasing a customer (Art. 17 GDPR) against the broker's duty to keep documents: where no
//! retention period runs the folder goes completely; where one runs it is locked (the
//! customer's login and every grant end, only owners open it) and housekeeping erases it when
//! the period is over. The owner sees which of the two will happen before confirming, and
//! sets the period in the settings.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::auth::{use_viewer, Role};
use crate::error::AppError;
use crate::ids::CustomerId;
use crate::ui::{action_error, Confirm, FormError, Notice, BUTTON_DANGER, BUTTON_SECONDARY};
pub use rules::Plan;

pub mod rules;
#[cfg(feature = "ssr")]
pub mod ssr;
pub mod texts;

/// The retention periods an owner can choose, in years.
pub const RETENTION_CHOICES: [i64; 4] = [0, 6, 10, 30];

/// What erasing this customer would do today.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Preview {
    pub plan: Plan,
    pub retention_years: i64,
}

#[server(endpoint = "erasure/preview")]
pub async fn erasure_preview(customer_id: CustomerId) -> Result<Preview, AppError> {
    crate::request::respond(ssr::preview_for_owner(customer_id).await)
}

/// Erases the customer, or locks the folder while documents must be kept (owners only).
#[server(endpoint = "erasure/erase")]
pub async fn erase_customer(customer_id: CustomerId) -> Result<Plan, AppError> {
    crate::request::respond(ssr::erase_for_owner(customer_id).await)
}

#[server(endpoint = "erasure/retention")]
pub async fn retention() -> Result<i64, AppError> {
    crate::request::respond(ssr::retention_for_owner().await)
}

#[server(endpoint = "erasure/set-retention")]
pub async fn set_retention(years: String) -> Result<(), AppError> {
    crate::request::respond(ssr::set_retention_for_owner(&years).await)
}

/// On the office's customer page: the lock, if any, for everyone who may open it; for owners
/// what erasing would do, behind a confirmation.
#[component]
pub fn EraseCustomer(customer_id: CustomerId, locked: Option<crate::customers::Lock>) -> impl IntoView {
    let viewer = use_viewer();
    let locale = viewer.locale;
    let t = texts::texts(locale);
    let is_owner = viewer.user.as_ref().is_some_and(|u| u.role == Role::Owner);
    if let Some(lock) = locked {
        let since = crate::i18n::fmt_datetime(lock.at, locale);
        let text = match &lock.erase_on {
            Some(date) => t
                .locked_until
                .replace("{since}", &since)
                .replace("{date}", &crate::i18n::fmt_date(date, locale)),
            None => t.locked_while_running.replace("{since}", &since),
        };
        return view! {
            <p role="status" class="mb-4 rounded-lg border border-amber-200 bg-amber-50 px-3 py-2 text-sm text-amber-900">{text}</p>
        }
        .into_any();
    }
    if !is_owner {
        return ().into_any();
    }
    let preview = Resource::new(move || customer_id, erasure_preview);
    let erase = ServerAction::<EraseCustomer>::new();
    let error = action_error(erase.value());
    // The page stays where it is after a lock: say so here (a reload shows the lock's dates).
    let locked_now =
        move || matches!(erase.value().get(), Some(Ok(Plan::KeepUntil(_) | Plan::KeepWhileRunning)));
    view! {
        <Show when=locked_now fallback=move || view! {
        <section class="mb-6 rounded-xl bg-white p-4 ring-1 ring-slate-200" aria-labelledby="erase-heading">
            <h2 id="erase-heading" class="mb-2 font-semibold text-slate-900">{t.heading}</h2>
            <Transition fallback=crate::ui::Loading>
                {move || Suspend::new(async move {
                    let Ok(p) = preview.await else { return ().into_any() };
                    let years = t.years(p.retention_years);
                    let (text, summary, question, confirm) = match &p.plan {
                        Plan::EraseNow => (t.erase_now.to_owned(), t.erase, t.question_erase, t.confirm_erase),
                        Plan::KeepUntil(date) => (
                            t.keep_until.replace("{date}", &crate::i18n::fmt_date(date, locale)).replace("{years}", &years),
                            t.lock,
                            t.question_lock,
                            t.confirm_lock,
                        ),
                        Plan::KeepWhileRunning => {
                            (t.keep_while_running.replace("{years}", &years), t.lock, t.question_lock, t.confirm_lock)
                        }
                    };
                    view! {
                        <p class="mb-2 text-sm text-slate-700">{text}</p>
                        <FormError error/>
                        <Confirm summary question>
                            <ActionForm action=erase>
                                <input type="hidden" name="customer_id" value=customer_id.0/>
                                <button type="submit" class=BUTTON_DANGER disabled=move || erase.pending().get()>{confirm}</button>
                            </ActionForm>
                        </Confirm>
                    }
                    .into_any()
                })}
            </Transition>
        </section>
        }>
            <p role="status" class="mb-4 rounded-lg border border-amber-200 bg-amber-50 px-3 py-2 text-sm text-amber-900">{t.locked_now}</p>
        </Show>
    }
    .into_any()
}

/// On the settings page (owners): the retention period.
#[component]
pub fn RetentionSetting() -> impl IntoView {
    let locale = use_viewer().locale;
    let t = texts::texts(locale);
    let save_label = locale.texts().save;
    let current = Resource::new(|| (), |()| retention());
    let save = ServerAction::<SetRetention>::new();
    let error = action_error(save.value());
    let saved = move || matches!(save.value().get(), Some(Ok(())));
    view! {
        <section class="mb-6 rounded-xl bg-white p-4 ring-1 ring-slate-200" aria-labelledby="retention-heading">
            <h2 id="retention-heading" class="mb-1 font-semibold text-slate-900">{t.retention_heading}</h2>
            <p class="mb-3 text-sm text-slate-600">{t.retention_intro}</p>
            {move || saved().then(|| view! { <Notice text=t.saved/> })}
            <FormError error/>
            <Transition fallback=crate::ui::Loading>
                {move || Suspend::new(async move {
                    let years = current.await.unwrap_or(10);
                    view! {
                        <ActionForm action=save attr:class="flex flex-wrap items-end gap-2">
                            <div>
                                <label for="field-retention" class="mb-1 block text-sm font-medium text-slate-800">{t.retention_label}</label>
                                <select id="field-retention" name="years" class="rounded-lg border border-slate-300 px-3 py-2">
                                    {RETENTION_CHOICES.iter().map(|&y| view! {
                                        <option value=y.to_string() selected=y == years>{t.years(y)}</option>
                                    }).collect_view()}
                                </select>
                            </div>
                            <button type="submit" class=BUTTON_SECONDARY>{save_label}</button>
                        </ActionForm>
                    }
                })}
            </Transition>
        </section>
    }
}
