//! The mandate form (R3.1, R3.3) as a PDF, filled with what the office entered, in the
//! customer's language, ready to print and sign: the office needs no template of its own.
//! Written with `pdf-writer` in Helvetica (one of the fonts every PDF reader has), so the file
//! stays a few kilobytes; what Helvetica cannot show (outside Windows-1252) becomes "?".

use pdf_writer::{Content, Finish, Name, Pdf, Rect, Ref, Str};

use super::{GrantRole, PersonFields};
use crate::customers::input::country_name;
use crate::i18n::{fmt_date, Locale};

/// What the form says.
pub struct MandateDoc<'a> {
    pub broker: &'a str,
    /// The folder's company, when the requester signs for one.
    pub company: Option<&'a str>,
    pub role: Option<GrantRole>,
    /// The contracts by what people call them; `None` for all (also future ones).
    pub contracts: Option<Vec<String>>,
    /// ISO date of the request, or empty to fill in by hand.
    pub requested_on: &'a str,
    pub requester: &'a PersonFields,
    pub person: &'a PersonFields,
    pub locale: Locale,
    /// ISO date the form is made on.
    pub today: &'a str,
}

const PAGE_WIDTH: f32 = 595.0;
const PAGE_HEIGHT: f32 = 842.0;
const MARGIN: f32 = 56.0;
const BOTTOM: f32 = 72.0;
const REGULAR: Name<'static> = Name(b"F1");
const BOLD: Name<'static> = Name(b"F2");

/// The form as PDF bytes.
pub fn mandate_pdf(doc: &MandateDoc<'_>) -> Vec<u8> {
    let t = super::texts::texts(doc.locale);
    let mut w = Writer::new();
    w.text(BOLD, 15.0, t.pdf_title);
    w.gap(4.0);
    w.text(REGULAR, 10.0, doc.broker);
    w.gap(12.0);
    let intro = match doc.company {
        Some(company) => t.pdf_company_intro.replace("{company}", company),
        None => t.pdf_intro.to_owned(),
    };
    w.paragraph(REGULAR, 10.0, &intro.replace("{broker}", doc.broker));
    w.gap(14.0);

    w.text(BOLD, 11.0, t.pdf_requester);
    w.gap(2.0);
    if let Some(company) = doc.company {
        w.field(t.pdf_company, company);
        w.text(REGULAR, 9.0, t.pdf_represented_by);
    }
    person_fields(&mut w, doc, doc.requester, false);
    w.gap(12.0);

    w.text(BOLD, 11.0, t.pdf_person);
    w.gap(2.0);
    person_fields(&mut w, doc, doc.person, true);
    w.gap(12.0);

    w.text(BOLD, 11.0, t.pdf_scope);
    w.gap(2.0);
    match doc.role {
        Some(role) => w.field(t.kind, &format!("{} – {}", t.role(role), t.role_hint(role))),
        None => w.field(t.kind, ""),
    }
    match &doc.contracts {
        None => w.field(t.contracts, t.all_contracts),
        Some(list) if list.is_empty() => w.field(t.contracts, ""),
        Some(list) => {
            w.field(t.contracts, &list[0]);
            for contract in &list[1..] {
                w.field("", contract);
            }
        }
    }
    w.field(t.requested_on, &date_or_blank(doc.requested_on, doc.locale));
    w.gap(12.0);
    w.paragraph(REGULAR, 9.5, t.pdf_terms);
    w.gap(44.0);
    w.signature_lines(t.pdf_place_date, if doc.company.is_some() { t.pdf_sign_company } else { t.pdf_sign });
    let footer =
        t.pdf_footer.replace("{broker}", doc.broker).replace("{date}", &fmt_date(doc.today, doc.locale));
    w.finish(&footer)
}

fn date_or_blank(iso: &str, locale: Locale) -> String {
    if iso.trim().is_empty() {
        String::new()
    } else {
        fmt_date(iso.trim(), locale)
    }
}

