//! The application component: the architect's loop — pick or paste a
//! scenario, edit its key parameters, run it in the page, replay it on the
//! topology and the charts, share it as a link, export the report.

use crate::charts::{self, PlotArea};
use crate::form::{FieldErrors, Form};
use crate::jobs::{self, Reply, Request};
use crate::{dom, facts, review, share, topology};
use gloo_timers::callback::Interval;
use regionsim::compare::{self, Preset, Variant};
use regionsim::scenario::FaultKind;
use regionsim::{bundled, bundled_by_name, format, Report, Scenario, HEADLINE};
use std::rc::Rc;
use wasm_bindgen::prelude::Closure;
use wasm_bindgen::JsCast;
use web_sys::{HtmlCanvasElement, HtmlInputElement, HtmlSelectElement, HtmlTextAreaElement};
use yew::prelude::*;

/// Messages the app handles.
pub enum Msg {
    PickBundled(String),
    Field(String, String),
    RoutingKind(String),
    Text(String),
    ApplyText,
    Upload(web_sys::File),
    Loaded(String),
    Run,
    /// A reply from the job with this id.
    Job(u64, Box<Reply>),
    /// Stop the job in progress.
    Cancel,
    /// The URL's fragment changed (a share link pasted into this tab).
    HashChanged,
    /// The pointer over chart `g` (main charts first, then the comparison's) at (x, y) CSS px.
    ChartMove(usize, f64, f64),
    ChartLeave,
    ChartDown(usize, f64),
    ChartUp(usize, f64),
    ResetZoom,
    /// Zoom every chart to [a, b] seconds.
    Zoom(f64, f64),
    /// Show or hide chart `g`'s data table.
    ToggleTable(usize),
    Seek(usize),
    TogglePlay,
    Speed(u32),
    Tick,
    DownloadJson,
    DownloadCsv,
    DownloadPng(usize),
    CopyLink,
    ComparePreset(String),
    CompareAddCurrent,
    CompareClear,
    CompareRun,
    ReviewRun,
    DownloadReview,
}

/// What a job is for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum JobKind {
    Run,
    Compare,
    Review,
}

impl JobKind {
    fn noun(self) -> &'static str {
        match self {
            JobKind::Run => "run",
            JobKind::Compare => "comparison",
            JobKind::Review => "design review",
        }
    }
}

/// The job in progress: there is at most one (a new one stops it).
struct ActiveJob {
    id: u64,
    kind: JobKind,
    share: f64,
    label: String,
    /// A run's scenario, and its bundled name if unedited (for the share link).
    scenario: Option<(Rc<Scenario>, Option<String>)>,
    started_ms: f64,
}

/// The app's state.
pub struct App {
    /// The bundled scenario `base` is, if it is one.
    bundled_name: Option<String>,
    /// The scenario as loaded (bundled, link, text or file): the form's edits
    /// apply to it, so undoing an edit gives back exactly what was loaded.
    base: Scenario,
    /// The form differs from `base` (as of the last run).
    edited: bool,
    /// The results shown are for other settings than the form's.
    stale: bool,
    form: Form,
    errors: FieldErrors,
    text: String,
    text_dirty: bool,
    text_error: Option<String>,
    notice: Option<String>,
    report: Option<Rc<Report>>,
    report_scenario: Option<Rc<Scenario>>,
    job: Option<ActiveJob>,
    runner: jobs::Runner,
    /// Ids for jobs: a reply from an older job is ignored.
    job_seq: u64,
    /// A Run was refused for invalid fields: listed beside the button.
    run_refused: bool,
    /// The simulation's time in the worker, and from the click to the results, ms.
    run_ms: Option<f64>,
    wall_ms: Option<f64>,
    /// The fragment this page set last (its own share link).
    fragment: String,
    /// Showing the facts page (`#facts/1.3`): the section asked for, and
    /// whether to scroll to it after the next render.
    facts: Option<String>,
    facts_scroll: bool,
    _on_hash: Option<Closure<dyn FnMut()>>,
    cursor: usize,
    playing: Option<Interval>,
    speed: u32,
    share_url: String,
    canvases: Vec<(NodeRef, NodeRef)>,
    areas: Vec<Option<PlotArea>>,
    charts_dirty: bool,
    compare_preset: String,
    compare_custom: Vec<Variant>,
    compare: Option<Rc<Vec<(String, Report)>>>,
    compare_canvases: Vec<(NodeRef, NodeRef)>,
    compare_areas: Vec<Option<PlotArea>>,
    /// What the charts show (main charts, then the comparison's), for
    /// legends, the hover read-out and the data tables.
    specs: Vec<Rc<charts::ChartSpec>>,
    compare_specs: Vec<Rc<charts::ChartSpec>>,
    /// The time range every chart shows (None: the whole run).
    zoom: Option<(f64, f64)>,
    /// The pointer over a chart: (chart, time, x, y in CSS px).
    hover: Option<(usize, f64, f64, f64)>,
    /// A press on a chart: (chart, time, x in CSS px) — a click seeks, a drag zooms.
    drag: Option<(usize, f64, f64)>,
    /// Charts whose data table is shown.
    tables: Vec<bool>,
    compare_dirty: bool,
    review: Option<Rc<regionsim::review::Review>>,
}

const SPEEDS: [u32; 5] = [10, 30, 60, 120, 300];
const CHARTS: usize = charts::CHART_IDS.len();

fn headline() -> (Scenario, Option<String>) {
    let text = bundled_by_name(HEADLINE).map(|b| b.text).unwrap_or_default();
    match Scenario::parse(text) {
        Ok(sc) => (sc, Some(HEADLINE.to_string())),
        // Unreachable in a tested build: every bundled scenario is validated by the tests.
        Err(e) => panic!("bundled headline scenario is invalid: {e}"),
    }
}

fn input_value(e: &Event) -> String {
    let t = e.target();
    if let Some(i) = t.clone().and_then(|t| t.dyn_into::<HtmlInputElement>().ok()) {
        return if i.type_() == "checkbox" {
            i.checked().to_string()
        } else {
            i.value()
        };
    }
    if let Some(s) = t.clone().and_then(|t| t.dyn_into::<HtmlSelectElement>().ok()) {
        return s.value();
    }
    t.and_then(|t| t.dyn_into::<HtmlTextAreaElement>().ok())
        .map(|a| a.value())
        .unwrap_or_default()
}

fn secs(v: Option<f64>) -> String {
    format::or_never(v.map(format::seconds))
}

fn pct(v: Option<f64>) -> String {
    format::or_none(v.map(format::availability))
}

/// How much to enlarge the map's text: the map is drawn 1000 units wide
/// and shown at the results column's width (the form sits beside it above
/// 900 px, above it below); its labels should stay about 11 px tall.
fn map_scale() -> f64 {
    (11.0 / 12.0 * 1000.0 / results_width().max(200.0)).max(1.0)
}

/// The results column's width in CSS pixels (the form sits beside it above
/// 900 px, above it below).
fn results_width() -> f64 {
    let w = web_sys::window()
        .and_then(|w| w.inner_width().ok())
        .and_then(|v| v.as_f64())
        .unwrap_or(1440.0);
    if w > 900.0 {
        w - 360.0 - 48.0
    } else {
        w - 32.0
    }
}

/// What a fault kind does, in one line (sim-core's words, as the CLI's
/// `validate` prints them).
fn fault_effect(kind: &str) -> &'static str {
    match kind {
        "none" => "No fault: the run shows the design on a normal day.",
        k => k.parse::<FaultKind>().map_or("", |k| k.effect()),
    }
}

/// The element id of form field `key`.
fn field_id(key: &str) -> String {
    format!("f-{}", key.replace('.', "-"))
}

/// A form field's name for messages (`fault_kind`: the form's fault kind,
/// which names its strength field).
fn field_label(key: &str, fault_kind: &str) -> String {
    let fixed = match key {
        "fault.share" => match fault_kind {
            "capacity_loss" => "Instances lost (%)",
            "gray_failure" => "User requests failing (%)",
            _ => "Requests failing (%)",
        },
        "seed" => "Seed",
        "duration" => "Duration",
        "routing" => "Routing",
        "probe_interval" => "Probe interval",
        "tolerated_failures" => "Tolerated failures",
        "ttl" => "DNS TTL",
        "degraded_when" => "Degraded when",
        "sample_size" => "Probe samples kept",
        "successful_samples" => "Successful samples required",
        "health_depth" => "Health check",
        "consistency" => "Consistency",
        "write_mode" => "Writes",
        "failover" => "Write-region failover",
        "fault.kind" => "Fault kind",
        "fault.target" => "Fault region",
        "fault.start" => "Fault starts at",
        "fault.duration" => "Fault lasts",
        "fault.latency" => "Added latency",
        "fault.deep" => "Deep health check sees it",
        "general" => "Scenario",
        _ => "",
    };
    if !fixed.is_empty() {
        return fixed.to_string();
    }
    key.replace('.', " ")
}

