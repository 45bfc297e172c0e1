//! Runs a simulation in the browser without freezing the page: the run is
//! stepped in slices of simulated time, yielding to the event loop whenever a
//! slice has taken more than ~80 ms of wall time, and reporting progress.

use gloo_timers::future::TimeoutFuture;
use sim_core::{Report, Scenario, ScenarioError, Sim, SimDuration, SimTime};

fn now_ms() -> f64 {
    web_sys::window()
        .and_then(|w| w.performance())
        .map(|p| p.now())
        .unwrap_or(0.0)
}

/// Runs `sc` to the end, calling `progress` (0–1) between slices. Returns the
/// report and the wall time it took, in ms.
pub async fn run(sc: Scenario, progress: impl Fn(f64)) -> Result<(Report, f64), ScenarioError> {
    let started = now_ms();
    let mut sim = Sim::new(sc)?;
    let end = sim.end();
    let slice = SimDuration::from_secs(20);
    let mut t = SimTime::ZERO;
    let mut last_yield = now_ms();
    while t < end {
        t = (t + slice).min(end);
        sim.run_until(t);
        if now_ms() - last_yield > 80.0 {
            progress(sim.progress());
            TimeoutFuture::new(0).await;
            last_yield = now_ms();
        }
    }
    let report = sim.finish();
    Ok((report, now_ms() - started))
}