fn person_fields(w: &mut Writer, doc: &MandateDoc<'_>, p: &PersonFields, with_email: bool) {
    let t = super::texts::texts(doc.locale);
    w.field(t.pdf_name, format!("{} {}", p.first_name.trim(), p.last_name.trim()).trim());
    w.field(t.birth_date, &date_or_blank(&p.birth_date, doc.locale));
    let country = match p.country.trim() {
        "" => String::new(),
        c => crate::customers::input::country_code(c)
            .map_or_else(|| c.to_owned(), |code| country_name(&code, doc.locale)),
    };
    let town = format!("{} {}", p.postal_code.trim(), p.city.trim());
    let address: Vec<&str> =
        [p.street.trim(), town.trim(), country.as_str()].into_iter().filter(|s| !s.is_empty()).collect();
    w.field(t.pdf_address, &address.join(", "));
    if with_email {
        w.field(t.email, p.email.trim());
    }
}

/// Lays text out top to bottom, page after page.
struct Writer {
    pages: Vec<Content>,
    y: f32,
}

impl Writer {
    fn new() -> Self {
        Writer { pages: vec![Content::new()], y: PAGE_HEIGHT - MARGIN }
    }

    fn page(&mut self) -> &mut Content {
        self.pages.last_mut().expect("a page")
    }

    /// Room for `height` more points, else a new page.
    fn room(&mut self, height: f32) {
        if self.y - height < BOTTOM {
            self.pages.push(Content::new());
            self.y = PAGE_HEIGHT - MARGIN;
        }
    }

    fn gap(&mut self, points: f32) {
        self.y -= points;
    }

    fn line_at(&mut self, font: Name<'static>, size: f32, x: f32, text: &str) {
        let y = self.y;
        let bytes = win_ansi(text);
        let page = self.page();
        page.begin_text();
        page.set_font(font, size);
        page.next_line(x, y);
        page.show(Str(&bytes));
        page.end_text();
    }

    /// One line (longer text is wrapped).
    fn text(&mut self, font: Name<'static>, size: f32, text: &str) {
        self.paragraph(font, size, text);
    }

    fn paragraph(&mut self, font: Name<'static>, size: f32, text: &str) {
        let width = PAGE_WIDTH - 2.0 * MARGIN;
        for line in wrap(text, size, width, font == BOLD) {
            self.room(size * 1.4);
            self.y -= size * 1.4;
            self.line_at(font, size, MARGIN, &line);
        }
    }

    /// "Label: value", the value wrapped beside the label; an empty value leaves a line to
    /// write on.
    fn field(&mut self, label: &str, value: &str) {
        let size = 10.0;
        let indent = MARGIN + 120.0;
        let width = PAGE_WIDTH - MARGIN - indent;
        let lines = if value.is_empty() { vec![String::new()] } else { wrap(value, size, width, false) };
        for (i, line) in lines.iter().enumerate() {
            self.room(size * 1.6);
            self.y -= size * 1.6;
            if i == 0 && !label.is_empty() {
                self.line_at(REGULAR, 9.0, MARGIN, label);
            }
            if line.is_empty() {
                let y = self.y - 2.0;
                let page = self.page();
                page.set_line_width(0.5);
                page.move_to(indent, y);
                page.line_to(PAGE_WIDTH - MARGIN, y);
                page.stroke();
            } else {
                self.line_at(REGULAR, size, indent, line);
            }
        }
    }

    fn signature_lines(&mut self, left: &str, right: &str) {
        self.room(40.0);
        let y = self.y;
        let middle = PAGE_WIDTH / 2.0;
        let page = self.page();
        page.set_line_width(0.7);
        page.move_to(MARGIN, y);
        page.line_to(middle - 20.0, y);
        page.move_to(middle + 10.0, y);
        page.line_to(PAGE_WIDTH - MARGIN, y);
        page.stroke();
        self.y -= 12.0;
        self.line_at(REGULAR, 8.5, MARGIN, left);
        self.line_at(REGULAR, 8.5, middle + 10.0, right);
    }

