//! Reading a generated portfolio of 100,000 contracts with their customers, in bytes per second.
//!
//! `cargo bench -p gdv --features corpus --bench read`

use std::hint::black_box;
use std::time::Duration;

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use gdv::{corpus, read, Options};

fn portfolio(c: &mut Criterion) {
    // 25,000 customers with 4 contracts each.
    let bytes = corpus::portfolio(25_000, 4, 1);
    let mut group = c.benchmark_group("read");
    group.sample_size(10).warm_up_time(Duration::from_secs(1)).measurement_time(Duration::from_secs(8));
    group.throughput(Throughput::Bytes(bytes.len() as u64));
    group.bench_function(format!("portfolio-{}MB", bytes.len() / 1_000_000), |b| {
        b.iter(|| read(black_box(&bytes), &Options::default()).expect("the corpus reads"));
    });
    group.finish();
}

criterion_group!(benches, portfolio);
criterion_main!(benches);
