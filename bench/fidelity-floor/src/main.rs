//! A second speed floor: `../shared/bench/naive-des` (the plainest fast
//! binary-heap DES of the two-region failover model in `peer-minimal.json`)
//! extended with exactly what issue #10 made the simulator model, and
//! nothing else, written as plainly:
//!
//! - a try reaches its stamp as an event of its own, after its network leg
//!   (one way; a new connection first costs a handshake round trip);
//! - each client keeps a connection (keep-alive: idle timeout 300 s,
//!   recycled after 2 min, as the scenario defaults), broken by a failure;
//! - the stamp's front end deals tries round robin to its 15 instances, each
//!   with 10 workers and its own FIFO queue;
//! - a region that dies loses the tries it holds (their clients time out),
//!   and tries that reach it afterwards fail to connect.
//!
//! Events: one per arrival, one per try reaching its stamp, one per
//! completion, one per probe. Prints simulated requests per wall second.
//! Usage: `fidelity-floor [RATE] [HORIZON_S]` (default 2000 3600).
use rand::{rngs::SmallRng, Rng, SeedableRng};
use rand_distr::{Distribution, Exp};
use std::{
    cmp::Reverse,
    collections::{BinaryHeap, VecDeque},
    time::Instant,
};

#[derive(PartialEq, Eq, PartialOrd, Ord, Clone, Copy)]
enum Ev {
    Arrival,
    /// Try `job` reaches its region's stamp.
    Reach(u32),
    /// A worker of (region, instance) finishes `job`.
    Done(u8, u8, u32),
    Probe(u8),
}

#[derive(Clone, Copy)]
struct Job {
    pop: u8,
    region: u8,
    client: u32,
    sent: u64,
}

#[derive(Clone, Copy)]
struct Client {
    open: bool,
    target: u8,
    opened: u64,
    used: u64,
}

const INSTANCES: usize = 15;
const WORKERS: u32 = 10;
/// Clients per population.
const CLIENTS: usize = 2000;

