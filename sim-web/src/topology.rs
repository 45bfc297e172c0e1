//! The topology view: client metros, the Front Door POPs they use, and the
//! regions, at their true positions on a land map (Natural Earth 1:110m) in
//! one of three fixed frames. Flow widths follow tries per second at the
//! replay cursor and their colour the share failing; each region shows its
//! actual condition and how the routers see it, in words as well as colour.
//! Labels are placed clear of nodes, other labels and (when they can be) flows.

use crate::charts::css_color;
use regionsim::geo;
use regionsim::report::RegionStatus;
use regionsim::scenario::Routing;
use regionsim::{format, Report, Scenario};
use yew::prelude::*;

const W: f64 = 1000.0;

/// A fixed map frame: a box of longitudes and latitudes drawn equirectangular
/// with its middle latitude's scale (distances east–west stay honest there).
/// The view uses the first of [`FRAMES`] that holds every place it shows, so
/// the same places always sit at the same spot, whatever the scenario.
struct Frame {
    name: &'static str,
    lon0: f64,
    lon1: f64,
    lat0: f64,
    lat1: f64,
}

const FRAMES: [Frame; 3] = [
    Frame {
        name: "North America",
        lon0: -130.0,
        lon1: -60.0,
        lat0: 20.0,
        lat1: 54.0,
    },
    Frame {
        name: "North America and Europe",
        lon0: -128.0,
        lon1: 32.0,
        lat0: 18.0,
        lat1: 64.0,
    },
    Frame {
        name: "World",
        lon0: -135.0,
        lon1: 165.0,
        lat0: -48.0,
        lat1: 66.0,
    },
];

impl Frame {
    /// The first frame holding every (lat, lon) in `points` (with a margin).
    fn pick(points: &[(f64, f64)]) -> &'static Frame {
        FRAMES
            .iter()
            .find(|f| {
                points.iter().all(|&(lat, lon)| {
                    lon > f.lon0 + 3.0 && lon < f.lon1 - 3.0 && lat > f.lat0 + 2.0 && lat < f.lat1 - 2.0
                })
            })
            .unwrap_or(&FRAMES[2])
    }
    fn kx(&self) -> f64 {
        (((self.lat0 + self.lat1) / 2.0).to_radians()).cos()
    }
    /// The drawing's height for width `W`.
    fn height(&self) -> f64 {
        (W * (self.lat1 - self.lat0) / ((self.lon1 - self.lon0) * self.kx())).round()
    }
    fn xy(&self, lat: f64, lon: f64) -> (f64, f64) {
        (
            (lon - self.lon0) / (self.lon1 - self.lon0) * W,
            (self.lat1 - lat) / (self.lat1 - self.lat0) * self.height(),
        )
    }
}

/// The land outline (Natural Earth 1:110m, public domain; see
/// `scripts/make-land.py`): rings of (lon, lat) in tenths of a degree.
const LAND: &str = include_str!("../assets/land.txt");

