//! Every word the interface shows, German first and English complete. A missing
//! translation is a compile error (each locale is one struct literal). The locale comes
//! from the person's profile, else the browser's Accept-Language, else German.

use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum Locale {
    #[default]
    De,
    En,
    Nl,
    Fr,
}

impl Locale {
    pub const ALL: [Locale; 4] = [Locale::De, Locale::En, Locale::Nl, Locale::Fr];

    pub fn code(self) -> &'static str {
        match self {
            Locale::De => "de",
            Locale::En => "en",
            Locale::Nl => "nl",
            Locale::Fr => "fr",
        }
    }

    pub fn native_name(self) -> &'static str {
        match self {
            Locale::De => "Deutsch",
            Locale::En => "English",
            Locale::Nl => "Nederlands",
            Locale::Fr => "Français",
        }
    }

    pub fn parse(code: &str) -> Option<Self> {
        let primary = code.trim().split(['-', '_']).next()?.to_ascii_lowercase();
        Locale::ALL.into_iter().find(|l| l.code() == primary)
    }

    /// The best supported language of an Accept-Language header (by q-value).
    pub fn from_accept_language(header: &str) -> Option<Self> {
        let mut best: Option<(f32, Locale)> = None;
        for part in header.split(',') {
            let mut pieces = part.split(';');
            let tag = pieces.next().unwrap_or_default();
            let q = pieces
                .find_map(|p| p.trim().strip_prefix("q=").and_then(|q| q.parse::<f32>().ok()))
                .unwrap_or(1.0);
            if let Some(locale) = Locale::parse(tag) {
                if q > 0.0 && best.is_none_or(|(bq, _)| q > bq) {
                    best = Some((q, locale));
                }
            }
        }
        best.map(|(_, l)| l)
    }

    pub fn texts(self) -> &'static Texts {
        match self {
            Locale::De => &DE,
            Locale::En => &EN,
            Locale::Nl => &NL,
            Locale::Fr => &FR,
        }
    }
}

/// A moment as people in Germany read it (Europe/Berlin, with summer time), identical on
/// server and browser.
pub fn fmt_datetime(unix: i64, locale: Locale) -> String {
    let offset = if is_central_european_summer_time(unix) { 2 * 3600 } else { 3600 };
    let local = unix + offset;
    let (y, m, d) = civil_from_days(local.div_euclid(86_400));
    let secs = local.rem_euclid(86_400);
    let (hh, mm) = (secs / 3600, (secs % 3600) / 60);
    match locale {
        Locale::De => format!("{d:02}.{m:02}.{y}, {hh:02}:{mm:02}"),
        Locale::En => format!("{y}-{m:02}-{d:02} {hh:02}:{mm:02}"),
        Locale::Nl | Locale::Fr => format!("{d:02}/{m:02}/{y} {hh:02}:{mm:02}"),
    }
}

/// A count with its thousands grouped: "25.000" (German, Dutch), "25,000" (English),
/// "25 000" (French, with a narrow no-break space).
pub fn fmt_count(n: u64, locale: Locale) -> String {
    let separator = match locale {
        Locale::De | Locale::Nl => ".",
        Locale::En => ",",
        Locale::Fr => "\u{202f}",
    };
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3 * 3);
    for (i, digit) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push_str(separator);
        }
        out.push(digit);
    }
    out
}

/// "1,4 MB" / "1.4 MB" / "1,4 Mo" (French).
pub fn fmt_size(bytes: i64, locale: Locale) -> String {
    const UNITS: [&str; 4] = ["Bytes", "KB", "MB", "GB"];
    const UNITS_NL: [&str; 4] = ["bytes", "KB", "MB", "GB"];
    const UNITS_FR: [&str; 4] = ["octets", "Ko", "Mo", "Go"];
    // Display only: a rounding error far below 0.1 of the unit does not matter.
    #[allow(clippy::cast_precision_loss)]
    let mut value = bytes.max(0) as f64;
    let mut unit = 0;
    while value >= 1000.0 && unit < UNITS.len() - 1 {
        value /= 1024.0;
        unit += 1;
    }
    let text = if unit == 0 { format!("{value:.0}") } else { format!("{value:.1}") };
    let text = if locale == Locale::En { text } else { text.replace('.', ",") };
    let units = match locale {
        Locale::Nl => UNITS_NL,
        Locale::Fr => UNITS_FR,
        Locale::De | Locale::En => UNITS,
    };
    format!("{text} {}", units[unit])
}

/// Reads an ISO 8601 calendar date ("2026-03-01") that exists in the calendar.
pub fn parse_iso_date(input: &str) -> Option<(i64, i64, i64)> {
    let s = input.trim();
    let bytes = s.as_bytes();
    if bytes.len() != 10 || bytes[4] != b'-' || bytes[7] != b'-' {
        return None;
    }
    let y: i64 = s[0..4].parse().ok()?;
    let m: i64 = s[5..7].parse().ok()?;
    let d: i64 = s[8..10].parse().ok()?;
    if !(1..=12).contains(&m) || d < 1 {
        return None;
    }
    // A day exists when it survives the round trip through the day count.
    (civil_from_days(days_from_civil(y, m, d)) == (y, m, d)).then_some((y, m, d))
}

/// A stored ISO date as people read it: "01.03.2026", "2026-03-01" or (Belgium) "01/03/2026".
pub fn fmt_date(iso: &str, locale: Locale) -> String {
    match (parse_iso_date(iso), locale) {
        (Some((y, m, d)), Locale::De) => format!("{d:02}.{m:02}.{y}"),
        (Some((y, m, d)), Locale::En) => format!("{y}-{m:02}-{d:02}"),
        (Some((y, m, d)), Locale::Nl | Locale::Fr) => format!("{d:02}/{m:02}/{y}"),
        (None, _) => iso.to_owned(),
    }
}

/// Summer time runs from the last Sunday of March to the last Sunday of October, 01:00 UTC.
fn is_central_european_summer_time(unix: i64) -> bool {
    let (year, _, _) = civil_from_days(unix.div_euclid(86_400));
    let start = last_sunday(year, 3) * 86_400 + 3600;
    let end = last_sunday(year, 10) * 86_400 + 3600;
    unix >= start && unix < end
}

/// Days since 1970-01-01 of the last Sunday of a month with 31 days.
fn last_sunday(year: i64, month: i64) -> i64 {
    let last_day = days_from_civil(year, month, 31);
    // 1970-01-01 was a Thursday; weekday 0 = Sunday.
    let weekday = (last_day + 4).rem_euclid(7);
    last_day - weekday
}

/// Days since 1970-01-01 of a calendar date.
pub fn days_since_epoch(y: i64, m: i64, d: i64) -> i64 {
    days_from_civil(y, m, d)
}

/// The calendar date of a day count since 1970-01-01.
pub fn date_of_days(days: i64) -> (i64, i64, i64) {
    civil_from_days(days)
}

// Howard Hinnant's calendar algorithms.
fn civil_from_days(z: i64) -> (i64, i64, i64) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    (if m <= 2 { y + 1 } else { y }, m, d)
}

fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = if m > 2 { m - 3 } else { m + 9 };
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

pub struct Texts {
    pub err_invalid: &'static str,
    pub err_bad_credentials: &'static str,
    pub err_throttled: &'static str,
    /// `{minutes}`.
    pub err_too_many_mails: &'static str,
    /// `{minutes}`.
    pub err_too_many_uploads: &'static str,
    pub err_unauthenticated: &'static str,
    pub err_forbidden: &'static str,
    pub err_not_found: &'static str,
    pub err_link_invalid: &'static str,
    pub err_sign_in_again: &'static str,
    pub err_proof_needed: &'static str,
    pub err_proof_link: &'static str,
    pub err_passkey_failed: &'static str,
    pub err_use_passkey: &'static str,
    pub err_deactivated: &'static str,
    pub access_deactivated: &'static str,
    pub deactivate: &'static str,
    pub deactivate_question: &'static str,
    pub confirm_deactivate: &'static str,
    pub reactivate: &'static str,
    pub delete_staff: &'static str,
    pub delete_staff_question: &'static str,
    pub confirm_delete_staff: &'static str,
    pub staff_deleted: &'static str,
    pub err_internal: &'static str,
    pub err_transport: &'static str,
    pub problem_required: &'static str,
    pub problem_invalid_email: &'static str,
    pub problem_password_short: &'static str,
    pub problem_password_long: &'static str,
    pub problem_passwords_differ: &'static str,
    pub problem_email_taken: &'static str,
    pub problem_too_long: &'static str,
    pub problem_line_break: &'static str,
    pub problem_control_characters: &'static str,
    pub problem_invalid_choice: &'static str,
    pub err_quota: &'static str,
    pub problem_invalid_date: &'static str,
    pub problem_invalid_amount: &'static str,
    pub problem_name_taken: &'static str,
    pub problem_file_unsupported: &'static str,
    pub problem_file_heic: &'static str,
    pub problem_file_invalid: &'static str,
    pub problem_svg_unsafe: &'static str,
    pub problem_svg_too_complex: &'static str,
    pub problem_file_too_large: &'static str,
    pub problem_image_too_large: &'static str,
    pub problem_invalid_color: &'static str,
    pub problem_invalid_url: &'static str,
    pub problem_invalid_domain: &'static str,
    pub problem_domain_taken: &'static str,
    pub problem_domain_in_use: &'static str,
    pub problem_date_in_future: &'static str,
    pub problem_photo_required: &'static str,
    pub problem_invalid_postal_code: &'static str,
    pub problem_invalid_iban: &'static str,
    pub problem_too_many: &'static str,
    pub problem_consent_required: &'static str,
    pub problem_already_applied: &'static str,
    pub problem_in_use: &'static str,
    pub problem_form_required: &'static str,
    pub problem_only_listed: &'static str,
    pub problem_only_all: &'static str,
    pub problem_one_contract: &'static str,
    pub problem_wrong_folder_kind: &'static str,
    pub problem_not_in_folder: &'static str,
    pub problem_account_not_eligible: &'static str,
    pub problem_invalid_code: &'static str,
    pub problem_wrong_password: &'static str,
    pub mail_greeting: &'static str,
    pub mail_invite_subject: &'static str,
    pub mail_invite_intro: &'static str,
    pub mail_reset_subject: &'static str,
    pub mail_reset_intro: &'static str,
    pub mail_link_validity: &'static str,
    pub mail_sign_in_subject: &'static str,
    pub mail_sign_in_intro: &'static str,
    pub mail_sign_in_validity: &'static str,
    pub mail_sign_in_ignore: &'static str,
    pub err_confirm_by_mail: &'static str,
    pub sign_in_link_title: &'static str,
    pub sign_in_link_intro: &'static str,
    pub sign_in_link_submit: &'static str,
    pub mail_ignore: &'static str,
    pub show_password: &'static str,
    pub hide_password: &'static str,
    pub loading: &'static str,
    pub login_title: &'static str,
    pub session_expired: &'static str,
    pub signed_out: &'static str,
    pub email: &'static str,
    pub password: &'static str,
    pub login_submit: &'static str,
    pub login_forgot_hint: &'static str,
    pub set_password_title: &'static str,
    pub set_password_intro_invite: &'static str,
    pub set_password_intro_reset: &'static str,
    pub set_password_account: &'static str,
    pub new_password: &'static str,
    pub new_password_repeat: &'static str,
    pub password_rule: &'static str,
    pub set_password_submit: &'static str,
    pub link_invalid: &'static str,
    pub to_login: &'static str,
    pub nav_label: &'static str,
    pub nav_overview: &'static str,
    pub nav_documents: &'static str,
    pub nav_mailbox: &'static str,
    pub nav_profile: &'static str,
    pub nav_customers: &'static str,
    pub nav_catalogue: &'static str,
    pub nav_settings: &'static str,
    pub sign_out: &'static str,
    pub overview_greeting: &'static str,
    pub overview_intro: &'static str,
    pub contracts_title: &'static str,
    pub contracts_empty_title: &'static str,
    pub contracts_empty_text: &'static str,
    pub access_none: &'static str,
    pub access_invited: &'static str,
    pub access_active: &'static str,
    pub customers_title: &'static str,
    pub invite_customer: &'static str,
    pub invite_customer_hint: &'static str,
    pub first_name: &'static str,
    pub last_name: &'static str,
    pub sending: &'static str,
    pub send_invite: &'static str,
    pub search_customers: &'static str,
    pub pages: &'static str,
    pub previous_page: &'static str,
    pub next_page: &'static str,
    pub page_n: &'static str,
    pub search: &'static str,
    pub customers_empty: &'static str,
    pub name: &'static str,
    pub access: &'static str,
    pub back_to_customers: &'static str,
    pub invite_sent: &'static str,
    pub access_heading: &'static str,
    pub contact_heading: &'static str,
    pub contact_person: &'static str,
    pub phone: &'static str,
    pub address: &'static str,
    pub birth_date: &'static str,
    pub reset_explainer: &'static str,
    pub reset_sent: &'static str,
    pub send_reset_link: &'static str,
    pub audit_heading: &'static str,
    /// Beside an entry's client address: what it is and how long it stays.
    pub audit_ip_hint: &'static str,
    /// `{date}`, `{count}`.
    pub trail_whole: &'static str,
    /// `{date}`, `{entry}`.
    pub trail_broken: &'static str,
    pub trail_unchecked: &'static str,
    pub team_heading: &'static str,
    pub role_owner: &'static str,
    pub role_employee: &'static str,
    pub invite_staff: &'static str,
    pub role: &'static str,
    pub language: &'static str,
    pub save: &'static str,
    pub sessions_heading: &'static str,
    pub sign_out_everywhere_hint: &'static str,
    pub sign_out_everywhere: &'static str,
    pub not_found_title: &'static str,
    pub not_found_text: &'static str,
    pub to_start: &'static str,
    /// Audit action codes and what people read for them.
    pub audit_actions: &'static [(&'static str, &'static str)],
}