    fn finish(mut self, footer: &str) -> Vec<u8> {
        let count = self.pages.len();
        let footer_bytes = win_ansi(footer);
        for (i, page) in self.pages.iter_mut().enumerate() {
            page.begin_text();
            page.set_font(REGULAR, 7.5);
            page.next_line(MARGIN, 36.0);
            page.show(Str(&footer_bytes));
            if count > 1 {
                page.next_line(PAGE_WIDTH - 2.0 * MARGIN - 20.0, 0.0);
                page.show(Str(format!("{}/{count}", i + 1).as_bytes()));
            }
            page.end_text();
        }
        let mut pdf = Pdf::new();
        let catalog = Ref::new(1);
        let tree = Ref::new(2);
        let regular = Ref::new(3);
        let bold = Ref::new(4);
        let first_page = 5;
        let page_ids: Vec<Ref> =
            (0..count).map(|i| Ref::new(first_page + 2 * i32::try_from(i).unwrap_or(0))).collect();
        pdf.catalog(catalog).pages(tree);
        pdf.pages(tree).kids(page_ids.iter().copied()).count(i32::try_from(count).unwrap_or(1));
        for (font, base) in [(regular, Name(b"Helvetica")), (bold, Name(b"Helvetica-Bold"))] {
            pdf.type1_font(font).base_font(base).encoding_predefined(Name(b"WinAnsiEncoding"));
        }
        for (page_id, content) in page_ids.iter().zip(self.pages) {
            let content_id = Ref::new(page_id.get() + 1);
            let mut page = pdf.page(*page_id);
            page.media_box(Rect::new(0.0, 0.0, PAGE_WIDTH, PAGE_HEIGHT));
            page.parent(tree);
            page.contents(content_id);
            let mut resources = page.resources();
            resources.fonts().pair(REGULAR, regular).pair(BOLD, bold);
            resources.finish();
            page.finish();
            pdf.stream(content_id, &content.finish());
        }
        pdf.finish()
    }
}

/// Text in Windows-1252, the encoding Helvetica's WinAnsiEncoding reads.
fn win_ansi(text: &str) -> Vec<u8> {
    text.chars()
        .map(|c| match c {
            ' '..='~' => c as u8,
            '\u{a0}'..='\u{ff}' => u8::try_from(u32::from(c)).unwrap_or(b'?'),
            '€' => 0x80,
            '‚' => 0x82,
            '„' => 0x84,
            '…' => 0x85,
            '‘' => 0x91,
            '’' => 0x92,
            '“' => 0x93,
            '”' => 0x94,
            '•' => 0x95,
            '–' => 0x96,
            '—' => 0x97,
            'œ' => 0x9c,
            'Œ' => 0x8c,
            '\u{202f}' => 0xa0,
            _ => b'?',
        })
        .collect()
}

/// Helvetica's advance widths (per 1000 units of the font size) for Windows-1252, grouped as
/// the font's metrics list them.
#[allow(clippy::match_same_arms)]
fn width(c: char) -> u16 {
    match c {
        ' ' | '!' | ',' | '.' | '/' | ':' | ';' | '[' | '\\' | ']' | 'f' | 't' | 'I' => 278,
        '"' => 355,
        '\'' => 191,
        '(' | ')' | '-' | '`' | 'r' | '\u{ad}' => 333,
        '*' => 389,
        '+' | '<' | '=' | '>' | '~' => 584,
        '%' => 889,
        '&' | 'A'..='B' | 'E' | 'K' | 'P' | 'S' | 'V' | 'X' | 'Y' => 667,
        '@' => 1015,
        'C' | 'D' | 'H' | 'N' | 'R' | 'U' => 722,
        'F' | 'T' | 'Z' => 611,
        'G' | 'O' | 'Q' => 778,
        'J' | 'c' | 'k' | 's' | 'v' | 'x' | 'y' | 'z' => 500,
        'L' => 556,
        'M' | 'm' => 833,
        'W' => 944,
        '^' => 469,
        'i' | 'j' | 'l' => 222,
        'w' => 722,
        '{' | '}' => 334,
        '|' => 260,
        'ß' => 611,
        'œ' | 'Œ' => 944,
        '—' | '…' => 1000,
        '•' => 350,
        'à'..='å' | 'è'..='ë' | 'ð'..='ö' | 'ù'..='ü' => 556,
        'ì'..='ï' => 278,
        'ç' | 'ý' | 'ÿ' => 500,
        'À'..='Å' | 'È'..='Ë' | 'Ý' => 667,
        'Ì'..='Ï' => 278,
        'Ç' | 'Ð' | 'Ñ' | 'Ù'..='Ü' => 722,
        'Ò'..='Ö' | 'Ø' => 778,
        _ => 556,
    }
}