fn plural(n: usize, one: &str, many: &str) -> String {
    if n == 1 {
        format!("1 {one}")
    } else {
        format!("{n} {many}")
    }
}

impl App {
    fn load(&mut self, sc: Scenario, bundled_name: Option<String>) {
        self.form = Form::from_scenario(&sc);
        self.text = sc.to_toml();
        self.text_dirty = false;
        self.text_error = None;
        self.errors.clear();
        self.base = sc;
        self.bundled_name = bundled_name;
        self.edited = false;
        self.recheck();
    }

    fn field(&self, ctx: &Context<Self>, key: &str, label: &str, hint: &str) -> Html {
        let k = key.to_string();
        // Every keystroke goes into the form at once: a re-render (a job's
        // progress) never puts back an older value.
        let oninput = ctx.link().callback(move |e: InputEvent| {
            let v = e
                .target()
                .and_then(|t| t.dyn_into::<HtmlInputElement>().ok())
                .map(|i| i.value())
                .unwrap_or_default();
            Msg::Field(k.clone(), v)
        });
        let id = field_id(key);
        let errs = self.errors.get(key).cloned().unwrap_or_default();
        let invalid = !errs.is_empty();
        html! {
            <div class={classes!("field", invalid.then_some("invalid"))}>
                <label for={id.clone()}>{label}</label>
                <input id={id.clone()} type="text" value={self.form.get(key)} {oninput}
                    aria-invalid={invalid.to_string()} aria-describedby={format!("{id}-msg")} placeholder={hint.to_string()} />
                <span id={format!("{id}-msg")} class="msg" role={if invalid { "alert" } else { "note" }}>
                    { if invalid { html! { errs.join("; ") } } else { facts::linkify(hint) } }
                </span>
            </div>
        }
    }

    fn select(
        &self,
        ctx: &Context<Self>,
        key: &str,
        label: &str,
        options: &[(&str, &str)],
        current: &str,
        routing: bool,
    ) -> Html {
        let k = key.to_string();
        let onchange = if routing {
            ctx.link().callback(|e: Event| Msg::RoutingKind(input_value(&e)))
        } else {
            ctx.link()
                .callback(move |e: Event| Msg::Field(k.clone(), input_value(&e)))
        };
        let id = field_id(key);
        let errs = self.errors.get(key).cloned().unwrap_or_default();
        html! {
            <div class={classes!("field", (!errs.is_empty()).then_some("invalid"))}>
                <label for={id.clone()}>{label}</label>
                <select id={id} {onchange}>
                    { for options.iter().map(|(v, l)| html! { <option value={v.to_string()} selected={*v == current}>{*l}</option> }) }
                </select>
                <span class="msg" role="alert">{ errs.join("; ") }</span>
            </div>
        }
    }

    /// The strength fields of the form's fault kind (none for kinds that
    /// are all or nothing).
    fn fault_strength_fields(&self, ctx: &Context<Self>) -> Html {
        match self.form.fault_kind.as_str() {
            "brown_out" => html! { <>
                { self.field(ctx, "fault.share", "Requests failing (%)", "0–100: answered 5xx, probes too") }
                { self.field(ctx, "fault.latency", "Added latency", "e.g. 500ms, on every answer") }
            </> },
            "capacity_loss" => self.field(
                ctx,
                "fault.share",
                "Instances lost (%)",
                "0–100 of the region's instances",
            ),
            "gray_failure" => html! { <>
                { self.field(ctx, "fault.share", "User requests failing (%)", "0–100; probes still get 200") }
                { self.select(ctx, "fault.deep", "Deep health check sees it", &[("yes", "yes: a dependency it checks is broken"), ("no", "no: the broken piece is not checked")], &self.form.fault_deep, false) }
            </> },
            _ => html! {},
        }
    }

    fn form_view(&self, ctx: &Context<Self>) -> Html {
        let f = &self.form;
        let routing_fields = match f.routing.as_str() {
            "dns" => html! { <>
                { self.field(ctx, "probe_interval", "Probe interval", "10s or 30s (Traffic Manager, §2)") }
                { self.field(ctx, "tolerated_failures", "Tolerated failures", "0–9, default 3 (§2)") }
                { self.field(ctx, "ttl", "DNS TTL", "e.g. 60s (§2)") }
                { self.field(ctx, "degraded_when", "Degraded when", "any, majority, all, or a number of locations: undocumented, majority assumed (§2)") }
            </> },
            "anycast_l7" => html! { <>
                { self.field(ctx, "probe_interval", "Probe interval", "1s–255s; Standard/Premium default 100s (sampled), classic 30s (§1.3)") }
                { self.field(ctx, "sample_size", "Probe samples kept", "default 4 (§1.3)") }
                { self.field(ctx, "successful_samples", "Successful samples required", "default 3 of 4 (§1.3)") }
            </> },
            "anycast_l4" => self.field(
                ctx,
                "probe_interval",
                "Regional probe interval",
                "≥ 5s, default 15s (§3)",
            ),
            _ => html! {},
        };
        let regions = f.regions.iter().enumerate().map(|(i, r)| {
            let key = format!("region{i}.autoscale");
            let k2 = key.clone();
            let onchange = ctx.link().callback(move |e: Event| Msg::Field(k2.clone(), input_value(&e)));
            html! {
                <fieldset class="region-fields">
                    <legend>{format!("Region {}", r.name)}</legend>
                    { self.field(ctx, &format!("region{i}.initial"), "Instances at start", "") }
                    { self.field(ctx, &format!("region{i}.max"), "Max instances", "SKU cap applies (§4.3)") }
                    <div class="field check">
                        <input id={format!("f-{}", key.replace('.', "-"))} type="checkbox" checked={r.autoscale} {onchange} />
                        <label for={format!("f-{}", key.replace('.', "-"))}>{"Autoscale"}</label>
                    </div>
                </fieldset>
            }
        });
        let pops = f.populations.iter().enumerate().map(|(i, p)| match p.rps {
            Some(_) => self.field(ctx, &format!("pop{i}.rps"), &format!("{} requests/s", p.name), ""),
            None => html! { <p class="field note">{format!("{}: a time-varying profile (edit it in the scenario text)", p.name)}</p> },
        });
        let mut kinds: Vec<(&str, &str)> = vec![("none", "no fault")];
        kinds.extend(
            FaultKind::ALL
                .iter()
                .filter(|k| k.acts_on_stamp())
                .map(|k| (k.name(), k.name())),
        );
        let targets: Vec<(String, String)> = f.regions.iter().map(|r| (r.name.clone(), r.name.clone())).collect();
        let targets: Vec<(&str, &str)> = targets.iter().map(|(a, b)| (a.as_str(), b.as_str())).collect();
        let general = self.errors.get("general").cloned().unwrap_or_default();
        html! {
            <form class="editor" onsubmit={ctx.link().callback(|e: SubmitEvent| { e.prevent_default(); Msg::Run })} aria-label="Scenario parameters">
                <fieldset>
                    <legend>{"Run"}</legend>
                    { self.field(ctx, "seed", "Seed", "same seed, same run") }
                    { self.field(ctx, "duration", "Duration", "e.g. 60m") }
                </fieldset>
                <fieldset>
                    <legend>{"Global routing"}</legend>
                    { self.select(ctx, "routing", "Routing", &[("anycast_l7", "Front Door (anycast L7)"), ("dns", "Traffic Manager (DNS)"), ("anycast_l4", "Cross-region LB (anycast L4)"), ("direct", "Direct (one region)")], &f.routing, true) }
                    { routing_fields }
                    { self.select(ctx, "health_depth", "Health check", &[("shallow", "shallow (process alive)"), ("deep", "deep (with dependencies)")], &f.health_depth, false) }
                </fieldset>
                if self.base.data.is_some() {
                    <fieldset>
                        <legend>{"Data tier (Cosmos DB)"}</legend>
                        { self.select(ctx, "consistency", "Consistency", &[("strong", "strong"), ("bounded_staleness", "bounded staleness"), ("session", "session"), ("consistent_prefix", "consistent prefix"), ("eventual", "eventual")], &f.consistency, false) }
                        { self.select(ctx, "write_mode", "Writes", &[("single", "single write region"), ("multi", "multi-region writes")], &f.write_mode, false) }
                        { self.select(ctx, "failover", "Write-region failover", &[("service_managed", "service-managed"), ("manual", "manual")], &f.failover, false) }
                    </fieldset>
                }
                if f.routing == "anycast_l7" {
                    <fieldset>
                        <legend>{"Edge design (for the review)"}</legend>
                        { self.select(ctx, "design.gateway_tier", "Front Door tier", &[("", "not stated"), ("standard", "Standard"), ("premium", "Premium")], &f.gateway_tier, false) }
                        { self.select(ctx, "design.waf", "WAF", &[("", "not stated"), ("off", "off"), ("custom_rules", "custom rules (rate limits)"), ("managed_rules", "managed rules (Premium)")], &f.waf, false) }
                        { self.select(ctx, "design.origin_lock", "Origin lock", &[("", "not stated"), ("none", "none"), ("service_tag", "service tag only"), ("service_tag_and_header", "service tag + X-Azure-FDID"), ("private_link", "Private Link (Premium)")], &f.origin_lock, false) }
                    </fieldset>
                }
                { for regions }
                <fieldset>
                    <legend>{"Traffic"}</legend>
                    { for pops }
                </fieldset>
                <fieldset>
                    <legend>{"Fault"}</legend>
                    { self.select(ctx, "fault.kind", "Kind", &kinds, &f.fault_kind, false) }
                    <p class="field note" id="fault-kind-effect">{ fault_effect(&f.fault_kind) }</p>
                    { self.fault_strength_fields(ctx) }
                    { self.select(ctx, "fault.target", "Region", &targets, &f.fault_target, false) }
                    { self.field(ctx, "fault.start", "Starts at", "e.g. 10m") }
                    { self.field(ctx, "fault.duration", "Lasts", "e.g. 30m") }
                </fieldset>
                if !general.is_empty() {
                    <div class="general-errors" role="alert">{ for general.iter().map(|g| html! { <p>{g}</p> }) }</div>
                }
                if self.run_refused && !self.errors.is_empty() {
                    <div class="run-refused" id="run-refused" role="alert">
                        <p>{ format!("Not run: {} to fix first —", plural(self.errors.len(), "field", "fields")) }</p>
                        <ul>
                            { for self.errors.iter().map(|(k, msgs)| html! {
                                <li><a href={format!("#{}", field_id(k))}>{ field_label(k, &self.form.fault_kind) }</a>{ format!(": {}", msgs.join("; ")) }</li>
                            }) }
                        </ul>
                    </div>
                }
                <button type="submit" id="run" class="primary">
                    { match self.job.as_ref().map(|j| j.kind) {
                        Some(JobKind::Run) => "Run again with these settings",
                        _ => "Run simulation",
                    } }
                </button>
            </form>
        }
    }

