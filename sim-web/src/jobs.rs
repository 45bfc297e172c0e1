//! Jobs: the simulations the page asks for — a run, a comparison, a design
//! review's headroom search — and the Web Worker that does them off the
//! page's thread.
//!
//! The page ([`Runner`]) owns at most one worker and at most one job: a new
//! job stops the one in progress (the worker is terminated, which stops it at
//! once, and a fresh one is started), so nothing can be left half-done or
//! stuck. Requests and replies cross as JSON text ([`Request`], [`Reply`]):
//! the worker posts progress while it runs and one final reply.
//!
//! The worker is the same wasm module loaded by `worker.js`: `main` sees no
//! `window` there and renders nothing; `worker.js` calls [`worker_job`] with
//! each request. Where a worker cannot be started (a page opened from
//! `file://`), the job runs on the page's thread instead: the page then
//! freezes until it is done, and says so.

use regionsim::review::{self, HeadroomSearch, Review};
use regionsim::{Report, Scenario, Sim, SimDuration, SimTime};
use serde::{Deserialize, Serialize};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

/// A job for the worker.
#[derive(Serialize, Deserialize)]
pub enum Request {
    /// Run one scenario.
    Run { scenario: Box<Scenario> },
    /// Run each (name, scenario), in order.
    Compare { variants: Vec<(String, Scenario)> },
    /// The design review of `scenario` and its `report`, with the headroom search.
    Review {
        scenario: Box<Scenario>,
        report: Box<Report>,
    },
}

/// What the worker posts back: progress while it runs, then one result.
#[derive(Serialize, Deserialize)]
pub enum Reply {
    /// Share of the job done (0–1) and what it is doing.
    Progress { share: f64, label: String },
    /// A run's report and the wall time the simulation took, ms.
    Ran { report: Box<Report>, ms: f64 },
    /// A comparison's reports, by variant name.
    Compared { runs: Vec<(String, Report)> },
    /// A finished design review.
    Reviewed { review: Box<Review> },
    /// The job could not be done.
    Failed { message: String },
}

fn now_ms() -> f64 {
    js_sys::Date::now()
}

/// Runs `sc` to the end, reporting progress (0–1) about every 100 ms.
fn simulate(sc: Scenario, progress: &mut dyn FnMut(f64)) -> Result<(Report, f64), String> {
    let started = now_ms();
    let mut sim = Sim::new(sc).map_err(|e| e.to_string())?;
    let end = sim.end();
    let slice = SimDuration::from_secs(20);
    let mut t = SimTime::ZERO;
    let mut last = started;
    while t < end {
        t = (t + slice).min(end);
        sim.run_until(t);
        if now_ms() - last > 100.0 {
            progress(sim.progress());
            last = now_ms();
        }
    }
    let report = sim.finish();
    Ok((report, now_ms() - started))
}

/// Does job `req`, calling `progress` as it goes; returns its result.
pub fn execute(req: Request, progress: &mut dyn FnMut(f64, &str)) -> Reply {
    let failed = |message: String| Reply::Failed { message };
    match req {
        Request::Run { scenario } => match simulate(*scenario, &mut |p| progress(p, "")) {
            Ok((report, ms)) => Reply::Ran {
                report: Box::new(report),
                ms,
            },
            Err(e) => failed(e),
        },
        Request::Compare { variants } => {
            let n = variants.len().max(1) as f64;
            let mut runs = Vec::with_capacity(variants.len());
            for (i, (name, sc)) in variants.into_iter().enumerate() {
                let label = format!("{name} ({} of {})", i + 1, n as usize);
                progress(i as f64 / n, &label);
                match simulate(sc, &mut |p| progress((i as f64 + p) / n, &label)) {
                    Ok((r, _)) => runs.push((name, r)),
                    Err(e) => return failed(format!("{name}: {e}")),
                }
            }
            Reply::Compared { runs }
        }
        Request::Review { scenario, report } => {
            let mut search = HeadroomSearch::new(&scenario, &report);
            if let Some(s) = &mut search {
                while let Some(candidate) = s.next_scenario() {
                    let label = format!("searching the headroom that keeps the SLO: run {}", s.runs() + 1);
                    progress(0.0, &label);
                    match simulate(candidate, &mut |_| {}) {
                        Ok((r, _)) => s.record(&r),
                        Err(e) => return failed(format!("the review's headroom search failed: {e}")),
                    }
                }
            }
            let headroom = search.map(|s| s.result());
            Reply::Reviewed {
                review: Box::new(review::review(&scenario, &report, headroom.as_ref())),
            }
        }
    }
}

fn encode(reply: &Reply) -> String {
    serde_json::to_string(reply).unwrap_or_else(|e| {
        serde_json::to_string(&Reply::Failed {
            message: format!("the result could not be encoded: {e}"),
        })
        .unwrap_or_default()
    })
}

