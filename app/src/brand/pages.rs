//! The owner's brand settings (colours with a live preview and contrast warnings, contact
//! details, logo, custom domains, the homepage snippet) and the broker's contact card that
//! customers see in their profile.

use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

use super::texts::{texts, BrandTexts};
use super::{
    broker_contact, homepage_snippet, load_brand_settings, text_on, AddDomain, BrandSettings, ContrastCheck,
    DnsStatus, RemoveDomain, RemoveLogo, SaveBrand, AA_CONTRAST,
};
use crate::auth::use_viewer;
use crate::error::{AppError, Problem};
use crate::i18n::Locale;
use crate::ui::{
    action_error, field_error, Confirm, FormError, LoadError, Loading, Notice, TextField, BUTTON,
    BUTTON_SECONDARY,
};

const SECTION: &str = "mb-6 rounded-xl bg-white p-4 ring-1 ring-slate-200";
const INPUT: &str = "block w-full rounded-lg border border-slate-300 px-3 py-2 text-base focus:border-brand focus:outline-none focus:ring-2 focus:ring-brand/40 aria-[invalid=true]:border-red-600";

/// Everything of the brand on the owner's settings page.
#[component]
pub fn BrandSettingsSections() -> impl IntoView {
    let save = ServerAction::<SaveBrand>::new();
    let add = ServerAction::<AddDomain>::new();
    let remove = ServerAction::<RemoveDomain>::new();
    let remove_logo = ServerAction::<RemoveLogo>::new();
    let settings = Resource::new(
        move || (add.version().get(), remove.version().get(), remove_logo.version().get()),
        |_| load_brand_settings(),
    );
    // New colours and a new name show everywhere on the page only after a reload.
    #[cfg(feature = "hydrate")]
    Effect::new(move |_| {
        if matches!(save.value().get(), Some(Ok(()))) {
            if let Some(window) = leptos::web_sys::window() {
                let _ = window.location().assign("/office/settings?saved=1#appearance");
            }
        }
    });
    view! {
        <Transition fallback=Loading>
            {move || Suspend::new(async move {
                match settings.await {
                    Err(e) => view! { <LoadError error=e/> }.into_any(),
                    Ok(s) => view! {
                        <AppearanceForm settings=s.clone() action=save/>
                        <LogoSection has_logo=s.has_logo remove=remove_logo/>
                        <DomainsSection settings=s.clone() add remove/>
                        <SnippetSection settings=s/>
                    }
                    .into_any(),
                }
            })}
        </Transition>
    }
}

fn ratio(value: f64, locale: Locale) -> String {
    let text = format!("{value:.1}");
    match locale {
        Locale::De | Locale::Nl | Locale::Fr => text.replace('.', ","),
        Locale::En => text,
    }
}