impl Texts {
    pub fn audit_action(&self, code: &str) -> String {
        self.audit_actions
            .iter()
            .find(|(c, _)| *c == code)
            .map_or_else(|| code.to_owned(), |(_, text)| (*text).to_owned())
    }
}

pub static DE: Texts = Texts {
    err_invalid: "Bitte prüfen Sie die markierten Angaben.",
    err_bad_credentials: "E-Mail-Adresse oder Passwort ist nicht richtig.",
    err_throttled: "Zu viele Anmeldeversuche. Bitte warten Sie {seconds} Sekunden und versuchen Sie es dann erneut.",
    err_too_many_mails: "Für diese Stunde sind genug Einladungen und Links verschickt worden. Bitte versuchen Sie es in {minutes} Min. erneut.",
    err_too_many_uploads: "Sie haben in den letzten Minuten sehr viele Dateien hochgeladen. Bitte versuchen Sie es in {minutes} Min. erneut.",
    err_unauthenticated: "Bitte melden Sie sich an.",
    err_forbidden: "Dafür fehlt Ihnen die Berechtigung.",
    err_not_found: "Das haben wir nicht gefunden.",
    err_link_invalid: "Dieser Link ist abgelaufen oder wurde bereits verwendet.",
    err_sign_in_again: "Die Anmeldung ist abgelaufen. Bitte melden Sie sich erneut an.",
    err_proof_needed: "Bitte bestätigen Sie für diese Änderung noch einmal Ihre Identität.",
    err_proof_link: "Jetzt bestätigen",
    err_passkey_failed: "Der Passkey wurde nicht angenommen. Bitte versuchen Sie es noch einmal oder melden Sie sich mit Ihrem Passwort an.",
    err_use_passkey: "Ihr Maklerbüro verlangt einen zweiten Faktor: Bitte melden Sie sich mit Ihrem Passkey an.",
    err_deactivated: "Dieser Zugang ist deaktiviert. Bitte wenden Sie sich an Ihr Maklerbüro.",
    access_deactivated: "Zugang deaktiviert",
    deactivate: "Zugang deaktivieren",
    deactivate_question: "Alle Sitzungen enden sofort; Anmelden und Links funktionieren nicht mehr, bis der Zugang wieder aktiviert wird. Die Daten bleiben erhalten.",
    confirm_deactivate: "Ja, deaktivieren",
    reactivate: "Zugang wieder aktivieren",
    delete_staff: "Konto löschen",
    delete_staff_question: "Das Konto wird endgültig gelöscht: Anmelden ist nicht mehr möglich, zugewiesene Nachrichten gehen zurück in den gemeinsamen Posteingang. Im Protokoll bleibt der Name bei dem, was die Person getan hat.",
    confirm_delete_staff: "Ja, Konto löschen",
    staff_deleted: "Das Konto ist gelöscht.",
    err_internal: "Etwas ist schiefgegangen. Bitte versuchen Sie es später erneut (Vorgangsnummer {request_id}).",
    err_transport: "Keine Verbindung zum Server. Bitte prüfen Sie Ihre Internetverbindung.",
    problem_required: "Bitte ausfüllen.",
    problem_invalid_email: "Bitte geben Sie eine gültige E-Mail-Adresse ein, z. B. name@beispiel.de.",
    problem_password_short: "Das Passwort muss mindestens 12 Zeichen lang sein.",
    problem_password_long: "Das Passwort darf höchstens 1024 Zeichen lang sein.",
    problem_passwords_differ: "Die beiden Passwörter stimmen nicht überein.",
    problem_email_taken: "Diese E-Mail-Adresse ist bereits vergeben.",
    problem_too_long: "Dieser Text ist zu lang.",
    problem_line_break: "Bitte in einer Zeile, ohne Zeilenumbruch oder Steuerzeichen.",
    problem_control_characters: "Dieser Text enthält ein Steuerzeichen. Bitte tippen Sie ihn neu ein.",
    problem_invalid_choice: "Bitte wählen Sie einen der angebotenen Werte.",
    err_quota: "Der Speicherplatz Ihres Büros ist ausgeschöpft: {used} von {quota} sind belegt. Bitte löschen Sie nicht mehr benötigte Dokumente oder erweitern Sie Ihren Tarif.",
    problem_invalid_date: "Bitte geben Sie ein gültiges Datum ein.",
    problem_invalid_amount: "Bitte geben Sie einen Betrag wie 12,50 ein.",
    problem_name_taken: "Diesen Namen gibt es hier schon.",
    problem_file_unsupported: "Dieses Dateiformat wird nicht unterstützt. Erlaubt sind PDF-Dokumente und Fotos als JPEG, PNG oder WebP.",
    problem_file_heic: "HEIC-Fotos (iPhone) werden nicht unterstützt. Stellen Sie in den iPhone-Einstellungen unter Kamera › Formate „Maximale Kompatibilität“ ein oder teilen Sie das Foto als JPEG.",
    problem_file_invalid: "Die Datei ist beschädigt oder unvollständig. Bitte versuchen Sie es erneut.",
    problem_svg_unsafe: "Dieses SVG enthält eine DOCTYPE-Angabe oder Entitäten; solche Dateien nehmen wir zu Ihrer Sicherheit nicht an. Bitte speichern Sie das Logo als einfaches SVG oder als PNG.",
    problem_svg_too_complex: "Dieses SVG ist zu aufwendig für ein Logo. Bitte vereinfachen Sie es oder laden Sie das Logo als PNG hoch.",
    problem_file_too_large: "Die Datei ist zu groß. Erlaubt sind höchstens 25 MB je Datei.",
    problem_image_too_large: "Das Bild hat zu viele Pixel. Erlaubt sind höchstens 50 Megapixel.",
    problem_invalid_color: "Bitte wählen Sie eine Farbe, z. B. #1d4ed8.",
    problem_invalid_url: "Bitte geben Sie eine vollständige Internetadresse ein, die mit https:// beginnt.",
    problem_invalid_domain: "Bitte geben Sie eine Domain wie portal.ihre-firma.de ein (ohne https:// und ohne Pfad).",
    problem_domain_taken: "Diese Domain wird bereits von einem anderen Büro verwendet.",
    problem_domain_in_use: "Sie sind gerade über diese Adresse angemeldet. Öffnen Sie die Einstellungen über eine andere Adresse, um sie zu entfernen.",
    problem_date_in_future: "Das Datum liegt in der Zukunft.",
    problem_photo_required: "Bitte fügen Sie mindestens ein Foto oder eine Datei hinzu.",
    problem_invalid_postal_code: "Diese Postleitzahl passt nicht zum gewählten Land.",
    problem_invalid_iban: "Diese IBAN ist nicht gültig. Bitte prüfen Sie sie, z. B. DE89 3704 0044 0532 0130 00.",
    problem_too_many: "Das sind zu viele Dateien für eine Nachricht (höchstens 20).",
    problem_consent_required: "Ohne Ihre Einwilligung können wir Gesundheitsangaben nicht bearbeiten.",
    problem_already_applied: "Diese Änderung wurde bereits übernommen.",
    problem_in_use: "Wird noch gebraucht: Dies ist das unterschriebene Formular eines Zugangs.",
    problem_form_required: "Für diesen Zugang ist das unterschriebene Vollmachtsformular nötig.",
    problem_only_listed: "Diese Art von Zugang gilt nur für einzeln ausgewählte Verträge.",
    problem_only_all: "Ein gesetzlicher Vertreter sieht alle Verträge der Firma; eine Auswahl ist nicht möglich.",
    problem_one_contract: "Eine versicherte Person sieht genau den einen Vertrag, in dem sie versichert ist.",
    problem_wrong_folder_kind: "Diese Art von Zugang passt nicht zu diesem Kunden (Firma oder Privatperson).",
    problem_not_in_folder: "Das gehört nicht zu diesem Kunden.",
    problem_account_not_eligible: "Diese Adresse gehört zu einem Konto, das diesen Zugang nicht bekommen kann.",
    problem_invalid_code: "Dieser Code stimmt nicht. Nehmen Sie den aktuellen Code aus der App oder einen unbenutzten Wiederherstellungscode.",
    problem_wrong_password: "Das Passwort stimmt nicht.",
    mail_greeting: "Guten Tag {name},",
    mail_invite_subject: "Ihr Zugang zum digitalen Kundenordner von {broker}",
    mail_invite_intro: "{broker} lädt Sie zu Ihrem digitalen Kundenordner ein. Über den folgenden Link legen Sie Ihr persönliches Passwort fest:",
    mail_reset_subject: "Neues Passwort für Ihren Zugang bei {broker}",
    mail_reset_intro: "Sie können über den folgenden Link ein neues Passwort festlegen:",
    mail_link_validity: "Der Link ist {hours} Stunden gültig und kann nur einmal verwendet werden.",
    mail_sign_in_subject: "Anmeldung bei {broker} bestätigen",
    mail_sign_in_intro: "Ihr Konto bei {broker} hatte viele fehlgeschlagene Anmeldeversuche. Zu Ihrem Schutz genügt das Passwort allein deshalb gerade nicht. Sie haben eben das richtige Passwort eingegeben; mit dem folgenden Link schließen Sie die Anmeldung ab:",
    mail_sign_in_validity: "Der Link ist eine Stunde gültig und kann nur einmal verwendet werden.",
    mail_sign_in_ignore: "Waren Sie das nicht, kennt jemand Ihr Passwort: Bitten Sie Ihr Maklerbüro sofort um einen Link für ein neues Passwort.",
    err_confirm_by_mail: "Zum Schutz Ihres Kontos nach vielen Fehlversuchen: Falls das Passwort richtig war, haben wir Ihnen eben einen Link zur Anmeldung per E-Mail geschickt. Er ist eine Stunde gültig.",
    sign_in_link_title: "Anmeldung abschließen",
    sign_in_link_intro: "Mit diesem Link schließen Sie Ihre Anmeldung ab.",
    sign_in_link_submit: "Jetzt anmelden",
    mail_ignore: "Falls Sie diese E-Mail nicht erwartet haben, können Sie sie ignorieren.",
    show_password: "Anzeigen",
    hide_password: "Verbergen",
    loading: "Wird geladen …",
    login_title: "Anmelden",
    session_expired: "Ihre Sitzung ist abgelaufen. Bitte melden Sie sich erneut an.",
    signed_out: "Sie haben sich abgemeldet.",
    email: "E-Mail-Adresse",
    password: "Passwort",
    login_submit: "Anmelden",
    login_forgot_hint: "Passwort vergessen? Ihr Makler sendet Ihnen gern einen Link, mit dem Sie ein neues Passwort festlegen.",
    set_password_title: "Passwort festlegen",
    set_password_intro_invite: "Willkommen! Legen Sie jetzt Ihr persönliches Passwort fest. Nur Sie kennen es – auch Ihr Makler nicht.",
    set_password_intro_reset: "Legen Sie ein neues Passwort fest. Danach gilt nur noch das neue Passwort.",
    set_password_account: "Zugang:",
    new_password: "Neues Passwort",
    new_password_repeat: "Neues Passwort wiederholen",
    password_rule: "Mindestens 12 Zeichen. Ein ganzer Satz ist leicht zu merken und schwer zu erraten.",
    set_password_submit: "Passwort speichern und anmelden",
    link_invalid: "Dieser Link ist abgelaufen oder wurde bereits verwendet. Bitte fragen Sie Ihren Makler nach einem neuen Link.",
    to_login: "Zur Anmeldung",
    nav_label: "Hauptnavigation",
    nav_overview: "Übersicht",
    nav_documents: "Dokumente",
    nav_mailbox: "Postfach",
    nav_profile: "Profil",
    nav_customers: "Kunden",
    nav_catalogue: "Katalog",
    nav_settings: "Einstellungen",
    sign_out: "Abmelden",
    overview_greeting: "Guten Tag, {name}",
    overview_intro: "Hier finden Sie alle Ihre Verträge und Unterlagen an einem Ort.",
    contracts_title: "Ihre Verträge",
    contracts_empty_title: "Noch keine Verträge",
    contracts_empty_text: "Sobald Ihr Makler Ihre Verträge hinterlegt, sehen Sie sie hier.",
    access_none: "kein Zugang",
    access_invited: "eingeladen",
    access_active: "Zugang aktiv",
    customers_title: "Kunden",
    invite_customer: "Kunde einladen",
    invite_customer_hint: "Der Kunde erhält eine E-Mail mit einem Link, der 72 Stunden gültig ist, und legt sein Passwort selbst fest.",
    first_name: "Vorname",
    last_name: "Nachname",
    sending: "Wird gesendet …",
    send_invite: "Einladung senden",
    search_customers: "Name, E-Mail-Adresse oder Versicherungsscheinnummer suchen",
    pages: "Seiten",
    previous_page: "Zurück",
    next_page: "Weiter",
    page_n: "Seite {n}",
    search: "Suchen",
    customers_empty: "Keine Kunden gefunden.",
    name: "Name",
    access: "Zugang",
    back_to_customers: "← Alle Kunden",
    invite_sent: "Die Einladung wurde versendet.",
    access_heading: "Zugang",
    contact_heading: "Kontaktdaten",
    contact_person: "Ansprechpartner",
    phone: "Telefon",
    address: "Anschrift",
    birth_date: "Geburtsdatum",
    reset_explainer: "Das Passwort kennt nur der Kunde. Hat er es vergessen, senden Sie ihm einen Link (24 Stunden gültig, nur einmal verwendbar), mit dem er ein neues festlegt.",
    reset_sent: "Der Link wurde versendet.",
    send_reset_link: "Link zum Zurücksetzen des Passworts senden",
    audit_heading: "Verlauf",
    audit_ip_hint: "IP-Adresse, wird nach 7 Tagen gelöscht",
    trail_whole: "Protokoll geprüft am {date}: lückenlos und unverändert ({count} Einträge).",
    trail_broken: "Protokoll geprüft am {date}: ab Eintrag {entry} wurde es verändert oder gekürzt. Bitte informieren Sie sofort den Betreiber von Folio.",
    trail_unchecked: "Das Protokoll wurde noch nicht auf Veränderungen geprüft.",
    team_heading: "Team",
    role_owner: "Inhaber",
    role_employee: "Mitarbeiter",
    invite_staff: "Mitarbeiter einladen",
    role: "Rolle",
    language: "Sprache",
    save: "Speichern",
    sessions_heading: "Anmeldung",
    sign_out_everywhere_hint: "„Überall abmelden“ beendet Ihre Anmeldung auf allen Geräten, zum Beispiel wenn Sie ein Gerät verloren haben.",
    sign_out_everywhere: "Überall abmelden",
    not_found_title: "Seite nicht gefunden",
    not_found_text: "Diese Seite gibt es nicht (mehr).",
    to_start: "Zur Startseite",
    audit_actions: &[
        ("catalogue.line_saved", "Sparte gespeichert"),
        ("catalogue.product_saved", "Produkt gespeichert"),
        ("catalogue.reordered", "Katalog umsortiert"),
        ("catalogue.line_deleted", "Sparte gelöscht"),
        ("catalogue.product_deleted", "Produkt gelöscht"),
        ("customer.updated", "Kunde geändert"),
        ("conversation.started", "Nachricht begonnen"),
        ("conversation.opened", "Nachricht geöffnet"),
        ("conversation.assigned", "Nachricht zugewiesen"),
        ("conversation.closed", "Nachricht erledigt"),
        ("conversation.reopened", "Nachricht wieder geöffnet"),
        ("message.sent", "Nachricht gesendet"),
        ("change.requested", "Änderung beantragt"),
        ("change.applied", "Änderung übernommen"),
        ("health_consent.given", "Einwilligung Gesundheitsdaten erteilt"),
        ("health_consent.withdrawn", "Einwilligung Gesundheitsdaten widerrufen"),
        ("user.deactivated", "Zugang deaktiviert"),
        ("user.reactivated", "Zugang wieder aktiviert"),
        ("user.deleted", "Konto gelöscht"),
        ("api_key.revoked", "API-Schlüssel widerrufen"),
        ("grant.created", "Zugriff erteilt"),
        ("grant.updated", "Zugriff geändert"),
        ("grant.revoked", "Zugriff beendet"),
        ("grant.end_requested", "Ende eines Zugriffs erbeten"),
        ("sign_in.link_sent", "Anmeldelink nach Fehlversuchen gesendet"),
        ("sign_in.deactivated", "Anmeldung abgewiesen (Zugang deaktiviert)"),
        ("document.uploaded", "Dokument hochgeladen"),
        ("document.opened", "Dokument geöffnet"),
        ("document.deleted", "Dokument gelöscht"),
        ("contract.created", "Vertrag angelegt"),
        ("contract.updated", "Vertrag geändert"),
        ("contract.viewed", "Vertrag angesehen"),
        ("sign_in", "Angemeldet"),
        ("sign_in.failed", "Anmeldung fehlgeschlagen"),
        ("sign_out", "Abgemeldet"),
        ("sign_out.everywhere", "Überall abgemeldet"),
        ("customer.created", "Kunde angelegt"),
        ("customer.viewed", "Kundenakte angesehen"),
        ("data.exported", "Auskunft über gespeicherte Daten erstellt"),
        ("customer.erased", "Kunde gelöscht"),
        ("customer.locked", "Akte gesperrt (Löschung nach Aufbewahrungsfrist)"),
        ("retention.changed", "Aufbewahrungsfrist geändert"),
        ("user.invited", "Eingeladen"),
        ("demo.refreshed", "Demodaten erneuert"),
        ("brand.updated", "Erscheinungsbild geändert"),
        ("logo.updated", "Logo hochgeladen"),
        ("logo.removed", "Logo entfernt"),
        ("domain.added", "Domain hinzugefügt"),
        ("domain.removed", "Domain entfernt"),
        ("actor.system", "System"),
        ("actor.api_key", "Schnittstelle (API-Schlüssel)"),
        ("actor.anonymous", "nicht angemeldet"),
        ("actor.staff", "Mitarbeiter"),
        ("actor.customer", "Kunde"),
        ("api_key.created", "API-Schlüssel erstellt"),
        ("password.set_from_invite", "Passwort festgelegt"),
        ("password.reset", "Passwort neu festgelegt"),
        ("password.reset_link_sent", "Link zum Zurücksetzen gesendet"),
        ("profile.locale_changed", "Sprache geändert"),
    ],
};

