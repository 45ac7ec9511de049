//! The demo customer's household: a dozen contracts across the catalogue, two ended ones,
//! and generated documents (a policy PDF per contract, invoices, letters, a photo), so a
//! first look at Folio shows what it is for. Written once; a second `folio demo` keeps it.

use anyhow::Context;
use pdf_writer::{Content, Finish, Name, Pdf, Rect, Ref, Str};
use sqlx::Row;

use app::audit::ssr::Actor;
use app::contracts::ssr::{write, ContractInput};
use app::contracts::{Interval, Status};
use app::documents::ssr::{insert, NewDocument};
use app::documents::store::BlobStore;
use app::documents::Kind;
use app::state::AppState;

struct DemoContract {
    line: &'static str,
    product: &'static str,
    insurer: &'static str,
    policy: &'static str,
    premium_cents: i64,
    interval: Interval,
    start: &'static str,
    end: Option<&'static str>,
    covers: &'static str,
}

#[allow(clippy::too_many_arguments)] // one row of the household table
const fn active(
    line: &'static str,
    product: &'static str,
    insurer: &'static str,
    policy: &'static str,
    premium_cents: i64,
    interval: Interval,
    start: &'static str,
    covers: &'static str,
) -> DemoContract {
    DemoContract { line, product, insurer, policy, premium_cents, interval, start, end: None, covers }
}

const HOUSEHOLD: &[DemoContract] = &[
    active(
        "Haftpflicht",
        "Privathaftpflicht",
        "Hanse Allgemeine Versicherung AG",
        "PHV-4711-2020",
        690,
        Interval::Monthly,
        "2020-01-01",
        "Familie Schneider",
    ),
    active(
        "Haftpflicht",
        "Tierhalterhaftpflicht",
        "Hanse Allgemeine Versicherung AG",
        "THV-2291-2022",
        7_980,
        Interval::Yearly,
        "2022-04-01",
        "Hund „Bruno“, Labrador",
    ),
    active(
        "Hausrat",
        "Hausratversicherung",
        "Hanse Allgemeine Versicherung AG",
        "HR-882310",
        14_820,
        Interval::Yearly,
        "2019-07-01",
        "Wohnung Lindenstraße 12, 80331 München",
    ),
    active(
        "Hausrat",
        "Fahrradversicherung",
        "VeloSchutz Versicherung AG",
        "FV-20931",
        750,
        Interval::Monthly,
        "2023-03-15",
        "E-Bike, Rahmennummer WAC123456",
    ),
    active(
        "KFZ",
        "KFZ-Haftpflicht",
        "Nordstern Versicherung AG",
        "KH-558120",
        3_840,
        Interval::Monthly,
        "2021-10-01",
        "VW Golf, M-AS 2024",
    ),
    active(
        "KFZ",
        "Vollkasko",
        "Nordstern Versicherung AG",
        "VK-558121",
        12_330,
        Interval::Quarterly,
        "2021-10-01",
        "VW Golf, M-AS 2024",
    ),
    active(
        "Rechtsschutz",
        "Privatrechtsschutz",
        "Justitia Rechtsschutz AG",
        "RS-300455",
        2_480,
        Interval::Monthly,
        "2018-01-01",
        "Anna und Markus Schneider",
    ),
    active(
        "Unfall",
        "Private Unfallversicherung",
        "Alpina Versicherung AG",
        "UV-71002",
        8_760,
        Interval::HalfYearly,
        "2017-05-01",
        "Anna Schneider",
    ),
    active(
        "Unfall",
        "Kinderunfallversicherung",
        "Alpina Versicherung AG",
        "UV-71003",
        820,
        Interval::Monthly,
        "2016-09-01",
        "Lena Schneider",
    ),
    active(
        "Berufsunfähigkeit",
        "Berufsunfähigkeitsversicherung",
        "Rheinland Lebensversicherung AG",
        "BU-1200987",
        7_835,
        Interval::Monthly,
        "2015-02-01",
        "Anna Schneider, Rente 1.500 € monatlich",
    ),
    active(
        "Kranken",
        "Zahnzusatzversicherung",
        "Alpina Krankenversicherung AG",
        "ZZ-445566",
        2_190,
        Interval::Monthly,
        "2020-06-01",
        "Anna Schneider",
    ),
    active(
        "Leben & Rente",
        "Private Rentenversicherung",
        "Rheinland Lebensversicherung AG",
        "RV-9981-22",
        15_000,
        Interval::Monthly,
        "2022-01-01",
        "Anna Schneider",
    ),
    active(
        "Hinterbliebenenvorsorge",
        "Risikolebensversicherung",
        "Rheinland Lebensversicherung AG",
        "RL-77120",
        18_900,
        Interval::Yearly,
        "2019-11-01",
        "Anna Schneider; begünstigt: Markus Schneider",
    ),
    DemoContract {
        line: "Kranken",
        product: "Auslandsreisekrankenversicherung",
        insurer: "Alpina Krankenversicherung AG",
        policy: "AR-2019-1",
        premium_cents: 1_200,
        interval: Interval::Yearly,
        start: "2019-01-01",
        end: Some("2024-12-31"),
        covers: "Familie Schneider",
    },
    DemoContract {
        line: "KFZ",
        product: "Teilkasko",
        insurer: "Nordstern Versicherung AG",
        policy: "TK-330012",
        premium_cents: 2_150,
        interval: Interval::Monthly,
        start: "2016-04-01",
        end: Some("2021-09-30"),
        covers: "Opel Corsa, M-AS 1990",
    },
];

