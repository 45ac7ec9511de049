//! The code page behind the password, setting up an authenticator app, recovery codes, the
//! profile's section, confirming one's identity again, the broker's rule and the office's
//! reset.

use leptos::prelude::*;
use leptos::server_fn::ServerFn;
use leptos_router::hooks::use_query_map;

use super::texts::{texts, FactorTexts};
use super::{
    active_of, begin_set_up, current_policy, factor_status, pending_sign_in, CustomerRule, FinishSetUp,
    NewRecoveryCodes, Prove, Remove, Reset, SetPolicy, StaffRule, Verify,
};
use crate::auth::pages::AuthCard;
use crate::auth::use_viewer;
use crate::error::AppError;
use crate::ids::UserId;
use crate::ui::{
    action_error, field_error, Confirm, FormError, LoadError, Loading, Notice, PasswordField, BUTTON,
    BUTTON_SECONDARY,
};

/// The one field for a code: digits from the app (the phone offers them from an SMS-like
/// autofill) or a recovery code.
#[component]
fn CodeField(
    label: &'static str,
    #[prop(optional)] hint: Option<&'static str>,
    #[prop(into)] error: Signal<Option<String>>,
) -> impl IntoView {
    let described = crate::ui::described_by("field-code", hint.is_some(), error);
    view! {
        <div class="mb-4">
            <label for="field-code" class="mb-1 block text-sm font-medium text-slate-800">{label}</label>
            <input id="field-code" name="code" type="text" inputmode="text" autocomplete="one-time-code"
                autocapitalize="off" spellcheck="false" required=true maxlength="20"
                aria-invalid=move || error.get().map(|_| "true") aria-describedby=described
                class="block w-full rounded-lg border border-slate-300 px-3 py-2 font-mono text-lg tracking-widest focus:border-brand focus:outline-none focus:ring-2 focus:ring-brand/40 aria-[invalid=true]:border-red-600"/>
            {hint.map(|h| view! { <p id="field-code-hint" class="mt-1 text-sm text-slate-600">{h}</p> })}
            {move || error.get().map(|e| view! { <p id="field-code-error" class="mt-1 text-sm text-red-700">{e}</p> })}
        </div>
    }
}

/// `/login/code`: after the right password, the code from the app (or a recovery code), or,
/// where the broker requires a factor the person has not got, setting one up.
#[component]
pub fn CodePage() -> impl IntoView {
    let viewer = use_viewer();
    let f = texts(viewer.locale);
    let t = viewer.locale.texts();
    let info = Resource::new(|| (), |()| pending_sign_in());
    let verify = ServerAction::<Verify>::new();
    let error = action_error(verify.value());
    view! {
        <AuthCard title=f.code_title>
            <Suspense fallback=Loading>
                {move || Suspend::new(async move {
                    match info.await {
                        Ok(p) if p.must_set_up => view! {
                            <p class="mb-4 text-sm text-slate-700">{f.enrol_required}</p>
                            <SetUpFlow done_href=None/>
                        }.into_any(),
                        Ok(p) => view! {
                            <p class="mb-2 text-sm text-slate-700">{f.code_intro}</p>
                            <p class="mb-4 text-sm text-slate-700">{t.set_password_account}" "<strong>{p.email}</strong></p>
                            <FormError error/>
                            {move || matches!(error.get(), Some(AppError::SignInAgain)).then(|| view! {
                                <a href="/login" class="mb-4 block text-brand underline">{t.to_login}</a>
                            })}
                            <form method="post" action=Verify::url()>
                                <CodeField label=f.code_label hint=f.code_hint error=field_error(error, "code")/>
                                <button type="submit" class=format!("{BUTTON} w-full")>{f.code_submit}</button>
                            </form>
                        }.into_any(),
                        Err(e) => view! {
                            <p role="alert" class="mb-4 text-slate-800">{e.summary(viewer.locale)}</p>
                            <a href="/login" class="text-brand underline">{t.to_login}</a>
                        }.into_any(),
                    }
                })}
            </Suspense>
        </AuthCard>
    }
}