/// The land as one SVG path in `frame` (made once per frame).
fn land_path(frame: &Frame) -> std::rc::Rc<str> {
    thread_local! {
        static CACHE: std::cell::RefCell<Vec<(&'static str, std::rc::Rc<str>)>> = const { std::cell::RefCell::new(Vec::new()) };
    }
    if let Some(hit) = CACHE.with(|c| {
        c.borrow()
            .iter()
            .find(|(n, _)| *n == frame.name)
            .map(|(_, d)| d.clone())
    }) {
        return hit;
    }
    let mut d = String::new();
    for line in LAND.lines().filter(|l| !l.starts_with('#')) {
        let mut first = true;
        for pair in line.split(' ') {
            let Some((lon, lat)) = pair.split_once(',') else {
                continue;
            };
            let (Ok(lon), Ok(lat)) = (lon.parse::<f64>(), lat.parse::<f64>()) else {
                continue;
            };
            let (x, y) = frame.xy(lat / 10.0, lon / 10.0);
            d.push_str(&format!("{}{x:.1} {y:.1}", if first { "M" } else { "L" }));
            first = false;
        }
        if !first {
            d.push('Z');
        }
    }
    let d: std::rc::Rc<str> = d.into();
    CACHE.with(|c| c.borrow_mut().push((frame.name, d.clone())));
    d
}

/// Greedy label placement: each label takes the first candidate position
/// whose box overlaps nothing placed before (nodes included).
struct Placer {
    taken: Vec<(f64, f64, f64, f64)>,
    /// Boxes along the flows: a label avoids them when it can.
    lines: Vec<(f64, f64, f64, f64)>,
    /// Every labelled node's centre: a label must sit nearer its own node
    /// than any other, or a reader pairs it with the wrong dot.
    points: Vec<(f64, f64)>,
    h: f64,
}

/// A line from (x1, y1) to (x2, y2).
type Segment = (f64, f64, f64, f64);

/// Distance from (x, y) to the box `b` (0 inside it).
fn box_distance(b: (f64, f64, f64, f64), (x, y): (f64, f64)) -> f64 {
    let dx = (b.0 - x).max(0.0).max(x - b.2);
    let dy = (b.1 - y).max(0.0).max(y - b.3);
    dx.hypot(dy)
}

impl Placer {
    fn outside(&self, b: (f64, f64, f64, f64)) -> bool {
        b.0 < 0.0 || b.2 > W || b.1 < 0.0 || b.3 > self.h - 24.0
    }
    /// Places a block `w`×`h` near (x, y); returns its top-left corner.
    fn place(&mut self, x: f64, y: f64, w: f64, h: f64, gap: f64) -> (f64, f64) {
        let mut candidates = Vec::with_capacity(32);
        for k in [0.6, 1.0, 1.5, 2.0, 3.5, 5.0] {
            let g = gap * k;
            candidates.extend([
                (x - w / 2.0, y + g),
                (x + g, y - h / 2.0),
                (x - g - w, y - h / 2.0),
                (x - w / 2.0, y - g - h),
                (x + g, y + g),
                (x - g - w, y + g),
                (x + g, y - g - h),
                (x - g - w, y - g - h),
            ]);
        }
        let boxed = |&(l, t): &(f64, f64)| (l, t, l + w, t + h);
        // The first candidate clear of everything; else the one covering the
        // least (labels and nodes weigh ten times a flow).
        let cost = |c: &(f64, f64)| {
            let b = boxed(c);
            if self.outside(b) {
                return f64::MAX;
            }
            let area = |list: &[(f64, f64, f64, f64)]| {
                list.iter()
                    .map(|t| (b.2.min(t.2) - b.0.max(t.0)).max(0.0) * (b.3.min(t.3) - b.1.max(t.1)).max(0.0))
                    .sum::<f64>()
            };
            // Nearer another node than its own: read as that node's label.
            let own = box_distance(b, (x, y));
            let misleading = self
                .points
                .iter()
                .filter(|&&p| p != (x, y) && box_distance(b, p) < own)
                .count() as f64;
            10.0 * area(&self.taken) + area(&self.lines) + 20_000.0 * misleading + own
        };
        let pick = candidates
            .iter()
            .map(|c| (cost(c), *c))
            .fold((f64::MAX, candidates[0]), |best, x| if x.0 < best.0 { x } else { best })
            .1;
        self.taken.push(boxed(&pick));
        pick
    }
}

impl Placer {
    /// A leader line from the label box `b` to its node at (x, y) (radius
    /// `r`), when another node is nearer the label than its own: on a small
    /// screen the labels outgrow the gaps between nodes.
    fn leader(&self, b: (f64, f64, f64, f64), (x, y): (f64, f64), r: f64) -> Option<Segment> {
        let own = box_distance(b, (x, y));
        if !self.points.iter().any(|&p| p != (x, y) && box_distance(b, p) < own) {
            return None;
        }
        let (bx, by) = (x.clamp(b.0, b.2), y.clamp(b.1, b.3));
        let d = (x - bx).hypot(y - by);
        if d <= r {
            return None;
        }
        Some((bx, by, x + (bx - x) * r / d, y + (by - y) * r / d))
    }
}

/// A leader line's markup (nothing without one).
fn leader_line(l: Option<Segment>) -> Html {
    match l {
        Some((x1, y1, x2, y2)) => html! {
            <line class="leader" x1={format!("{x1:.1}")} y1={format!("{y1:.1}")} x2={format!("{x2:.1}")} y2={format!("{y2:.1}")} />
        },
        None => html! {},
    }
}

fn text_width(s: &str) -> f64 {
    s.chars().count() as f64 * 6.6
}

fn status_word(s: RegionStatus) -> &'static str {
    match s {
        RegionStatus::Ok => "healthy",
        RegionStatus::Degraded => "DEGRADED",
        RegionStatus::Unreachable => "UNREACHABLE",
        RegionStatus::Down => "DOWN",
        _ => "unknown",
    }
}

