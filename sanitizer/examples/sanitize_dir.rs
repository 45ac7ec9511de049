//! File to file, as `folio sanitize IN OUT` does it, to set beside exiftool
//! (`scripts/bench-sanitizer.sh`):
//!
//! ```text
//! sanitize_dir gen DIR N           writes N corpus photos (12 megapixels, phone metadata) to DIR
//! sanitize_dir run IN_DIR OUT_DIR  sanitizes every file of IN_DIR into OUT_DIR, one after another
//! sanitize_dir one IN OUT          sanitizes one file
//! sanitize_dir strip IN_DIR OUT_DIR  like `run`, but only `strip_metadata` and a plain write:
//!                                  what is left without the decode proof and the fsyncs
//! ```

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

use sanitizer::{corpus, sanitize_file, strip_metadata, Limits};

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.iter().map(String::as_str).collect::<Vec<_>>()[..] {
        ["gen", dir, count] => {
            count.parse().map_err(|e| format!("N: {e}")).and_then(|n| generate(Path::new(dir), n))
        }
        ["run", input, output] => run(Path::new(input), Path::new(output), Mode::Sanitize),
        ["strip", input, output] => run(Path::new(input), Path::new(output), Mode::StripOnly),
        ["one", input, output] => sanitize_file(Path::new(input), Path::new(output), &Limits::default())
            .map(drop)
            .map_err(|e| e.to_string()),
        _ => Err("usage: sanitize_dir gen DIR N | run IN_DIR OUT_DIR | one IN OUT | strip IN_DIR OUT_DIR"
            .to_owned()),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("sanitize_dir: {message}");
            ExitCode::FAILURE
        }
    }
}

fn generate(dir: &Path, count: u32) -> Result<(), String> {
    std::fs::create_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    let mut bytes = 0;
    for index in 0..count {
        let photo = corpus::phone_photo(index);
        bytes += photo.len();
        let path = dir.join(format!("IMG_{index:04}.jpg"));
        std::fs::write(&path, photo).map_err(|e| format!("{}: {e}", path.display()))?;
    }
    println!(
        "{count} photos, {:.1} MB on average, in {}",
        mb(bytes) / f64::from(count.max(1)),
        dir.display()
    );
    Ok(())
}

#[derive(Clone, Copy)]
enum Mode {
    /// `sanitize_file`, exactly what `folio sanitize IN OUT` runs.
    Sanitize,
    /// A diagnostic: read, `strip_metadata`, write, with no decode proof and no fsync.
    StripOnly,
}

/// Single-threaded on purpose: the figure is per core.
fn run(input: &Path, output: &Path, mode: Mode) -> Result<(), String> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(input)
        .and_then(|entries| entries.map(|entry| entry.map(|e| e.path())).collect())
        .map_err(|e| format!("{}: {e}", input.display()))?;
    files.retain(|path| path.is_file());
    files.sort();
    std::fs::create_dir_all(output).map_err(|e| format!("{}: {e}", output.display()))?;
    let limits = Limits::default();
    let start = Instant::now();
    let mut bytes = 0;
    for file in &files {
        let name = file.file_name().ok_or_else(|| format!("{}: no file name", file.display()))?;
        let target = output.join(name);
        match mode {
            Mode::Sanitize => sanitize_file(file, &target, &limits).map(drop).map_err(|e| e.to_string()),
            Mode::StripOnly => strip_file(file, &target, &limits),
        }
        .map_err(|e| format!("{}: {e}", file.display()))?;
        bytes += std::fs::metadata(file).map_or(0, |m| usize::try_from(m.len()).unwrap_or(usize::MAX));
    }
    let seconds = start.elapsed().as_secs_f64();
    let count = files.len();
    println!(
        "{count} images in {seconds:.2} s: {:.2} images/s, {:.1} MB/s",
        float(count) / seconds,
        mb(bytes) / seconds
    );
    Ok(())
}

fn strip_file(input: &Path, output: &Path, limits: &Limits) -> Result<(), String> {
    let bytes = std::fs::read(input).map_err(|e| e.to_string())?;
    let clean = strip_metadata(&bytes, limits).map_err(|e| e.to_string())?;
    std::fs::write(output, clean.bytes).map_err(|e| e.to_string())
}

fn mb(bytes: usize) -> f64 {
    float(bytes) / 1e6
}

#[expect(clippy::cast_precision_loss, reason = "counts and sizes far below 2^52")]
fn float(value: usize) -> f64 {
    value as f64
}