/// The worker's entry point (called by `worker.js` with each message): does
/// the job and posts its progress and result to the page.
#[wasm_bindgen]
pub fn worker_job(request: String) {
    let scope: web_sys::DedicatedWorkerGlobalScope = js_sys::global().unchecked_into();
    let post = |r: &Reply| {
        let _ = scope.post_message(&JsValue::from_str(&encode(r)));
    };
    let reply = match serde_json::from_str::<Request>(&request) {
        Ok(req) => execute(req, &mut |share, label| {
            post(&Reply::Progress {
                share,
                label: label.to_string(),
            })
        }),
        Err(e) => Reply::Failed {
            message: format!("the worker could not read its job: {e}"),
        },
    };
    post(&reply);
}

/// The page's side: starts jobs in a worker and hands each reply, tagged
/// with its job's id, to `on_reply`.
pub struct Runner {
    worker: Option<web_sys::Worker>,
    /// The worker has answered its last job (it can take the next one).
    idle: std::rc::Rc<std::cell::Cell<bool>>,
    on_message: Option<Closure<dyn FnMut(web_sys::MessageEvent)>>,
    on_error: Option<Closure<dyn FnMut(web_sys::ErrorEvent)>>,
    on_reply: std::rc::Rc<dyn Fn(u64, Reply)>,
    /// Set when no worker could be started: jobs run on the page.
    no_worker: Option<String>,
}

impl Runner {
    /// A runner whose replies go to `on_reply(job id, reply)`.
    pub fn new(on_reply: impl Fn(u64, Reply) + 'static) -> Runner {
        Runner {
            worker: None,
            idle: Default::default(),
            on_message: None,
            on_error: None,
            on_reply: std::rc::Rc::new(on_reply),
            no_worker: None,
        }
    }

    /// Stops the job in progress, if any (its worker is terminated).
    pub fn stop(&mut self) {
        if let Some(w) = self.worker.take() {
            w.terminate();
        }
        self.on_message = None;
        self.on_error = None;
    }

    /// Why jobs run on the page's thread (no worker could be started), if they do.
    pub fn no_worker(&self) -> Option<&str> {
        self.no_worker.as_deref()
    }

    /// Starts job `id`, stopping any job in progress.
    pub fn start(&mut self, id: u64, req: &Request) {
        let text = match serde_json::to_string(req) {
            Ok(t) => t,
            Err(e) => {
                (self.on_reply)(
                    id,
                    Reply::Failed {
                        message: format!("the job could not be encoded: {e}"),
                    },
                );
                return;
            }
        };
        let worker = match self.worker.take() {
            Some(w) if self.idle.get() => Ok(w),
            other => {
                if let Some(w) = other {
                    w.terminate();
                }
                let opts = web_sys::WorkerOptions::new();
                opts.set_type(web_sys::WorkerType::Module);
                web_sys::Worker::new_with_options("worker.js", &opts).map_err(|e| {
                    format!("no Web Worker ({e:?}): the simulation runs on the page, which freezes while it runs")
                })
            }
        };
        match worker {
            Ok(w) => {
                self.attach(&w, id);
                if let Err(e) = w.post_message(&JsValue::from_str(&text)) {
                    (self.on_reply)(
                        id,
                        Reply::Failed {
                            message: format!("the job could not be sent to the worker: {e:?}"),
                        },
                    );
                }
                self.worker = Some(w);
            }
            Err(why) => {
                // On the page's thread, after this message is handled.
                self.no_worker = Some(why);
                let on_reply = self.on_reply.clone();
                gloo_timers::callback::Timeout::new(0, move || {
                    let req = serde_json::from_str::<Request>(&text);
                    let reply = match req {
                        Ok(r) => execute(r, &mut |_, _| {}),
                        Err(e) => Reply::Failed { message: e.to_string() },
                    };
                    on_reply(id, reply);
                })
                .forget();
            }
        }
    }

    /// Sends `w`'s replies to the page as job `id`'s.
    fn attach(&mut self, w: &web_sys::Worker, id: u64) {
        self.idle.set(false);
        let on_reply = self.on_reply.clone();
        let idle = self.idle.clone();
        let on_message = Closure::<dyn FnMut(web_sys::MessageEvent)>::new(move |e: web_sys::MessageEvent| {
            let reply = match e.data().as_string().map(|t| serde_json::from_str::<Reply>(&t)) {
                Some(Ok(r)) => r,
                Some(Err(err)) => Reply::Failed {
                    message: format!("the worker's reply could not be read: {err}"),
                },
                None => Reply::Failed {
                    message: "the worker sent something that is not a reply".into(),
                },
            };
            if !matches!(reply, Reply::Progress { .. }) {
                idle.set(true);
            }
            on_reply(id, reply);
        });
        let on_reply = self.on_reply.clone();
        let on_error = Closure::<dyn FnMut(web_sys::ErrorEvent)>::new(move |e: web_sys::ErrorEvent| {
            e.prevent_default();
            on_reply(
                id,
                Reply::Failed {
                    message: format!("the simulation stopped with an error: {}", e.message()),
                },
            );
        });
        w.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
        w.set_onerror(Some(on_error.as_ref().unchecked_ref()));
        self.on_message = Some(on_message);
        self.on_error = Some(on_error);
    }
}

impl Drop for Runner {
    fn drop(&mut self) {
        self.stop();
    }
}