fn status_fill(s: RegionStatus) -> &'static str {
    match s {
        RegionStatus::Ok => "#d9f2e6",
        RegionStatus::Degraded => "#fde7c8",
        RegionStatus::Unreachable | RegionStatus::Down => "#f7d0c4",
        _ => "#eeeeee",
    }
}

/// The view at bucket `b`. `scale` enlarges the text (and the room labels
/// take) where the drawing is shown small, so that it stays readable on a
/// phone (1 on a desktop); above 1.5 the labels keep only their first line.
pub fn view(report: &Report, sc: &Scenario, b: usize, scale: f64) -> Html {
    let k = scale.clamp(1.0, 3.0);
    let compact = k > 1.5;
    let s = &report.series;
    let b = b.min(s.time_s.len().saturating_sub(1));
    let bs = report.bucket_s;
    let regions: Vec<&geo::Place> = sc.regions.iter().filter_map(|r| geo::region_place(&r.name)).collect();
    let pops: Vec<&geo::Place> = sc.populations.iter().filter_map(|p| geo::place(&p.location)).collect();
    let is_fd = matches!(sc.routing, Routing::AnycastL7(_));
    let fd_pops: Vec<String> = match &sc.routing {
        Routing::AnycastL7(f) if !f.pops.is_empty() => f.pops.clone(),
        _ => geo::METROS.iter().map(|m| m.name.to_string()).collect(),
    };
    // Each population's nearest POP (anycast) — what BGP would pick with all POPs up.
    let entry: Vec<Option<&geo::Place>> = pops
        .iter()
        .map(|p| {
            is_fd
                .then(|| {
                    fd_pops
                        .iter()
                        .filter_map(|n| geo::place(n))
                        .min_by(|a, c| geo::rtt_ms(p, a).total_cmp(&geo::rtt_ms(p, c)))
                })
                .flatten()
        })
        .collect();
    let mut pts: Vec<(f64, f64)> = regions.iter().chain(pops.iter()).map(|p| (p.lat, p.lon)).collect();
    pts.extend(entry.iter().flatten().map(|p| (p.lat, p.lon)));
    let proj = Frame::pick(&pts);
    let h = proj.height();

    let max_rate = s
        .populations
        .iter()
        .flat_map(|p| p.tries_by_region.iter().map(move |v| v.get(b).copied().unwrap_or(0)))
        .max()
        .unwrap_or(0)
        .max(1) as f64
        / bs;
    // Each region's failing share of the tries sent to it in this bucket:
    // 1 − served ÷ tries (a region that is down serves nothing). The same for
    // every population sending there; buckets are short next to a try.
    let failing: Vec<f64> = s
        .regions
        .iter()
        .enumerate()
        .map(|(ri, r)| {
            let tries: u64 = s
                .populations
                .iter()
                .map(|p| p.tries_by_region.get(ri).and_then(|v| v.get(b)).copied().unwrap_or(0) as u64)
                .sum();
            let served = r.served.get(b).copied().unwrap_or(0) as f64;
            if tries == 0 {
                0.0
            } else {
                (1.0 - served / tries as f64).clamp(0.0, 1.0)
            }
        })
        .collect();
    let mut flows = Vec::new();
    let mut line_boxes = Vec::new();
    for (pi, p) in s.populations.iter().enumerate() {
        let Some(src) = pops.get(pi) else { continue };
        let (x0, y0) = proj.xy(src.lat, src.lon);
        for (ri, per_bucket) in p.tries_by_region.iter().enumerate() {
            let rate = per_bucket.get(b).copied().unwrap_or(0) as f64 / bs;
            if rate <= 0.0 {
                continue;
            }
            let Some(dst) = regions.get(ri) else { continue };
            let (x2, y2) = proj.xy(dst.lat, dst.lon);
            let mid = entry[pi]
                .map(|e| proj.xy(e.lat, e.lon))
                .unwrap_or(((x0 + x2) / 2.0, (y0 + y2) / 2.0 - 25.0));
            let width = 1.0 + 11.0 * rate / max_rate;
            // Boxes along the curve, for the labels to keep clear of.
            for k in 1..12 {
                let t = k as f64 / 12.0;
                let (u, v) = ((1.0 - t) * (1.0 - t), 2.0 * t * (1.0 - t));
                let (x, y) = (u * x0 + v * mid.0 + t * t * x2, u * y0 + v * mid.1 + t * t * y2);
                let r = width / 2.0 + 2.0;
                line_boxes.push((x - r, y - r, x + r, y + r));
            }
            let fail = failing.get(ri).copied().unwrap_or(0.0);
            let d = format!("M {x0:.1} {y0:.1} Q {:.1} {:.1} {x2:.1} {y2:.1}", mid.0, mid.1);
            let title = format!(
                "{} → {}: {:.0} tries/s, {} failing",
                p.name,
                sc.regions[ri].name,
                rate,
                format::percent(fail, 0)
            );
            flows.push(html! {
                <path class="flow" d={d} stroke={outcome_color(fail)} stroke-width={format!("{width:.1}")} fill="none"
                    stroke-opacity="0.75" stroke-linecap="round" data-failing={format!("{fail:.3}")}>
                    <title>{title}</title>
                </path>
            });
        }
    }
    // Nodes first, so that no label covers one; then region labels, then populations'.
    let mut placer = Placer {
        taken: Vec::new(),
        lines: line_boxes,
        points: Vec::new(),
        h,
    };
    for p in &regions {
        let (x, y) = proj.xy(p.lat, p.lon);
        placer.taken.push((x - 19.0, y - 19.0, x + 19.0, y + 19.0));
        placer.points.push((x, y));
    }
    for p in &pops {
        let (x, y) = proj.xy(p.lat, p.lon);
        placer.taken.push((x - 8.0, y - 8.0, x + 8.0, y + 8.0));
        placer.points.push((x, y));
    }
    for e in entry.iter().flatten() {
        let (x, y) = proj.xy(e.lat, e.lon);
        if pops.iter().any(|p| p.name == e.name) {
            placer.taken.push((x + 2.0, y - 16.0, x + 16.0, y - 2.0));
        }
    }
    let region_lines: Vec<[String; 3]> = s
        .regions
        .iter()
        .map(|r| {
            let status = r.status.get(b).copied().unwrap_or(RegionStatus::Ok);
            let seen = r.healthy_view.get(b).copied().unwrap_or(1.0);
            let inst = r.instances_serving.get(b).copied().unwrap_or(0);
            let prov = r.instances_provisioning.get(b).copied().unwrap_or(0);
            [
                format!("{} — {}", r.name, status_word(status)),
                if seen >= 0.999 {
                    "routers: healthy".to_string()
                } else {
                    format!("routers: {} see it healthy", format::percent(seen as f64, 0))
                },
                if prov > 0 {
                    format!("{inst} instances (+{prov} provisioning)")
                } else {
                    format!("{inst} instances")
                },
            ]
        })
        .collect();
    let region_label_at: Vec<(f64, f64, Option<Segment>)> = regions
        .iter()
        .zip(&region_lines)
        .map(|(p, lines)| {
            let (x, y) = proj.xy(p.lat, p.lon);
            let shown = if compact { &lines[..1] } else { &lines[..] };
            let w = shown.iter().map(|l| text_width(l) * k).fold(0.0, f64::max);
            let h = 15.0 * k * shown.len() as f64 + 1.0;
            let (lx, ly) = placer.place(x, y, w, h, 22.0);
            (lx, ly, placer.leader((lx, ly, lx + w, ly + h), (x, y), 18.0))
        })
        .collect();
    let pop_nodes: Vec<Html> = pops
        .iter()
        .enumerate()
        .map(|(i, p)| {
            let (x, y) = proj.xy(p.lat, p.lon);
            let ps = &s.populations[i];
            let rate = ps.tries.get(b).copied().unwrap_or(0) as f64 / bs;
            let label = format!("{} · {:.0} req/s", ps.name, rate);
            if compact {
                // On a phone the names outgrow the gaps between dots: the
                // dots are keyed by colour under the map instead.
                return html! {
                    <g class="population" data-population={ps.name.clone()}>
                        <circle cx={format!("{x:.1}")} cy={format!("{y:.1}")} r={format!("{:.1}", 7.0 * k.sqrt())} fill={css_color(i)}>
                            <title>{label}</title>
                        </circle>
                    </g>
                };
            }
            let (w, h) = (text_width(&label) * k, 15.0 * k);
            let (lx, ly) = placer.place(x, y, w, h, 9.0);
            let leader = placer.leader((lx, ly, lx + w, ly + h), (x, y), 7.0);
            html! {
                <g class="population" data-population={ps.name.clone()}>
                    { leader_line(leader) }
                    <circle cx={format!("{x:.1}")} cy={format!("{y:.1}")} r="7" fill={css_color(i)} />
                    <text x={format!("{lx:.1}")} y={format!("{:.1}", ly + 12.0 * k)} class="label">{label}</text>
                </g>
            }
        })
        .collect();
    // The POPs the populations enter by, named unless a population sits there.
    let mut pop_names: Vec<&str> = Vec::new();
    let entry_nodes: Vec<Html> = entry
        .iter()
        .flatten()
        .filter(|e| {
            let new = !pop_names.contains(&e.name);
            pop_names.push(e.name);
            new
        })
        .map(|e| {
            let here = pops.iter().any(|p| p.name == e.name);
            // Beside the population's dot when the POP is in its metro.
            let (x, y) = proj.xy(e.lat, e.lon);
            let (x, y) = if here { (x + 9.0, y - 9.0) } else { (x, y) };
            let label = (!here && !compact).then(|| {
                let text = format!("POP {}", e.name.replace('_', " "));
                let (lx, ly) = placer.place(x, y, text_width(&text) * 0.85, 13.0, 7.0);
                html! { <text x={format!("{lx:.1}")} y={format!("{:.1}", ly + 10.0)} class="label pop-label">{text}</text> }
            });
            html! {
                <g class="pop" data-pop={e.name}>
                    <rect x={format!("{:.1}", x - 5.0)} y={format!("{:.1}", y - 5.0)} width="10" height="10" fill="#444" stroke="#fff" stroke-width="1.5"
                        transform={format!("rotate(45 {x:.1} {y:.1})")} />
                    <title>{format!("Front Door POP {}", e.name)}</title>
                    { label.unwrap_or_default() }
                </g>
            }
        })
        .collect();
    let region_nodes = s.regions.iter().enumerate().filter_map(|(i, r)| {
        let p = regions.get(i)?;
        let (x, y) = proj.xy(p.lat, p.lon);
        let status = r.status.get(b).copied().unwrap_or(RegionStatus::Ok);
        let seen = r.healthy_view.get(b).copied().unwrap_or(1.0);
        let util = r.utilisation.get(b).copied().unwrap_or(0.0);
        let serving = r.instances_serving.get(b).copied().unwrap_or(0);
        // No instance serving: no utilisation to speak of.
        let util_text = if serving == 0 {
            "—".to_string()
        } else {
            format!("{:.0}%", util * 100.0)
        };
        let dash = if seen < 0.999 { "6 4" } else { "" };
        let (lx, ly, leader) = region_label_at[i];
        let lines = &region_lines[i];
        Some(html! {
            <g class="region" data-region={r.name.clone()} data-status={status_word(status)}>
                { leader_line(leader) }
                <rect x={format!("{:.1}", x - 18.0)} y={format!("{:.1}", y - 18.0)} width="36" height="36" rx="6"
                    fill={status_fill(status)} stroke="#333" stroke-width="2" stroke-dasharray={dash} />
                <text x={format!("{x:.1}")} y={format!("{:.1}", y + 5.0)} text-anchor="middle" class="util">{util_text}</text>
                <text x={format!("{lx:.1}")} y={format!("{:.1}", ly + 12.0 * k)} class="label strong">{lines[0].clone()}</text>
                if !compact {
                    <text x={format!("{lx:.1}")} y={format!("{:.1}", ly + 27.0)} class="label">{lines[1].clone()}</text>
                    <text x={format!("{lx:.1}")} y={format!("{:.1}", ly + 42.0)} class="label">{lines[2].clone()}</text>
                }
            </g>
        })
    });
    let t = s.time_s.get(b).copied().unwrap_or(0.0);
    let land = land_path(proj);
    html! { <>
        <svg class="topology" viewBox={format!("0 0 {W} {h}")} role="img" data-frame={proj.name} style={format!("--k: {k:.2}")}
             aria-label={format!("Map ({}) at {:02}:{:02}: flows from client populations to regions", proj.name, (t / 60.0) as u64, t as u64 % 60)}>
            <rect x="0" y="0" width={W.to_string()} height={h.to_string()} class="sea" />
            <path class="land" d={land.to_string()} />
            { for flows }
            { for pop_nodes }
            { for entry_nodes }
            { for region_nodes }
        </svg>
        if compact {
            <p class="map-key population-key">
                { for s.populations.iter().enumerate().map(|(i, ps)| html! {
                    <span data-population={ps.name.clone()}><span class="dot" style={format!("background: {}", css_color(i))}></span>
                        { format!("{} · {:.0} req/s", ps.name, ps.tries.get(b).copied().unwrap_or(0) as f64 / bs) }</span>
                }) }
            </p>
        }
        <p class="map-key">
            <span><span class="swatch" style={format!("background: {}", outcome_color(0.0))}></span>{"tries succeeding"}</span>
            <span><span class="swatch" style={format!("background: {}", outcome_color(0.5))}></span>{"half failing"}</span>
            <span><span class="swatch" style={format!("background: {}", outcome_color(1.0))}></span>{"failing"}</span>
            <span>{"line width = tries/s · ◆ Front Door POP · box fill = the region's condition, dashed = some routers see it unhealthy, % = utilisation"}</span>
            <span>{ format!("Map: {} (Natural Earth 1:110m)", proj.name) }</span>
        </p>
    </> }
}

/// A flow's colour from its failing share: teal when it all succeeds,
/// through amber, to red when it all fails.
fn outcome_color(fail: f64) -> String {
    let f = fail.clamp(0.0, 1.0);
    let (a, m, z) = ((0.0, 137.0, 123.0), (230.0, 159.0, 0.0), (200.0, 40.0, 40.0));
    let (c0, c1, t) = if f < 0.5 {
        (a, m, f * 2.0)
    } else {
        (m, z, (f - 0.5) * 2.0)
    };
    let lerp = |x: f64, y: f64| (x + (y - x) * t).round() as u8;
    format!("rgb({},{},{})", lerp(c0.0, c1.0), lerp(c0.1, c1.1), lerp(c0.2, c1.2))
}