/// Positional argument `name` (its text, if given): `default` when absent,
/// else a number above 0 and at most `max`.
fn parse_arg(name: &str, text: Option<&str>, default: f64, max: f64) -> Result<f64, String> {
    let Some(a) = text else { return Ok(default) };
    match a.parse::<f64>() {
        Ok(v) if v.is_finite() && v > 0.0 && v <= max => Ok(v),
        _ => Err(format!(
            "{name} must be a number above 0 and at most {max} (got '{a}'); usage: fidelity-floor [RATE] [HORIZON_S]"
        )),
    }
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let arg = |i: usize, name: &str, default: f64, max: f64| -> f64 {
        parse_arg(name, args.get(i).map(String::as_str), default, max).unwrap_or_else(|e| {
            eprintln!("fidelity-floor: {e}");
            std::process::exit(2);
        })
    };
    // Above 2,900/s the survivor (150 workers of 50 ms: 3,000/s) cannot keep
    // up and its queues would grow without bound.
    let rate = arg(0, "RATE", 2000.0, 2900.0);
    let horizon = arg(1, "HORIZON_S", 3600.0, 1e6);
    let us = |s: f64| (s * 1e6) as u64;
    let (t_fail, probe, k) = (us(120.0), us(30.0), 3u32);
    let (idle, lifetime) = (us(300.0), us(120.0));
    // One-way client -> region legs, µs: population 0 is in eastus2,
    // population 1 in centralus; about 5 ms locally, 17 ms across.
    let leg = [[5_000u64, 17_000], [17_000, 5_000]];
    let fresh = Client {
        open: false,
        target: 0,
        opened: 0,
        used: 0,
    };
    let mut clients = [vec![fresh; CLIENTS], vec![fresh; CLIENTS]];
    let mut busy = [[0u32; INSTANCES]; 2];
    let mut queue: Vec<Vec<VecDeque<u32>>> = (0..2)
        .map(|_| (0..INSTANCES).map(|_| VecDeque::new()).collect())
        .collect();
    let mut next_rr = [0usize; 2];
    let mut healthy = [true; 2];
    let mut fails = [0u32; 2];
    let mut jobs: Vec<Job> = Vec::new();
    let mut free: Vec<u32> = Vec::new();
    let mut rng = SmallRng::seed_from_u64(42);
    // (Both rates are positive and finite, checked above.)
    let (Ok(inter), Ok(svc)) = (Exp::new(rate), Exp::new(1.0 / 0.05)) else {
        return;
    };
    let mut heap = BinaryHeap::new();
    let mut seq = 0u64;
    let mut push = |h: &mut BinaryHeap<Reverse<(u64, u64, Ev)>>, t: u64, e: Ev| {
        seq += 1;
        h.push(Reverse((t, seq, e)));
    };
    push(&mut heap, us(inter.sample(&mut rng)), Ev::Arrival);
    for r in 0..2u8 {
        push(&mut heap, rng.gen_range(0..probe), Ev::Probe(r));
    }
    let (mut ok, mut failed, mut lat) = (0u64, 0u64, 0u64);
    let end = us(horizon);
    let start = Instant::now();
    while let Some(Reverse((t, _, ev))) = heap.pop() {
        if t > end {
            break;
        }
        let up = |r: usize| r == 1 || t < t_fail;
        match ev {
            Ev::Arrival => {
                push(&mut heap, t + us(inter.sample(&mut rng)), Ev::Arrival);
                let p = if rng.gen::<f64>() < 0.75 { 0 } else { 1 };
                let ci = rng.gen_range(0..CLIENTS as u32);
                let r = if healthy[p] { p } else { 1 - p };
                let c = &mut clients[p][ci as usize];
                let reuse = c.open && c.target == r as u8 && t - c.used < idle && t - c.opened < lifetime;
                let hs = if reuse { 0 } else { 2 * leg[p][r] };
                if !reuse {
                    c.open = true;
                    c.target = r as u8;
                    c.opened = t;
                }
                c.used = t;
                let job = Job {
                    pop: p as u8,
                    region: r as u8,
                    client: ci,
                    sent: t,
                };
                let j = match free.pop() {
                    Some(j) => {
                        jobs[j as usize] = job;
                        j
                    }
                    None => {
                        jobs.push(job);
                        jobs.len() as u32 - 1
                    }
                };
                push(&mut heap, t + hs + leg[p][r], Ev::Reach(j));
            }
            Ev::Reach(j) => {
                let job = jobs[j as usize];
                let r = job.region as usize;
                if !up(r) {
                    failed += 1;
                    clients[job.pop as usize][job.client as usize].open = false;
                    free.push(j);
                    continue;
                }
                let i = next_rr[r];
                next_rr[r] = (i + 1) % INSTANCES;
                if busy[r][i] < WORKERS {
                    busy[r][i] += 1;
                    push(&mut heap, t + us(svc.sample(&mut rng)), Ev::Done(r as u8, i as u8, j));
                } else {
                    queue[r][i].push_back(j);
                }
            }
            Ev::Done(r, i, j) => {
                let (r, i) = (r as usize, i as usize);
                let job = jobs[j as usize];
                if up(r) {
                    let back = t + leg[job.pop as usize][r];
                    ok += 1;
                    lat += back - job.sent;
                    clients[job.pop as usize][job.client as usize].used = back;
                } else {
                    // The region died with it inside: its client times out.
                    failed += 1;
                    clients[job.pop as usize][job.client as usize].open = false;
                }
                free.push(j);
                if let Some(q) = queue[r][i].pop_front() {
                    push(&mut heap, t + us(svc.sample(&mut rng)), Ev::Done(r as u8, i as u8, q));
                } else {
                    busy[r][i] -= 1;
                }
            }
            Ev::Probe(r) => {
                let ri = r as usize;
                fails[ri] = if up(ri) { 0 } else { fails[ri] + 1 };
                healthy[ri] = fails[ri] < k;
                push(&mut heap, t + probe, Ev::Probe(r));
            }
        }
    }
    let wall = start.elapsed().as_secs_f64();
    let n = ok + failed;
    println!(
        "requests={n} ok={ok} failed={failed} mean_latency_ms={:.2} wall_s={wall:.3} requests_per_s={:.0}",
        lat as f64 / ok.max(1) as f64 / 1000.0,
        n as f64 / wall
    );
}

#[cfg(test)]
mod tests {
    use super::parse_arg;

    #[test]
    fn arguments_outside_their_range_are_refused_with_the_name_and_range() {
        assert_eq!(parse_arg("RATE", None, 2000.0, 2900.0), Ok(2000.0));
        assert_eq!(parse_arg("RATE", Some("2900"), 2000.0, 2900.0), Ok(2900.0));
        for bad in ["-5", "0", "x", "2901", "inf", "NaN", ""] {
            let e = parse_arg("RATE", Some(bad), 2000.0, 2900.0).unwrap_err();
            assert!(
                e.contains("RATE must be a number above 0 and at most 2900"),
                "{bad}: {e}"
            );
            assert!(e.contains(&format!("(got '{bad}')")), "{bad}: {e}");
        }
    }
}