    /// Re-checks the form: its errors, and whether the results shown are
    /// for other settings than the form's.
    fn recheck(&mut self) {
        let applied = self.form.apply(&self.base);
        self.stale = match (&self.report_scenario, &applied) {
            (Some(shown), Ok(sc)) => **shown != *sc,
            (Some(_), Err(_)) => true,
            (None, _) => false,
        };
        self.errors = applied.err().unwrap_or_default();
        if self.errors.is_empty() {
            self.run_refused = false;
        }
    }

    /// Starts a job, stopping the one in progress (and saying so).
    fn start_job(&mut self, kind: JobKind, req: Request, scenario: Option<(Rc<Scenario>, Option<String>)>) {
        if let Some(old) = self.job.take() {
            self.notice = Some(if old.kind == kind {
                format!("Stopped the {} in progress to start this one.", kind.noun())
            } else {
                format!("Stopped the {} to start the {}.", old.kind.noun(), kind.noun())
            });
        } else {
            self.notice = None;
        }
        self.job_seq += 1;
        let id = self.job_seq;
        self.job = Some(ActiveJob {
            id,
            kind,
            share: 0.0,
            label: String::new(),
            scenario,
            started_ms: dom::now_ms(),
        });
        self.runner.start(id, &req);
    }

    fn job_is(&self, kind: JobKind) -> bool {
        self.job.as_ref().is_some_and(|j| j.kind == kind)
    }

    /// The job in progress: what, how far, and a way to stop it.
    fn job_view(&self, ctx: &Context<Self>) -> Html {
        let Some(j) = &self.job else { return html! {} };
        let what = match j.kind {
            JobKind::Run => "Running the simulation".to_string(),
            JobKind::Compare => "Comparing designs".to_string(),
            JobKind::Review => "Reviewing the design".to_string(),
        };
        let detail = if j.label.is_empty() {
            format::percent(j.share, 0)
        } else if j.kind == JobKind::Review {
            j.label.clone()
        } else {
            format!("{} — {}", format::percent(j.share, 0), j.label)
        };
        html! {
            <div class="job" id="job" data-kind={j.kind.noun()} role="status">
                <span class="what">{ what }</span>
                <progress id="progress" max="1" value={j.share.to_string()} aria-label={format!("{} progress", j.kind.noun())} />
                <span class="detail" id="job-detail">{ detail }</span>
                <button id="cancel" class="small" onclick={ctx.link().callback(|_| Msg::Cancel)}>{"Stop"}</button>
                if let Some(why) = self.runner.no_worker() { <span class="warn">{ why.to_string() }</span> }
            </div>
        }
    }

    fn markers(&self, report: &Report) -> Vec<(f64, String, &'static str)> {
        let mut m = Vec::new();
        for f in &report.summary.faults {
            m.push((f.start_s, format!("{} on {} starts", f.kind, f.target), "fault"));
            m.push((f.end_s, format!("{} on {} ends", f.kind, f.target), "fault"));
            if let Some(d) = f.time_to_detect_first_s {
                m.push((f.start_s + d, format!("first router detects ({d:.0} s)"), "detect"));
            }
            if let Some(d) = f.time_to_detect_all_s {
                m.push((f.start_s + d, format!("all routers detect ({d:.0} s)"), "detect"));
            }
            if let Some(d) = f.time_to_mitigate_s {
                m.push((
                    f.start_s + d,
                    format!("mitigated: <1 % of tries there ({d:.0} s)"),
                    "mitigate",
                ));
            }
            if let Some(d) = f.time_to_fail_back_s {
                m.push((f.end_s + d, format!("failed back ({d:.0} s)"), "failback"));
            }
        }
        m
    }

    fn timeline(&self, ctx: &Context<Self>, report: &Report) -> Html {
        let n = report.series.time_s.len();
        let t = report.series.time_s.get(self.cursor).copied().unwrap_or(0.0);
        let oninput = ctx.link().callback(|e: InputEvent| {
            let v = e
                .target()
                .and_then(|t| t.dyn_into::<HtmlInputElement>().ok())
                .map(|i| i.value())
                .unwrap_or_default();
            Msg::Seek(v.parse().unwrap_or(0))
        });
        let onspeed = ctx
            .link()
            .callback(|e: Event| Msg::Speed(input_value(&e).parse().unwrap_or(60)));
        // Markers closer than a marker's width share a time: later ones go
        // to the next lane down, so every one stays visible and clickable.
        let scrubber_px = (results_width() - 40.0).max(200.0);
        let min_gap = 24.0 / scrubber_px * 100.0;
        let mut lanes: Vec<f64> = Vec::new();
        let mut placed = Vec::new();
        let mut all = self.markers(report);
        all.sort_by(|a, b| a.0.total_cmp(&b.0));
        for (at, label, kind) in all {
            let left = (at / report.duration_s * 100.0).clamp(min_gap / 2.0, 100.0 - min_gap / 2.0);
            let lane = match lanes.iter().position(|&end| left - end >= min_gap) {
                Some(l) => l,
                None => {
                    lanes.push(f64::MIN);
                    lanes.len() - 1
                }
            };
            lanes[lane] = left;
            placed.push((at, label, kind, left, lane));
        }
        let lanes_used = lanes.len().max(1);
        let markers = placed.into_iter().map(|(at, label, kind, left, lane)| {
            let b = ((at / report.bucket_s) as usize).min(n.saturating_sub(1));
            let onclick = ctx.link().callback(move |_| Msg::Seek(b));
            html! {
                <button class={classes!("marker", kind)} style={format!("left: {left:.2}%; top: {}rem", lane as f64 * 1.45)}
                    title={format!("{} — {label}", format::clock(at))} data-lane={lane.to_string()}
                    aria-label={format!("jump to {}: {label}", format::clock(at))} {onclick}>
                    <span>{ match kind { "fault" => "F", "detect" => "D", "mitigate" => "M", _ => "B" } }</span>
                </button>
            }
        });
        html! {
            <section class="timeline" aria-label="Replay">
                <button id="play" onclick={ctx.link().callback(|_| Msg::TogglePlay)} aria-pressed={self.playing.is_some().to_string()}>
                    { if self.playing.is_some() { "❚❚ Pause" } else { "▶ Play" } }
                </button>
                <label for="speed" class="inline">{"Speed"}</label>
                <select id="speed" onchange={onspeed}>
                    { for SPEEDS.iter().map(|s| html! { <option value={s.to_string()} selected={*s == self.speed}>{format!("{s}× real time")}</option> }) }
                </select>
                <span class="clock" aria-live="off">{ format!("{} / {}", format::clock(t), format::clock(report.duration_s)) }</span>
                <div class="scrubber">
                    <label for="scrubber" class="visually-hidden">{"Replay time"}</label>
                    <input id="scrubber" type="range" min="0" max={n.saturating_sub(1).to_string()} value={self.cursor.to_string()} {oninput}
                        aria-valuetext={format::clock(t)} />
                    <div class="markers" style={format!("height: {}rem", lanes_used as f64 * 1.45)}>{ for markers }</div>
                </div>
                <p class="legend">{"Markers: F fault start/end · D detection · M mitigation · B failback (click to jump)"}</p>
            </section>
        }
    }