#[component]
fn AppearanceForm(settings: BrandSettings, action: ServerAction<SaveBrand>) -> impl IntoView {
    let locale = use_viewer().locale;
    let t = texts(locale);
    let error = action_error(action.value());
    let primary = RwSignal::new(settings.fields.primary_color.clone());
    let accent = RwSignal::new(settings.fields.accent_color.clone());
    let saved = use_query_map().read_untracked().get("saved").is_some();
    let warnings = move || {
        let check = ContrastCheck::of(&primary.get(), &accent.get());
        [
            (check.on_primary, t.warn_on_primary),
            (check.primary_on_white, t.warn_primary_on_white),
            (check.on_accent, t.warn_on_accent),
        ]
        .into_iter()
        .filter(|(value, _)| *value < AA_CONTRAST)
        .map(|(value, text)| text.replace("{ratio}", &ratio(value, locale)))
        .collect::<Vec<_>>()
    };
    let area = move |name: &'static str, label: &'static str, hint: Option<&'static str>, value: String| {
        let id = format!("field-{name}");
        let hint_id = format!("{id}-hint");
        let message = field_error(error, name);
        view! {
            <div class="mb-4">
                <label for=id.clone() class="mb-1 block text-sm font-medium text-slate-800">{label}</label>
                <textarea id=id name=name rows="2" class=INPUT aria-describedby=hint.map(|_| hint_id.clone())
                    aria-invalid=move || message.get().map(|_| "true")>{value}</textarea>
                {hint.map(|h| view! { <p id=hint_id class="mt-1 text-sm text-slate-600">{h}</p> })}
                {move || message.get().map(|m| view! { <p class="mt-1 text-sm text-red-700">{m}</p> })}
            </div>
        }
    };
    view! {
        <section id="appearance" class=SECTION aria-labelledby="appearance-heading">
            <h2 id="appearance-heading" class="mb-1 font-semibold text-slate-900">{t.appearance}</h2>
            <p class="mb-4 text-sm text-slate-600">{t.appearance_intro}</p>
            {saved.then(|| view! { <Notice text=t.saved/> })}
            <FormError error/>
            <ActionForm action>
                <div class="grid gap-6 lg:grid-cols-2">
                    <div>
                        <TextField label=t.broker_name name="broker_name" required=true value=settings.fields.name.clone()
                            error=field_error(error, "broker_name")/>
                        <ColorField label=t.primary_color hint=t.primary_color_hint name="primary_color" value=primary
                            error=field_error(error, "primary_color")/>
                        <ColorField label=t.accent_color hint=t.accent_color_hint name="accent_color" value=accent
                            error=field_error(error, "accent_color")/>
                    </div>
                    <div>
                        <p class="mb-1 text-sm font-medium text-slate-800" id="preview-heading">{t.preview}</p>
                        <Preview name=settings.fields.name.clone() primary accent t/>
                        <div role="status" aria-live="polite" class="mt-3 text-sm" data-testid="contrast">
                            {move || {
                                let warnings = warnings();
                                if warnings.is_empty() {
                                    view! { <p class="text-emerald-700">"✓ "{t.contrast_ok}</p> }.into_any()
                                } else {
                                    view! {
                                        <ul class="space-y-1 text-amber-800">
                                            {warnings.into_iter().map(|w| view! { <li>"⚠ "{w}</li> }).collect_view()}
                                        </ul>
                                    }
                                    .into_any()
                                }
                            }}
                        </div>
                    </div>
                </div>
                <h3 class="mt-2 mb-1 font-medium text-slate-900">{t.contact}</h3>
                <p class="mb-3 text-sm text-slate-600">{t.contact_hint}</p>
                <div class="grid gap-x-6 lg:grid-cols-2">
                    <TextField label=t.contact_phone name="contact_phone" kind="tel" value=settings.fields.phone.clone()
                        error=field_error(error, "contact_phone")/>
                    <TextField label=t.contact_email name="contact_email" kind="email" value=settings.fields.email.clone()
                        error=field_error(error, "contact_email")/>
                    {area("address", locale.texts().address, None, settings.fields.address.clone())}
                    {area("opening_hours", t.opening_hours, Some(t.opening_hours_hint), settings.fields.opening_hours.clone())}
                    <TextField label=t.imprint_url name="imprint_url" kind="url" value=settings.fields.imprint_url.clone()
                        hint=t.link_hint error=field_error(error, "imprint_url")/>
                    <TextField label=t.privacy_url name="privacy_url" kind="url" value=settings.fields.privacy_url.clone()
                        hint=t.link_hint error=field_error(error, "privacy_url")/>
                </div>
                <button type="submit" class=BUTTON disabled=move || action.pending().get()>{t.save}</button>
            </ActionForm>
        </section>
    }
}

/// A colour picker with the chosen value spelled out.
#[component]
fn ColorField(
    label: &'static str,
    hint: &'static str,
    name: &'static str,
    value: RwSignal<String>,
    error: Signal<Option<String>>,
) -> impl IntoView {
    let id = format!("field-{name}");
    let hint_id = format!("{id}-hint");
    view! {
        <div class="mb-4">
            <label for=id.clone() class="mb-1 block text-sm font-medium text-slate-800">{label}</label>
            <div class="flex items-center gap-3">
                <input id=id type="color" name=name value=value.get_untracked() prop:value=move || value.get()
                    on:input=move |ev| value.set(event_target_value(&ev))
                    aria-describedby=hint_id.clone() aria-invalid=move || error.get().map(|_| "true")
                    class="h-10 w-16 cursor-pointer rounded border border-slate-300 bg-white p-1"/>
                <code class="text-sm text-slate-700">{move || value.get()}</code>
            </div>
            <p id=hint_id class="mt-1 text-sm text-slate-600">{hint}</p>
            {move || error.get().map(|e| view! { <p class="mt-1 text-sm text-red-700">{e}</p> })}
        </div>
    }
}

