//! The words of erasing a customer and of the retention setting.

use crate::i18n::Locale;

pub struct ErasureTexts {
    pub heading: &'static str,
    pub erase_now: &'static str,
    /// `{date}`: when the period ends; `{years}`: the setting.
    pub keep_until: &'static str,
    /// `{years}`: the setting.
    pub keep_while_running: &'static str,
    pub erase: &'static str,
    pub lock: &'static str,
    pub confirm_erase: &'static str,
    pub confirm_lock: &'static str,
    pub question_erase: &'static str,
    pub question_lock: &'static str,
    /// `{since}`, `{date}`.
    pub locked_until: &'static str,
    /// `{since}`.
    pub locked_while_running: &'static str,
    pub locked_now: &'static str,
    pub retention_heading: &'static str,
    pub retention_intro: &'static str,
    pub retention_label: &'static str,
    pub retention_none: &'static str,
    /// `{years}`.
    pub retention_years: &'static str,
    pub saved: &'static str,
}

impl ErasureTexts {
    pub fn years(&self, years: i64) -> String {
        if years == 0 {
            self.retention_none.to_owned()
        } else {
            self.retention_years.replace("{years}", &years.to_string())
        }
    }
}

pub fn texts(locale: Locale) -> &'static ErasureTexts {
    match locale {
        Locale::De => &DE,
        Locale::En => &EN,
        Locale::Nl => &NL,
        Locale::Fr => &FR,
    }
}

static DE: ErasureTexts = ErasureTexts {
    heading: "Kunde löschen",
    erase_now: "Es läuft keine Aufbewahrungsfrist. Die Akte wird vollständig gelöscht: Kontaktdaten, Verträge, Dokumente, Nachrichten, Vollmachten und der Zugang. Im Protokoll bleibt nur ein Eintrag ohne personenbezogene Daten.",
    keep_until: "Unterlagen müssen bis {date} aufbewahrt werden ({years} nach dem Ende des letzten Vertrags). Die Akte wird bis dahin gesperrt: Der Zugang des Kunden und alle Vollmachten enden sofort, nur Inhaber können die Akte noch öffnen. Danach wird sie automatisch vollständig gelöscht.",
    keep_while_running: "Es laufen noch Verträge. Die Akte wird gesperrt: Der Zugang des Kunden und alle Vollmachten enden sofort, nur Inhaber können die Akte noch öffnen. Sie wird {years} nach dem Ende des letzten Vertrags automatisch vollständig gelöscht.",
    erase: "Kunde löschen …",
    lock: "Akte sperren …",
    confirm_erase: "Ja, endgültig löschen",
    confirm_lock: "Ja, sperren und später löschen",
    question_erase: "Das kann nicht rückgängig gemacht werden.",
    question_lock: "Der Kunde kann sich danach nicht mehr anmelden.",
    locked_until: "Gesperrt seit {since}: Die Unterlagen werden bis {date} aufbewahrt, danach wird die Akte automatisch gelöscht. Nur Inhaber können sie öffnen.",
    locked_while_running: "Gesperrt seit {since}: Die Akte wird nach dem Ende der laufenden Verträge und der Aufbewahrungsfrist automatisch gelöscht. Nur Inhaber können sie öffnen.",
    locked_now: "Die Akte ist jetzt gesperrt: Der Zugang des Kunden und alle Vollmachten sind beendet, nur Inhaber können sie öffnen.",
    retention_heading: "Aufbewahrung",
    retention_intro: "Wie lange Unterlagen nach dem Ende des letzten Vertrags aufbewahrt werden müssen, wenn ein Kunde die Löschung verlangt. Bis dahin wird die Akte gesperrt statt gelöscht.",
    retention_label: "Aufbewahrungsfrist",
    retention_none: "keine",
    retention_years: "{years} Jahre",
    saved: "Gespeichert.",
};

static EN: ErasureTexts = ErasureTexts {
    heading: "Erase customer",
    erase_now: "No retention period runs. The folder is erased completely: contact details, contracts, documents, messages, grants and the login. The audit trail keeps only an entry without personal data.",
    keep_until: "Documents must be kept until {date} ({years} after the last contract ended). Until then the folder is locked: the customer's login and all grants end at once, and only owners can still open it. Afterwards it is erased completely by itself.",
    keep_while_running: "Contracts are still running. The folder is locked: the customer's login and all grants end at once, and only owners can still open it. It is erased completely by itself {years} after the last contract has ended.",
    erase: "Erase customer …",
    lock: "Lock folder …",
    confirm_erase: "Yes, erase for good",
    confirm_lock: "Yes, lock and erase later",
    question_erase: "This cannot be undone.",
    question_lock: "The customer can no longer sign in.",
    locked_until: "Locked since {since}: the documents are kept until {date}, then the folder is erased by itself. Only owners can open it.",
    locked_while_running: "Locked since {since}: the folder is erased by itself once the running contracts and the retention period have ended. Only owners can open it.",
    locked_now: "The folder is locked now: the customer's login and all grants have ended, and only owners can open it.",
    retention_heading: "Retention",
    retention_intro: "How long documents must be kept after the last contract ended when a customer asks to be erased. Until then the folder is locked instead of erased.",
    retention_label: "Retention period",
    retention_none: "none",
    retention_years: "{years} years",
    saved: "Saved.",
};