/// Setting up an authenticator app: the QR code (and the key to type), the first code, then
/// the recovery codes once. `done_href`: where "continue" goes after a sign-in; `None` in
/// the profile, where the section simply shows the new state.
#[component]
fn SetUpFlow(
    done_href: Option<&'static str>,
    #[prop(optional)] on_done: Option<Callback<()>>,
) -> impl IntoView {
    let viewer = use_viewer();
    let f = texts(viewer.locale);
    let data = Resource::new(|| (), |()| begin_set_up());
    let confirm = ServerAction::<FinishSetUp>::new();
    let error = action_error(confirm.value());
    let home = done_href
        .map_or_else(|| viewer.user.as_ref().map_or("/", |u| u.role.home()).to_owned(), str::to_owned);
    // Only the codes' arrival redraws: a wrong code keeps the form (and what was typed) in place.
    let codes = Memo::new(move |_| confirm.value().get().and_then(Result::ok));
    let form = view! {
        <FormError error/>
        <ActionForm action=confirm>
            <CodeField label=f.enrol_code_label error=field_error(error, "code")/>
            <button type="submit" class=format!("{BUTTON} w-full") disabled=move || confirm.pending().get()>{f.enrol_submit}</button>
        </ActionForm>
    };
    view! {
        <div hidden=move || codes.with(Option::is_some)>
            <Suspense fallback=Loading>
                {move || Suspend::new(async move {
                    match data.await {
                        Err(e) => view! { <LoadError error=e/> }.into_any(),
                        Ok(s) => view! {
                            <ol class="mb-4 list-decimal space-y-3 pl-5 text-sm text-slate-700">
                                <li>{f.enrol_steps}</li>
                                <li>
                                    {f.enrol_scan}
                                    <div class="my-2 w-48 max-w-full" role="img" aria-label=f.enrol_scan inner_html=s.qr_svg></div>
                                    <a href=s.url class="text-brand underline">{f.enrol_open_app}</a>
                                    <p class="mt-2">{f.enrol_manual}</p>
                                    <p class="mt-1 break-all font-mono text-base text-slate-900" data-key>{s.key}</p>
                                </li>
                            </ol>
                        }.into_any(),
                    }
                })}
            </Suspense>
            {form}
        </div>
        {move || codes.get().map(|codes| view! { <RecoveryCodes codes href=home.clone() on_done/> })}
    }
}

/// Recovery codes, shown once, and the way on.
#[component]
fn RecoveryCodes(codes: Vec<String>, href: String, on_done: Option<Callback<()>>) -> impl IntoView {
    let f = texts(use_viewer().locale);
    view! {
        <div role="status">
            <h2 class="mb-2 font-semibold text-slate-900">{f.recovery_title}</h2>
            <p class="mb-3 text-sm text-slate-700">{f.recovery_intro}</p>
        </div>
        <ul class="mb-4 grid grid-cols-2 gap-2 rounded-lg bg-slate-50 p-3 font-mono text-base text-slate-900" data-recovery-codes>
            {codes.into_iter().map(|c| view! { <li>{c}</li> }).collect_view()}
        </ul>
        {match on_done {
            Some(done) => view! {
                <button type="button" class=BUTTON on:click=move |_| done.run(())>{f.recovery_continue}</button>
            }.into_any(),
            None => view! { <a href=href rel="external" class=format!("{BUTTON} w-full")>{f.recovery_continue}</a> }.into_any(),
        }}
    }
}