/// A small picture of the app in the chosen colours. SVG attributes, not inline styles, so
/// the page's CSP stays strict.
#[component]
fn Preview(
    name: String,
    primary: RwSignal<String>,
    accent: RwSignal<String>,
    t: &'static BrandTexts,
) -> impl IntoView {
    let on_primary = move || text_on(&primary.get());
    let on_accent = move || text_on(&accent.get());
    view! {
        <svg viewBox="0 0 320 150" role="img" aria-labelledby="preview-heading" data-testid="brand-preview"
            class="w-full max-w-sm rounded-lg ring-1 ring-slate-200" font-family="system-ui, sans-serif">
            <rect width="320" height="150" fill="#f8fafc"/>
            <rect width="320" height="38" fill=move || primary.get() data-testid="preview-header"/>
            <rect y="38" width="320" height="4" fill=move || accent.get()/>
            <text x="14" y="25" fill=on_primary font-size="14" font-weight="600">{name}</text>
            <rect x="14" y="62" width="116" height="36" rx="8" fill=move || primary.get()/>
            <text x="72" y="85" text-anchor="middle" fill=on_primary font-size="14" font-weight="600">{t.preview_button}</text>
            <text x="148" y="85" fill=move || primary.get() font-size="14" text-decoration="underline">{t.preview_link}</text>
            <rect x="14" y="112" width="64" height="24" rx="12" fill=move || accent.get()/>
            <text x="46" y="128" text-anchor="middle" fill=on_accent font-size="12" font-weight="600">"3"</text>
        </svg>
    }
}

#[component]
fn LogoSection(has_logo: bool, remove: ServerAction<RemoveLogo>) -> impl IntoView {
    let viewer = use_viewer();
    let locale = viewer.locale;
    let t = texts(locale);
    let query = use_query_map();
    let saved = query.read_untracked().get("logo").is_some();
    let refused = query
        .read_untracked()
        .get("logo_error")
        .and_then(|code| serde_json::from_value::<Problem>(serde_json::Value::String(code)).ok())
        .and_then(|problem| AppError::field("logo", problem).for_field("logo", locale));
    let remove_error = action_error(remove.value());
    view! {
        <section id="logo" class=SECTION aria-labelledby="logo-heading">
            <h2 id="logo-heading" class="mb-3 font-semibold text-slate-900">{t.logo}</h2>
            {saved.then(|| view! { <Notice text=t.logo_saved/> })}
            <FormError error=remove_error/>
            {match viewer.broker.logo.filter(|_| has_logo) {
                Some(src) => view! {
                    <div class="mb-4 flex flex-wrap items-center gap-4">
                        <img src=src alt=t.logo_current class="h-16 max-w-xs rounded bg-slate-100 object-contain p-2 ring-1 ring-slate-200" data-testid="logo-current"/>
                        <Confirm summary=t.logo_remove question=t.logo_remove_question>
                            <ActionForm action=remove>
                                <button type="submit" class=BUTTON_SECONDARY>{t.confirm_remove}</button>
                            </ActionForm>
                        </Confirm>
                    </div>
                }
                .into_any(),
                None => view! { <p class="mb-4 text-sm text-slate-600">{t.logo_none}</p> }.into_any(),
            }}
            <form method="post" action="/brand/logo" enctype="multipart/form-data" class="flex flex-wrap items-end gap-3">
                <div>
                    <label for="field-logo" class="mb-1 block text-sm font-medium text-slate-800">{t.logo_file}</label>
                    <input id="field-logo" type="file" name="logo" required=true
                        accept="image/png,image/svg+xml,image/jpeg,image/webp,.svg"
                        aria-describedby="field-logo-hint" aria-invalid=refused.as_ref().map(|_| "true")
                        class="block text-sm text-slate-700 file:mr-3 file:rounded-lg file:border-0 file:bg-slate-100 file:px-3 file:py-2"/>
                </div>
                <button type="submit" class=BUTTON>{t.logo_upload}</button>
            </form>
            <p id="field-logo-hint" class="mt-2 text-sm text-slate-600">{t.logo_hint}</p>
            {refused.map(|message| view! { <p role="alert" class="mt-2 text-sm text-red-700">{message}</p> })}
        </section>
    }
}

