//! The catalogue every new broker starts with: the common German lines of insurance, their
//! typical products, and a plain-language text on what each is for. The broker shapes it
//! from there (R2.6).

pub struct DefaultLine {
    pub name: &'static str,
    pub description: &'static str,
    pub products: &'static [(&'static str, &'static str)],
}

pub const LINES: &[DefaultLine] = &[
    DefaultLine {
        name: "Haftpflicht",
        description: "Zahlt, wenn Sie anderen versehentlich einen Schaden zufügen, und wehrt unberechtigte Forderungen ab.",
        products: &[
            ("Privathaftpflicht", "Schützt Sie und Ihre Familie, wenn Sie im Alltag jemandem einen Schaden zufügen – vom umgestoßenen Fahrrad bis zum Wasserschaden beim Nachbarn."),
            ("Tierhalterhaftpflicht", "Für Hundehalter und Pferdehalter: zahlt, wenn Ihr Tier jemanden verletzt oder etwas beschädigt."),
            ("Haus- und Grundbesitzerhaftpflicht", "Für Eigentümer vermieteter oder unbebauter Grundstücke: zum Beispiel, wenn jemand auf Ihrem nicht gestreuten Gehweg stürzt."),
            ("Betriebshaftpflicht", "Schützt Ihr Unternehmen, wenn Sie, Ihre Mitarbeiter oder Ihre Produkte anderen einen Schaden zufügen."),
        ],
    },
    DefaultLine {
        name: "Hausrat",
        description: "Ersetzt Ihre Einrichtung und Ihr Hab und Gut nach Einbruch, Feuer, Leitungswasser, Sturm oder Hagel.",
        products: &[
            ("Hausratversicherung", "Ersetzt Möbel, Kleidung, Elektronik und alles andere in Ihrer Wohnung zum Neuwert, wenn es durch Einbruch, Feuer, Leitungswasser, Sturm oder Hagel beschädigt wird oder verloren geht."),
            ("Fahrradversicherung", "Ersetzt Ihr Fahrrad oder E-Bike, wenn es gestohlen wird – auch unterwegs."),
            ("Glasversicherung", "Bezahlt zerbrochene Fenster, Glastüren, Ceranfelder und Spiegel."),
        ],
    },
    DefaultLine {
        name: "Wohngebäude",
        description: "Schützt Ihr Haus selbst – Mauern, Dach, fest eingebaute Technik – gegen Feuer, Leitungswasser, Sturm und Hagel.",
        products: &[
            ("Wohngebäudeversicherung", "Zahlt die Reparatur oder den Wiederaufbau Ihres Hauses nach Feuer, Leitungswasser, Sturm oder Hagel."),
            ("Elementarschadenversicherung", "Ergänzt die Gebäudeversicherung um Schäden durch Starkregen, Hochwasser, Erdrutsch oder Schneedruck."),
            ("Photovoltaikversicherung", "Schützt Ihre Solaranlage gegen Schäden, Diebstahl und Ertragsausfall."),
        ],
    },
    DefaultLine {
        name: "KFZ",
        description: "Alles rund um Ihr Fahrzeug: vorgeschriebene Haftpflicht, Kasko für das eigene Auto, Schutzbrief für Pannen.",
        products: &[
            ("KFZ-Haftpflicht", "Gesetzlich vorgeschrieben: zahlt Schäden, die Sie mit Ihrem Fahrzeug anderen zufügen."),
            ("Teilkasko", "Zahlt Schäden am eigenen Fahrzeug durch Diebstahl, Glasbruch, Sturm, Hagel, Brand und Wildunfall."),
            ("Vollkasko", "Wie die Teilkasko, zahlt zusätzlich selbst verschuldete Unfälle und Vandalismus am eigenen Fahrzeug."),
            ("Schutzbrief", "Hilft bei Panne oder Unfall unterwegs: Abschleppen, Weiterfahrt, Übernachtung, Rücktransport."),
        ],
    },
    DefaultLine {
        name: "Rechtsschutz",
        description: "Übernimmt Anwalts- und Gerichtskosten, wenn Sie zu Ihrem Recht kommen wollen.",
        products: &[
            ("Privatrechtsschutz", "Für Streit im Alltag, etwa mit einem Händler, einer Versicherung oder nach einem Unfall als Fußgänger."),
            ("Berufsrechtsschutz", "Für Streit mit dem Arbeitgeber, etwa um eine Kündigung oder ein Zeugnis."),
            ("Verkehrsrechtsschutz", "Für Streit rund um Auto und Verkehr: Unfälle, Bußgelder, Reparaturen."),
            ("Mietrechtsschutz", "Für Streit mit Vermieter oder Mieter, etwa um Nebenkosten oder Kaution."),
        ],
    },
    DefaultLine {
        name: "Unfall",
        description: "Zahlt, wenn ein Unfall bleibende gesundheitliche Folgen hat – in der Freizeit ebenso wie bei der Arbeit.",
        products: &[
            ("Private Unfallversicherung", "Zahlt einen Geldbetrag oder eine Rente, wenn Sie nach einem Unfall dauerhaft beeinträchtigt sind, zum Beispiel für den Umbau der Wohnung."),
            ("Kinderunfallversicherung", "Der Unfallschutz für Kinder, rund um die Uhr, auch beim Spielen und im Sport."),
        ],
    },
    DefaultLine {
        name: "Berufsunfähigkeit",
        description: "Sichert Ihr Einkommen, wenn Sie wegen Krankheit oder Unfall Ihren Beruf nicht mehr ausüben können.",
        products: &[
            ("Berufsunfähigkeitsversicherung", "Zahlt eine monatliche Rente, wenn Sie Ihren zuletzt ausgeübten Beruf voraussichtlich dauerhaft nicht mehr zu mindestens 50 % ausüben können."),
            ("Grundfähigkeitsversicherung", "Zahlt eine Rente, wenn Sie wichtige Fähigkeiten wie Gehen, Sehen oder den Gebrauch der Hände verlieren."),
        ],
    },
    DefaultLine {
        name: "Kranken",
        description: "Ihre Gesundheitsversorgung: die private Vollversicherung oder Zusätze zur gesetzlichen Kasse.",
        products: &[
            ("Private Krankenvollversicherung", "Ersetzt die gesetzliche Krankenversicherung und bezahlt Arzt, Krankenhaus, Zahnarzt und Medikamente nach Ihrem Tarif."),
            ("Zahnzusatzversicherung", "Übernimmt einen großen Teil der Kosten für Zahnersatz, Implantate und professionelle Zahnreinigung."),
            ("Krankenhauszusatzversicherung", "Für Chefarztbehandlung und Ein- oder Zweibettzimmer im Krankenhaus."),
            ("Auslandsreisekrankenversicherung", "Bezahlt Behandlungen und einen nötigen Rücktransport, wenn Sie auf Reisen krank werden."),
            ("Pflegezusatzversicherung", "Schließt die Lücke zwischen den Kosten der Pflege und dem, was die gesetzliche Pflegeversicherung zahlt."),
        ],
    },
    DefaultLine {
        name: "Leben & Rente",
        description: "Vorsorge für das Alter und Vermögensaufbau: Renten- und Lebensversicherungen, auch mit staatlicher Förderung.",
        products: &[
            ("Private Rentenversicherung", "Baut Kapital für das Alter auf und zahlt eine lebenslange Rente."),
            ("Riester-Rente", "Staatlich geförderte Altersvorsorge mit Zulagen und Steuervorteil."),
            ("Basisrente (Rürup)", "Steuerlich geförderte Altersvorsorge, besonders für Selbstständige."),
            ("Betriebliche Altersversorgung", "Altersvorsorge über den Arbeitgeber, oft mit dessen Zuschuss."),
            ("Kapitallebensversicherung", "Zahlt zum vereinbarten Termin ein Kapital aus, oder vorher an die Hinterbliebenen."),
        ],
    },
    DefaultLine {
        name: "Hinterbliebenenvorsorge",
        description: "Sichert Ihre Familie finanziell ab, wenn Ihnen etwas zustößt.",
        products: &[
            ("Risikolebensversicherung", "Zahlt Ihren Angehörigen eine vereinbarte Summe, wenn Sie während der Laufzeit sterben – etwa damit der Hauskredit bezahlt werden kann."),
            ("Sterbegeldversicherung", "Deckt die Kosten der Bestattung, damit Ihre Angehörigen sie nicht tragen müssen."),
        ],
    },
];

#[cfg(test)]
mod tests {
    use super::LINES;

    #[test]
    fn every_line_of_the_glossary_ships_with_products_and_texts() {
        assert!(LINES.len() >= 10);
        for line in LINES {
            assert!(!line.description.is_empty(), "{}", line.name);
            assert!(line.products.len() >= 2, "{}", line.name);
            for (name, text) in line.products {
                assert!(!name.is_empty() && text.len() > 20, "{name}");
            }
        }
        let mut names: Vec<_> = LINES.iter().map(|l| l.name).collect();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), LINES.len(), "line names are unique");
    }
}
