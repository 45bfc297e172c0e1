//! Charts drawn with plotters on canvases, sized for the screen's pixel
//! ratio so they stay crisp on HiDPI displays. Each chart has a base canvas
//! (drawn once per report and zoom) and an overlay canvas for the replay
//! cursor, the hover crosshair shared by every chart and a zoom selection
//! (drawn on every move), so playback and hovering stay cheap. Time ticks fall
//! on round steps (10 s to a day) labelled mm:ss or hh:mm; legends, hover
//! read-outs and data tables are the page's (HTML), beside the canvas.

use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};
use plotters_canvas::CanvasBackend;
use regionsim::{FailCause, Report, Scenario};
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

/// Where the plotting area ended up, in canvas pixels, and the time range
/// it shows: what the overlay and the mouse need.
#[derive(Clone, Copy, Debug, PartialEq, Default)]
pub struct PlotArea {
    pub x0: f64,
    pub x1: f64,
    pub y0: f64,
    pub y1: f64,
    pub t0: f64,
    pub t1: f64,
}

impl PlotArea {
    /// The canvas x of time `t` (clamped to the area).
    pub fn x_of(&self, t: f64) -> f64 {
        self.x0 + ((t - self.t0) / (self.t1 - self.t0)).clamp(0.0, 1.0) * (self.x1 - self.x0)
    }
    /// The time at canvas x `x` (clamped to the range shown).
    pub fn t_of(&self, x: f64) -> f64 {
        self.t0 + ((x - self.x0) / (self.x1 - self.x0).max(1.0)).clamp(0.0, 1.0) * (self.t1 - self.t0)
    }
}

/// The screen's pixel ratio.
pub fn dpr() -> f64 {
    web_sys::window()
        .map(|w| w.device_pixel_ratio())
        .unwrap_or(1.0)
        .max(1.0)
}

fn fit(canvas: &HtmlCanvasElement) -> f64 {
    let dpr = dpr();
    let w = (canvas.client_width().max(200) as f64 * dpr) as u32;
    let h = (canvas.client_height().max(160) as f64 * dpr) as u32;
    if canvas.width() != w || canvas.height() != h {
        canvas.set_width(w);
        canvas.set_height(h);
    }
    dpr
}

/// Tick times for [t0, t1]: round steps (10 s … a week), at most 9 ticks.
pub fn ticks(t0: f64, t1: f64) -> Vec<f64> {
    const STEPS: [f64; 16] = [
        10.0, 30.0, 60.0, 120.0, 300.0, 600.0, 900.0, 1800.0, 3600.0, 7200.0, 10800.0, 21600.0, 43200.0, 86400.0,
        172800.0, 604800.0,
    ];
    let span = (t1 - t0).max(1.0);
    let step = STEPS.iter().copied().find(|s| span / s <= 8.0).unwrap_or(604800.0);
    let mut t = (t0 / step).ceil() * step;
    let mut out = Vec::new();
    while t <= t1 + 1e-9 && out.len() < 100 {
        out.push(t);
        t += step;
    }
    out
}

/// A time on the axis: mm:ss under an hour's span, else hh:mm (days as d+hh:mm).
pub fn tick_label(t: f64, span: f64) -> String {
    let s = t.max(0.0).round() as u64;
    if span < 3600.0 {
        format!("{:02}:{:02}", s / 60, s % 60)
    } else if s < 86400 {
        format!("{:02}:{:02}", s / 3600, (s / 60) % 60)
    } else {
        format!("{}d+{:02}:{:02}", s / 86400, (s / 3600) % 24, (s / 60) % 60)
    }
}