#[component]
fn DomainsSection(
    settings: BrandSettings,
    add: ServerAction<AddDomain>,
    remove: ServerAction<RemoveDomain>,
) -> impl IntoView {
    let t = texts(use_viewer().locale);
    let add_error = action_error(add.value());
    let remove_error = action_error(remove.value());
    let remove_problem = field_error(remove_error, "domain");
    let host = settings.slug_host.clone();
    view! {
        <section id="domains" class=SECTION aria-labelledby="domains-heading">
            <h2 id="domains-heading" class="mb-1 font-semibold text-slate-900">{t.domains}</h2>
            <p class="mb-3 text-sm text-slate-600">{t.domains_intro.replace("{host}", &host)}</p>
            <FormError error=remove_error/>
            {move || remove_problem.get().map(|m| view! { <p class="mb-3 text-sm text-red-700">{m}</p> })}
            {if settings.domains.is_empty() {
                view! { <p class="mb-4 text-sm text-slate-600">{t.domains_empty}</p> }.into_any()
            } else {
                view! {
                    <ul class="mb-4 divide-y divide-slate-100" data-testid="domains">
                        {settings.domains.into_iter().map(|d| {
                            let (badge, class) = match d.dns {
                                DnsStatus::PointsHere => (t.dns_points_here, "bg-emerald-50 text-emerald-800"),
                                DnsStatus::Elsewhere => (t.dns_elsewhere, "bg-amber-50 text-amber-800"),
                                DnsStatus::Missing => (t.dns_missing, "bg-slate-100 text-slate-700"),
                            };
                            let dns = t.domain_dns.replace("{domain}", &d.domain).replace("{host}", &host);
                            let question = t.domain_remove_question.replace("{domain}", &d.domain);
                            view! {
                                <li class="py-3">
                                    <div class="flex flex-wrap items-center gap-3">
                                        <span class="font-medium text-slate-900">{d.domain.clone()}</span>
                                        <span class=format!("rounded-full px-2 py-0.5 text-xs font-medium {class}")>{badge}</span>
                                        <Confirm summary=t.domain_remove question context=d.domain.clone() class="ml-auto">
                                            <ActionForm action=remove>
                                                <input type="hidden" name="domain" value=d.domain.clone()/>
                                                <button type="submit" class=BUTTON_SECONDARY>{t.confirm_remove}</button>
                                            </ActionForm>
                                        </Confirm>
                                    </div>
                                    {(d.dns != DnsStatus::PointsHere).then(|| view! { <p class="mt-1 text-sm text-slate-600">{dns}</p> })}
                                </li>
                            }
                        }).collect_view()}
                    </ul>
                }
                .into_any()
            }}
            <FormError error=add_error/>
            <ActionForm action=add attr:class="flex flex-wrap items-start gap-3">
                <div class="min-w-64 flex-1">
                    <TextField label=t.domain name="domain" required=true hint=t.domain_hint error=field_error(add_error, "domain")/>
                </div>
                <button type="submit" class=format!("{BUTTON} mt-6") disabled=move || add.pending().get()>{t.domain_add}</button>
            </ActionForm>
        </section>
    }
}

