//! Charts drawn with plotters on canvases, sized for the screen's pixel
//! ratio so they stay crisp on HiDPI displays. Each chart has a base canvas
//! (drawn once per report) and an overlay canvas for the replay cursor (drawn
//! on every cursor move), so playback stays cheap.

use plotters::prelude::*;
use plotters_canvas::CanvasBackend;
use sim_core::{FailCause, Report, Scenario};
use web_sys::HtmlCanvasElement;

/// Colour-blind-safe palette (Okabe–Ito).
pub const PALETTE: [(u8, u8, u8); 8] = [
    (0, 114, 178),
    (230, 159, 0),
    (0, 158, 115),
    (204, 121, 167),
    (86, 180, 233),
    (213, 94, 0),
    (120, 120, 120),
    (0, 0, 0),
];

/// The i-th palette colour as CSS.
pub fn css_color(i: usize) -> String {
    let (r, g, b) = PALETTE[i % PALETTE.len()];
    format!("rgb({r},{g},{b})")
}

fn color(i: usize) -> RGBColor {
    let (r, g, b) = PALETTE[i % PALETTE.len()];
    RGBColor(r, g, b)
}

/// One line of a chart.
pub struct Line {
    pub label: String,
    pub color: usize,
    /// Faint lines are drawn thinner and lighter, without a legend entry.
    pub faint: bool,
    pub points: Vec<(f64, f64)>,
}

/// The charts, in the order [`specs`] returns them (also their canvas ids).
pub const CHART_IDS: [&str; 6] = [
    "availability",
    "latency",
    "region-rps",
    "instances",
    "failures",
    "replication",
];

/// A chart's content.
pub struct ChartSpec {
    pub title: String,
    pub y_desc: String,
    pub y_min: f64,
    pub y_max: f64,
    /// Values are log10 of what is shown (axis labels show 10^v).
    pub log_labels: bool,
    pub lines: Vec<Line>,
}

/// Where the plotting area ended up, in canvas pixels, for the cursor overlay.
#[derive(Clone, Copy, Debug, PartialEq, Default)]
pub struct PlotArea {
    pub x0: f64,
    pub x1: f64,
    pub y0: f64,
    pub y1: f64,
    pub t_max: f64,
}

fn fit(canvas: &HtmlCanvasElement) -> f64 {
    let dpr = web_sys::window()
        .map(|w| w.device_pixel_ratio())
        .unwrap_or(1.0)
        .max(1.0);
    let w = (canvas.client_width().max(300) as f64 * dpr) as u32;
    let h = (canvas.client_height().max(160) as f64 * dpr) as u32;
    if canvas.width() != w || canvas.height() != h {
        canvas.set_width(w);
        canvas.set_height(h);
    }
    dpr
}