/// Draws `spec` over the time range [t0, t1] seconds with the faults shaded.
/// The legend is not drawn here: it is the page's, beside the chart.
pub fn draw(
    canvas: &HtmlCanvasElement,
    spec: &ChartSpec,
    range: (f64, f64),
    faults: &[(f64, f64)],
) -> Option<PlotArea> {
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
    let (t0, t1) = (range.0, range.1.max(range.0 + 1.0));
    let span = t1 - t0;
    let mut chart = ChartBuilder::on(&root)
        .caption(&spec.title, font(14.0))
        .margin(px(8.0))
        .x_label_area_size(px(30.0))
        .y_label_area_size(px(56.0))
        .build_cartesian_2d(t0..t1, y_min..y_max)
        .ok()?;
    let log = spec.log_labels;
    // Time ticks are drawn by hand, on round steps (plotters picks decimal ones).
    chart
        .configure_mesh()
        .disable_x_mesh()
        .x_labels(0)
        .y_desc(spec.y_desc.as_str())
        .label_style(font(11.0))
        .axis_desc_style(font(11.0))
        .y_label_formatter(&|y| axis_label(*y, log))
        .light_line_style(RGBColor(235, 235, 235))
        .draw()
        .ok()?;
    let grid = RGBColor(225, 225, 225);
    for t in ticks(t0, t1) {
        chart
            .draw_series(std::iter::once(PathElement::new(
                vec![(t, y_min), (t, y_max)],
                grid.stroke_width(1),
            )))
            .ok()?;
        let (x, y) = chart.backend_coord(&(t, y_min));
        // The labels at the ends stay inside the canvas.
        let h = if t >= t1 - span * 0.02 {
            HPos::Right
        } else if t <= t0 + span * 0.02 {
            HPos::Left
        } else {
            HPos::Center
        };
        let style = TextStyle::from(font(11.0).into_font())
            .color(&RGBColor(60, 60, 60))
            .pos(Pos::new(h, VPos::Top));
        root.draw(&Text::new(tick_label(t, span), (x, y + px(5.0) as i32), style))
            .ok()?;
    }
    for &(a, b) in faults {
        if b < t0 || a > t1 {
            continue;
        }
        chart
            .draw_series(std::iter::once(Rectangle::new(
                [(a.max(t0), y_min), (b.min(t1), y_max)],
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
        // The points in range, with one on each side so the line reaches the edges.
        let from = line.points.partition_point(|p| p.0 < t0).saturating_sub(1);
        let to = (line.points.partition_point(|p| p.0 <= t1) + 1).min(line.points.len());
        chart
            .draw_series(LineSeries::new(
                line.points[from..to]
                    .iter()
                    .map(|&(x, y)| (x.clamp(t0, t1), y.clamp(y_min, y_max))),
                style,
            ))
            .ok()?;
    }
    let (xr, yr) = chart.plotting_area().get_pixel_range();
    root.present().ok()?;
    Some(PlotArea {
        x0: xr.start as f64,
        x1: xr.end as f64,
        y0: yr.start as f64,
        y1: yr.end as f64,
        t0,
        t1,
    })
}

/// A y-axis label: two significant digits on log (latency) axes, so the
/// half-decade lines read "32 s", "3.2 s", "320 ms".
fn axis_label(v: f64, log: bool) -> String {
    if !log {
        return format_value(v, false);
    }
    let ms = 10f64.powf(v);
    let (x, unit) = if ms >= 1000.0 { (ms / 1000.0, "s") } else { (ms, "ms") };
    let step = 10f64.powf(x.log10().floor() - 1.0);
    let x = (x / step).round() * step;
    if x >= 10.0 {
        format!("{x:.0} {unit}")
    } else {
        format!("{x:.1} {unit}")
    }
}

/// A value as the read-out and the data tables show it (log charts hold
/// log10 of milliseconds).
pub fn format_value(v: f64, log: bool) -> String {
    if log {
        let ms = 10f64.powf(v);
        if ms >= 1000.0 {
            let digits = if ms >= 100_000.0 { 0 } else { 3 };
            let n = format!("{:.*}", digits, ms / 1000.0);
            let n = if n.contains('.') {
                n.trim_end_matches('0').trim_end_matches('.').to_string()
            } else {
                n
            };
            format!("{n} s")
        } else if ms >= 10.0 {
            format!("{ms:.0} ms")
        } else {
            format!("{ms:.1} ms")
        }
    } else {
        format!("{v:.3}")
            .trim_end_matches('0')
            .trim_end_matches('.')
            .to_string()
    }
}

/// Each line's value at time `t` (the last point at or before it), for the
/// hover read-out and the data table: (label, colour, faint, value).
pub fn values_at(spec: &ChartSpec, t: f64) -> Vec<(String, usize, bool, Option<f64>)> {
    spec.lines
        .iter()
        .map(|l| {
            let i = l.points.partition_point(|p| p.0 <= t + 1e-9);
            let v = i
                .checked_sub(1)
                .map(|i| l.points[i])
                .filter(|p| t - p.0 < 1e-9 + bucket_of(l))
                .map(|p| p.1);
            (l.label.clone(), l.color, l.faint, v)
        })
        .collect()
}

/// A line's spacing between points (its bucket), for "no value here".
fn bucket_of(l: &Line) -> f64 {
    match l.points.as_slice() {
        [a, b, ..] => (b.0 - a.0).abs().max(1e-6),
        _ => f64::INFINITY,
    }
}

/// Draws the overlay: the replay cursor at `cursor` (solid), the hover
/// crosshair at `hover` (dashed, shared by every chart) and a zoom
/// selection being dragged.
pub fn draw_overlay(
    overlay: &HtmlCanvasElement,
    base: &HtmlCanvasElement,
    area: &PlotArea,
    cursor: f64,
    hover: Option<f64>,
    selection: Option<(f64, f64)>,
) {
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
    let dpr = dpr();
    ctx.clear_rect(0.0, 0.0, overlay.width() as f64, overlay.height() as f64);
    if let Some((a, b)) = selection {
        let (xa, xb) = (area.x_of(a.min(b)), area.x_of(a.max(b)));
        ctx.set_fill_style_str("rgba(0,114,178,0.15)");
        ctx.fill_rect(xa, area.y0, xb - xa, area.y1 - area.y0);
    }
    if cursor >= area.t0 && cursor <= area.t1 {
        let x = area.x_of(cursor);
        ctx.set_stroke_style_str("rgba(0,0,0,0.75)");
        ctx.set_line_width(1.5 * dpr);
        ctx.begin_path();
        ctx.move_to(x, area.y0);
        ctx.line_to(x, area.y1);
        ctx.stroke();
    }
    if let Some(t) = hover {
        let x = area.x_of(t);
        ctx.set_stroke_style_str("rgba(60,60,60,0.6)");
        ctx.set_line_width(dpr);
        let dash = js_sys::Array::of2(&(4.0 * dpr).into(), &(3.0 * dpr).into());
        let _ = ctx.set_line_dash(&dash);
        ctx.begin_path();
        ctx.move_to(x, area.y0);
        ctx.line_to(x, area.y1);
        ctx.stroke();
        let _ = ctx.set_line_dash(&js_sys::Array::new());
    }
}

/// Availability per bucket, or None when nothing ended.
fn availability(ok: u32, failed: &[u32; regionsim::report::FAIL_CAUSES]) -> Option<f64> {
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
            let mut failed = [0u32; regionsim::report::FAIL_CAUSES];
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ticks_fall_on_round_steps_and_read_as_clock_times() {
        // An hour: every 10 minutes (6 steps of 600 s), labelled hh:mm.
        let t = ticks(0.0, 3600.0);
        assert_eq!(t, vec![0.0, 600.0, 1200.0, 1800.0, 2400.0, 3000.0, 3600.0]);
        assert_eq!(tick_label(1800.0, 3600.0), "00:30");
        // A zoomed 4-minute window from 12:34: every 30 s, labelled mm:ss.
        let t = ticks(754.0, 994.0);
        assert_eq!(t.first(), Some(&780.0));
        assert!(t.windows(2).all(|w| w[1] - w[0] == 30.0));
        assert_eq!(tick_label(780.0, 240.0), "13:00");
        assert_eq!(tick_label(795.0, 240.0), "13:15");
        // A week: daily steps, with the day shown.
        let t = ticks(0.0, 7.0 * 86400.0);
        assert_eq!(t.len(), 8);
        assert_eq!(tick_label(2.0 * 86400.0 + 3600.0, 7.0 * 86400.0), "2d+01:00");
        // Between 4 and 10 ticks for any span from 1 minute to 30 days.
        let mut span = 60.0;
        while span < 30.0 * 86400.0 {
            let n = ticks(0.0, span).len();
            assert!((2..=10).contains(&n), "{n} ticks for {span} s");
            span *= 1.37;
        }
    }

    #[test]
    fn values_at_reads_the_bucket_holding_the_time() {
        let spec = ChartSpec {
            title: "t".into(),
            y_desc: String::new(),
            y_min: 0.0,
            y_max: 1.0,
            log_labels: true,
            lines: vec![Line {
                label: "a".into(),
                color: 0,
                faint: false,
                points: vec![(0.0, 1.0), (10.0, 2.0), (20.0, 3.0)],
            }],
        };
        assert_eq!(values_at(&spec, 15.0)[0].3, Some(2.0));
        assert_eq!(values_at(&spec, 10.0)[0].3, Some(2.0));
        assert_eq!(values_at(&spec, 35.0)[0].3, None, "past the last bucket");
        assert_eq!(format_value(2.0, true), "100 ms");
        assert_eq!(format_value(3.5, true), "3.162 s");
        assert_eq!(format_value(0.5, false), "0.5");
        assert_eq!(format_value(5.0, true), "100 s");
        assert_eq!(format_value(4.0, true), "10 s");
        assert_eq!(axis_label(4.5, true), "32 s");
        assert_eq!(axis_label(3.5, true), "3.2 s");
        assert_eq!(axis_label(2.5, true), "320 ms");
        assert_eq!(axis_label(1.5, true), "32 ms");
        assert_eq!(axis_label(2.0, true), "100 ms");
    }
}
