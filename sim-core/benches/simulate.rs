//! Criterion benchmark: simulated requests per second on the headline
//! scenario (one core). Run with `cargo bench -p sim-core`.

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use regionsim::{bundled_by_name, Scenario, Sim, SimDuration, HEADLINE};
use std::hint::black_box;

fn headline(minutes: u64) -> Scenario {
    let mut sc = Scenario::parse(bundled_by_name(HEADLINE).expect("bundled").text).expect("valid");
    sc.duration = SimDuration::from_mins(minutes);
    sc.faults.iter_mut().for_each(|f| {
        if let regionsim::scenario::Fault::RegionOutage { start, duration, .. } = f {
            *start = SimDuration::from_mins(minutes / 6);
            *duration = SimDuration::from_mins(minutes / 2);
        }
    });
    sc
}

fn bench(c: &mut Criterion) {
    let sc = headline(10);
    let requests = regionsim::simulate(&sc).expect("runs").summary.counts.offered;
    let mut g = c.benchmark_group("headline");
    g.sample_size(10);
    g.throughput(Throughput::Elements(requests));
    g.bench_function("eastus2-fails-frontdoor, 10 min simulated", |b| {
        b.iter(|| black_box(Sim::new(sc.clone()).expect("valid").run()))
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
