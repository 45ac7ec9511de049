//! The strip on its own against a plain copy of the same bytes, and the whole `sanitize` with
//! its decode proof, on four 12-megapixel phone-like JPEGs (one per orientation).
//!
//! `cargo bench -p sanitizer --features corpus --bench strip`

use std::hint::black_box;
use std::time::Duration;

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, SamplingMode, Throughput};
use sanitizer::{corpus, sanitize, strip_metadata, Limits};

fn photos() -> Vec<(String, Vec<u8>)> {
    (0..4)
        .map(|index| {
            let photo = corpus::phone_photo(index);
            let name = format!("{index}-orientation{}-{:.1}MB", corpus::orientation(index), mb(photo.len()));
            (name, photo)
        })
        .collect()
}

#[expect(clippy::cast_precision_loss, reason = "sizes far below 2^52")]
fn mb(bytes: usize) -> f64 {
    bytes as f64 / 1e6
}

fn strip(c: &mut Criterion) {
    let photos = photos();
    let limits = Limits::default();
    let quick = (SamplingMode::Auto, 30, Duration::from_secs(2));
    // The copy goes through black_box too, or the compiler drops the allocation and the copy.
    group(c, "memcpy", quick, &photos, |photo| drop(black_box(black_box(photo).to_vec())));
    group(c, "strip_metadata", quick, &photos, |photo| {
        strip_metadata(black_box(photo), &limits).expect("a corpus photo strips");
    });
    // A 12-megapixel decode takes a good part of a second: ten samples of equal length.
    let slow = (SamplingMode::Flat, 10, Duration::from_secs(4));
    group(c, "sanitize", slow, &photos, |photo| {
        sanitize(black_box(photo), &limits).expect("a corpus photo sanitizes");
    });
}

/// One benchmark group: `work` on every photo, in bytes per second.
fn group(
    c: &mut Criterion,
    name: &str,
    (mode, samples, time): (SamplingMode, usize, Duration),
    photos: &[(String, Vec<u8>)],
    work: impl Fn(&[u8]),
) {
    let mut group = c.benchmark_group(name);
    group
        .sampling_mode(mode)
        .sample_size(samples)
        .warm_up_time(Duration::from_millis(500))
        .measurement_time(time);
    for (name, photo) in photos {
        group.throughput(Throughput::Bytes(photo.len() as u64));
        group.bench_with_input(BenchmarkId::from_parameter(name), photo.as_slice(), |b, photo| {
            b.iter(|| work(photo));
        });
    }
    group.finish();
}

criterion_group!(benches, strip);
criterion_main!(benches);
