//! What makes a new password acceptable. Shared by browser and server so the form can
//! say the same thing the server enforces.

use crate::error::Problem;

pub const MIN_CHARS: usize = 12;
pub const MAX_CHARS: usize = 1024;

pub fn check(password: &str, repeat: &str) -> Result<(), (&'static str, Problem)> {
    let chars = password.chars().count();
    if chars < MIN_CHARS {
        return Err(("password", Problem::PasswordTooShort));
    }
    if chars > MAX_CHARS {
        return Err(("password", Problem::PasswordTooLong));
    }
    if password != repeat {
        return Err(("password_repeat", Problem::PasswordsDiffer));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn twelve_characters_are_the_minimum() {
        assert_eq!(check("elf-zeichen", "elf-zeichen"), Err(("password", Problem::PasswordTooShort)));
        assert_eq!(check("zwölf-zeichen", "zwölf-zeichen"), Ok(()));
    }

    #[test]
    fn umlauts_count_as_one_character() {
        assert_eq!(check("ääääääääääää", "ääääääääääää"), Ok(()));
    }

    #[test]
    fn the_repeat_must_match() {
        assert_eq!(
            check("ein-langes-passwort", "ein-langes-Passwort"),
            Err(("password_repeat", Problem::PasswordsDiffer))
        );
    }

    #[test]
    fn absurd_lengths_are_refused() {
        let long = "x".repeat(MAX_CHARS + 1);
        assert_eq!(check(&long, &long), Err(("password", Problem::PasswordTooLong)));
    }
}