pub static EN: Texts = Texts {
    err_invalid: "Please check the highlighted fields.",
    err_bad_credentials: "E-mail address or password is not correct.",
    err_throttled: "Too many sign-in attempts. Please wait {seconds} seconds and try again.",
    err_too_many_mails: "Enough invitations and links have been sent this hour. Please try again in {minutes} min.",
    err_too_many_uploads: "You have uploaded a great many files in the last few minutes. Please try again in {minutes} min.",
    err_unauthenticated: "Please sign in.",
    err_forbidden: "You are not allowed to do that.",
    err_not_found: "We could not find that.",
    err_link_invalid: "This link has expired or has already been used.",
    err_sign_in_again: "The sign-in has expired. Please sign in again.",
    err_proof_needed: "Please confirm your identity again for this change.",
    err_proof_link: "Confirm now",
    err_passkey_failed: "The passkey was not accepted. Please try again or sign in with your password.",
    err_use_passkey: "Your broker requires a second factor: please sign in with your passkey.",
    err_deactivated: "This access is deactivated. Please contact your broker’s office.",
    access_deactivated: "Access deactivated",
    deactivate: "Deactivate access",
    deactivate_question: "Every session ends at once; signing in and links stop working until the access is reactivated. The data stays.",
    confirm_deactivate: "Yes, deactivate",
    reactivate: "Reactivate access",
    delete_staff: "Delete account",
    delete_staff_question: "The account is deleted for good: signing in is no longer possible, assigned messages return to the shared inbox. The trail keeps the name on what the person did.",
    confirm_delete_staff: "Yes, delete the account",
    staff_deleted: "The account is deleted.",
    err_internal: "Something went wrong. Please try again later (reference {request_id}).",
    err_transport: "No connection to the server. Please check your internet connection.",
    problem_required: "Please fill this in.",
    problem_invalid_email: "Please enter a valid e-mail address, e.g. name@example.com.",
    problem_password_short: "The password must be at least 12 characters long.",
    problem_password_long: "The password may be at most 1024 characters long.",
    problem_passwords_differ: "The two passwords do not match.",
    problem_email_taken: "This e-mail address is already in use.",
    problem_too_long: "This text is too long.",
    problem_line_break: "Please keep this on one line, without line breaks or control characters.",
    problem_control_characters: "This text contains a control character. Please type it again.",
    problem_invalid_choice: "Please choose one of the offered values.",
    err_quota: "Your office's storage is full: {used} of {quota} are used. Please delete documents you no longer need or upgrade your plan.",
    problem_invalid_date: "Please enter a valid date.",
    problem_invalid_amount: "Please enter an amount such as 12.50.",
    problem_name_taken: "This name is already in use here.",
    problem_file_unsupported: "This file type is not supported. Allowed are PDF documents and photos as JPEG, PNG or WebP.",
    problem_file_heic: "HEIC photos (iPhone) are not supported. In the iPhone settings under Camera › Formats choose \"Most Compatible\", or share the photo as JPEG.",
    problem_file_invalid: "The file is damaged or incomplete. Please try again.",
    problem_svg_unsafe: "This SVG contains a DOCTYPE or entities; for your safety such files are not accepted. Please save the logo as a plain SVG or as a PNG.",
    problem_svg_too_complex: "This SVG is too elaborate for a logo. Please simplify it or upload the logo as a PNG.",
    problem_file_too_large: "The file is too large. At most 25 MB per file are allowed.",
    problem_image_too_large: "The image has too many pixels. At most 50 megapixels are allowed.",
    problem_invalid_color: "Please choose a colour, e.g. #1d4ed8.",
    problem_invalid_url: "Please enter a complete web address starting with https://.",
    problem_invalid_domain: "Please enter a domain like portal.your-company.com (without https:// and without a path).",
    problem_domain_taken: "Another office already uses this domain.",
    problem_domain_in_use: "You are signed in at this address right now. Open the settings at another address to remove it.",
    problem_date_in_future: "This date lies in the future.",
    problem_photo_required: "Please add at least one photo or file.",
    problem_invalid_postal_code: "This postal code does not fit the country chosen.",
    problem_invalid_iban: "This IBAN is not valid. Please check it, e.g. DE89 3704 0044 0532 0130 00.",
    problem_too_many: "That is too many files for one message (at most 20).",
    problem_consent_required: "Without your consent we cannot process health information.",
    problem_already_applied: "This change has already been applied.",
    problem_in_use: "Still needed: this is the signed form of an access.",
    problem_form_required: "This access needs the signed mandate form.",
    problem_only_listed: "This kind of access is for contracts chosen one by one only.",
    problem_only_all: "A legal representative sees all of the company's contracts; a selection is not possible.",
    problem_one_contract: "An insured person sees exactly the one contract they are insured in.",
    problem_wrong_folder_kind: "This kind of access does not fit this customer (company or private person).",
    problem_not_in_folder: "This does not belong to this customer.",
    problem_account_not_eligible: "This address belongs to an account that cannot be given this access.",
    problem_invalid_code: "This code is not right. Use the current code from the app or an unused recovery code.",
    problem_wrong_password: "The password is not right.",
    mail_greeting: "Hello {name},",
    mail_invite_subject: "Your access to the digital customer folder of {broker}",
    mail_invite_intro: "{broker} invites you to your digital customer folder. Use the following link to choose your personal password:",
    mail_reset_subject: "New password for your access at {broker}",
    mail_reset_intro: "You can choose a new password with the following link:",
    mail_link_validity: "The link is valid for {hours} hours and can be used once.",
    mail_sign_in_subject: "Confirm your sign-in at {broker}",
    mail_sign_in_intro: "Your account at {broker} has had many failed sign-in attempts, so for your protection the password alone is not enough right now. You just entered the right password; finish signing in with this link:",
    mail_sign_in_validity: "The link is valid for one hour and can be used once.",
    mail_sign_in_ignore: "If this was not you, someone knows your password: please ask your broker at once for a link to choose a new one.",
    err_confirm_by_mail: "To protect your account after many failed attempts: if the password was right, we have just e-mailed you a link to sign in. It is valid for one hour.",
    sign_in_link_title: "Finish signing in",
    sign_in_link_intro: "This link finishes your sign-in.",
    sign_in_link_submit: "Sign in now",
    mail_ignore: "If you did not expect this e-mail, you can ignore it.",
    show_password: "Show",
    hide_password: "Hide",
    loading: "Loading …",
    login_title: "Sign in",
    session_expired: "Your session has expired. Please sign in again.",
    signed_out: "You have signed out.",
    email: "E-mail address",
    password: "Password",
    login_submit: "Sign in",
    login_forgot_hint: "Forgot your password? Your broker will gladly send you a link to choose a new one.",
    set_password_title: "Choose a password",
    set_password_intro_invite: "Welcome! Choose your personal password now. Only you know it, not even your broker.",
    set_password_intro_reset: "Choose a new password. After that only the new password is valid.",
    set_password_account: "Account:",
    new_password: "New password",
    new_password_repeat: "Repeat new password",
    password_rule: "At least 12 characters. A whole sentence is easy to remember and hard to guess.",
    set_password_submit: "Save password and sign in",
    link_invalid: "This link has expired or has already been used. Please ask your broker for a new link.",
    to_login: "Go to sign-in",
    nav_label: "Main navigation",
    nav_overview: "Overview",
    nav_documents: "Documents",
    nav_mailbox: "Mailbox",
    nav_profile: "Profile",
    nav_customers: "Customers",
    nav_catalogue: "Catalogue",
    nav_settings: "Settings",
    sign_out: "Sign out",
    overview_greeting: "Hello, {name}",
    overview_intro: "All your contracts and documents in one place.",
    contracts_title: "Your contracts",
    contracts_empty_title: "No contracts yet",
    contracts_empty_text: "As soon as your broker adds your contracts, you will see them here.",
    access_none: "no access",
    access_invited: "invited",
    access_active: "access active",
    customers_title: "Customers",
    invite_customer: "Invite customer",
    invite_customer_hint: "The customer receives an e-mail with a link valid for 72 hours and chooses their own password.",
    first_name: "First name",
    last_name: "Last name",
    sending: "Sending …",
    send_invite: "Send invitation",
    search_customers: "Search name, e-mail address or policy number",
    pages: "Pages",
    previous_page: "Previous",
    next_page: "Next",
    page_n: "Page {n}",
    search: "Search",
    customers_empty: "No customers found.",
    name: "Name",
    access: "Access",
    back_to_customers: "← All customers",
    invite_sent: "The invitation has been sent.",
    access_heading: "Access",
    contact_heading: "Contact details",
    contact_person: "Contact person",
    phone: "Phone",
    address: "Address",
    birth_date: "Date of birth",
    reset_explainer: "Only the customer knows the password. If they forgot it, send them a link (valid 24 hours, usable once) to choose a new one.",
    reset_sent: "The link has been sent.",
    send_reset_link: "Send password reset link",
    audit_heading: "History",
    audit_ip_hint: "IP address, deleted after 7 days",
    trail_whole: "Log checked on {date}: complete and unaltered ({count} entries).",
    trail_broken: "Log checked on {date}: it was altered or shortened from entry {entry} on. Please tell the operator of Folio at once.",
    trail_unchecked: "The log has not yet been checked for alterations.",
    team_heading: "Team",
    role_owner: "Owner",
    role_employee: "Employee",
    invite_staff: "Invite employee",
    role: "Role",
    language: "Language",
    save: "Save",
    sessions_heading: "Sign-in",
    sign_out_everywhere_hint: "“Sign out everywhere” ends your sign-in on all devices, for example if you lost one.",
    sign_out_everywhere: "Sign out everywhere",
    not_found_title: "Page not found",
    not_found_text: "This page does not exist (any more).",
    to_start: "Go to the start page",
    audit_actions: &[
        ("catalogue.line_saved", "Line saved"),
        ("catalogue.product_saved", "Product saved"),
        ("catalogue.reordered", "Catalogue reordered"),
        ("catalogue.line_deleted", "Line deleted"),
        ("catalogue.product_deleted", "Product deleted"),
        ("customer.updated", "Customer changed"),
        ("conversation.started", "Conversation started"),
        ("conversation.opened", "Conversation opened"),
        ("conversation.assigned", "Conversation assigned"),
        ("conversation.closed", "Conversation closed"),
        ("conversation.reopened", "Conversation reopened"),
        ("message.sent", "Message sent"),
        ("change.requested", "Change requested"),
        ("change.applied", "Change applied"),
        ("health_consent.given", "Consent to health data given"),
        ("health_consent.withdrawn", "Consent to health data withdrawn"),
        ("user.deactivated", "Access deactivated"),
        ("user.reactivated", "Access reactivated"),
        ("user.deleted", "Account deleted"),
        ("api_key.revoked", "API key revoked"),
        ("grant.created", "Access granted"),
        ("grant.updated", "Access changed"),
        ("grant.revoked", "Access ended"),
        ("grant.end_requested", "End of access requested"),
        ("sign_in.link_sent", "Sign-in link sent after failed attempts"),
        ("sign_in.deactivated", "Sign-in refused (access deactivated)"),
        ("document.uploaded", "Document uploaded"),
        ("document.opened", "Document opened"),
        ("document.deleted", "Document deleted"),
        ("contract.created", "Contract created"),
        ("contract.updated", "Contract changed"),
        ("contract.viewed", "Contract viewed"),
        ("sign_in", "Signed in"),
        ("sign_in.failed", "Sign-in failed"),
        ("sign_out", "Signed out"),
        ("sign_out.everywhere", "Signed out everywhere"),
        ("customer.created", "Customer created"),
        ("customer.viewed", "Customer record viewed"),
        ("data.exported", "Copy of stored data produced"),
        ("customer.erased", "Customer erased"),
        ("customer.locked", "Folder locked (erased after the retention period)"),
        ("retention.changed", "Retention period changed"),
        ("user.invited", "Invited"),
        ("demo.refreshed", "Demo data refreshed"),
        ("brand.updated", "Appearance changed"),
        ("logo.updated", "Logo uploaded"),
        ("logo.removed", "Logo removed"),
        ("domain.added", "Domain added"),
        ("domain.removed", "Domain removed"),
        ("actor.system", "System"),
        ("actor.api_key", "Interface (API key)"),
        ("actor.anonymous", "not signed in"),
        ("actor.staff", "Staff"),
        ("actor.customer", "Customer"),
        ("api_key.created", "API key created"),
        ("password.set_from_invite", "Password chosen"),
        ("password.reset", "Password changed"),
        ("password.reset_link_sent", "Reset link sent"),
        ("profile.locale_changed", "Language changed"),
    ],
};