/// Contract (none for a letter), title, type, bytes, media type.
type DemoDocument = (Option<i64>, String, Kind, Vec<u8>, &'static str);

/// Fills the demo customer's folder unless it already has contracts.
pub async fn household(state: &AppState, broker_id: i64, customer_id: i64) -> anyhow::Result<()> {
    let db = &state.db;
    let existing: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM contracts WHERE broker_id = $1 AND customer_id = $2")
            .bind(broker_id)
            .bind(customer_id)
            .fetch_one(&db.pool)
            .await?;
    if existing > 0 {
        return Ok(());
    }
    let mut tx = db.begin().await?;
    let mut created = Vec::new();
    for c in HOUSEHOLD {
        let row = sqlx::query(
            "SELECT l.id, p.id FROM lines l LEFT JOIN products p ON p.line_id = l.id AND p.name = $3
             WHERE l.broker_id = $1 AND l.name = $2",
        )
        .bind(broker_id)
        .bind(c.line)
        .bind(c.product)
        .fetch_optional(&mut *tx)
        .await?
        .with_context(|| format!("the catalogue has no line {}", c.line))?;
        let input = ContractInput {
            customer_id,
            line_id: row.try_get(0)?,
            product_id: row.try_get(1)?,
            insurer: c.insurer.into(),
            policy_number: c.policy.into(),
            status: if c.end.is_some() { Status::Ended } else { Status::Active },
            premium_cents: c.premium_cents,
            currency: "EUR".into(),
            interval: c.interval,
            start_date: Some(c.start.into()),
            end_date: c.end.map(Into::into),
            insured: c.covers.into(),
            description: String::new(),
        };
        let external = format!("demo-{}", c.policy);
        let id = write(&mut tx, broker_id, Actor::System, None, None, Some(&external), &input)
            .await
            .map_err(|e| anyhow::anyhow!("cannot create a demo contract: {e}"))?;
        created.push((id, c));
    }
    tx.commit().await?;

    let blobs = BlobStore::new(&state.config.data_dir);
    let mut documents: Vec<DemoDocument> = Vec::new();
    for (id, c) in &created {
        let body = [
            format!("Versicherer: {}", c.insurer),
            format!("Produkt: {}", c.product),
            format!("Versicherungsscheinnummer: {}", c.policy),
            "Versicherungsnehmerin: Anna Schneider, Lindenstraße 12, 80331 München".to_owned(),
            format!("Versichert: {}", c.covers),
            format!("Beginn: {}", c.start),
            format!(
                "Beitrag: {},{:02} EUR ({})",
                c.premium_cents / 100,
                c.premium_cents % 100,
                c.interval.as_str()
            ),
        ];
        documents.push((
            Some(*id),
            format!("Versicherungsschein {}", c.product),
            Kind::Policy,
            pdf("Versicherungsschein", &body),
            "application/pdf",
        ));
    }
    for (id, c) in created.iter().take(4) {
        let body = [
            format!("Beitragsrechnung 2026 zu {} {}", c.product, c.policy),
            "Der Beitrag wird wie vereinbart abgebucht.".to_owned(),
        ];
        documents.push((
            Some(*id),
            format!("Beitragsrechnung 2026 {}", c.product),
            Kind::Invoice,
            pdf("Beitragsrechnung", &body),
            "application/pdf",
        ));
    }
    if let Some((id, _)) = created.iter().find(|(_, c)| c.product == "Hausratversicherung") {
        let body = ["Die Versicherungssumme wird ab 01.01.2026 auf 85.000 EUR angehoben.".to_owned()];
        documents.push((
            Some(*id),
            "Nachtrag Versicherungssumme".into(),
            Kind::Amendment,
            pdf("Nachtrag", &body),
            "application/pdf",
        ));
    }
    documents.push((
        None,
        "Erstinformation nach § 15 VersVermV".into(),
        Kind::Letter,
        pdf(
            "Erstinformation",
            &[
                "Sommer & Partner Versicherungsmakler, Musterstraße 1, 80331 München".to_owned(),
                "Registrierung als Versicherungsmakler nach § 34d Abs. 1 GewO.".to_owned(),
            ],
        ),
        "application/pdf",
    ));
    documents.push((
        None,
        "Willkommen in Ihrem digitalen Kundenordner".into(),
        Kind::Letter,
        pdf(
            "Willkommen",
            &[
                "Liebe Frau Schneider,".to_owned(),
                "ab heute finden Sie alle Verträge und Dokumente in Ihrem digitalen Ordner.".to_owned(),
            ],
        ),
        "application/pdf",
    ));
    let photo = sanitizer::sanitize(&photo()?, &sanitizer::Limits::default())
        .map_err(|e| anyhow::anyhow!("demo photo: {e}"))?;
    if let Some((id, _)) = created.iter().find(|(_, c)| c.product == "Fahrradversicherung") {
        documents.push((
            Some(*id),
            "Foto E-Bike mit Rahmennummer".into(),
            Kind::Other,
            photo.bytes,
            "image/jpeg",
        ));
    }
    for (contract_id, title, kind, bytes, media_type) in documents {
        let blob = blobs.temp_from_bytes(&bytes).await?;
        let doc = NewDocument::filed(customer_id, contract_id, &title, kind, media_type);
        insert(state, broker_id, Actor::System, None, doc, blob)
            .await
            .map_err(|e| anyhow::anyhow!("cannot store a demo document: {e}"))?;
    }
    Ok(())
}

/// A one-page A4 letter in Helvetica.
fn pdf(heading: &str, lines: &[String]) -> Vec<u8> {
    let mut pdf = Pdf::new();
    let (catalog, tree, page_id, font, content_id) =
        (Ref::new(1), Ref::new(2), Ref::new(3), Ref::new(4), Ref::new(5));
    let font_name = Name(b"F1");
    pdf.catalog(catalog).pages(tree);
    pdf.pages(tree).kids([page_id]).count(1);
    let mut page = pdf.page(page_id);
    page.media_box(Rect::new(0.0, 0.0, 595.0, 842.0));
    page.parent(tree);
    page.contents(content_id);
    page.resources().fonts().pair(font_name, font);
    page.finish();
    pdf.type1_font(font).base_font(Name(b"Helvetica")).encoding_predefined(Name(b"WinAnsiEncoding"));
    let mut content = Content::new();
    content.begin_text();
    content.set_font(font_name, 10.0);
    content.next_line(72.0, 790.0);
    content.show(Str(&win_ansi("Sommer & Partner Versicherungsmakler · Demo")));
    content.set_font(font_name, 20.0);
    content.next_line(0.0, -48.0);
    content.show(Str(&win_ansi(heading)));
    content.set_font(font_name, 11.0);
    for line in lines {
        content.next_line(0.0, -22.0);
        content.show(Str(&win_ansi(line)));
    }
    content.end_text();
    pdf.stream(content_id, &content.finish());
    pdf.finish()
}

/// Latin-1 covers the German letters; the few others become '?'.
fn win_ansi(text: &str) -> Vec<u8> {
    text.chars()
        .map(|c| match c {
            '€' => 0x80,
            '·' => 0xB7,
            '„' => 0x84,
            '“' => 0x93,
            c => u8::try_from(u32::from(c)).unwrap_or(b'?'),
        })
        .collect()
}

/// A picture for the demo: a gradient, as a JPEG.
fn photo() -> anyhow::Result<Vec<u8>> {
    let img = image::RgbImage::from_fn(480, 320, |x, y| {
        let r = u8::try_from(60 + x * 120 / 480).unwrap_or(255);
        let g = u8::try_from(110 + y * 80 / 320).unwrap_or(255);
        image::Rgb([r, g, 170])
    });
    let mut out = std::io::Cursor::new(Vec::new());
    img.write_to(&mut out, image::ImageFormat::Jpeg).context("cannot encode the demo photo")?;
    Ok(out.into_inner())
}