#[component]
fn SnippetSection(settings: BrandSettings) -> impl IntoView {
    let t = texts(use_viewer().locale);
    let snippet = homepage_snippet(&settings.login_url, t.snippet_label, &settings.fields.primary_color);
    let copied = RwSignal::new(false);
    let copy = {
        let snippet = snippet.clone();
        move |_| {
            #[cfg(feature = "hydrate")]
            if let Some(window) = leptos::web_sys::window() {
                let _ = window.navigator().clipboard().write_text(&snippet);
                copied.set(true);
            }
            #[cfg(not(feature = "hydrate"))]
            let _ = &snippet;
        }
    };
    view! {
        <section id="snippet" class=SECTION aria-labelledby="snippet-heading">
            <h2 id="snippet-heading" class="mb-1 font-semibold text-slate-900">{t.snippet}</h2>
            <p class="mb-3 text-sm text-slate-600">{t.snippet_intro}</p>
            <label for="field-snippet" class="mb-1 block text-sm font-medium text-slate-800">{t.snippet_code}</label>
            <textarea id="field-snippet" readonly=true rows="4" class=format!("{INPUT} font-mono text-sm")>{snippet}</textarea>
            <div class="mt-2 flex items-center gap-3">
                <button type="button" class=BUTTON_SECONDARY on:click=copy>{t.copy}</button>
                <span role="status" aria-live="polite" class="text-sm text-emerald-700">{move || copied.get().then_some(t.copied)}</span>
            </div>
        </section>
    }
}

/// The broker's logo beside its name, or the name alone.
#[component]
pub fn BrandName(class: &'static str) -> impl IntoView {
    let broker = use_viewer().broker;
    view! {
        <p class=class>
            {broker.logo.map(|src| view! {
                <img src=src alt="" class="h-10 w-auto max-w-40 rounded bg-white object-contain p-1" data-testid="brand-logo"/>
            })}
            <span>{broker.name}</span>
        </p>
    }
}

/// The broker's contact details and legal links, for the customer's profile page.
#[component]
pub fn BrokerContactCard() -> impl IntoView {
    let viewer = use_viewer();
    let (locale, broker) = (viewer.locale, viewer.broker);
    let t = texts(locale);
    let common = locale.texts();
    let contact = Resource::new(|| (), |()| broker_contact());
    view! {
        <section class="mb-4 rounded-xl bg-white p-4 ring-1 ring-slate-200" aria-labelledby="broker-heading">
            <h2 id="broker-heading" class="mb-2 font-semibold text-slate-900">{t.your_broker}</h2>
            <Transition fallback=Loading>
                {move || Suspend::new(async move {
                    match contact.await {
                        Err(e) => view! { <LoadError error=e/> }.into_any(),
                        Ok(c) => view! {
                            <p class="font-medium text-slate-900">{c.name}</p>
                            <dl class="mt-2 space-y-1 text-sm">
                                {c.phone.map(|p| view! {
                                    <div class="flex gap-2"><dt class="text-slate-600">{common.phone}":"</dt>
                                        <dd><a class="text-brand underline" href=format!("tel:{}", p.replace(' ', ""))>{p.clone()}</a></dd></div>
                                })}
                                {c.email.map(|e| view! {
                                    <div class="flex gap-2"><dt class="text-slate-600">{common.email}":"</dt>
                                        <dd><a class="text-brand underline" href=format!("mailto:{e}")>{e.clone()}</a></dd></div>
                                })}
                                {c.address.map(|a| view! {
                                    <div class="flex gap-2"><dt class="text-slate-600">{common.address}":"</dt><dd class="whitespace-pre-line">{a}</dd></div>
                                })}
                                {c.opening_hours.map(|h| view! {
                                    <div class="flex gap-2"><dt class="text-slate-600">{t.opening_hours}":"</dt><dd class="whitespace-pre-line">{h}</dd></div>
                                })}
                            </dl>
                        }
                        .into_any(),
                    }
                })}
            </Transition>
            <LegalLinks imprint=broker.imprint_url privacy=broker.privacy_url/>
        </section>
    }
}

/// The links to the broker's imprint and privacy policy, where the broker gave them.
#[component]
pub fn LegalLinks(imprint: Option<String>, privacy: Option<String>) -> impl IntoView {
    let t = texts(use_viewer().locale);
    (imprint.is_some() || privacy.is_some()).then(|| {
        view! {
            <p class="mt-3 flex justify-center gap-4 text-sm">
                {imprint.map(|href| view! { <a class="text-slate-600 underline" href=href rel="noopener" target="_blank">{t.imprint}</a> })}
                {privacy.map(|href| view! { <a class="text-slate-600 underline" href=href rel="noopener" target="_blank">{t.privacy}</a> })}
            </p>
        }
    })
}