/// Draws `spec` over [0, t_max] seconds with the faults shaded.
pub fn draw(canvas: &HtmlCanvasElement, spec: &ChartSpec, t_max: f64, faults: &[(f64, f64)]) -> Option<PlotArea> {
    let dpr = fit(canvas);
    let px = |v: f64| (v * dpr) as u32;
    let font = |s: f64| ("sans-serif", s * dpr);
    let root = CanvasBackend::with_canvas_object(canvas.clone())?.into_drawing_area();
    root.fill(&WHITE).ok()?;
    let (y_min, y_max) = if spec.y_max > spec.y_min {
        (spec.y_min, spec.y_max)
    } else {
        (spec.y_min, spec.y_min + 1.0)
    };
    let mut chart = ChartBuilder::on(&root)
        .caption(&spec.title, font(14.0))
        .margin(px(8.0))
        .x_label_area_size(px(30.0))
        .y_label_area_size(px(56.0))
        .build_cartesian_2d(0.0..t_max.max(1.0), y_min..y_max)
        .ok()?;
    let log = spec.log_labels;
    chart
        .configure_mesh()
        .x_desc("minutes")
        .y_desc(spec.y_desc.as_str())
        .label_style(font(11.0))
        .axis_desc_style(font(11.0))
        .x_label_formatter(&|x| format!("{:.0}", x / 60.0))
        .y_label_formatter(&|y| {
            if log {
                format_log(*y)
            } else {
                format!("{y:.3}")
                    .trim_end_matches('0')
                    .trim_end_matches('.')
                    .to_string()
            }
        })
        .light_line_style(RGBColor(235, 235, 235))
        .draw()
        .ok()?;
    for &(a, b) in faults {
        chart
            .draw_series(std::iter::once(Rectangle::new(
                [(a, y_min), (b.min(t_max), y_max)],
                RGBColor(213, 94, 0).mix(0.08).filled(),
            )))
            .ok()?;
    }
    for line in &spec.lines {
        let c = color(line.color);
        let style = if line.faint {
            c.mix(0.45).stroke_width(px(1.0).max(1))
        } else {
            c.stroke_width(px(1.6).max(1))
        };
        let s = chart
            .draw_series(LineSeries::new(
                line.points.iter().map(|&(x, y)| (x, y.clamp(y_min, y_max))),
                style,
            ))
            .ok()?;
        if !line.faint {
            let w = px(18.0) as i32;
            s.label(line.label.as_str())
                .legend(move |(x, y)| PathElement::new(vec![(x, y), (x + w, y)], c.stroke_width(2)));
        }
    }
    chart
        .configure_series_labels()
        .position(SeriesLabelPosition::LowerLeft)
        .label_font(font(11.0))
        .background_style(WHITE.mix(0.85))
        .border_style(RGBColor(200, 200, 200))
        .draw()
        .ok()?;
    let (xr, yr) = chart.plotting_area().get_pixel_range();
    root.present().ok()?;
    Some(PlotArea {
        x0: xr.start as f64,
        x1: xr.end as f64,
        y0: yr.start as f64,
        y1: yr.end as f64,
        t_max: t_max.max(1.0),
    })
}

fn format_log(v: f64) -> String {
    let ms = 10f64.powf(v);
    if ms >= 1000.0 {
        format!("{:.0} s", ms / 1000.0)
    } else {
        format!("{ms:.0} ms")
    }
}

/// Draws the replay cursor at `t` seconds on the overlay canvas.
pub fn draw_cursor(overlay: &HtmlCanvasElement, area: &PlotArea, t: f64, base: &HtmlCanvasElement) {
    if overlay.width() != base.width() || overlay.height() != base.height() {
        overlay.set_width(base.width());
        overlay.set_height(base.height());
    }
    let Some(ctx) = overlay
        .get_context("2d")
        .ok()
        .flatten()
        .and_then(|c| wasm_bindgen::JsCast::dyn_into::<web_sys::CanvasRenderingContext2d>(c).ok())
    else {
        return;
    };
    ctx.clear_rect(0.0, 0.0, overlay.width() as f64, overlay.height() as f64);
    let x = area.x0 + (t / area.t_max).clamp(0.0, 1.0) * (area.x1 - area.x0);
    ctx.set_stroke_style_str("rgba(0,0,0,0.75)");
    ctx.set_line_width(1.5 * web_sys::window().map(|w| w.device_pixel_ratio()).unwrap_or(1.0));
    ctx.begin_path();
    ctx.move_to(x, area.y0);
    ctx.line_to(x, area.y1);
    ctx.stroke();
}

/// Availability per bucket, or None when nothing ended.
fn availability(ok: u32, failed: &[u32; sim_core::metrics::report::FAIL_CAUSES]) -> Option<f64> {
    let bad: u32 = failed.iter().sum();
    (ok + bad > 0).then(|| ok as f64 / (ok + bad) as f64 * 100.0)
}

