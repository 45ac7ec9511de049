//! The sign-in page and the page behind a single-use link. Both post plain forms, so they
//! work before the wasm has loaded, and a successful post reloads the whole page.

use leptos::prelude::*;
use leptos::server_fn::ServerFn;
use leptos_router::components::Redirect;
use leptos_router::hooks::{use_params_map, use_query_map};

use super::{use_viewer, LinkPurpose, Login, SetAccountActive, SetPassword, UseSignInLink};
use crate::brand::pages::{BrandName, LegalLinks};
use crate::ids::UserId;
use crate::ui::{
    action_error, field_error, Confirm, FormError, Loading, Notice, PasswordField, TextField, BUTTON,
    BUTTON_SECONDARY,
};

/// A centred card under the broker's name.
#[component]
pub fn AuthCard(title: &'static str, children: Children) -> impl IntoView {
    let viewer = use_viewer();
    view! {
        <main class="min-h-screen bg-slate-50 px-4 py-10 flex justify-center">
            <div class="w-full max-w-sm">
                <BrandName class="flex flex-col items-center gap-3 text-center text-2xl font-semibold text-brand"/>
                <h1 class="mt-1 mb-6 text-center text-lg text-slate-700">{title}</h1>
                <div class="rounded-xl bg-white p-6 shadow-sm ring-1 ring-slate-200">{children()}</div>
                <LegalLinks imprint=viewer.broker.imprint_url.clone() privacy=viewer.broker.privacy_url/>
            </div>
        </main>
    }
}

#[component]
pub fn LoginPage() -> impl IntoView {
    let viewer = use_viewer();
    let t = viewer.locale.texts();
    if let Some(user) = &viewer.user {
        return view! { <Redirect path=user.role.home()/> }.into_any();
    }
    let action = ServerAction::<Login>::new();
    let error = action_error(action.value());
    let query = use_query_map();
    let expired = viewer.session_expired || query.read_untracked().get("expired").is_some();
    let signed_out = query.read_untracked().get("signed_out").is_some();
    view! {
        <AuthCard title=t.login_title>
            {expired.then(|| view! { <Notice text=t.session_expired/> })}
            {signed_out.then(|| view! { <Notice text=t.signed_out/> })}
            <FormError error/>
            <form method="post" action=Login::url()>
                <TextField label=t.email name="email" kind="email" autocomplete="username" required=true
                    error=field_error(error, "email")/>
                <PasswordField label=t.password name="password" autocomplete="current-password"
                    error=field_error(error, "password")/>
                <button type="submit" class=format!("{BUTTON} w-full")>{t.login_submit}</button>
            </form>
            <crate::passkeys::pages::PasskeySignIn/>
            <p class="mt-4 text-sm text-slate-600">{t.login_forgot_hint}</p>
        </AuthCard>
    }
    .into_any()
}

#[component]
pub fn SetPasswordPage() -> impl IntoView {
    let t = use_viewer().locale.texts();
    let params = use_params_map();
    let token = move || params.read().get("token").unwrap_or_default();
    let info = Resource::new(token, super::link_info);
    let action = ServerAction::<SetPassword>::new();
    let error = action_error(action.value());
    view! {
        <AuthCard title=t.set_password_title>
            <Suspense fallback=Loading>
                {move || Suspend::new(async move {
                    match info.await {
                        Ok(info) if info.purpose != LinkPurpose::SignIn => {
                            let intro = match info.purpose {
                                LinkPurpose::Invite => t.set_password_intro_invite,
                                _ => t.set_password_intro_reset,
                            };
                            view! {
                                <p class="mb-4 text-sm text-slate-700">{intro}</p>
                                <p class="mb-4 text-sm text-slate-700">
                                    {t.set_password_account}" "<strong>{info.email.clone()}</strong>
                                </p>
                                <FormError error/>
                                <form method="post" action=SetPassword::url()>
                                    <input type="hidden" name="token" value=token()/>
                                    <input type="hidden" name="username" value=info.email autocomplete="username"/>
                                    <PasswordField label=t.new_password name="password" autocomplete="new-password"
                                        hint=t.password_rule error=field_error(error, "password")/>
                                    <PasswordField label=t.new_password_repeat name="password_repeat"
                                        autocomplete="new-password" error=field_error(error, "password_repeat")/>
                                    <button type="submit" class=format!("{BUTTON} w-full")>{t.set_password_submit}</button>
                                </form>
                            }
                            .into_any()
                        }
                        _ => view! { <LinkInvalid/> }.into_any(),
                    }
                })}
            </Suspense>
        </AuthCard>
    }
}

/// The link mailed when the right password came after too many wrong ones: one button
/// finishes the sign-in (a plain form, so merely opening the link changes nothing).
#[component]
pub fn SignInLinkPage() -> impl IntoView {
    let t = use_viewer().locale.texts();
    let params = use_params_map();
    let token = move || params.read().get("token").unwrap_or_default();
    let info = Resource::new(token, super::link_info);
    let action = ServerAction::<UseSignInLink>::new();
    let error = action_error(action.value());
    view! {
        <AuthCard title=t.sign_in_link_title>
            <Suspense fallback=Loading>
                {move || Suspend::new(async move {
                    match info.await {
                        Ok(info) if info.purpose == LinkPurpose::SignIn => view! {
                            <p class="mb-4 text-sm text-slate-700">{t.sign_in_link_intro}</p>
                            <p class="mb-4 text-sm text-slate-700">
                                {t.set_password_account}" "<strong>{info.email}</strong>
                            </p>
                            <FormError error/>
                            <form method="post" action=UseSignInLink::url()>
                                <input type="hidden" name="token" value=token()/>
                                <button type="submit" class=format!("{BUTTON} w-full")>{t.sign_in_link_submit}</button>
                            </form>
                        }
                        .into_any(),
                        _ => view! { <LinkInvalid/> }.into_any(),
                    }
                })}
            </Suspense>
        </AuthCard>
    }
}

/// A link that was used, ran out or never existed, and the way to sign in instead.
#[component]
fn LinkInvalid() -> impl IntoView {
    let t = use_viewer().locale.texts();
    view! {
        <p role="alert" class="mb-4 text-slate-800">{t.link_invalid}</p>
        <a href="/login" class="text-brand underline">{t.to_login}</a>
    }
}

/// The office ends a person's access after a confirmation, or restores it with one click.
#[component]
pub fn AccountActiveSwitch(
    user_id: UserId,
    deactivated: bool,
    action: ServerAction<SetAccountActive>,
) -> impl IntoView {
    let t = use_viewer().locale.texts();
    if deactivated {
        return view! {
            <ActionForm action>
                <input type="hidden" name="user_id" value=user_id.0/>
                <input type="hidden" name="active" value="true"/>
                <button type="submit" class=BUTTON_SECONDARY disabled=move || action.pending().get()>{t.reactivate}</button>
            </ActionForm>
        }
        .into_any();
    }
    view! {
        <Confirm summary=t.deactivate question=t.deactivate_question>
            <ActionForm action>
                <input type="hidden" name="user_id" value=user_id.0/>
                <input type="hidden" name="active" value="false"/>
                <button type="submit" class=BUTTON_SECONDARY disabled=move || action.pending().get()>{t.confirm_deactivate}</button>
            </ActionForm>
        </Confirm>
    }
    .into_any()
}