/// The profile's section: whether a second factor guards the account, set it up, new
/// recovery codes, remove it (where the broker does not require it).
#[component]
pub fn SecondFactorInProfile() -> impl IntoView {
    let f = texts(use_viewer().locale);
    let renew = ServerAction::<NewRecoveryCodes>::new();
    let remove = ServerAction::<Remove>::new();
    let refresh = RwSignal::new(0u32);
    let setting_up = RwSignal::new(false);
    let current = Resource::new(move || (refresh.get(), remove.version().get()), |_| factor_status());
    let renew_error = action_error(renew.value());
    let remove_error = action_error(remove.value());
    let done = Callback::new(move |()| {
        setting_up.set(false);
        refresh.update(|n| *n += 1);
    });
    view! {
        <section class="mb-4 rounded-xl bg-white p-4 ring-1 ring-slate-200" aria-labelledby="second-factor-heading">
            <h2 id="second-factor-heading" class="mb-2 font-semibold text-slate-900">{f.profile_heading}</h2>
            <FormError error=renew_error/>
            <FormError error=remove_error/>
            {move || matches!(remove.value().get(), Some(Ok(()))).then(|| view! { <Notice text=f.removed/> })}
            <Show when=move || setting_up.get()>
                <SetUpFlow done_href=None on_done=done/>
            </Show>
            <Transition fallback=Loading>
                {move || Suspend::new(async move {
                    match current.await {
                        Err(e) => view! { <LoadError error=e/> }.into_any(),
                        Ok(_) if setting_up.get() => ().into_any(),
                        Ok(s) if !s.active => view! {
                            <p class="mb-3 text-sm text-slate-700">{f.profile_off}</p>
                            <button type="button" class=BUTTON_SECONDARY on:click=move |_| setting_up.set(true)>{f.set_up}</button>
                        }.into_any(),
                        Ok(s) => view! {
                            <p class="mb-1 text-sm text-slate-700">{f.profile_on}</p>
                            <p class="mb-3 text-sm text-slate-600">{f.profile_recovery_left.replace("{left}", &s.recovery_left.to_string())}</p>
                            {move || match renew.value().get() {
                                Some(Ok(codes)) => Some(view! { <RecoveryCodes codes href=String::new() on_done=Some(Callback::new(move |()| renew.clear()))/> }),
                                _ => None,
                            }}
                            <div class="flex flex-wrap gap-x-4">
                                <Confirm summary=f.new_recovery_codes question=f.new_recovery_question warning=true>
                                    <ActionForm action=renew>
                                        <button type="submit" class=BUTTON_SECONDARY disabled=move || renew.pending().get()>{f.confirm_new_recovery}</button>
                                    </ActionForm>
                                </Confirm>
                                {if s.required {
                                    view! { <p class="py-2 text-sm text-slate-600">{f.profile_required}</p> }.into_any()
                                } else {
                                    view! {
                                        <Confirm summary=f.remove question=f.remove_question>
                                            <ActionForm action=remove>
                                                <button type="submit" class=BUTTON_SECONDARY disabled=move || remove.pending().get()>{f.confirm_remove}</button>
                                            </ActionForm>
                                        </Confirm>
                                    }.into_any()
                                }}
                            </div>
                        }.into_any(),
                    }
                })}
            </Transition>
        </section>
    }
}

/// `/confirm-identity?next=…`: the password again (and the code, where there is a factor)
/// before a sensitive action; then back to the page that asked.
#[component]
pub fn ProvePage() -> impl IntoView {
    let viewer = use_viewer();
    let f = texts(viewer.locale);
    let t = viewer.locale.texts();
    let query = use_query_map();
    let next = query.read_untracked().get("next").unwrap_or_default();
    let current = Resource::new(|| (), |()| factor_status());
    let prove = ServerAction::<Prove>::new();
    let error = action_error(prove.value());
    let email = viewer.user.as_ref().map(|u| u.email.clone()).unwrap_or_default();
    view! {
        <AuthCard title=f.prove_title>
            <p class="mb-4 text-sm text-slate-700">{f.prove_intro}</p>
            <FormError error/>
            <form method="post" action=Prove::url()>
                <input type="hidden" name="next" value=next/>
                <input type="hidden" name="username" value=email autocomplete="username"/>
                <PasswordField label=t.password name="password" autocomplete="current-password" error=field_error(error, "password")/>
                <Suspense fallback=|| ()>
                    {move || Suspend::new(async move {
                        current.await.ok().filter(|s| s.active).map(|_| view! {
                            <CodeField label=f.code_label hint=f.code_hint error=field_error(error, "code")/>
                        })
                    })}
                </Suspense>
                <button type="submit" class=format!("{BUTTON} w-full")>{f.prove_submit}</button>
            </form>
        </AuthCard>
    }
}