/// Every chart of a report.
pub fn specs(report: &Report, sc: &Scenario) -> Vec<ChartSpec> {
    let s = &report.series;
    let t = &s.time_s;
    let bs = report.bucket_s;
    let mut out = Vec::new();

    let mut avail_lines = Vec::new();
    let mut lowest: f64 = 100.0;
    for (i, p) in s.populations.iter().enumerate() {
        let pts: Vec<(f64, f64)> = t
            .iter()
            .zip(p.succeeded.iter().zip(&p.failed))
            .filter_map(|(&x, (ok, f))| availability(*ok, f).map(|a| (x, a)))
            .collect();
        lowest = pts.iter().fold(lowest, |m, p| m.min(p.1));
        avail_lines.push(Line {
            label: p.name.clone(),
            color: i,
            faint: false,
            points: pts,
        });
    }
    out.push(ChartSpec {
        title: "Availability per population (%)".into(),
        y_desc: "% of requests ending OK".into(),
        y_min: (lowest - 2.0).clamp(0.0, 99.0).floor(),
        y_max: 100.5,
        log_labels: false,
        lines: avail_lines,
    });

    let mut lat = Vec::new();
    let (mut lo, mut hi) = (f64::INFINITY, f64::NEG_INFINITY);
    for (i, p) in s.populations.iter().enumerate() {
        for (vals, faint, tag) in [(&p.p99_ms, false, "p99"), (&p.p50_ms, true, "p50")] {
            let pts: Vec<(f64, f64)> = t
                .iter()
                .zip(vals.iter())
                .filter_map(|(&x, v)| v.map(|v| (x, (v.max(0.1) as f64).log10())))
                .collect();
            for p in &pts {
                lo = lo.min(p.1);
                hi = hi.max(p.1);
            }
            lat.push(Line {
                label: format!("{} {tag}", p.name),
                color: i,
                faint,
                points: pts,
            });
        }
    }
    out.push(ChartSpec {
        title: "Latency per population: p99 (bold) and p50 (light)".into(),
        y_desc: "end-to-end latency".into(),
        y_min: if lo.is_finite() { lo.floor() } else { 0.0 },
        y_max: if hi.is_finite() { hi.ceil() } else { 3.0 },
        log_labels: true,
        lines: lat,
    });

    let mut rps = Vec::new();
    let mut top: f64 = 1.0;
    for (i, r) in s.regions.iter().enumerate() {
        let pts: Vec<(f64, f64)> = t.iter().zip(&r.arrivals).map(|(&x, &a)| (x, a as f64 / bs)).collect();
        top = pts.iter().fold(top, |m, p| m.max(p.1));
        rps.push(Line {
            label: r.name.clone(),
            color: i,
            faint: false,
            points: pts,
        });
    }
    out.push(ChartSpec {
        title: "Requests per second reaching each region".into(),
        y_desc: "requests/s".into(),
        y_min: 0.0,
        y_max: top * 1.1,
        log_labels: false,
        lines: rps,
    });

    let mut inst = Vec::new();
    let mut top: f64 = 1.0;
    for (i, r) in s.regions.iter().enumerate() {
        let spec = sc.regions.iter().find(|x| x.name == r.name);
        let per_instance = spec
            .map(|x| x.workers_per_instance as f64 / x.service_time.mean().as_secs_f64().max(1e-6))
            .unwrap_or(1.0);
        let serving: Vec<(f64, f64)> = t
            .iter()
            .zip(&r.instances_serving)
            .map(|(&x, &n)| (x, n as f64))
            .collect();
        let demand: Vec<(f64, f64)> = t
            .iter()
            .zip(&r.arrivals)
            .map(|(&x, &a)| (x, a as f64 / bs / per_instance))
            .collect();
        top = serving.iter().chain(&demand).fold(top, |m, p| m.max(p.1));
        inst.push(Line {
            label: format!("{} serving", r.name),
            color: i,
            faint: false,
            points: serving,
        });
        inst.push(Line {
            label: format!("{} needed at 100 %", r.name),
            color: i,
            faint: true,
            points: demand,
        });
    }
    out.push(ChartSpec {
        title: "Instances serving (bold) vs instances the load needs at 100 % (light)".into(),
        y_desc: "instances".into(),
        y_min: 0.0,
        y_max: top * 1.15,
        log_labels: false,
        lines: inst,
    });

    let mut causes = Vec::new();
    let mut top: f64 = 1.0;
    for (k, cause) in FailCause::ALL.iter().enumerate() {
        let pts: Vec<(f64, f64)> = (0..t.len())
            .map(|b| {
                (
                    t[b],
                    s.populations.iter().map(|p| p.failed[b][k] as f64).sum::<f64>() / bs,
                )
            })
            .collect();
        if pts.iter().all(|p| p.1 == 0.0) {
            continue;
        }
        top = pts.iter().fold(top, |m, p| m.max(p.1));
        causes.push(Line {
            label: cause.name().replace('_', " "),
            color: k + 3,
            faint: false,
            points: pts,
        });
    }
    out.push(ChartSpec {
        title: "Failed requests per second, by cause".into(),
        y_desc: "failures/s".into(),
        y_min: 0.0,
        y_max: top * 1.1,
        log_labels: false,
        lines: causes,
    });
    let mut lag = Vec::new();
    let (mut lo, mut hi) = (f64::INFINITY, f64::NEG_INFINITY);
    for (i, r) in s.regions.iter().enumerate() {
        let pts: Vec<(f64, f64)> = t
            .iter()
            .zip(&r.replication_lag_ms)
            .filter_map(|(&x, v)| v.map(|v| (x, (v.max(0.1) as f64).log10())))
            .collect();
        for p in &pts {
            lo = lo.min(p.1);
            hi = hi.max(p.1);
        }
        if !pts.is_empty() {
            lag.push(Line {
                label: format!("into {}", r.name),
                color: i,
                faint: false,
                points: pts,
            });
        }
    }
    out.push(ChartSpec {
        title: if lag.is_empty() {
            "Replication lag (no data tier in this scenario)".into()
        } else {
            "Replication lag of writes reaching each region".into()
        },
        y_desc: "lag".into(),
        y_min: if lo.is_finite() { lo.floor() } else { 0.0 },
        y_max: if hi.is_finite() {
            hi.ceil().max(lo.floor() + 1.0)
        } else {
            3.0
        },
        log_labels: true,
        lines: lag,
    });
    out
}

