//! The words of passkeys.

use crate::i18n::Locale;

pub struct PasskeyTexts {
    pub heading: &'static str,
    pub intro: &'static str,
    pub none: &'static str,
    pub name_label: &'static str,
    pub name_default: &'static str,
    pub add: &'static str,
    pub added: &'static str,
    /// `{date}`.
    pub created: &'static str,
    /// `{date}`.
    pub last_used: &'static str,
    pub remove: &'static str,
    pub remove_question: &'static str,
    pub confirm_remove: &'static str,
    pub sign_in: &'static str,
    pub or: &'static str,
    pub failed: &'static str,
    pub unsupported: &'static str,
}

pub fn texts(locale: Locale) -> &'static PasskeyTexts {
    match locale {
        Locale::De => &DE,
        Locale::En => &EN,
        Locale::Nl => &NL,
        Locale::Fr => &FR,
    }
}

static DE: PasskeyTexts = PasskeyTexts {
    heading: "Passkeys",
    intro: "Mit einem Passkey melden Sie sich ohne Passwort an: Ihr Telefon oder Computer bestätigt Sie per Fingerabdruck, Gesicht oder PIN.",
    none: "Noch kein Passkey.",
    name_label: "Name des Passkeys",
    name_default: "Mein Gerät",
    add: "Passkey hinzufügen",
    added: "Der Passkey ist hinzugefügt.",
    created: "hinzugefügt am {date}",
    last_used: "zuletzt benutzt am {date}",
    remove: "Entfernen …",
    remove_question: "Mit diesem Passkey kann man sich danach nicht mehr anmelden.",
    confirm_remove: "Ja, entfernen",
    sign_in: "Mit Passkey anmelden",
    or: "oder",
    failed: "Das hat nicht geklappt. Bitte versuchen Sie es noch einmal oder melden Sie sich mit Ihrem Passwort an.",
    unsupported: "Dieser Browser unterstützt keine Passkeys.",
};

static EN: PasskeyTexts = PasskeyTexts {
    heading: "Passkeys",
    intro: "With a passkey you sign in without a password: your phone or computer confirms it is you by fingerprint, face or PIN.",
    none: "No passkey yet.",
    name_label: "Name of the passkey",
    name_default: "My device",
    add: "Add a passkey",
    added: "The passkey was added.",
    created: "added on {date}",
    last_used: "last used on {date}",
    remove: "Remove …",
    remove_question: "Nobody can sign in with this passkey afterwards.",
    confirm_remove: "Yes, remove",
    sign_in: "Sign in with a passkey",
    or: "or",
    failed: "That did not work. Please try again or sign in with your password.",
    unsupported: "This browser does not support passkeys.",
};

static NL: PasskeyTexts = PasskeyTexts {
    heading: "Passkeys",
    intro: "Met een passkey logt u in zonder wachtwoord: uw telefoon of computer bevestigt dat u het bent met vingerafdruk, gezicht of pincode.",
    none: "Nog geen passkey.",
    name_label: "Naam van de passkey",
    name_default: "Mijn apparaat",
    add: "Passkey toevoegen",
    added: "De passkey is toegevoegd.",
    created: "toegevoegd op {date}",
    last_used: "laatst gebruikt op {date}",
    remove: "Verwijderen …",
    remove_question: "Met deze passkey kan daarna niemand meer inloggen.",
    confirm_remove: "Ja, verwijderen",
    sign_in: "Inloggen met passkey",
    or: "of",
    failed: "Dat is niet gelukt. Probeer het opnieuw of log in met uw wachtwoord.",
    unsupported: "Deze browser ondersteunt geen passkeys.",
};

static FR: PasskeyTexts = PasskeyTexts {
    heading: "Clés d’accès",
    intro: "Avec une clé d’accès, vous vous connectez sans mot de passe : votre téléphone ou ordinateur confirme que c’est vous par empreinte, visage ou code PIN.",
    none: "Aucune clé d’accès pour l’instant.",
    name_label: "Nom de la clé d’accès",
    name_default: "Mon appareil",
    add: "Ajouter une clé d’accès",
    added: "La clé d’accès a été ajoutée.",
    created: "ajoutée le {date}",
    last_used: "utilisée pour la dernière fois le {date}",
    remove: "Retirer …",
    remove_question: "Plus personne ne pourra se connecter avec cette clé d’accès.",
    confirm_remove: "Oui, retirer",
    sign_in: "Se connecter avec une clé d’accès",
    or: "ou",
    failed: "Cela n’a pas fonctionné. Veuillez réessayer ou vous connecter avec votre mot de passe.",
    unsupported: "Ce navigateur ne prend pas en charge les clés d’accès.",
};