    /// The router's settings the run used and what each rests on.
    fn router_view(&self, report: &Report) -> Html {
        let r = &report.router;
        if r.settings.is_empty() {
            return html! {};
        }
        let assumed = r.assumed().count();
        let title = format!(
            "Router settings: {}{} — {} of {} assumed",
            r.kind,
            r.tier
                .as_ref()
                .map(|t| format!(" (Front Door {t})"))
                .unwrap_or_default(),
            assumed,
            r.settings.len()
        );
        html! {
            <details class="router" id="router-settings">
                <summary>{title}</summary>
                <table>
                    <thead><tr><th scope="col">{"Setting"}</th><th scope="col">{"Value"}</th><th scope="col">{"Basis"}</th><th scope="col">{"Source or assumption"}</th></tr></thead>
                    <tbody>
                        { for r.settings.iter().map(|x| html! {
                            <tr class={x.basis.name()}>
                                <td>{x.name.clone()}</td><td>{x.value.clone()}</td><td>{x.basis.name()}</td><td>{facts::linkify(&x.note)}</td>
                            </tr>
                        }) }
                    </tbody>
                </table>
            </details>
        }
    }

    fn summary_view(&self, report: &Report) -> Html {
        let s = &report.summary;
        let faults = s.faults.iter().map(|f| {
            let healthy = f.healthy_region_clients.as_ref().map(|h| format!("{} → {}", pct(h[0].availability), pct(h[1].availability)));
            html! {
                <table class="fault">
                    <caption>{format!("{} on {} ({} – {})", f.kind, f.target, format::clock(f.start_s), format::clock(f.end_s))}</caption>
                    <tbody>
                        <tr><th scope="row">{"Share of tries there before"}</th><td>{format::percent(f.pre_fault_share, 0)}</td></tr>
                        <tr><th scope="row">{"Detected: first / all routers"}</th><td data-k="detect">{format!("{} / {}", secs(f.time_to_detect_first_s), secs(f.time_to_detect_all_s))}</td></tr>
                        <tr><th scope="row">{"Mitigated (<1 % of tries there)"}</th><td data-k="mitigate">{secs(f.time_to_mitigate_s)}</td></tr>
                        <tr><th scope="row">{"Region back / failed back"}</th><td>{format!("{} / {}", secs(f.time_to_recover_s), secs(f.time_to_fail_back_s))}</td></tr>
                        <tr><th scope="row">{"Availability before / during / after"}</th><td data-k="phases">{format!("{} / {} / {}", pct(f.overall[0].availability), pct(f.overall[1].availability), pct(f.overall[2].availability))}</td></tr>
                        <tr><th scope="row">{"p99 before / during"}</th><td>{format!("{:.0} / {:.0} ms", f.overall[0].latency.p99_ms.unwrap_or(0.0), f.overall[1].latency.p99_ms.unwrap_or(0.0))}</td></tr>
                        <tr><th scope="row">{"Survivor peak utilisation"}</th><td>{format::or_none(f.survivor_peak_utilisation.map(|u| format!("{} ({:.1} min ≥ 95 %)", format::percent(u, 0), f.survivor_minutes_saturated)))}</td></tr>
                        <tr><th scope="row">{"Clients already in healthy regions"}</th><td>{healthy.unwrap_or_else(|| "none".into())}</td></tr>
                    </tbody>
                </table>
            }
        });
        let json = serde_json::to_string(&report.summary).unwrap_or_default();
        html! {
            <section class="summary" aria-label="Summary">
                <div class="kpis">
                    <div class="kpi"><span class="k">{"Availability"}</span><span class="v" id="kpi-availability">{pct(Some(s.availability))}</span></div>
                    <div class="kpi"><span class="k">{"Requests"}</span><span class="v" id="kpi-requests">{s.counts.offered.to_string()}</span></div>
                    <div class="kpi"><span class="k">{"Failed"}</span><span class="v" id="kpi-failed">{s.counts.failed.to_string()}</span></div>
                    <div class="kpi"><span class="k">{"p99"}</span><span class="v">{format!("{:.0} ms", s.latency.p99_ms.unwrap_or(0.0))}</span></div>
                    if let Some(c) = &s.cost {
                        <div class="kpi"><span class="k">{"Monthly cost (example prices)"}</span><span class="v" id="kpi-cost">{format!("{:.0} {}", c.total, c.currency)}</span></div>
                    }
                    <div class="kpi"><span class="k">{"Error budget"}</span><span class="v">{format!("{:.2} of {:.1} min", s.error_budget_minutes_burned, s.error_budget_minutes_per_30d)}</span></div>
                </div>
                if let Some(d) = &s.data {
                    <div class="kpis data" id="data-kpis" aria-label="Data tier">
                        <div class="kpi"><span class="k">{"Data tier"}</span><span class="v">{d.configuration.clone()}</span></div>
                        <div class="kpi"><span class="k">{"Stale reads"}</span><span class="v">{format::availability(d.stale_read_rate)}</span></div>
                        <div class="kpi"><span class="k">{"Session waits (SDK retried)"}</span><span class="v" id="kpi-session-waits">{d.session_waits.to_string()}</span></div>
                        <div class="kpi"><span class="k">{"Write availability"}</span><span class="v">{pct(Some(d.write_availability))}</span></div>
                        <div class="kpi"><span class="k">{"Lost writes (RPO)"}</span><span class="v" id="kpi-lost">{d.lost_writes.to_string()}</span></div>
                        <div class="kpi"><span class="k">{"Conflicts"}</span><span class="v">{d.conflicts.to_string()}</span></div>
                        <div class="kpi"><span class="k">{"No write region"}</span><span class="v">{format!("{:.0} s", d.seconds_without_write_region)}</span></div>
                    </div>
                }
                if let Some(a) = &s.attacks {
                    <div class="kpis" id="attack-kpis" aria-label="Attack requests">
                        <div class="kpi"><span class="k">{"Attack requests"}</span><span class="v">{a.requests.to_string()}</span></div>
                        <div class="kpi"><span class="k">{"Blocked at the edge (WAF)"}</span><span class="v">{a.blocked_at_edge.to_string()}</span></div>
                        <div class="kpi"><span class="k">{"Reached a stamp"}</span><span class="v">{a.reached_origin.to_string()}</span></div>
                    </div>
                }
                if let Some(b) = &s.bypass {
                    <div class="kpis" id="bypass-kpis" aria-label="Calls around the router">
                        <div class="kpi"><span class="k">{format!("Calls to {}'s own hostname", b.region)}</span><span class="v">{b.requests.to_string()}</span></div>
                        <div class="kpi"><span class="k">{"Refused by the origin lock"}</span><span class="v">{b.blocked.to_string()}</span></div>
                        <div class="kpi"><span class="k">{"Served past the gateway"}</span><span class="v">{b.served.to_string()}</span></div>
                        <div class="kpi"><span class="k">{"Failed (region down)"}</span><span class="v">{format!("{} ({})", b.failed, b.failed_region_down)}</span></div>
                    </div>
                }
                { for faults }
                { self.router_view(report) }
                <pre id="summary-json" hidden=true>{json}</pre>
            </section>
        }
    }