/// Overlaid charts of several variants' reports (same seed, same bucket).
pub fn compare_specs(runs: &[(String, Report)]) -> Vec<ChartSpec> {
    let mut avail = Vec::new();
    let mut lat = Vec::new();
    let mut util = Vec::new();
    let mut lowest: f64 = 100.0;
    let (mut lo, mut hi) = (f64::INFINITY, f64::NEG_INFINITY);
    for (i, (name, r)) in runs.iter().enumerate() {
        let s = &r.series;
        let mut a = Vec::new();
        let mut l = Vec::new();
        let mut u = Vec::new();
        for (b, &t) in s.time_s.iter().enumerate() {
            let ok: u32 = s.populations.iter().map(|p| p.succeeded[b]).sum();
            let mut failed = [0u32; sim_core::metrics::report::FAIL_CAUSES];
            for p in &s.populations {
                for (k, f) in failed.iter_mut().enumerate() {
                    *f += p.failed[b][k];
                }
            }
            if let Some(v) = availability(ok, &failed) {
                lowest = lowest.min(v);
                a.push((t, v));
            }
            if let Some(worst) = s
                .populations
                .iter()
                .filter_map(|p| p.p99_ms[b])
                .fold(None, |m: Option<f32>, v| Some(m.map_or(v, |m| m.max(v))))
            {
                let v = (worst.max(0.1) as f64).log10();
                lo = lo.min(v);
                hi = hi.max(v);
                l.push((t, v));
            }
            u.push((
                t,
                s.regions
                    .iter()
                    .map(|x| x.utilisation[b] as f64 * 100.0)
                    .fold(0.0, f64::max),
            ));
        }
        avail.push(Line {
            label: name.clone(),
            color: i,
            faint: false,
            points: a,
        });
        lat.push(Line {
            label: name.clone(),
            color: i,
            faint: false,
            points: l,
        });
        util.push(Line {
            label: name.clone(),
            color: i,
            faint: false,
            points: u,
        });
    }
    vec![
        ChartSpec {
            title: "Availability, all populations (%)".into(),
            y_desc: "% of requests ending OK".into(),
            y_min: (lowest - 2.0).clamp(0.0, 99.0).floor(),
            y_max: 100.5,
            log_labels: false,
            lines: avail,
        },
        ChartSpec {
            title: "Worst population's p99 latency".into(),
            y_desc: "p99".into(),
            y_min: if lo.is_finite() { lo.floor() } else { 0.0 },
            y_max: if hi.is_finite() { hi.ceil() } else { 3.0 },
            log_labels: true,
            lines: lat,
        },
        ChartSpec {
            title: "Busiest region's utilisation (%)".into(),
            y_desc: "utilisation %".into(),
            y_min: 0.0,
            y_max: 105.0,
            log_labels: false,
            lines: util,
        },
    ]
}
