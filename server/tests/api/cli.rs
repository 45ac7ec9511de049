//! The operator's commands.

use crate::helpers::*;

#[tokio::test]
async fn api_keys_are_printed_once_and_stored_hashed() {
    let app = spawn(Backend::Sqlite).await;
    let (ok, out, err) = app.folio(&["apikey", "create", "--broker", "demo"]);
    assert!(ok, "{err}");
    let key = out.lines().last().unwrap().trim().to_owned();
    assert!(key.starts_with("fk_") && key.len() > 40, "{key}");
    let db = std::fs::read(app.dir.path().join("folio.db")).unwrap();
    let wal = std::fs::read(app.dir.path().join("folio.db-wal")).unwrap_or_default();
    // `fk_<16 hex>_<secret>`; the secret is URL-safe base64 and may itself hold a `_`.
    let secret = &key.as_bytes()["fk_".len() + 16 + 1..];
    for bytes in [&db, &wal] {
        assert!(!bytes.windows(secret.len()).any(|w| w == secret), "the key is not stored in clear");
    }
    let (ok, _, err) = app.folio(&["apikey", "create", "--broker", "nobody"]);
    assert!(!ok && err.contains("no broker"), "{err}");
}

#[tokio::test]
async fn demo_is_idempotent() {
    let app = spawn(Backend::Sqlite).await;
    let (ok, out, _) = app.folio(&["demo"]);
    assert!(ok);
    assert!(out.contains(CUSTOMER.0) && out.contains(STAFF.0));
    app.sign_in("localhost", CUSTOMER.0, CUSTOMER.1).await;
}

#[test]
fn a_malformed_database_url_is_an_error_not_a_new_file() {
    let dir = tempfile::tempdir().unwrap();
    let (ok, _, err) = folio(dir.path(), Some("data/folio.db"), &["migrate"]);
    assert!(!ok && err.contains("unsupported database URL"), "{err}");
    let missing = dir.path().join("nope.db");
    let (ok, _, _) = folio(dir.path(), Some(&format!("sqlite:{}", missing.display())), &["migrate"]);
    assert!(!ok);
    assert!(!missing.exists());
}

#[test]
fn invalid_slugs_and_roles_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let (ok, _, err) = folio(dir.path(), None, &["broker", "add", "--slug", "Groß", "--name", "X"]);
    assert!(!ok && err.contains("invalid slug"), "{err}");
    let (ok, _, _) = folio(
        dir.path(),
        None,
        &["staff", "invite", "--broker", "demo", "--email", "a@b.de", "--role", "king"],
    );
    assert!(!ok);
}

/// A PNG whose text chunk names the photographer and the place, as phones and editors write.
fn png_with_text() -> (Vec<u8>, image::RgbImage) {
    let pixels = image::RgbImage::from_fn(4, 3, |x, y| {
        image::Rgb([u8::try_from(x * 60).unwrap(), u8::try_from(y * 80).unwrap(), 200])
    });
    let mut png = Vec::new();
    image::DynamicImage::ImageRgb8(pixels.clone())
        .write_to(&mut std::io::Cursor::new(&mut png), image::ImageFormat::Png)
        .unwrap();
    let data = b"Author\0Anna Schneider, Lindenstrasse 5, 52.5200 N 13.4050 E";
    let mut chunk = u32::try_from(data.len()).unwrap().to_be_bytes().to_vec();
    chunk.extend_from_slice(b"tEXt");
    chunk.extend_from_slice(data);
    let mut crc = crc32fast::Hasher::new();
    crc.update(&chunk[4..]);
    chunk.extend_from_slice(&crc.finalize().to_be_bytes());
    let after_ihdr = 8 + 25;
    png.splice(after_ihdr..after_ihdr, chunk);
    (png, pixels)
}

#[test]
fn sanitize_writes_a_clean_copy_or_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let (png, pixels) = png_with_text();
    let input = dir.path().join("photo.png");
    let output = dir.path().join("clean.png");
    std::fs::write(&input, &png).unwrap();
    let (ok, out, err) =
        folio(dir.path(), None, &["sanitize", input.to_str().unwrap(), output.to_str().unwrap()]);
    assert!(ok, "{err}");
    assert!(out.contains("4 × 3 px, image/png"), "{out}");
    let clean = std::fs::read(&output).unwrap();
    assert!(!clean.windows(14).any(|w| w == b"Anna Schneider"), "the text chunk is gone");
    assert_eq!(image::load_from_memory(&clean).unwrap().to_rgb8(), pixels, "the pixels are untouched");

    let pdf = dir.path().join("scan.jpg");
    let refused = dir.path().join("refused.jpg");
    std::fs::write(&pdf, b"%PDF-1.7\n1 0 obj\n<<>>\nendobj\n").unwrap();
    let (ok, _, err) =
        folio(dir.path(), None, &["sanitize", pdf.to_str().unwrap(), refused.to_str().unwrap()]);
    assert!(!ok);
    assert!(err.contains("JPEG, PNG oder WebP"), "{err}");
    assert!(!refused.exists(), "no output file on error");
}