pub static NL: Texts = Texts {
    err_invalid: "Gelieve de gemarkeerde gegevens na te kijken.",
    err_bad_credentials: "E-mailadres of wachtwoord is niet juist.",
    err_throttled: "Te veel aanmeldpogingen. Gelieve {seconds} seconden te wachten en het dan opnieuw te proberen.",
    err_too_many_mails: "Er zijn dit uur genoeg uitnodigingen en links verstuurd. Probeer het over {minutes} min. opnieuw.",
    err_too_many_uploads: "U hebt de afgelopen minuten heel veel bestanden geüpload. Probeer het over {minutes} min. opnieuw.",
    err_unauthenticated: "Gelieve u aan te melden.",
    err_forbidden: "U hebt daarvoor niet de nodige rechten.",
    err_not_found: "Dat hebben we niet gevonden.",
    err_link_invalid: "Deze link is verlopen of werd al gebruikt.",
    err_sign_in_again: "De aanmelding is verlopen. Log opnieuw in.",
    err_proof_needed: "Bevestig voor deze wijziging nog een keer uw identiteit.",
    err_proof_link: "Nu bevestigen",
    err_passkey_failed: "De passkey is niet geaccepteerd. Probeer het opnieuw of log in met uw wachtwoord.",
    err_use_passkey: "Uw adviseur vereist een tweede factor: log in met uw passkey.",
    err_deactivated: "Deze toegang is gedeactiveerd. Neem contact op met uw makelaarskantoor.",
    access_deactivated: "Toegang gedeactiveerd",
    deactivate: "Toegang deactiveren",
    deactivate_question: "Alle sessies eindigen meteen; aanmelden en links werken niet meer tot de toegang opnieuw wordt geactiveerd. De gegevens blijven bewaard.",
    confirm_deactivate: "Ja, deactiveren",
    reactivate: "Toegang opnieuw activeren",
    delete_staff: "Account verwijderen",
    delete_staff_question: "Het account wordt definitief verwijderd: inloggen kan niet meer, toegewezen berichten gaan terug naar de gedeelde inbox. In het logboek blijft de naam staan bij wat de persoon heeft gedaan.",
    confirm_delete_staff: "Ja, account verwijderen",
    staff_deleted: "Het account is verwijderd.",
    err_internal: "Er is iets misgelopen. Gelieve het later opnieuw te proberen (referentie {request_id}).",
    err_transport: "Geen verbinding met de server. Gelieve uw internetverbinding na te kijken.",
    problem_required: "Gelieve dit in te vullen.",
    problem_invalid_email: "Gelieve een geldig e-mailadres in te vullen, bv. naam@voorbeeld.be.",
    problem_password_short: "Het wachtwoord moet minstens 12 tekens lang zijn.",
    problem_password_long: "Het wachtwoord mag hoogstens 1024 tekens lang zijn.",
    problem_passwords_differ: "De twee wachtwoorden komen niet overeen.",
    problem_email_taken: "Dit e-mailadres is al in gebruik.",
    problem_too_long: "Deze tekst is te lang.",
    problem_line_break: "Graag op één regel, zonder regeleinde of besturingsteken.",
    problem_control_characters: "Deze tekst bevat een besturingsteken. Typ hem opnieuw.",
    problem_invalid_choice: "Gelieve een van de voorgestelde waarden te kiezen.",
    err_quota: "De opslagruimte van uw kantoor is vol: {used} van {quota} is in gebruik. Gelieve documenten te verwijderen die u niet meer nodig hebt, of kies een ruimere formule.",
    problem_invalid_date: "Gelieve een geldige datum in te vullen.",
    problem_invalid_amount: "Gelieve een bedrag zoals 12,50 in te vullen.",
    problem_name_taken: "Deze naam bestaat hier al.",
    problem_file_unsupported: "Dit bestandsformaat wordt niet ondersteund. Toegelaten zijn pdf-documenten en foto's in JPEG, PNG of WebP.",
    problem_file_heic: "HEIC-foto's (iPhone) worden niet ondersteund. Kies in de iPhone-instellingen onder Camera › Opmaak “Meest compatibel”, of deel de foto als JPEG.",
    problem_file_invalid: "Het bestand is beschadigd of onvolledig. Gelieve het opnieuw te proberen.",
    problem_svg_unsafe: "Deze SVG bevat een DOCTYPE of entiteiten; zulke bestanden nemen we voor uw veiligheid niet aan. Sla het logo op als eenvoudige SVG of als PNG.",
    problem_svg_too_complex: "Deze SVG is te complex voor een logo. Vereenvoudig hem of upload het logo als PNG.",
    problem_file_too_large: "Het bestand is te groot. Per bestand is hoogstens 25 MB toegelaten.",
    problem_image_too_large: "De afbeelding heeft te veel pixels. Hoogstens 50 megapixel is toegelaten.",
    problem_invalid_color: "Gelieve een kleur te kiezen, bv. #1d4ed8.",
    problem_invalid_url: "Gelieve een volledig webadres in te vullen dat met https:// begint.",
    problem_invalid_domain: "Gelieve een domein zoals portaal.uw-kantoor.be in te vullen (zonder https:// en zonder pad).",
    problem_domain_taken: "Dit domein wordt al door een ander kantoor gebruikt.",
    problem_domain_in_use: "U bent momenteel via dit adres aangemeld. Open de instellingen via een ander adres om het te verwijderen.",
    problem_date_in_future: "Deze datum ligt in de toekomst.",
    problem_photo_required: "Gelieve minstens één foto of bestand toe te voegen.",
    problem_invalid_postal_code: "Deze postcode past niet bij het gekozen land.",
    problem_invalid_iban: "Dit IBAN-nummer is niet geldig. Gelieve het na te kijken, bv. BE68 5390 0754 7034.",
    problem_too_many: "Dat zijn te veel bestanden voor één bericht (hoogstens 20).",
    problem_consent_required: "Zonder uw toestemming kunnen we geen gezondheidsgegevens verwerken.",
    problem_already_applied: "Deze wijziging werd al doorgevoerd.",
    problem_in_use: "Nog nodig: dit is het ondertekende formulier van een toegang.",
    problem_form_required: "Voor deze toegang is het ondertekende volmachtformulier nodig.",
    problem_only_listed: "Deze soort toegang geldt enkel voor afzonderlijk gekozen contracten.",
    problem_only_all: "Een wettelijke vertegenwoordiger ziet alle contracten van de onderneming; een keuze is niet mogelijk.",
    problem_one_contract: "Een verzekerde persoon ziet precies het ene contract waarin hij of zij verzekerd is.",
    problem_wrong_folder_kind: "Deze soort toegang past niet bij deze klant (onderneming of privépersoon).",
    problem_not_in_folder: "Dit hoort niet bij deze klant.",
    problem_account_not_eligible: "Dit adres hoort bij een account dat deze toegang niet kan krijgen.",
    problem_invalid_code: "Deze code klopt niet. Gebruik de huidige code uit de app of een ongebruikte herstelcode.",
    problem_wrong_password: "Het wachtwoord klopt niet.",
    mail_greeting: "Beste {name},",
    mail_invite_subject: "Uw toegang tot het digitale klantendossier van {broker}",
    mail_invite_intro: "{broker} nodigt u uit voor uw digitale klantendossier. Via de volgende link kiest u uw persoonlijke wachtwoord:",
    mail_reset_subject: "Nieuw wachtwoord voor uw toegang bij {broker}",
    mail_reset_intro: "Via de volgende link kunt u een nieuw wachtwoord kiezen:",
    mail_link_validity: "De link is {hours} uur geldig en kan maar één keer worden gebruikt.",
    mail_sign_in_subject: "Bevestig uw aanmelding bij {broker}",
    mail_sign_in_intro: "Op uw account bij {broker} is vaak vergeefs geprobeerd aan te melden. Ter bescherming is het wachtwoord alleen daarom nu niet genoeg. U hebt zojuist het juiste wachtwoord ingevoerd; met de volgende link rondt u de aanmelding af:",
    mail_sign_in_validity: "De link is één uur geldig en kan maar één keer worden gebruikt.",
    mail_sign_in_ignore: "Was u dit niet, dan kent iemand uw wachtwoord: vraag uw makelaar direct om een link voor een nieuw wachtwoord.",
    err_confirm_by_mail: "Ter bescherming van uw account na veel mislukte pogingen: als het wachtwoord juist was, hebben we u zojuist een link om aan te melden gemaild. Die is één uur geldig.",
    sign_in_link_title: "Aanmelding afronden",
    sign_in_link_intro: "Met deze link rondt u uw aanmelding af.",
    sign_in_link_submit: "Nu aanmelden",
    mail_ignore: "Als u deze e-mail niet verwachtte, kunt u ze gewoon negeren.",
    show_password: "Tonen",
    hide_password: "Verbergen",
    loading: "Wordt geladen …",
    login_title: "Aanmelden",
    session_expired: "Uw sessie is verlopen. Gelieve u opnieuw aan te melden.",
    signed_out: "U bent afgemeld.",
    email: "E-mailadres",
    password: "Wachtwoord",
    login_submit: "Aanmelden",
    login_forgot_hint: "Wachtwoord vergeten? Uw makelaar stuurt u graag een link waarmee u een nieuw wachtwoord kiest.",
    set_password_title: "Wachtwoord kiezen",
    set_password_intro_invite: "Welkom! Kies nu uw persoonlijke wachtwoord. Alleen u kent het – ook uw makelaar niet.",
    set_password_intro_reset: "Kies een nieuw wachtwoord. Daarna is alleen het nieuwe wachtwoord nog geldig.",
    set_password_account: "Account:",
    new_password: "Nieuw wachtwoord",
    new_password_repeat: "Herhaal het nieuwe wachtwoord",
    password_rule: "Minstens 12 tekens. Een hele zin is makkelijk te onthouden en moeilijk te raden.",
    set_password_submit: "Wachtwoord opslaan en aanmelden",
    link_invalid: "Deze link is verlopen of werd al gebruikt. Vraag uw makelaar om een nieuwe link.",
    to_login: "Naar de aanmeldpagina",
    nav_label: "Hoofdnavigatie",
    nav_overview: "Overzicht",
    nav_documents: "Documenten",
    nav_mailbox: "Berichten",
    nav_profile: "Profiel",
    nav_customers: "Klanten",
    nav_catalogue: "Catalogus",
    nav_settings: "Instellingen",
    sign_out: "Afmelden",
    overview_greeting: "Goedendag, {name}",
    overview_intro: "Hier vindt u al uw contracten en documenten op één plaats.",
    contracts_title: "Uw contracten",
    contracts_empty_title: "Nog geen contracten",
    contracts_empty_text: "Zodra uw makelaar uw contracten toevoegt, ziet u ze hier.",
    access_none: "geen toegang",
    access_invited: "uitgenodigd",
    access_active: "toegang actief",
    customers_title: "Klanten",
    invite_customer: "Klant uitnodigen",
    invite_customer_hint: "De klant krijgt een e-mail met een link die 72 uur geldig is, en kiest zelf een wachtwoord.",
    first_name: "Voornaam",
    last_name: "Familienaam",
    sending: "Wordt verstuurd …",
    send_invite: "Uitnodiging versturen",
    search_customers: "Zoeken op naam, e-mailadres of polisnummer",
    pages: "Pagina's",
    previous_page: "Vorige",
    next_page: "Volgende",
    page_n: "Pagina {n}",
    search: "Zoeken",
    customers_empty: "Geen klanten gevonden.",
    name: "Naam",
    access: "Toegang",
    back_to_customers: "← Alle klanten",
    invite_sent: "De uitnodiging werd verstuurd.",
    access_heading: "Toegang",
    contact_heading: "Contactgegevens",
    contact_person: "Contactpersoon",
    phone: "Telefoon",
    address: "Adres",
    birth_date: "Geboortedatum",
    reset_explainer: "Alleen de klant kent het wachtwoord. Is de klant het vergeten, stuur dan een link (24 uur geldig, maar één keer te gebruiken) waarmee hij of zij een nieuw wachtwoord kiest.",
    reset_sent: "De link werd verstuurd.",
    send_reset_link: "Link voor een nieuw wachtwoord versturen",
    audit_heading: "Geschiedenis",
    audit_ip_hint: "IP-adres, wordt na 7 dagen verwijderd",
    trail_whole: "Logboek gecontroleerd op {date}: volledig en ongewijzigd ({count} regels).",
    trail_broken: "Logboek gecontroleerd op {date}: vanaf regel {entry} is het gewijzigd of ingekort. Meld dit direct aan de beheerder van Folio.",
    trail_unchecked: "Het logboek is nog niet op wijzigingen gecontroleerd.",
    team_heading: "Team",
    role_owner: "Eigenaar",
    role_employee: "Medewerker",
    invite_staff: "Medewerker uitnodigen",
    role: "Rol",
    language: "Taal",
    save: "Opslaan",
    sessions_heading: "Aanmelding",
    sign_out_everywhere_hint: "“Overal afmelden” beëindigt uw aanmelding op al uw toestellen, bijvoorbeeld als u een toestel verloren bent.",
    sign_out_everywhere: "Overal afmelden",
    not_found_title: "Pagina niet gevonden",
    not_found_text: "Deze pagina bestaat niet (meer).",
    to_start: "Naar de startpagina",
    audit_actions: &[
        ("catalogue.line_saved", "Tak opgeslagen"),
        ("catalogue.product_saved", "Product opgeslagen"),
        ("catalogue.reordered", "Catalogus herschikt"),
        ("catalogue.line_deleted", "Tak verwijderd"),
        ("catalogue.product_deleted", "Product verwijderd"),
        ("customer.updated", "Klant gewijzigd"),
        ("conversation.started", "Bericht gestart"),
        ("conversation.opened", "Bericht geopend"),
        ("conversation.assigned", "Bericht toegewezen"),
        ("conversation.closed", "Bericht afgehandeld"),
        ("conversation.reopened", "Bericht heropend"),
        ("message.sent", "Bericht verstuurd"),
        ("change.requested", "Wijziging aangevraagd"),
        ("change.applied", "Wijziging doorgevoerd"),
        ("health_consent.given", "Toestemming voor gezondheidsgegevens gegeven"),
        ("health_consent.withdrawn", "Toestemming voor gezondheidsgegevens ingetrokken"),
        ("user.deactivated", "Toegang gedeactiveerd"),
        ("user.reactivated", "Toegang opnieuw geactiveerd"),
        ("user.deleted", "Account verwijderd"),
        ("api_key.revoked", "API-sleutel ingetrokken"),
        ("grant.created", "Toegang verleend"),
        ("grant.updated", "Toegang gewijzigd"),
        ("grant.revoked", "Toegang beëindigd"),
        ("grant.end_requested", "Einde van toegang gevraagd"),
        ("sign_in.link_sent", "Aanmeldlink verstuurd na mislukte pogingen"),
        ("sign_in.deactivated", "Aanmelding geweigerd (toegang gedeactiveerd)"),
        ("document.uploaded", "Document geüpload"),
        ("document.opened", "Document geopend"),
        ("document.deleted", "Document verwijderd"),
        ("contract.created", "Contract aangemaakt"),
        ("contract.updated", "Contract gewijzigd"),
        ("contract.viewed", "Contract bekeken"),
        ("sign_in", "Aangemeld"),
        ("sign_in.failed", "Aanmelding mislukt"),
        ("sign_out", "Afgemeld"),
        ("sign_out.everywhere", "Overal afgemeld"),
        ("customer.created", "Klant aangemaakt"),
        ("customer.viewed", "Klantendossier bekeken"),
        ("data.exported", "Overzicht van opgeslagen gegevens aangemaakt"),
        ("customer.erased", "Klant verwijderd"),
        ("customer.locked", "Dossier geblokkeerd (verwijdering na bewaartermijn)"),
        ("retention.changed", "Bewaartermijn gewijzigd"),
        ("user.invited", "Uitgenodigd"),
        ("demo.refreshed", "Demogegevens vernieuwd"),
        ("brand.updated", "Huisstijl gewijzigd"),
        ("logo.updated", "Logo geüpload"),
        ("logo.removed", "Logo verwijderd"),
        ("domain.added", "Domein toegevoegd"),
        ("domain.removed", "Domein verwijderd"),
        ("actor.system", "Systeem"),
        ("actor.api_key", "Koppeling (API-sleutel)"),
        ("actor.anonymous", "niet aangemeld"),
        ("actor.staff", "Medewerker"),
        ("actor.customer", "Klant"),
        ("api_key.created", "API-sleutel aangemaakt"),
        ("password.set_from_invite", "Wachtwoord gekozen"),
        ("password.reset", "Nieuw wachtwoord gekozen"),
        ("password.reset_link_sent", "Link voor nieuw wachtwoord verstuurd"),
        ("profile.locale_changed", "Taal gewijzigd"),
    ],
};