    fn review_view(&self, ctx: &Context<Self>) -> Html {
        html! {
            <section class="review" id="review" aria-label="Design review">
                <h2>{"Design review"}</h2>
                <p class="hint">{"The design brief's nine questions answered from this scenario and its run — ok, risk or missing — with the evidence and what to change. Question 9 searches over runs for the headroom that keeps the SLO."}</p>
                <div class="row">
                    <button id="review-run" class="primary" disabled={self.job_is(JobKind::Review)}
                        onclick={ctx.link().callback(|_| Msg::ReviewRun)}>
                        { if self.job_is(JobKind::Review) { "Reviewing…" } else { "Review this design" } }
                    </button>
                    if self.review.is_some() {
                        <button id="download-review" onclick={ctx.link().callback(|_| Msg::DownloadReview)}>{"Download review (Markdown)"}</button>
                    }
                </div>
                if let Some(r) = &self.review {
                    <details class="review-answers" id="review-answers" open=true>
                        <summary>{"The nine answers (click to fold)"}</summary>
                        { review::view(r) }
                    </details>
                }
            </section>
        }
    }

    fn charts_view(&self, ctx: &Context<Self>) -> Html {
        let zoomed = self.zoom.map(|(a, b)| {
            format!(
                "Showing {} – {}",
                charts::tick_label(a, b - a),
                charts::tick_label(b, b - a)
            )
        });
        html! {
            <>
            if self.report.is_some() {
                <p class="chart-help" id="chart-help">
                    {"Hover a chart to read its values (the dashed line follows on every chart); click to move the replay there; drag across a chart to zoom every chart to that time range."}
                    { for self.report.iter().flat_map(|r| r.summary.faults.iter().map(|f| {
                        // The fault with five minutes either side (and its failback).
                        let (a, b) = ((f.start_s - 300.0).max(0.0), (f.end_s + 300.0).min(r.duration_s));
                        html! {
                            <button class="small zoom-fault" onclick={ctx.link().callback(move |_| Msg::Zoom(a, b))}
                                aria-label={format!("Zoom every chart to {} on {} (five minutes either side)", f.kind, f.target)}>
                                { format!("Zoom to {} on {}", f.kind.replace('_', " "), f.target) }
                            </button>
                        }
                    })) }
                    if let Some(z) = zoomed {
                        <span class="zoomed" id="zoomed">{ z }</span>
                        <button class="small" id="reset-zoom" onclick={ctx.link().callback(|_| Msg::ResetZoom)}>{"Reset zoom"}</button>
                    }
                </p>
            }
            <section class="charts" aria-label="Charts">
                { for self.canvases.iter().enumerate().map(|(i, (base, overlay))| {
                    let id = charts::CHART_IDS[i];
                    self.figure(ctx, i, format!("chart-{id}"), base, overlay, true)
                }) }
            </section>
            </>
        }
    }

    /// Chart `g`'s spec (main charts first, then the comparison's).
    fn spec(&self, g: usize) -> Option<&charts::ChartSpec> {
        if g < CHARTS {
            self.specs.get(g).map(|s| &**s)
        } else {
            self.compare_specs.get(g - CHARTS).map(|s| &**s)
        }
    }

    fn area(&self, g: usize) -> Option<PlotArea> {
        if g < CHARTS {
            self.areas.get(g).copied().flatten()
        } else {
            self.compare_areas.get(g - CHARTS).copied().flatten()
        }
    }

    /// The time at CSS x `x` on chart `g`.
    fn t_at(&self, g: usize, x: f64) -> Option<f64> {
        self.area(g).map(|a| a.t_of(x * charts::dpr()))
    }

    /// One chart: its canvases, legend, hover read-out, data table and download.
    fn figure(
        &self,
        ctx: &Context<Self>,
        g: usize,
        id: String,
        base: &NodeRef,
        overlay: &NodeRef,
        download: bool,
    ) -> Html {
        let Some(spec) = self.spec(g) else {
            return html! {
                <figure class="chart">
                    <div class="stack">
                        <canvas ref={base.clone()} id={id} role="img" aria-label="chart"></canvas>
                        <canvas ref={overlay.clone()} class="overlay" aria-hidden="true"></canvas>
                    </div>
                </figure>
            };
        };
        // Pointer events: a mouse, a pen or a finger (a horizontal drag zooms;
        // `touch-action: pan-y` leaves vertical swipes to scroll the page).
        let pos = |e: &PointerEvent| (e.offset_x() as f64, e.offset_y() as f64);
        let onpointermove = ctx.link().callback(move |e: PointerEvent| {
            let (x, y) = pos(&e);
            Msg::ChartMove(g, x, y)
        });
        let onpointerdown = ctx.link().callback(move |e: PointerEvent| {
            e.prevent_default();
            Msg::ChartDown(g, pos(&e).0)
        });
        let onpointerup = ctx.link().callback(move |e: PointerEvent| Msg::ChartUp(g, pos(&e).0));
        let onpointerleave = ctx.link().callback(|_| Msg::ChartLeave);
        let legend = spec.lines.iter().filter(|l| !l.faint).map(|l| {
            html! { <li><span class="swatch" style={format!("background: {}", charts::css_color(l.color))}></span>{ l.label.clone() }</li> }
        });
        let readout = self.hover.filter(|h| h.0 == g).map(|(_, t, x, y)| {
            let rows = charts::values_at(spec, t).into_iter().filter(|v| v.3.is_some()).map(|(label, c, faint, v)| {
                html! {
                    <tr class={classes!(faint.then_some("faint"))}>
                        <td><span class="swatch" style={format!("background: {}", charts::css_color(c))}></span>{ label }</td>
                        <td class="v">{ v.map(|v| charts::format_value(v, spec.log_labels)).unwrap_or_default() }</td>
                    </tr>
                }
            });
            let left = if x > 260.0 { x - 250.0 } else { x + 14.0 };
            html! {
                <div class="readout" role="status" style={format!("left: {left:.0}px; top: {:.0}px", (y - 10.0).max(0.0))}>
                    <div class="t">{ format::clock(t) }</div>
                    <table><tbody>{ for rows }</tbody></table>
                </div>
            }
        });
        let table_open = self.tables.get(g).copied().unwrap_or(false);
        let ontoggle = ctx.link().callback(move |_| Msg::ToggleTable(g));
        let title = spec.title.clone();
        html! {
            <figure class="chart" aria-label={title.clone()}>
                <div class="stack" {onpointermove} {onpointerdown} {onpointerup} {onpointerleave}>
                    <canvas ref={base.clone()} id={id} role="img" aria-label={format!("chart: {title}")}></canvas>
                    <canvas ref={overlay.clone()} class="overlay" aria-hidden="true"></canvas>
                    { readout.unwrap_or_default() }
                </div>
                <ul class="chart-legend" aria-label={format!("legend: {title}")}>{ for legend }</ul>
                <div class="chart-actions">
                    <button class="small" aria-expanded={table_open.to_string()} onclick={ontoggle}
                        aria-label={format!("{} the data table of {title}", if table_open { "Hide" } else { "Show" })}>
                        { if table_open { "Hide data table" } else { "Data table" } }
                    </button>
                    if download {
                        <button class="small" onclick={ctx.link().callback(move |_| Msg::DownloadPng(g))}
                            aria-label={format!("Download {title} as PNG")}>{"Download PNG"}</button>
                    }
                </div>
                if table_open { { self.data_table(spec) } }
            </figure>
        }
    }

    /// A chart's values as a table (at most 240 rows over the range shown).
    fn data_table(&self, spec: &charts::ChartSpec) -> Html {
        let (t0, t1) = self
            .zoom
            .or(self.report.as_ref().map(|r| (0.0, r.duration_s)))
            .unwrap_or((0.0, 0.0));
        let times: Vec<f64> = spec
            .lines
            .iter()
            .max_by_key(|l| l.points.len())
            .map(|l| l.points.iter().map(|p| p.0).filter(|t| *t >= t0 && *t <= t1).collect())
            .unwrap_or_default();
        let step = times.len().div_ceil(240).max(1);
        html! {
            <div class="data-table">
                <table>
                    <caption>{ format!("{} — {}", spec.title, if step > 1 { format!("one point in {step} of {}", times.len()) } else { format!("{} points", times.len()) }) }</caption>
                    <thead><tr><th scope="col">{"time"}</th>{ for spec.lines.iter().map(|l| html! { <th scope="col">{ l.label.clone() }</th> }) }</tr></thead>
                    <tbody>
                        { for times.iter().step_by(step).map(|&t| html! {
                            <tr>
                                <th scope="row">{ format::clock(t) }</th>
                                { for charts::values_at(spec, t).into_iter().map(|v| html! {
                                    <td>{ v.3.map(|v| charts::format_value(v, spec.log_labels)).unwrap_or_else(|| "—".into()) }</td>
                                }) }
                            </tr>
                        }) }
                    </tbody>
                </table>
            </div>
        }
    }