/// On the settings page (owners): who must sign in with a second factor.
#[component]
pub fn PolicySetting() -> impl IntoView {
    let locale = use_viewer().locale;
    let f = texts(locale);
    let save_label = locale.texts().save;
    let current = Resource::new(|| (), |()| current_policy());
    let save = ServerAction::<SetPolicy>::new();
    let error = action_error(save.value());
    let saved = move || matches!(save.value().get(), Some(Ok(())));
    view! {
        <section class="mb-6 rounded-xl bg-white p-4 ring-1 ring-slate-200" aria-labelledby="sign-in-rule-heading">
            <h2 id="sign-in-rule-heading" class="mb-1 font-semibold text-slate-900">{f.policy_heading}</h2>
            <p class="mb-3 text-sm text-slate-600">{f.policy_intro}</p>
            {move || saved().then(|| view! { <Notice text=f.policy_saved/> })}
            <FormError error/>
            <Transition fallback=Loading>
                {move || Suspend::new(async move {
                    let p = current.await.unwrap_or_default();
                    view! {
                        <ActionForm action=save attr:class="flex flex-wrap items-end gap-3">
                            <div>
                                <label for="field-staff-rule" class="mb-1 block text-sm font-medium text-slate-800">{f.policy_staff}</label>
                                <select id="field-staff-rule" name="staff" class="rounded-lg border border-slate-300 px-3 py-2">
                                    {StaffRule::ALL.iter().map(|&r| view! {
                                        <option value=r.as_str() selected=r == p.staff>{staff_label(f, r)}</option>
                                    }).collect_view()}
                                </select>
                            </div>
                            <div>
                                <label for="field-customer-rule" class="mb-1 block text-sm font-medium text-slate-800">{f.policy_customers}</label>
                                <select id="field-customer-rule" name="customers" class="rounded-lg border border-slate-300 px-3 py-2">
                                    {CustomerRule::ALL.iter().map(|&r| view! {
                                        <option value=r.as_str() selected=r == p.customers>{customer_label(f, r)}</option>
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

fn staff_label(f: &FactorTexts, rule: StaffRule) -> &'static str {
    match rule {
        StaffRule::Optional => f.policy_staff_optional,
        StaffRule::Owners => f.policy_staff_owners,
        StaffRule::AllStaff => f.policy_staff_all,
    }
}

fn customer_label(f: &FactorTexts, rule: CustomerRule) -> &'static str {
    match rule {
        CustomerRule::Optional => f.policy_customers_optional,
        CustomerRule::Required => f.policy_customers_required,
    }
}

/// The office resets a person's second factor (shown only where there is one).
#[component]
pub fn FactorReset(user_id: UserId, #[prop(optional, into)] name: Option<String>) -> impl IntoView {
    let f = texts(use_viewer().locale);
    let reset = ServerAction::<Reset>::new();
    let has = Resource::new(move || reset.version().get(), move |_| active_of(user_id));
    let error = action_error(reset.value());
    view! {
        <div>
            {move || matches!(reset.value().get(), Some(Ok(()))).then(|| view! { <Notice text=f.reset_done/> })}
            <FormError error/>
            <Transition fallback=|| ()>
                {move || {
                    let name = name.clone();
                    Suspend::new(async move {
                        has.await.unwrap_or(false).then(|| view! {
                            <Confirm summary=f.reset question=f.reset_question context=name.unwrap_or_default()>
                                <ActionForm action=reset>
                                    <input type="hidden" name="user_id" value=user_id.0/>
                                    <button type="submit" class=BUTTON_SECONDARY disabled=move || reset.pending().get()>{f.confirm_reset}</button>
                                </ActionForm>
                            </Confirm>
                        })
                    })
                }}
            </Transition>
        </div>
    }
}