/// Splits text into lines of at most `max` points at this size, at spaces.
fn wrap(text: &str, size: f32, max: f32, bold: bool) -> Vec<String> {
    // Helvetica-Bold is a little wider than Helvetica.
    let factor = if bold { 1.08 } else { 1.0 };
    let measure = |s: &str| s.chars().map(|c| f32::from(width(c))).sum::<f32>() * size / 1000.0 * factor;
    let mut lines = Vec::new();
    let mut line = String::new();
    for word in text.split_whitespace() {
        let candidate = if line.is_empty() { word.to_owned() } else { format!("{line} {word}") };
        if measure(&candidate) <= max || line.is_empty() {
            line = candidate;
        } else {
            lines.push(std::mem::take(&mut line));
            word.clone_into(&mut line);
        }
    }
    if !line.is_empty() || lines.is_empty() {
        lines.push(line);
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    fn person(first: &str, email: &str) -> PersonFields {
        PersonFields {
            first_name: first.into(),
            last_name: "Schneider".into(),
            birth_date: "1984-07-01".into(),
            street: "Lindenstraße 12".into(),
            postal_code: "80331".into(),
            city: "München".into(),
            country: "DE".into(),
            email: email.into(),
        }
    }

    #[test]
    fn the_form_is_a_pdf_with_what_the_office_entered() {
        let requester = person("Anna", "");
        let grantee = person("Max", "max@example.com");
        let doc = MandateDoc {
            broker: "Sommer & Partner",
            company: None,
            role: Some(GrantRole::Other),
            contracts: Some(vec!["Hausratversicherung · HR-1".into(), "Privathaftpflicht · PH-2".into()]),
            requested_on: "2026-03-01",
            requester: &requester,
            person: &grantee,
            locale: Locale::De,
            today: "2026-11-30",
        };
        let pdf = mandate_pdf(&doc);
        assert!(pdf.starts_with(b"%PDF-"));
        let text = String::from_utf8_lossy(&pdf);
        for expected in
            ["(Max Schneider)", "(max@example.com)", "(01.03.2026)", "Helvetica", "WinAnsiEncoding"]
        {
            assert!(text.contains(expected), "{expected} missing");
        }
        // Umlauts as Windows-1252 bytes (a hex string), not as UTF-8.
        let hex = hex::encode_upper(win_ansi("München"));
        assert!(String::from_utf8_lossy(&pdf).contains(&hex), "{hex} missing");
        assert!(pdf.len() < 20_000, "{} bytes", pdf.len());
    }

    #[test]
    fn a_long_list_of_contracts_goes_on_to_a_second_page() {
        let p = person("Max", "");
        let doc = MandateDoc {
            broker: "B",
            company: Some("Berger Haustechnik GmbH"),
            role: Some(GrantRole::OtherForEntity),
            contracts: Some((1..=60).map(|i| format!("Vertrag {i}")).collect()),
            requested_on: "",
            requester: &p,
            person: &p,
            locale: Locale::En,
            today: "2026-11-30",
        };
        let text = String::from_utf8_lossy(&mandate_pdf(&doc)).into_owned();
        assert!(!text.contains("/Count 1\n"), "more than one page expected");
        assert!(text.contains("(Vertrag 60)"));
    }

    #[test]
    fn lines_wrap_within_the_width() {
        let lines = wrap(
            "Der Zugang erlaubt, die genannten Verträge und ihre Dokumente zu lesen",
            10.0,
            150.0,
            false,
        );
        assert!(lines.len() > 1);
        for line in &lines {
            let points: f32 = line.chars().map(|c| f32::from(width(c))).sum::<f32>() / 100.0;
            assert!(points <= 150.0, "{line}");
        }
        assert_eq!(win_ansi("Grüße €"), b"Gr\xfc\xdfe \x80");
    }
}