    /// The time range the charts show.
    fn range(&self, t_max: f64) -> (f64, f64) {
        self.zoom.unwrap_or((0.0, t_max))
    }

    fn draw_charts(&mut self) {
        let (Some(report), Some(_)) = (&self.report, &self.report_scenario) else {
            return;
        };
        let faults: Vec<(f64, f64)> = report.summary.faults.iter().map(|f| (f.start_s, f.end_s)).collect();
        let range = self.range(report.duration_s);
        self.areas = self
            .canvases
            .iter()
            .zip(self.specs.iter())
            .map(|((base, _), spec)| {
                base.cast::<HtmlCanvasElement>()
                    .and_then(|c| charts::draw(&c, spec, range, &faults))
            })
            .collect();
        self.charts_dirty = false;
    }

    fn draw_compare_charts(&mut self) {
        let Some(runs) = &self.compare else { return };
        let t_max = runs.first().map(|r| r.1.duration_s).unwrap_or(1.0);
        let faults: Vec<(f64, f64)> = runs
            .first()
            .map(|r| r.1.summary.faults.iter().map(|f| (f.start_s, f.end_s)).collect())
            .unwrap_or_default();
        let range = self.range(t_max);
        self.compare_areas = self
            .compare_canvases
            .iter()
            .zip(self.compare_specs.iter())
            .map(|((base, _), spec)| {
                base.cast::<HtmlCanvasElement>()
                    .and_then(|c| charts::draw(&c, spec, range, &faults))
            })
            .collect();
        self.compare_dirty = false;
    }

    fn compare_view(&self, ctx: &Context<Self>) -> Html {
        let on_preset = ctx.link().callback(|e: Event| Msg::ComparePreset(input_value(&e)));
        let table = self.compare.as_ref().map(|runs| {
            let reports: Vec<Report> = runs.iter().map(|r| r.1.clone()).collect();
            let rows = compare::rows(&reports);
            let same_seed = reports.windows(2).all(|w| w[0].seed == w[1].seed);
            html! {
                <table class="compare" id="compare-table">
                    <caption>{ if same_seed { "Same seed for every variant: differences come from the design. ▲ best, ▼ worst." } else { "The variants use different seeds: differences include chance. ▲ best, ▼ worst." } }</caption>
                    <thead><tr><th scope="col">{"metric"}</th>{ for runs.iter().map(|r| html! { <th scope="col">{r.0.clone()}</th> }) }</tr></thead>
                    <tbody>
                        { for rows.iter().map(|row| {
                            let (best, worst) = (row.best(), row.worst());
                            html! {
                                <tr data-metric={row.metric.id()}>
                                    <th scope="row" title={row.metric.id()}>{row.metric.label()}</th>
                                    { for row.values.iter().enumerate().map(|(i, v)| {
                                        let text = format::or_none(v.map(|x| row.metric.format(x)));
                                        let (class, mark) = if best == Some(i) { ("best", " ▲") } else if worst == Some(i) { ("worst", " ▼") } else { ("", "") };
                                        html! { <td class={class}>{text}{mark}</td> }
                                    }) }
                                </tr>
                            }
                        }) }
                    </tbody>
                </table>
            }
        });
        html! {
            <section class="compare-panel" aria-label="Compare designs">
                <h2>{"Compare designs"}</h2>
                <div class="row">
                    <label for="compare-preset">{"Variants"}</label>
                    <select id="compare-preset" onchange={on_preset}>
                        { for Preset::ALL.iter().map(|p| html! { <option value={p.id()} selected={p.id() == self.compare_preset}>{p.label()}</option> }) }
                        if !self.base.variants.is_empty() {
                            <option value="file" selected={self.compare_preset == "file"}>{format!("The scenario's own [[variants]] ({})", self.base.variants.len())}</option>
                        }
                        <option value="custom" selected={self.compare_preset == "custom"}>{format!("Variants you added ({})", self.compare_custom.len())}</option>
                    </select>
                    <button id="compare-add" onclick={ctx.link().callback(|_| Msg::CompareAddCurrent)}>{"Add current settings"}</button>
                    <button id="compare-clear" onclick={ctx.link().callback(|_| Msg::CompareClear)}>{"Clear"}</button>
                    <button id="compare-run" class="primary-inline" disabled={self.job_is(JobKind::Compare)} onclick={ctx.link().callback(|_| Msg::CompareRun)}>
                        { if self.job_is(JobKind::Compare) { "Comparing…" } else { "Run comparison" } }
                    </button>
                </div>
                { table.unwrap_or_default() }
                <div class="charts compare-charts" hidden={self.compare.is_none()}>
                    { for self.compare_canvases.iter().enumerate().map(|(i, (base, overlay))| {
                        self.figure(ctx, CHARTS + i, format!("compare-chart-{i}"), base, overlay, false)
                    }) }
                </div>
            </section>
        }
    }

    fn draw_cursors(&self) {
        let Some(report) = &self.report else { return };
        let t = report.series.time_s.get(self.cursor).copied().unwrap_or(0.0) + report.bucket_s / 2.0;
        let hover = self.hover.map(|h| h.1);
        let selection = self
            .drag
            .zip(self.hover)
            .filter(|(d, h)| (d.2 - h.2).abs() >= 5.0)
            .map(|(d, h)| (d.1, h.1));
        let all = self
            .canvases
            .iter()
            .zip(&self.areas)
            .chain(self.compare_canvases.iter().zip(&self.compare_areas));
        for ((base, overlay), area) in all {
            if let (Some(b), Some(o), Some(a)) = (
                base.cast::<HtmlCanvasElement>(),
                overlay.cast::<HtmlCanvasElement>(),
                area,
            ) {
                charts::draw_overlay(&o, &b, a, t, hover, selection);
            }
        }
    }
}

impl Component for App {
    type Message = Msg;
    type Properties = ();

    fn create(ctx: &Context<Self>) -> Self {
        let (mut sc, mut name) = headline();
        let mut notice = None;
        let facts = facts::requested(&dom::fragment());
        match share::decode(&dom::fragment()) {
            Some(Ok((text, bundled_name))) => match Scenario::parse(&text) {
                Ok(s) => {
                    sc = s;
                    name = bundled_name;
                }
                Err(e) => {
                    notice = Some(format!(
                        "The shared link's scenario is not valid, so the headline case is shown instead: {e}"
                    ))
                }
            },
            Some(Err(e)) => notice = Some(e),
            None => {}
        }
        if facts.is_none() {
            ctx.link().send_message(Msg::Run);
        }
        let link = ctx.link().clone();
        let runner = jobs::Runner::new(move |id, reply| link.send_message(Msg::Job(id, Box::new(reply))));
        let link = ctx.link().clone();
        let on_hash = Closure::<dyn FnMut()>::new(move || link.send_message(Msg::HashChanged));
        if let Some(w) = web_sys::window() {
            let _ = w.add_event_listener_with_callback("hashchange", on_hash.as_ref().unchecked_ref());
        }
        App {
            bundled_name: name,
            edited: false,
            stale: false,
            form: Form::from_scenario(&sc),
            errors: FieldErrors::new(),
            text: sc.to_toml(),
            text_dirty: false,
            text_error: None,
            notice,
            base: sc,
            report: None,
            report_scenario: None,
            job: None,
            runner,
            job_seq: 0,
            run_refused: false,
            run_ms: None,
            wall_ms: None,
            fragment: dom::fragment(),
            facts_scroll: facts.is_some(),
            facts,
            _on_hash: Some(on_hash),
            cursor: 0,
            playing: None,
            speed: 60,
            share_url: String::new(),
            canvases: (0..CHARTS).map(|_| (NodeRef::default(), NodeRef::default())).collect(),
            areas: vec![None; CHARTS],
            charts_dirty: false,
            compare_preset: Preset::FrontDoorVsTrafficManager.id().to_string(),
            compare_custom: Vec::new(),
            compare: None,
            review: None,
            compare_canvases: (0..3).map(|_| (NodeRef::default(), NodeRef::default())).collect(),
            compare_areas: vec![None; 3],
            specs: Vec::new(),
            compare_specs: Vec::new(),
            zoom: None,
            hover: None,
            drag: None,
            tables: vec![false; CHARTS + 3],
            compare_dirty: false,
        }
    }