pub static FR: Texts = Texts {
    err_invalid: "Veuillez vérifier les champs signalés.",
    err_bad_credentials: "L’adresse e-mail ou le mot de passe est incorrect.",
    err_throttled: "Trop de tentatives de connexion. Veuillez patienter {seconds} secondes, puis réessayer.",
    err_too_many_mails: "Assez d’invitations et de liens ont été envoyés cette heure-ci. Veuillez réessayer dans {minutes} min.",
    err_too_many_uploads: "Vous avez envoyé beaucoup de fichiers ces dernières minutes. Veuillez réessayer dans {minutes} min.",
    err_unauthenticated: "Veuillez vous connecter.",
    err_forbidden: "Vous n’avez pas les droits nécessaires pour cette action.",
    err_not_found: "Nous n’avons pas trouvé ce que vous cherchez.",
    err_link_invalid: "Ce lien a expiré ou a déjà été utilisé.",
    err_sign_in_again: "La connexion a expiré. Veuillez vous reconnecter.",
    err_proof_needed: "Veuillez confirmer à nouveau votre identité pour cette modification.",
    err_proof_link: "Confirmer maintenant",
    err_passkey_failed: "La clé d’accès n’a pas été acceptée. Veuillez réessayer ou vous connecter avec votre mot de passe.",
    err_use_passkey: "Votre courtier exige un second facteur : veuillez vous connecter avec votre clé d’accès.",
    err_deactivated: "Cet accès est désactivé. Veuillez contacter votre bureau de courtage.",
    access_deactivated: "Accès désactivé",
    deactivate: "Désactiver l’accès",
    deactivate_question: "Toutes les sessions prennent fin immédiatement ; la connexion et les liens ne fonctionnent plus jusqu’à la réactivation de l’accès. Les données sont conservées.",
    confirm_deactivate: "Oui, désactiver",
    reactivate: "Réactiver l’accès",
    delete_staff: "Supprimer le compte",
    delete_staff_question: "Le compte est supprimé définitivement. La connexion n’est plus possible et les messages attribués retournent dans la boîte commune. Le journal garde le nom sur ce que la personne a fait.",
    confirm_delete_staff: "Oui, supprimer le compte",
    staff_deleted: "Le compte est supprimé.",
    err_internal: "Une erreur s’est produite. Veuillez réessayer plus tard (référence {request_id}).",
    err_transport: "Pas de connexion au serveur. Veuillez vérifier votre connexion Internet.",
    problem_required: "Veuillez compléter ce champ.",
    problem_invalid_email: "Veuillez saisir une adresse e-mail valable, p. ex. nom@exemple.be.",
    problem_password_short: "Le mot de passe doit comporter au moins 12 caractères.",
    problem_password_long: "Le mot de passe peut comporter au maximum 1024 caractères.",
    problem_passwords_differ: "Les deux mots de passe ne correspondent pas.",
    problem_email_taken: "Cette adresse e-mail est déjà utilisée.",
    problem_too_long: "Ce texte est trop long.",
    problem_line_break: "Merci de rester sur une seule ligne, sans saut de ligne ni caractère de contrôle.",
    problem_control_characters: "Ce texte contient un caractère de contrôle. Merci de le saisir à nouveau.",
    problem_invalid_choice: "Veuillez choisir l’une des valeurs proposées.",
    err_quota: "L’espace de stockage de votre bureau est plein : {used} sur {quota} sont utilisés. Veuillez supprimer les documents dont vous n’avez plus besoin ou passer à une formule supérieure.",
    problem_invalid_date: "Veuillez saisir une date valable.",
    problem_invalid_amount: "Veuillez saisir un montant comme 12,50.",
    problem_name_taken: "Ce nom existe déjà ici.",
    problem_file_unsupported: "Ce format de fichier n’est pas pris en charge. Sont acceptés les documents PDF et les photos en JPEG, PNG ou WebP.",
    problem_file_heic: "Les photos HEIC (iPhone) ne sont pas prises en charge. Dans les réglages de l’iPhone, sous Appareil photo › Formats, choisissez « Le plus compatible », ou partagez la photo en JPEG.",
    problem_file_invalid: "Le fichier est endommagé ou incomplet. Veuillez réessayer.",
    problem_svg_unsafe: "Ce SVG contient un DOCTYPE ou des entités ; pour votre sécurité, ces fichiers ne sont pas acceptés. Enregistrez le logo en SVG simple ou en PNG.",
    problem_svg_too_complex: "Ce SVG est trop complexe pour un logo. Simplifiez-le ou envoyez le logo en PNG.",
    problem_file_too_large: "Le fichier est trop volumineux. La taille maximale est de 25 Mo par fichier.",
    problem_image_too_large: "L’image compte trop de pixels. Le maximum est de 50 mégapixels.",
    problem_invalid_color: "Veuillez choisir une couleur, p. ex. #1d4ed8.",
    problem_invalid_url: "Veuillez saisir une adresse web complète commençant par https://.",
    problem_invalid_domain: "Veuillez saisir un domaine comme portail.votre-bureau.be (sans https:// ni chemin).",
    problem_domain_taken: "Ce domaine est déjà utilisé par un autre bureau.",
    problem_domain_in_use: "Vous utilisez cette adresse en ce moment pour votre connexion. Ouvrez les paramètres via une autre adresse pour la supprimer.",
    problem_date_in_future: "Cette date se situe dans le futur.",
    problem_photo_required: "Veuillez ajouter au moins une photo ou un fichier.",
    problem_invalid_postal_code: "Ce code postal ne correspond pas au pays choisi.",
    problem_invalid_iban: "Cet IBAN n’est pas valable. Veuillez le vérifier, p. ex. BE68 5390 0754 7034.",
    problem_too_many: "Cela fait trop de fichiers pour un seul message (20 au maximum).",
    problem_consent_required: "Sans votre consentement, nous ne pouvons pas traiter de données de santé.",
    problem_already_applied: "Cette modification a déjà été appliquée.",
    problem_in_use: "Encore nécessaire : c’est le formulaire signé d’un accès.",
    problem_form_required: "Cet accès nécessite le formulaire de mandat signé.",
    problem_only_listed: "Ce type d’accès ne vaut que pour des contrats choisis un à un.",
    problem_only_all: "Un représentant légal voit tous les contrats de l’entreprise ; un choix n’est pas possible.",
    problem_one_contract: "Une personne assurée voit exactement le contrat dans lequel elle est assurée.",
    problem_wrong_folder_kind: "Ce type d’accès ne correspond pas à ce client (entreprise ou particulier).",
    problem_not_in_folder: "Cela n’appartient pas à ce client.",
    problem_account_not_eligible: "Cette adresse appartient à un compte qui ne peut pas recevoir cet accès.",
    problem_invalid_code: "Ce code n’est pas correct. Utilisez le code actuel de l’application ou un code de secours inutilisé.",
    problem_wrong_password: "Le mot de passe n’est pas correct.",
    mail_greeting: "Bonjour {name},",
    mail_invite_subject: "Votre accès au dossier client numérique de {broker}",
    mail_invite_intro: "{broker} vous invite à découvrir votre dossier client numérique. Le lien suivant vous permet de choisir votre mot de passe personnel :",
    mail_reset_subject: "Nouveau mot de passe pour votre accès chez {broker}",
    mail_reset_intro: "Le lien suivant vous permet de choisir un nouveau mot de passe :",
    mail_link_validity: "Le lien est valable {hours} heures et ne peut être utilisé qu’une seule fois.",
    mail_sign_in_subject: "Confirmez votre connexion chez {broker}",
    mail_sign_in_intro: "Votre compte chez {broker} a connu de nombreuses tentatives de connexion échouées ; pour vous protéger, le mot de passe seul ne suffit donc pas pour le moment. Vous venez de saisir le bon mot de passe ; terminez la connexion avec ce lien :",
    mail_sign_in_validity: "Le lien est valable une heure et ne peut être utilisé qu’une fois.",
    mail_sign_in_ignore: "Si ce n’était pas vous, quelqu’un connaît votre mot de passe : demandez immédiatement à votre courtier un lien pour en choisir un nouveau.",
    err_confirm_by_mail: "Pour protéger votre compte après de nombreuses tentatives échouées : si le mot de passe était correct, nous venons de vous envoyer par e-mail un lien de connexion. Il est valable une heure.",
    sign_in_link_title: "Terminer la connexion",
    sign_in_link_intro: "Ce lien termine votre connexion.",
    sign_in_link_submit: "Me connecter",
    mail_ignore: "Si vous n’attendiez pas cet e-mail, vous pouvez l’ignorer.",
    show_password: "Afficher",
    hide_password: "Masquer",
    loading: "Chargement…",
    login_title: "Connexion",
    session_expired: "Votre session a expiré. Veuillez vous reconnecter.",
    signed_out: "Déconnexion effectuée.",
    email: "Adresse e-mail",
    password: "Mot de passe",
    login_submit: "Se connecter",
    login_forgot_hint: "Mot de passe oublié ? Votre courtier vous enverra volontiers un lien pour en choisir un nouveau.",
    set_password_title: "Choisir un mot de passe",
    set_password_intro_invite: "Bienvenue ! Choisissez maintenant votre mot de passe personnel. Il n’est connu que de vous – pas même de votre courtier.",
    set_password_intro_reset: "Choisissez un nouveau mot de passe. Ensuite, seul le nouveau mot de passe sera valable.",
    set_password_account: "Compte :",
    new_password: "Nouveau mot de passe",
    new_password_repeat: "Répétez le nouveau mot de passe",
    password_rule: "Au moins 12 caractères. Une phrase entière est facile à retenir et difficile à deviner.",
    set_password_submit: "Enregistrer et se connecter",
    link_invalid: "Ce lien a expiré ou a déjà été utilisé. Veuillez demander un nouveau lien à votre courtier.",
    to_login: "Vers la page de connexion",
    nav_label: "Navigation principale",
    nav_overview: "Aperçu",
    nav_documents: "Documents",
    nav_mailbox: "Messages",
    nav_profile: "Profil",
    nav_customers: "Clients",
    nav_catalogue: "Catalogue",
    nav_settings: "Paramètres",
    sign_out: "Se déconnecter",
    overview_greeting: "Bonjour {name}",
    overview_intro: "Tous vos contrats et documents réunis en un seul endroit.",
    contracts_title: "Vos contrats",
    contracts_empty_title: "Pas encore de contrats",
    contracts_empty_text: "Dès que votre courtier aura ajouté vos contrats, vous les verrez ici.",
    access_none: "sans accès",
    access_invited: "invitation envoyée",
    access_active: "accès actif",
    customers_title: "Clients",
    invite_customer: "Inviter un client",
    invite_customer_hint: "Le client reçoit un e-mail avec un lien valable 72 heures et choisit lui-même son mot de passe.",
    first_name: "Prénom",
    last_name: "Nom",
    sending: "Envoi en cours…",
    send_invite: "Envoyer l’invitation",
    search_customers: "Rechercher un nom, une adresse e-mail ou un numéro de police",
    pages: "Pages",
    previous_page: "Précédente",
    next_page: "Suivante",
    page_n: "Page {n}",
    search: "Rechercher",
    customers_empty: "Aucun client trouvé.",
    name: "Nom",
    access: "Accès",
    back_to_customers: "← Tous les clients",
    invite_sent: "L’invitation a été envoyée.",
    access_heading: "Accès",
    contact_heading: "Coordonnées",
    contact_person: "Personne de contact",
    phone: "Téléphone",
    address: "Adresse",
    birth_date: "Date de naissance",
    reset_explainer: "Seul le client connaît son mot de passe. S’il l’a oublié, envoyez-lui un lien (valable 24 heures, utilisable une seule fois) pour en choisir un nouveau.",
    reset_sent: "Le lien a été envoyé.",
    send_reset_link: "Envoyer un lien de réinitialisation",
    audit_heading: "Historique",
    audit_ip_hint: "Adresse IP, supprimée après 7 jours",
    trail_whole: "Journal vérifié le {date} : complet et inchangé ({count} entrées).",
    trail_broken: "Journal vérifié le {date} : il a été modifié ou raccourci à partir de l’entrée {entry}. Prévenez immédiatement l’exploitant de Folio.",
    trail_unchecked: "Le journal n’a pas encore été vérifié.",
    team_heading: "Équipe",
    role_owner: "Titulaire",
    role_employee: "Collaborateur",
    invite_staff: "Inviter un collaborateur",
    role: "Rôle",
    language: "Langue",
    save: "Enregistrer",
    sessions_heading: "Connexion",
    sign_out_everywhere_hint: "« Se déconnecter partout » met fin à votre connexion sur tous vos appareils, par exemple si vous en avez perdu un.",
    sign_out_everywhere: "Se déconnecter partout",
    not_found_title: "Page introuvable",
    not_found_text: "Cette page n’existe pas (ou plus).",
    to_start: "Vers la page d’accueil",
    audit_actions: &[
        ("catalogue.line_saved", "Branche enregistrée"),
        ("catalogue.product_saved", "Produit enregistré"),
        ("catalogue.reordered", "Catalogue réorganisé"),
        ("catalogue.line_deleted", "Branche supprimée"),
        ("catalogue.product_deleted", "Produit supprimé"),
        ("customer.updated", "Client modifié"),
        ("conversation.started", "Message créé"),
        ("conversation.opened", "Message ouvert"),
        ("conversation.assigned", "Message attribué"),
        ("conversation.closed", "Message traité"),
        ("conversation.reopened", "Message rouvert"),
        ("message.sent", "Message envoyé"),
        ("change.requested", "Modification demandée"),
        ("change.applied", "Modification appliquée"),
        ("health_consent.given", "Consentement aux données de santé donné"),
        ("health_consent.withdrawn", "Consentement aux données de santé retiré"),
        ("user.deactivated", "Accès désactivé"),
        ("user.reactivated", "Accès réactivé"),
        ("user.deleted", "Compte supprimé"),
        ("api_key.revoked", "Clé API révoquée"),
        ("grant.created", "Accès accordé"),
        ("grant.updated", "Accès modifié"),
        ("grant.revoked", "Accès terminé"),
        ("grant.end_requested", "Fin d’accès demandée"),
        ("sign_in.link_sent", "Lien de connexion envoyé après des échecs"),
        ("sign_in.deactivated", "Connexion refusée (accès désactivé)"),
        ("document.uploaded", "Document ajouté"),
        ("document.opened", "Document ouvert"),
        ("document.deleted", "Document supprimé"),
        ("contract.created", "Contrat créé"),
        ("contract.updated", "Contrat modifié"),
        ("contract.viewed", "Contrat consulté"),
        ("sign_in", "Connexion"),
        ("sign_in.failed", "Échec de la connexion"),
        ("sign_out", "Déconnexion"),
        ("sign_out.everywhere", "Déconnexion partout"),
        ("customer.created", "Client créé"),
        ("customer.viewed", "Dossier client consulté"),
        ("data.exported", "Copie des données enregistrées établie"),
        ("customer.erased", "Client effacé"),
        ("customer.locked", "Dossier verrouillé (effacement après la durée de conservation)"),
        ("retention.changed", "Durée de conservation modifiée"),
        ("user.invited", "Invitation envoyée"),
        ("demo.refreshed", "Données de démo actualisées"),
        ("brand.updated", "Apparence modifiée"),
        ("logo.updated", "Logo chargé"),
        ("logo.removed", "Logo supprimé"),
        ("domain.added", "Domaine ajouté"),
        ("domain.removed", "Domaine supprimé"),
        ("actor.system", "Système"),
        ("actor.api_key", "Interface (clé API)"),
        ("actor.anonymous", "non connecté"),
        ("actor.staff", "Collaborateur"),
        ("actor.customer", "Client"),
        ("api_key.created", "Clé API créée"),
        ("password.set_from_invite", "Mot de passe choisi"),
        ("password.reset", "Mot de passe réinitialisé"),
        ("password.reset_link_sent", "Lien de réinitialisation envoyé"),
        ("profile.locale_changed", "Langue modifiée"),
    ],
};

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_group_thousands_as_each_language_writes_them() {
        assert_eq!(fmt_count(0, Locale::De), "0");
        assert_eq!(fmt_count(999, Locale::De), "999");
        assert_eq!(fmt_count(25_000, Locale::De), "25.000");
        assert_eq!(fmt_count(1_234_567, Locale::En), "1,234,567");
        assert_eq!(fmt_count(100_000, Locale::Nl), "100.000");
        assert_eq!(fmt_count(20_000, Locale::Fr), "20\u{202f}000");
    }

    #[test]
    fn accept_language_picks_the_best_supported() {
        assert_eq!(Locale::from_accept_language("en-US,en;q=0.9,de;q=0.8"), Some(Locale::En));
        assert_eq!(Locale::from_accept_language("fr-CH, fr;q=0.9, de;q=0.7, en;q=0.5"), Some(Locale::Fr));
        assert_eq!(Locale::from_accept_language("fr"), Some(Locale::Fr));
        assert_eq!(Locale::from_accept_language("it-CH, it;q=0.9"), None);
        assert_eq!(Locale::from_accept_language("en;q=0, de"), Some(Locale::De));
    }

    #[test]
    fn belgian_browsers_get_dutch_or_french() {
        assert_eq!(Locale::from_accept_language("nl-BE,nl;q=0.9,en-US;q=0.8,en;q=0.7"), Some(Locale::Nl));
        assert_eq!(Locale::from_accept_language("fr-BE,fr;q=0.9,nl;q=0.8,en;q=0.7"), Some(Locale::Fr));
        assert_eq!(Locale::from_accept_language("de-BE, fr-BE;q=0.8"), Some(Locale::De));
        assert_eq!(Locale::from_accept_language("it, nl-BE;q=0.5"), Some(Locale::Nl));
        assert_eq!(Locale::parse("nl_BE"), Some(Locale::Nl));
        assert_eq!(Locale::parse("FR-be"), Some(Locale::Fr));
        for locale in Locale::ALL {
            assert_eq!(Locale::parse(locale.code()), Some(locale));
        }
        assert_eq!(Locale::Nl.native_name(), "Nederlands");
        assert_eq!(Locale::Fr.native_name(), "Français");
    }

    #[test]
    fn dates_must_exist_in_the_calendar() {
        assert_eq!(parse_iso_date("2024-02-29"), Some((2024, 2, 29)));
        for bad in ["2025-02-29", "2025-13-01", "2025-00-10", "2025-1-1", "01.02.2025", "", "2025-04-31"] {
            assert_eq!(parse_iso_date(bad), None, "{bad}");
        }
        assert_eq!(fmt_date("2026-03-01", Locale::De), "01.03.2026");
        assert_eq!(fmt_date("2026-03-01", Locale::En), "2026-03-01");
        assert_eq!(fmt_date("2026-03-01", Locale::Nl), "01/03/2026");
        assert_eq!(fmt_date("2026-03-01", Locale::Fr), "01/03/2026");
        assert_eq!(fmt_date("01.03.2026", Locale::Fr), "01.03.2026");
    }

    #[test]
    fn times_are_berlin_times() {
        // 2026-01-15 12:00 UTC is 13:00 in winter.
        assert_eq!(fmt_datetime(1_768_478_400, Locale::De), "15.01.2026, 13:00");
        // 2026-07-01 12:00 UTC is 14:00 in summer.
        assert_eq!(fmt_datetime(1_782_907_200, Locale::De), "01.07.2026, 14:00");
        // Summer time 2026 starts on 29 March at 01:00 UTC.
        assert_eq!(fmt_datetime(1_774_745_999, Locale::En), "2026-03-29 01:59");
        assert_eq!(fmt_datetime(1_774_746_000, Locale::En), "2026-03-29 03:00");
    }

    #[test]
    fn times_in_belgium_read_day_first() {
        // Brussels keeps the same time as Berlin: 2026-03-01 13:05 UTC is 14:05 there.
        assert_eq!(fmt_datetime(1_772_370_300, Locale::Nl), "01/03/2026 14:05");
        assert_eq!(fmt_datetime(1_772_370_300, Locale::Fr), "01/03/2026 14:05");
        // 2026-07-01 12:00 UTC is 14:00 in summer.
        assert_eq!(fmt_datetime(1_782_907_200, Locale::Nl), "01/07/2026 14:00");
        assert_eq!(fmt_datetime(1_782_907_200, Locale::Fr), "01/07/2026 14:00");
    }

    #[test]
    fn every_action_code_has_both_languages() {
        let de: Vec<_> = DE.audit_actions.iter().map(|(c, _)| c).collect();
        let en: Vec<_> = EN.audit_actions.iter().map(|(c, _)| c).collect();
        assert_eq!(de, en);
    }

    #[test]
    fn every_action_code_has_every_language() {
        let de: Vec<_> = DE.audit_actions.iter().map(|(c, _)| c).collect();
        for locale in Locale::ALL {
            let codes: Vec<_> = locale.texts().audit_actions.iter().map(|(c, _)| c).collect();
            assert_eq!(de, codes, "{locale:?}");
        }
        assert_eq!(NL.audit_action("sign_in.failed"), "Aanmelding mislukt");
        assert_eq!(FR.audit_action("sign_in.failed"), "Échec de la connexion");
        assert_eq!(FR.audit_action("no.such_code"), "no.such_code");
    }

    /// The string literals of one `static NAME: … = … {` block of a texts source, in order.
    fn literals_of(source: &str, name: &str) -> Vec<String> {
        let start = source.find(&format!("static {name}: ")).unwrap_or_else(|| panic!("no static {name}"));
        let block = &source[start..];
        let block = &block[..block.find("\n};\n").expect("block end")];
        let mut out = Vec::new();
        let mut chars = block.chars();
        while let Some(c) = chars.next() {
            if c != '"' {
                continue;
            }
            let mut literal = String::new();
            while let Some(c) = chars.next() {
                match c {
                    '\\' => literal.extend(chars.next()),
                    '"' => break,
                    c => literal.push(c),
                }
            }
            out.push(literal);
        }
        out
    }

    fn placeholders(text: &str) -> Vec<&str> {
        let mut out: Vec<&str> = text
            .match_indices('{')
            .filter_map(|(i, _)| text[i..].find('}').map(|j| &text[i..=i + j]))
            .collect();
        out.sort_unstable();
        out
    }

    const SOURCES: [(&str, &str); 10] = [
        ("i18n.rs", include_str!("i18n.rs")),
        ("api_keys/texts.rs", include_str!("api_keys/texts.rs")),
        ("access/texts.rs", include_str!("access/texts.rs")),
        ("brand/texts.rs", include_str!("brand/texts.rs")),
        ("catalogue/texts.rs", include_str!("catalogue/texts.rs")),
        ("contracts/texts.rs", include_str!("contracts/texts.rs")),
        ("documents/texts.rs", include_str!("documents/texts.rs")),
        ("mailbox/texts.rs", include_str!("mailbox/texts.rs")),
        ("second_factor/texts.rs", include_str!("second_factor/texts.rs")),
        ("passkeys/texts.rs", include_str!("passkeys/texts.rs")),
    ];

    #[test]
    fn translations_keep_every_placeholder() {
        for (file, source) in SOURCES {
            let de = literals_of(source, "DE");
            for name in ["EN", "NL", "FR"] {
                let other = literals_of(source, name);
                assert_eq!(de.len(), other.len(), "{file}: {name} has another number of texts");
                for (d, o) in de.iter().zip(&other) {
                    assert_eq!(placeholders(d), placeholders(o), "{file} {name}: {d:?} / {o:?}");
                }
            }
        }
    }

    #[test]
    fn french_punctuation_does_not_break_lines() {
        for (file, source) in SOURCES {
            for text in literals_of(source, "FR") {
                for bad in [" ?", " !", " :", " ;", "« ", " »", " €"] {
                    assert!(!text.contains(bad), "{file}: breaking space in {text:?}");
                }
                assert!(!text.contains('"') && !text.contains('\''), "{file}: straight quote in {text:?}");
            }
        }
    }

    #[test]
    fn dutch_addresses_the_reader_formally() {
        for (file, source) in SOURCES {
            for text in literals_of(source, "NL") {
                let lower = format!(" {} ", text.to_lowercase());
                for informal in [" je ", " jij ", " jou ", " jouw ", " je.", " je,"] {
                    assert!(!lower.contains(informal), "{file}: informal {informal:?} in {text:?}");
                }
            }
        }
    }
}