static NL: ErasureTexts = ErasureTexts {
    heading: "Klant verwijderen",
    erase_now: "Er loopt geen bewaartermijn. Het dossier wordt volledig verwijderd: contactgegevens, contracten, documenten, berichten, machtigingen en de toegang. In het logboek blijft alleen een regel zonder persoonsgegevens.",
    keep_until: "Documenten moeten tot {date} bewaard worden ({years} na het einde van het laatste contract). Tot dan wordt het dossier geblokkeerd: de toegang van de klant en alle machtigingen eindigen direct, alleen eigenaren kunnen het nog openen. Daarna wordt het vanzelf volledig verwijderd.",
    keep_while_running: "Er lopen nog contracten. Het dossier wordt geblokkeerd: de toegang van de klant en alle machtigingen eindigen direct, alleen eigenaren kunnen het nog openen. Het wordt {years} na het einde van het laatste contract vanzelf volledig verwijderd.",
    erase: "Klant verwijderen …",
    lock: "Dossier blokkeren …",
    confirm_erase: "Ja, definitief verwijderen",
    confirm_lock: "Ja, blokkeren en later verwijderen",
    question_erase: "Dit kan niet ongedaan worden gemaakt.",
    question_lock: "De klant kan daarna niet meer inloggen.",
    locked_until: "Geblokkeerd sinds {since}: de documenten worden tot {date} bewaard, daarna wordt het dossier vanzelf verwijderd. Alleen eigenaren kunnen het openen.",
    locked_while_running: "Geblokkeerd sinds {since}: het dossier wordt vanzelf verwijderd zodra de lopende contracten en de bewaartermijn voorbij zijn. Alleen eigenaren kunnen het openen.",
    locked_now: "Het dossier is nu geblokkeerd: de toegang van de klant en alle machtigingen zijn beëindigd, alleen eigenaren kunnen het openen.",
    retention_heading: "Bewaartermijn",
    retention_intro: "Hoe lang documenten na het einde van het laatste contract bewaard moeten worden als een klant om verwijdering vraagt. Tot dan wordt het dossier geblokkeerd in plaats van verwijderd.",
    retention_label: "Bewaartermijn",
    retention_none: "geen",
    retention_years: "{years} jaar",
    saved: "Opgeslagen.",
};

static FR: ErasureTexts = ErasureTexts {
    heading: "Effacer le client",
    erase_now: "Aucune durée de conservation ne court. Le dossier est entièrement effacé : coordonnées, contrats, documents, messages, mandats et accès. Le journal ne garde qu'une entrée sans données personnelles.",
    keep_until: "Les documents doivent être conservés jusqu'au {date} ({years} après la fin du dernier contrat). D'ici là, le dossier est verrouillé : l'accès du client et tous les mandats prennent fin immédiatement, seuls les titulaires peuvent encore l'ouvrir. Ensuite, il est entièrement effacé automatiquement.",
    keep_while_running: "Des contrats sont encore en cours. Le dossier est verrouillé : l'accès du client et tous les mandats prennent fin immédiatement, seuls les titulaires peuvent encore l'ouvrir. Il est entièrement effacé automatiquement {years} après la fin du dernier contrat.",
    erase: "Effacer le client …",
    lock: "Verrouiller le dossier …",
    confirm_erase: "Oui, effacer définitivement",
    confirm_lock: "Oui, verrouiller et effacer plus tard",
    question_erase: "Cette action est irréversible.",
    question_lock: "Le client ne pourra plus se connecter.",
    locked_until: "Verrouillé depuis le {since} : les documents sont conservés jusqu'au {date}, puis le dossier est effacé automatiquement. Seuls les titulaires peuvent l'ouvrir.",
    locked_while_running: "Verrouillé depuis le {since} : le dossier sera effacé automatiquement après la fin des contrats en cours et de la durée de conservation. Seuls les titulaires peuvent l'ouvrir.",
    locked_now: "Le dossier est désormais verrouillé : l'accès du client et tous les mandats ont pris fin, seuls les titulaires peuvent l'ouvrir.",
    retention_heading: "Conservation",
    retention_intro: "Durée pendant laquelle les documents doivent être conservés après la fin du dernier contrat lorsqu'un client demande l'effacement. D'ici là, le dossier est verrouillé au lieu d'être effacé.",
    retention_label: "Durée de conservation",
    retention_none: "aucune",
    retention_years: "{years} ans",
    saved: "Enregistré.",
};