    fn update(&mut self, ctx: &Context<Self>, msg: Msg) -> bool {
        match msg {
            Msg::PickBundled(name) => match bundled_by_name(&name).map(|b| Scenario::parse(b.text)) {
                Some(Ok(sc)) => {
                    self.load(sc, Some(name));
                    self.notice = None;
                    ctx.link().send_message(Msg::Run);
                }
                Some(Err(e)) => self.notice = Some(e.to_string()),
                None => self.notice = Some(format!("no bundled scenario {name:?}")),
            },
            Msg::Field(k, v) => {
                if k == "fault.kind" {
                    self.form.set_fault_kind(&v, &self.base);
                } else {
                    self.form.set(&k, v);
                }
                // Re-check as the user types; what was typed stays in the field.
                self.recheck();
            }
            Msg::RoutingKind(kind) => {
                self.form.set_routing_kind(&kind, &self.base);
                self.recheck();
            }
            Msg::Text(t) => {
                self.text = t;
                self.text_dirty = true;
            }
            Msg::ApplyText => match Scenario::parse(&self.text) {
                Ok(sc) => {
                    self.load(sc, None);
                    ctx.link().send_message(Msg::Run);
                }
                Err(e) => self.text_error = Some(e.to_string()),
            },
            Msg::Upload(file) => {
                let link = ctx.link().clone();
                wasm_bindgen_futures::spawn_local(async move {
                    let text = wasm_bindgen_futures::JsFuture::from(file.text())
                        .await
                        .ok()
                        .and_then(|v| v.as_string());
                    match text {
                        Some(t) => link.send_message(Msg::Loaded(t)),
                        None => link.send_message(Msg::Loaded(String::new())),
                    }
                });
                return false;
            }
            Msg::Loaded(t) => {
                self.text = t;
                self.text_dirty = true;
                ctx.link().send_message(Msg::ApplyText);
            }
            Msg::Run => match self.form.apply(&self.base) {
                Err(errs) => {
                    self.errors = errs;
                    // Listed beside the button, each linking to its field; the
                    // first field gets the keyboard focus (the view stays here).
                    self.run_refused = true;
                    if let Some(k) = self.errors.keys().find(|k| *k != "general") {
                        dom::focus_without_scrolling(&field_id(k));
                    }
                }
                Ok(sc) => {
                    self.errors.clear();
                    self.run_refused = false;
                    self.edited = sc != self.base;
                    if self.edited {
                        if self.text_dirty {
                            self.notice = Some(
                                "The scenario text has edits you have not applied; they are kept in the text box."
                                    .into(),
                            );
                        } else {
                            self.text = sc.to_toml();
                        }
                    }
                    let name = (!self.edited).then(|| self.bundled_name.clone()).flatten();
                    let sc = Rc::new(sc);
                    self.start_job(
                        JobKind::Run,
                        Request::Run {
                            scenario: Box::new((*sc).clone()),
                        },
                        Some((sc, name)),
                    );
                }
            },
            Msg::Job(id, reply) => {
                if self.job.as_ref().map(|j| j.id) != Some(id) {
                    return false; // an older job's
                }
                match *reply {
                    Reply::Progress { share, label } => {
                        if let Some(j) = &mut self.job {
                            j.share = share;
                            j.label = label;
                        }
                        return true;
                    }
                    Reply::Ran { report, ms } => {
                        let Some(job) = self.job.take() else { return false };
                        let start = report.summary.faults.first().map(|f| f.start_s + 120.0).unwrap_or(0.0);
                        self.cursor =
                            ((start / report.bucket_s) as usize).min(report.series.time_s.len().saturating_sub(1));
                        self.report = Some(Rc::new(*report));
                        self.review = None;
                        self.zoom = None;
                        if let Some((sc, name)) = job.scenario {
                            // The link names what the results show.
                            self.share_url = dom::set_fragment(&share::encode(&sc, name.as_deref()));
                            self.fragment = dom::fragment();
                            if let Some(r) = &self.report {
                                self.specs = charts::specs(r, &sc).into_iter().map(Rc::new).collect();
                            }
                            self.report_scenario = Some(sc);
                        }
                        self.run_ms = Some(ms);
                        self.wall_ms = Some(dom::now_ms() - job.started_ms);
                        self.recheck();
                        self.charts_dirty = true;
                    }
                    Reply::Compared { runs } => {
                        self.job = None;
                        self.compare_specs = charts::compare_specs(&runs).into_iter().map(Rc::new).collect();
                        self.compare = Some(Rc::new(runs));
                        self.compare_dirty = true;
                    }
                    Reply::Reviewed { review } => {
                        self.job = None;
                        self.review = Some(Rc::new(*review));
                    }
                    Reply::Failed { message } => {
                        let kind = self.job.take().map(|j| j.kind).unwrap_or(JobKind::Run);
                        self.notice = Some(format!("The {} failed: {message}", kind.noun()));
                    }
                }
            }
            Msg::Cancel => {
                if let Some(j) = self.job.take() {
                    self.runner.stop();
                    self.notice = Some(format!(
                        "Stopped the {}; the results shown are from before it.",
                        j.kind.noun()
                    ));
                }
            }
            Msg::HashChanged => {
                let f = dom::fragment();
                if let Some(section) = facts::requested(&f) {
                    self.facts = Some(section);
                    self.facts_scroll = true;
                    return true;
                }
                if self.facts.take().is_some() && self.report.is_none() && self.job.is_none() {
                    // Opened on the facts page: the simulator runs when first shown.
                    ctx.link().send_message(Msg::Run);
                }
                if f == self.fragment || f.is_empty() {
                    return true;
                }
                self.fragment = f.clone();
                match share::decode(&f) {
                    Some(Ok((text, name))) => match Scenario::parse(&text) {
                        Ok(sc) => {
                            self.load(sc, name);
                            self.notice = Some("Opened the scenario from the link.".into());
                            ctx.link().send_message(Msg::Run);
                        }
                        Err(e) => {
                            self.notice = Some(format!("The link's scenario is not valid, so nothing was changed: {e}"))
                        }
                    },
                    Some(Err(e)) => self.notice = Some(e),
                    None => {}
                }
            }
            Msg::ChartMove(g, x, y) => {
                let Some(t) = self.t_at(g, x) else { return false };
                self.hover = Some((g, t, x, y));
            }
            Msg::ChartLeave => {
                self.hover = None;
                self.drag = None;
            }
            Msg::ChartDown(g, x) => {
                let Some(t) = self.t_at(g, x) else { return false };
                self.drag = Some((g, t, x));
            }
            Msg::ChartUp(g, x) => {
                let (Some((dg, t0, x0)), Some(t1), Some(r)) = (self.drag.take(), self.t_at(g, x), &self.report) else {
                    return false;
                };
                if dg != g || (x - x0).abs() < 5.0 {
                    // A click: the replay moves there.
                    self.cursor = ((t1 / r.bucket_s) as usize).min(r.series.time_s.len().saturating_sub(1));
                } else if (t1 - t0).abs() >= 2.0 * r.bucket_s {
                    self.zoom = Some((t0.min(t1), t0.max(t1)));
                    self.charts_dirty = true;
                    self.compare_dirty = true;
                }
            }
            Msg::Zoom(a, b) => {
                self.zoom = (b > a).then_some((a, b));
                self.charts_dirty = true;
                self.compare_dirty = true;
            }
            Msg::ResetZoom => {
                self.zoom = None;
                self.charts_dirty = true;
                self.compare_dirty = true;
            }
            Msg::ToggleTable(g) => {
                if let Some(x) = self.tables.get_mut(g) {
                    *x = !*x;
                }
            }
            Msg::Seek(b) => {
                self.cursor = b;
            }
            Msg::TogglePlay => {
                if self.playing.take().is_none() {
                    let link = ctx.link().clone();
                    self.playing = Some(Interval::new(100, move || link.send_message(Msg::Tick)));
                }
            }
            Msg::Speed(s) => self.speed = s,
            Msg::Tick => {
                let Some(r) = &self.report else { return false };
                let n = r.series.time_s.len();
                let step = ((self.speed as f64 * 0.1) / r.bucket_s).max(1.0) as usize;
                self.cursor = (self.cursor + step).min(n.saturating_sub(1));
                if self.cursor + 1 >= n {
                    self.playing = None;
                }
            }
            Msg::DownloadJson => {
                if let Some(r) = &self.report {
                    let name = format!("{}-seed{}.json", r.scenario, r.seed);
                    if let Err(e) = dom::download_text(
                        &name,
                        "application/json",
                        &serde_json::to_string_pretty(&**r).unwrap_or_default(),
                    ) {
                        self.notice = Some(e);
                    }
                }
                return false;
            }
            Msg::DownloadCsv => {
                if let Some(r) = &self.report {
                    if let Err(e) =
                        dom::download_text(&format!("{}-seed{}.csv", r.scenario, r.seed), "text/csv", &r.to_csv())
                    {
                        self.notice = Some(e);
                    }
                }
                return false;
            }
            Msg::DownloadPng(i) => {
                let names = charts::CHART_IDS;
                if let Some(c) = self.canvases.get(i).and_then(|(b, _)| b.cast::<HtmlCanvasElement>()) {
                    if let Ok(url) = c.to_data_url() {
                        let _ = dom::download_url(&format!("{}.png", names[i]), &url);
                    }
                }
                return false;
            }
            Msg::ComparePreset(p) => self.compare_preset = p,
            Msg::CompareAddCurrent => match self.form.apply(&self.base) {
                Ok(sc) if self.compare_custom.len() < 4 => {
                    let name = format!(
                        "#{} {} seed {}",
                        self.compare_custom.len() + 1,
                        sc.routing.kind_name(),
                        sc.seed
                    );
                    self.compare_custom.push(Variant { name, scenario: sc });
                    self.compare_preset = "custom".into();
                }
                Ok(_) => self.notice = Some("A comparison holds at most 4 variants.".into()),
                Err(errs) => self.errors = errs,
            },
            Msg::CompareClear => {
                self.compare_custom.clear();
                self.compare = None;
                self.compare_preset = Preset::FrontDoorVsTrafficManager.id().to_string();
            }
            Msg::CompareRun => {
                let current = match self.form.apply(&self.base) {
                    Ok(sc) => sc,
                    Err(errs) => {
                        self.errors = errs;
                        self.notice =
                            Some("Fix the form's highlighted fields first: the comparison starts from them.".into());
                        return true;
                    }
                };
                let variants = match Preset::from_id(&self.compare_preset) {
                    // The scenario file's own [[variants]], over the form's settings.
                    None if self.compare_preset == "file" => match current.expand_variants(&[]) {
                        Ok(list) => list
                            .into_iter()
                            .map(|(name, scenario)| Variant { name, scenario })
                            .collect(),
                        Err(e) => {
                            self.notice = Some(e.to_string());
                            return true;
                        }
                    },
                    Some(p) => p.variants(&current),
                    None => self.compare_custom.clone(),
                };
                if variants.len() < 2 {
                    self.notice =
                        Some("Add at least two variants (change the form, then “Add current settings”).".into());
                    return true;
                }
                let variants = variants.into_iter().map(|v| (v.name, v.scenario)).collect();
                self.start_job(JobKind::Compare, Request::Compare { variants }, None);
            }
            Msg::ReviewRun => {
                let (Some(report), Some(sc)) = (&self.report, &self.report_scenario) else {
                    return false;
                };
                let req = Request::Review {
                    scenario: Box::new((**sc).clone()),
                    report: Box::new((**report).clone()),
                };
                self.start_job(JobKind::Review, req, None);
            }
            Msg::DownloadReview => {
                if let Some(r) = &self.review {
                    let name = format!("{}-review.md", r.scenario);
                    if let Err(e) = dom::download_text(&name, "text/markdown", &r.to_markdown()) {
                        self.notice = Some(e);
                    }
                }
                return false;
            }
            Msg::CopyLink => {
                dom::copy(&self.share_url);
                self.notice = Some("Share link copied.".into());
            }
        }
        true
    }

