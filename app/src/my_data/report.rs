//! The readable report in the copy: one HTML file that opens in any browser and prints well,
//! in the person's language. It loads nothing from anywhere; everything it shows is escaped.

use std::fmt::Write as _;

use super::ssr::{Export, Origin};
use super::texts::texts;
use crate::i18n::{fmt_date as date, fmt_datetime};

/// Text for HTML: `<`, `>`, `&` and quotes escaped.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
}

const STYLE: &str = "body{font:15px/1.5 system-ui,sans-serif;color:#0f172a;max-width:56rem;margin:2rem auto;padding:0 1rem}
h1{font-size:1.6rem;margin-bottom:.25rem}h2{font-size:1.2rem;margin-top:2rem;border-bottom:1px solid #cbd5e1;padding-bottom:.25rem}
h3{font-size:1rem;margin:1.25rem 0 .25rem}table{border-collapse:collapse;width:100%;margin:.5rem 0}
th,td{text-align:left;vertical-align:top;padding:.3rem .5rem;border-bottom:1px solid #e2e8f0}th{width:14rem;font-weight:600}
.origin{color:#475569;font-size:.85rem}.message{border-left:3px solid #cbd5e1;padding:.25rem .75rem;margin:.5rem 0;white-space:pre-wrap}
.muted{color:#475569}td{overflow-wrap:anywhere}
@media (max-width:40rem){table,thead,tbody,tr,th,td{display:block}thead{position:absolute;left:-9999px}
tr{border-bottom:1px solid #e2e8f0;padding:.35rem 0}th,td{border:0;padding:.1rem .25rem;width:auto}th[scope=row]{color:#475569;font-weight:600}}
@media print{body{margin:0;max-width:none}h2{break-after:avoid}section{break-inside:avoid-page}}";

struct Html(String);

impl Html {
    fn row(&mut self, label: &str, value: Option<&str>) {
        if let Some(value) = value.filter(|v| !v.is_empty()) {
            let _ =
                write!(self.0, "<tr><th scope=\"row\">{}</th><td>{}</td></tr>", escape(label), escape(value));
        }
    }

    fn origin(&mut self, label: &str, origin: &Origin) {
        let _ = write!(self.0, "<p class=\"origin\">{}: {}</p>", escape(label), escape(&origin.text));
    }

    fn heading(&mut self, text: &str) {
        let _ = write!(self.0, "<h2>{}</h2>", escape(text));
    }

    fn none(&mut self, text: &str) {
        let _ = write!(self.0, "<p class=\"muted\">{}</p>", escape(text));
    }
}

pub fn render(export: &Export) -> String {
    let t = texts(export.locale);
    let locale = export.locale;
    let at = |unix: i64| fmt_datetime(unix, locale);
    let mut h = Html(String::new());
    let title = t.title(&export.broker);
    let _ = write!(
        h.0,
        "<!DOCTYPE html><html lang=\"{}\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>{}</title><style>{STYLE}</style></head><body><h1>{}</h1><p class=\"muted\">{}</p><p>{}</p>",
        export.language,
        escape(&title),
        escape(&title),
        escape(&t.produced.replace("{date}", &at(export.produced_at))),
        escape(t.report_intro),
    );

    if let Some(a) = &export.account {
        h.heading(t.account);
        h.0.push_str("<table>");
        h.row(t.name, Some(&a.name));
        h.row(t.email, Some(&a.email));
        h.row(t.language, a.language.as_deref());
        h.0.push_str("</table>");
    }

    if let Some(c) = &export.contact {
        h.heading(t.contact);
        h.0.push_str("<section><table>");
        h.row(t.customer_number, c.customer_number.as_deref());
        h.row(t.name, Some(&format!("{} {}", c.first_name, c.last_name)));
        h.row(t.company, c.company_name.as_deref());
        h.row(t.email, c.email.as_deref());
        h.row(t.phone, c.phone.as_deref());
        h.row(t.birth_date, c.birth_date.as_deref().map(|d| date(d, locale)).as_deref());
        let address: Vec<&str> = [&c.street, &c.postal_code, &c.city, &c.country]
            .into_iter()
            .filter_map(|p| p.as_deref().filter(|p| !p.is_empty()))
            .collect();
        h.row(t.address, Some(&address.join(", ")));
        h.row(t.account_holder, c.account_holder.as_deref());
        h.row(t.iban, c.iban.as_deref());
        h.0.push_str("</table>");
        h.origin(t.origin, &c.origin);
        if let Some(changed) = &c.changed {
            h.origin(&format!("{} ({})", t.changed, at(c.updated_at)), changed);
        }
        h.0.push_str("</section>");
    }

    h.heading(t.contracts);
    if export.contracts.is_empty() {
        h.none(t.none);
    }
    for c in &export.contracts {
        let name = c.product.as_deref().unwrap_or(&c.line);
        let _ = write!(h.0, "<section><h3>{}</h3><table>", escape(name));
        h.row(t.insurer, Some(&c.insurer));
        h.row(t.policy_number, Some(&c.policy_number));
        h.row(t.premium, Some(&format!("{} · {}", c.premium, c.payment_interval)));
        let term = match (&c.start_date, &c.end_date) {
            (Some(s), Some(e)) => format!("{} – {}", date(s, locale), date(e, locale)),
            (Some(s), None) => format!("{} –", date(s, locale)),
            (None, Some(e)) => format!("– {}", date(e, locale)),
            (None, None) => String::new(),
        };
        h.row(t.term, Some(&format!("{term} ({})", c.status)));
        h.row(t.insured, Some(&c.insured));
        h.row(t.description, Some(&c.description));
        h.0.push_str("</table>");
        h.origin(t.origin, &c.origin);
        if let Some(changed) = &c.changed {
            h.origin(t.changed, changed);
        }
        h.0.push_str("</section>");
    }

    h.heading(t.documents);
    if export.documents.is_empty() {
        h.none(t.none);
    } else {
        let _ = write!(
            h.0,
            "<table><thead><tr><th scope=\"col\">{}</th><th scope=\"col\">{}</th><th scope=\"col\">{}</th></tr></thead><tbody>",
            escape(t.file),
            escape(t.stored_at),
            escape(t.origin)
        );
        for d in &export.documents {
            let _ = write!(
                h.0,
                "<tr><td><a href=\"{}\">{}</a></td><td>{}</td><td class=\"origin\">{}</td></tr>",
                escape(&d.file),
                escape(&d.title),
                escape(&at(d.created_at)),
                escape(&d.origin.text)
            );
        }
        h.0.push_str("</tbody></table>");
    }

    h.heading(t.conversations);
    if export.conversations.is_empty() {
        h.none(t.none);
    }
    for c in &export.conversations {
        let heading = [c.topic.as_str(), c.subject.as_str(), c.contract.as_deref().unwrap_or("")]
            .into_iter()
            .filter(|s| !s.is_empty())
            .collect::<Vec<_>>()
            .join(" · ");
        let _ = write!(
            h.0,
            "<section><h3>{} <span class=\"muted\">({})</span></h3>",
            escape(&heading),
            escape(&c.status)
        );
        let asked = details_text(&c.details);
        if !asked.is_empty() {
            let applied = match (&c.applied_at, &c.applied_by) {
                (Some(when), by) => t
                    .change_applied_by
                    .replace("{name}", by.as_deref().unwrap_or(t.office))
                    .replace("{date}", &at(*when)),
                (None, _) => t.change_not_applied.to_owned(),
            };
            let applied = if matches!(
                c.details,
                crate::mailbox::Details::Address { .. } | crate::mailbox::Details::Bank { .. }
            ) {
                format!(" ({applied})")
            } else {
                String::new()
            };
            let _ = write!(
                h.0,
                "<p><strong>{}:</strong> {}{}</p>",
                escape(t.change_asked),
                escape(&asked),
                escape(&applied)
            );
        }
        if let Some(given) = c.health_consent_at {
            let mut consent = format!("{} {}", t.consent_given, at(given));
            if let Some(withdrawn) = c.health_consent_withdrawn_at {
                let _ = write!(consent, ", {} {}", t.consent_withdrawn, at(withdrawn));
            }
            let _ = write!(h.0, "<p>{}</p>", escape(&consent));
        }
        for m in &c.messages {
            let _ = write!(
                h.0,
                "<div class=\"message\"><p class=\"muted\">{} · {}</p>{}",
                escape(&m.author),
                escape(&at(m.at)),
                escape(&m.body)
            );
            if !m.attachments.is_empty() {
                let _ = write!(h.0, "<p class=\"muted\">{}: ", escape(t.attachments));
                let links: Vec<String> =
                    m.attachments.iter().map(|f| format!("<a href=\"{0}\">{0}</a>", escape(f))).collect();
                h.0.push_str(&links.join(", "));
                h.0.push_str("</p>");
            }
            h.0.push_str("</div>");
        }
        h.0.push_str("</section>");
    }

    h.heading(t.consents);
    if export.consents.is_empty() {
        h.none(t.none);
    }
    for c in &export.consents {
        let mut line = format!("{} {}", t.consent_given, at(c.given_at));
        if let Some(withdrawn) = c.withdrawn_at {
            let _ = write!(line, ", {} {}", t.consent_withdrawn, at(withdrawn));
        }
        let _ = write!(h.0, "<p>{}</p>", escape(&line));
    }

    if export.contact.is_some() {
        h.heading(t.grants_on_folder);
        if export.grants_on_folder.is_empty() {
            h.none(t.none);
        }
        for g in &export.grants_on_folder {
            let scope = if g.all_contracts { t.grant_scope_all.to_owned() } else { g.contracts.join(", ") };
            let mut state = format!("{} {}", t.grant_since, date(&g.requested_on, locale));
            if let Some(ended) = g.revoked_at {
                let _ = write!(state, ", {} {}", t.grant_ended, at(ended));
            }
            let _ = write!(
                h.0,
                "<p><strong>{}</strong> ({}) · {} · {} · {}</p>",
                escape(&g.person),
                escape(&g.email),
                escape(&g.role),
                escape(&scope),
                escape(&state)
            );
        }
    }

    if !export.grants_used.is_empty() {
        h.heading(t.grants_used);
        for f in &export.grants_used {
            let _ = write!(
                h.0,
                "<p>{} · {} · {} {}</p>",
                escape(&f.folder),
                escape(&f.role),
                escape(t.grant_since),
                escape(&date(&f.requested_on, locale))
            );
        }
    }

    if export.account.is_some() {
        h.heading(t.sessions);
        if export.sessions.is_empty() {
            h.none(t.none);
        }
        for s in &export.sessions {
            let device = s.device.as_deref().map(|d| format!("{d}: ")).unwrap_or_default();
            let _ = write!(
                h.0,
                "<p>{}{} {}, {} {}</p>",
                escape(&device),
                escape(t.session_begun),
                escape(&at(s.created_at)),
                escape(t.session_last_used),
                escape(&at(s.last_seen_at))
            );
        }
    }

    h.heading(t.trail);
    let _ = write!(
        h.0,
        "<table><thead><tr><th scope=\"col\">{}</th><th scope=\"col\">{}</th><th scope=\"col\">{}</th><th scope=\"col\">{}</th></tr></thead><tbody>",
        escape(t.when),
        escape(t.who),
        escape(t.what),
        escape(t.address_ip)
    );
    for e in &export.trail {
        let _ = write!(
            h.0,
            "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            escape(&at(e.at)),
            escape(&e.actor),
            escape(&e.action),
            escape(e.ip.as_deref().unwrap_or(""))
        );
    }
    h.0.push_str("</tbody></table></body></html>");
    h.0
}

/// What a request asked for, in one line.
fn details_text(details: &crate::mailbox::Details) -> String {
    use crate::mailbox::Details;
    match details {
        Details::None => String::new(),
        Details::Address { street, postal_code, city, country, valid_from } => {
            format!("{street}, {postal_code} {city}, {country} ({valid_from})")
        }
        Details::Bank { account_holder, iban, valid_from, .. } => {
            format!("{account_holder}, {iban} ({valid_from})")
        }
        Details::Claim { date, place } => format!("{date}, {place}"),
        Details::MissingContract { insurer } => insurer.clone(),
    }
}

#[cfg(test)]
mod tests {
    use super::escape;

    #[test]
    fn markup_in_data_stays_text() {
        assert_eq!(
            escape("<script>alert('x')</script> & \"y\""),
            "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;y&quot;"
        );
    }
}
