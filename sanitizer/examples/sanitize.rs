//! `cargo run -p sanitizer --example sanitize IN OUT`: what `folio sanitize IN OUT` does, for
//! trying the sanitizer on real photos without the app.

use std::process::ExitCode;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [input, output] = args.as_slice() else {
        eprintln!("usage: sanitize IN OUT");
        return ExitCode::from(2);
    };
    match sanitizer::sanitize_file(input.as_ref(), output.as_ref(), &sanitizer::Limits::default()) {
        Ok(clean) => {
            println!(
                "{} {}x{} orientation {} ({} bytes)",
                clean.media_type.mime(),
                clean.width,
                clean.height,
                clean.orientation,
                clean.bytes.len()
            );
            ExitCode::SUCCESS
        }
        Err(error) => {
            eprintln!("{error}");
            ExitCode::FAILURE
        }
    }
}