    fn rendered(&mut self, _ctx: &Context<Self>, _first: bool) {
        if let Some(section) = &self.facts {
            if self.facts_scroll {
                self.facts_scroll = false;
                dom::scroll_to(&facts::anchor(section));
            }
            return;
        }
        if self.charts_dirty {
            self.draw_charts();
        }
        if self.compare_dirty {
            self.draw_compare_charts();
        }
        self.draw_cursors();
    }

    fn view(&self, ctx: &Context<Self>) -> Html {
        if self.facts.is_some() {
            return facts::page();
        }
        let on_pick = ctx.link().callback(|e: Event| Msg::PickBundled(input_value(&e)));
        let on_text = ctx.link().callback(|e: InputEvent| {
            Msg::Text(
                e.target()
                    .and_then(|t| t.dyn_into::<HtmlTextAreaElement>().ok())
                    .map(|a| a.value())
                    .unwrap_or_default(),
            )
        });
        let on_upload = ctx.link().batch_callback(|e: Event| {
            e.target()
                .and_then(|t| t.dyn_into::<HtmlInputElement>().ok())
                .and_then(|i| i.files())
                .and_then(|f| f.get(0))
                .map(Msg::Upload)
        });
        let current = if self.edited {
            String::new()
        } else {
            self.bundled_name.clone().unwrap_or_default()
        };
        html! {
            <div class="app">
                <header>
                    <h1>{"regionsim"}</h1>
                    <p class="tagline">{"Replay a region failure second by second — routing, probes, capacity, autoscale — in your browser. "}
                        <a href="#facts" target="_blank" rel="noopener" id="facts-link">{"The facts behind the defaults"}</a></p>
                    <div class="picker">
                        <label for="bundled">{"Scenario"}</label>
                        <select id="bundled" onchange={on_pick}>
                            if current.is_empty() { <option value="" selected=true>{"(edited)"}</option> }
                            { for bundled().iter().map(|b| html! { <option value={b.name} selected={b.name == current}>{b.name}</option> }) }
                        </select>
                    </div>
                </header>
                if let Some(n) = &self.notice { <p class="notice" role="status">{n}</p> }
                <main>
                    <aside class="side">
                        <p class="question">{ self.base.description.clone() }</p>
                        { self.form_view(ctx) }
                        <details class="text">
                            <summary>{"Scenario text (TOML or JSON): paste, upload or edit"}</summary>
                            <label for="scenario-text" class="visually-hidden">{"Scenario text"}</label>
                            <textarea id="scenario-text" spellcheck="false" value={self.text.clone()} oninput={on_text} rows="18" />
                            if let Some(e) = &self.text_error { <pre class="text-error" role="alert">{e}</pre> }
                            <div class="row">
                                <button id="apply-text" onclick={ctx.link().callback(|_| Msg::ApplyText)}>{"Apply text and run"}</button>
                                <label for="upload" class="inline">{"Upload file"}</label>
                                <input id="upload" type="file" accept=".toml,.json,text/plain,application/json" onchange={on_upload} />
                            </div>
                        </details>
                    </aside>
                    <div class="results">
                        { self.job_view(ctx) }
                        if let Some(r) = &self.report {
                            <>
                                if self.stale && !self.job_is(JobKind::Run) {
                                    <p class="stale" id="stale" role="status">
                                        { format!("The form has changes not run yet: the results below are for the settings last run (seed {}). ", r.seed) }
                                        <button class="small" onclick={ctx.link().callback(|_| Msg::Run)}>{"Run with the form's settings"}</button>
                                    </p>
                                }
                                { self.timeline(ctx, r) }
                                <div class="toolbar">
                                    <button id="download-json" onclick={ctx.link().callback(|_| Msg::DownloadJson)}>{"Download report (JSON)"}</button>
                                    <button id="download-csv" onclick={ctx.link().callback(|_| Msg::DownloadCsv)}>{"Download series (CSV)"}</button>
                                    <button id="copy-link" onclick={ctx.link().callback(|_| Msg::CopyLink)}>{"Copy share link"}</button>
                                    <label for="share-url" class="visually-hidden">{"Share link"}</label>
                                    <input id="share-url" readonly=true value={self.share_url.clone()} />
                                    <span id="run-ms" data-ms={self.run_ms.map(|m| format!("{m:.0}")).unwrap_or_default()}
                                        data-wall-ms={self.wall_ms.map(|m| format!("{m:.0}")).unwrap_or_default()}>
                                        { match (self.run_ms, self.wall_ms) {
                                            (Some(m), Some(w)) => format!("simulated {} requests in {m:.0} ms ({w:.0} ms from the click)", r.summary.counts.offered),
                                            _ => String::new(),
                                        } }
                                    </span>
                                </div>
                                <section class="topo" aria-label="Topology">
                                    { topology::view(r, self.report_scenario.as_deref().unwrap_or(&self.base), self.cursor, map_scale()) }
                                </section>
                                { self.summary_view(r) }
                            </>
                        }
                        { self.charts_view(ctx) }
                        // After the charts, and collapsible: the nine answers are long.
                        if self.report.is_some() { { self.review_view(ctx) } }
                        { self.compare_view(ctx) }
                    </div>
                </main>
            </div>
        }
    }
}
