//! "Meine Daten" (Art. 15 GDPR): everything stored about a person, with where each datum came
//! from, as one ZIP with a readable report (HTML) and the same content as JSON. The person
//! downloads it from the profile; the office makes it for a customer; broker systems fetch
//! it through the REST API.

use leptos::prelude::*;

use crate::auth::use_viewer;
use crate::ids::CustomerId;
use crate::ui::BUTTON_SECONDARY;

#[cfg(feature = "ssr")]
pub mod http;
#[cfg(feature = "ssr")]
pub mod report;
#[cfg(feature = "ssr")]
pub mod ssr;
pub mod texts;

/// The profile's section: a plain form post, so the download works before the page's script.
#[component]
pub fn MyDataInProfile() -> impl IntoView {
    let t = texts::texts(use_viewer().locale);
    view! {
        <section class="mb-4 rounded-xl bg-white p-4 ring-1 ring-slate-200" aria-labelledby="my-data-heading">
            <h2 id="my-data-heading" class="mb-1 font-semibold text-slate-900">{t.heading}</h2>
            <p class="mb-3 text-sm text-slate-600">{t.intro}</p>
            <form method="post" action="/app/profile/my-data">
                <button type="submit" class=BUTTON_SECONDARY>{t.download}</button>
            </form>
        </section>
    }
}

/// The office's copy for a customer, on the customer's page.
#[component]
pub fn MyDataForCustomer(customer_id: CustomerId) -> impl IntoView {
    let t = texts::texts(use_viewer().locale);
    view! {
        <section class="mb-4 rounded-xl bg-white p-4 ring-1 ring-slate-200" aria-labelledby="my-data-heading">
            <h2 id="my-data-heading" class="mb-1 font-semibold text-slate-900">{t.office_heading}</h2>
            <p class="mb-3 text-sm text-slate-600">{t.office_intro}</p>
            <form method="post" action=format!("/office/customers/{customer_id}/my-data")>
                <button type="submit" class=BUTTON_SECONDARY>{t.office_download}</button>
            </form>
        </section>
    }
}
