//! The signed-in person's own page: who has access, consents, language, sign out here or
//! on every device.

use leptos::prelude::*;
use leptos::server_fn::ServerFn;

use crate::auth::{use_viewer, Logout, LogoutEverywhere};
use crate::brand::pages::BrokerContactCard;
use crate::error::AppError;
use crate::i18n::Locale;
use crate::ui::{BUTTON, BUTTON_SECONDARY};

#[server(endpoint = "profile/locale")]
pub async fn set_locale(locale: String) -> Result<(), AppError> {
    crate::request::respond(ssr::set_locale(&locale).await)
}

#[cfg(feature = "ssr")]
mod ssr {
    use crate::audit::ssr::{record, Actor, Target};
    use crate::error::{AppError, Problem, Result};
    use crate::i18n::Locale;
    use crate::request::{app_state, require_user};

    pub async fn set_locale(locale: &str) -> Result<()> {
        let (ctx, user) = require_user()?;
        let state = app_state()?;
        let locale = Locale::parse(locale).ok_or(AppError::field("locale", Problem::InvalidChoice))?;
        let mut tx = state.db.begin().await?;
        crate::auth::accounts::set_locale(&mut tx, ctx.broker.id, user.id, locale).await?;
        record(
            &mut tx,
            ctx.broker.id,
            Actor::user(user.role, user.id),
            "profile.locale_changed",
            Some(Target::User(user.id)),
            ctx.ip,
        )
        .await?;
        tx.commit().await?;
        leptos_axum::redirect(if user.role.is_staff() { "/office/profile" } else { "/app/profile" });
        Ok(())
    }
}

#[component]
pub fn ProfilePage() -> impl IntoView {
    let viewer = use_viewer();
    let t = viewer.locale.texts();
    let user = viewer.user.clone();
    let is_customer = user.as_ref().is_some_and(|u| !u.role.is_staff());
    view! {
        <h1 class="mb-4 text-2xl font-semibold text-slate-900">{t.nav_profile}</h1>
        {user.map(|u| view! {
            <section class="mb-4 rounded-xl bg-white p-4 ring-1 ring-slate-200">
                <p class="font-medium text-slate-900">{u.display_name}</p>
                <p class="text-slate-600">{u.email}</p>
            </section>
        })}
        {is_customer.then(|| view! {
            <crate::access::pages::AccessInProfile/>
            <crate::mailbox::pages::ConsentsInProfile/>
            <crate::my_data::MyDataInProfile/>
            <BrokerContactCard/>
        }.into_any())}
        {view! {
            <crate::second_factor::pages::SecondFactorInProfile/>
            <crate::passkeys::pages::PasskeysInProfile/>
        }.into_any()}
        <section class="mb-4 rounded-xl bg-white p-4 ring-1 ring-slate-200" aria-labelledby="language-heading">
            <h2 id="language-heading" class="mb-2 font-semibold text-slate-900">{t.language}</h2>
            <form method="post" action=SetLocale::url() class="flex items-end gap-2">
                <div>
                    <label for="field-locale" class="sr-only">{t.language}</label>
                    <select id="field-locale" name="locale" class="rounded-lg border border-slate-300 px-3 py-2">
                        {Locale::ALL.iter().map(|l| view! {
                            <option value=l.code() selected=*l == viewer.locale>{l.native_name()}</option>
                        }).collect_view()}
                    </select>
                </div>
                <button type="submit" class=BUTTON_SECONDARY>{t.save}</button>
            </form>
        </section>
        <section class="rounded-xl bg-white p-4 ring-1 ring-slate-200" aria-labelledby="sessions-heading">
            <h2 id="sessions-heading" class="mb-2 font-semibold text-slate-900">{t.sessions_heading}</h2>
            <p class="mb-3 text-sm text-slate-600">{t.sign_out_everywhere_hint}</p>
            <div class="flex flex-wrap gap-2">
                <form method="post" action=Logout::url()>
                    <button type="submit" class=BUTTON>{t.sign_out}</button>
                </form>
                <form method="post" action=LogoutEverywhere::url()>
                    <button type="submit" class=BUTTON_SECONDARY>{t.sign_out_everywhere}</button>
                </form>
            </div>
        </section>
    }
}
