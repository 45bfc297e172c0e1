//! The topology view: client metros, the Front Door POPs they use (or the
//! DNS / L4 router), and the regions, on a map-like projection. Flow widths
//! follow tries per second at the replay cursor; each region shows its actual
//! condition and how the routers see it, in words as well as colour.

use crate::charts::css_color;
use sim_core::metrics::report::RegionStatus;
use sim_core::model::geo;
use sim_core::scenario::Routing;
use sim_core::{Report, Scenario};
use yew::prelude::*;

const W: f64 = 1000.0;
const H: f64 = 470.0;

struct Projection {
    lon0: f64,
    lon1: f64,
    lat0: f64,
    lat1: f64,
}

impl Projection {
    fn fit(points: &[(f64, f64)]) -> Projection {
        let (mut lat0, mut lat1, mut lon0, mut lon1) = (f64::MAX, f64::MIN, f64::MAX, f64::MIN);
        for &(lat, lon) in points {
            lat0 = lat0.min(lat);
            lat1 = lat1.max(lat);
            lon0 = lon0.min(lon);
            lon1 = lon1.max(lon);
        }
        let (plat, plon) = (((lat1 - lat0) * 0.18).max(4.0), ((lon1 - lon0) * 0.12).max(8.0));
        Projection {
            lon0: lon0 - plon,
            lon1: lon1 + plon,
            lat0: lat0 - plat,
            lat1: lat1 + plat,
        }
    }
    fn xy(&self, lat: f64, lon: f64) -> (f64, f64) {
        (
            60.0 + (lon - self.lon0) / (self.lon1 - self.lon0) * (W - 120.0),
            30.0 + (self.lat1 - lat) / (self.lat1 - self.lat0) * (H - 90.0),
        )
    }
}

/// Greedy label placement: each label takes the first candidate position
/// whose box overlaps nothing placed before (nodes included).
struct Placer {
    taken: Vec<(f64, f64, f64, f64)>,
}

impl Placer {
    fn overlaps(&self, b: (f64, f64, f64, f64)) -> bool {
        self.taken
            .iter()
            .any(|t| b.0 < t.2 && t.0 < b.2 && b.1 < t.3 && t.1 < b.3)
            || b.0 < 0.0
            || b.2 > W
            || b.1 < 0.0
            || b.3 > H - 24.0
    }
    /// Places a block `w`×`h` near (x, y); returns its top-left corner.
    fn place(&mut self, x: f64, y: f64, w: f64, h: f64, gap: f64) -> (f64, f64) {
        let candidates = [
            (x - w / 2.0, y + gap),
            (x + gap, y - h / 2.0),
            (x - gap - w, y - h / 2.0),
            (x - w / 2.0, y - gap - h),
            (x + gap, y + gap),
            (x - gap - w, y + gap),
            (x + gap, y - gap - h),
            (x - gap - w, y - gap - h),
            (x - w / 2.0, y + gap + h),
        ];
        let pick = candidates
            .iter()
            .copied()
            .find(|&(l, t)| !self.overlaps((l, t, l + w, t + h)))
            .unwrap_or(candidates[0]);
        self.taken.push((pick.0, pick.1, pick.0 + w, pick.1 + h));
        pick
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
    }
}

fn status_fill(s: RegionStatus) -> &'static str {
    match s {
        RegionStatus::Ok => "#d9f2e6",
        RegionStatus::Degraded => "#fde7c8",
        RegionStatus::Unreachable | RegionStatus::Down => "#f7d0c4",
    }
}

/// The view at bucket `b`.
pub fn view(report: &Report, sc: &Scenario, b: usize) -> Html {
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
    let proj = Projection::fit(&pts);

    let max_rate = s
        .populations
        .iter()
        .flat_map(|p| p.tries_by_region.iter().map(move |v| v.get(b).copied().unwrap_or(0)))
        .max()
        .unwrap_or(0)
        .max(1) as f64
        / bs;
    let mut flows = Vec::new();
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
            let d = format!("M {x0:.1} {y0:.1} Q {:.1} {:.1} {x2:.1} {y2:.1}", mid.0, mid.1);
            let title = format!("{} → {}: {:.0} tries/s", p.name, sc.regions[ri].name, rate);
            flows.push(html! {
                <path class="flow" d={d} stroke={css_color(pi)} stroke-width={format!("{width:.1}")} fill="none" stroke-opacity="0.55">
                    <title>{title}</title>
                </path>
            });
        }
    }
    // Nodes first, so that no label covers one; then region labels, then populations'.
    let mut placer = Placer { taken: Vec::new() };
    for p in &regions {
        let (x, y) = proj.xy(p.lat, p.lon);
        placer.taken.push((x - 19.0, y - 19.0, x + 19.0, y + 19.0));
    }
    for p in &pops {
        let (x, y) = proj.xy(p.lat, p.lon);
        placer.taken.push((x - 8.0, y - 8.0, x + 8.0, y + 8.0));
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
                    format!("routers: {:.0} % see it healthy", seen * 100.0)
                },
                if prov > 0 {
                    format!("{inst} instances (+{prov} provisioning)")
                } else {
                    format!("{inst} instances")
                },
            ]
        })
        .collect();
    let region_label_at: Vec<(f64, f64)> = regions
        .iter()
        .zip(&region_lines)
        .map(|(p, lines)| {
            let (x, y) = proj.xy(p.lat, p.lon);
            let w = lines.iter().map(|l| text_width(l)).fold(0.0, f64::max);
            placer.place(x, y, w, 46.0, 22.0)
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
            let (lx, ly) = placer.place(x, y, text_width(&label), 15.0, 9.0);
            html! {
                <g class="population">
                    <circle cx={format!("{x:.1}")} cy={format!("{y:.1}")} r="7" fill={css_color(i)} />
                    <text x={format!("{lx:.1}")} y={format!("{:.1}", ly + 12.0)} class="label">{label}</text>
                </g>
            }
        })
        .collect();
    let entry_nodes = entry.iter().flatten().map(|e| {
        let (x, y) = proj.xy(e.lat, e.lon);
        html! {
            <g class="pop">
                <rect x={format!("{:.1}", x - 4.0)} y={format!("{:.1}", y - 4.0)} width="8" height="8" fill="#555" transform={format!("rotate(45 {x:.1} {y:.1})")} />
                <title>{format!("Front Door POP {}", e.name)}</title>
            </g>
        }
    });
    let region_nodes = s.regions.iter().enumerate().filter_map(|(i, r)| {
        let p = regions.get(i)?;
        let (x, y) = proj.xy(p.lat, p.lon);
        let status = r.status.get(b).copied().unwrap_or(RegionStatus::Ok);
        let seen = r.healthy_view.get(b).copied().unwrap_or(1.0);
        let util = r.utilisation.get(b).copied().unwrap_or(0.0);
        let dash = if seen < 0.999 { "6 4" } else { "" };
        let (lx, ly) = region_label_at[i];
        let lines = &region_lines[i];
        Some(html! {
            <g class="region" data-region={r.name.clone()} data-status={status_word(status)}>
                <rect x={format!("{:.1}", x - 18.0)} y={format!("{:.1}", y - 18.0)} width="36" height="36" rx="6"
                    fill={status_fill(status)} stroke="#333" stroke-width="2" stroke-dasharray={dash} />
                <text x={format!("{x:.1}")} y={format!("{:.1}", y + 5.0)} text-anchor="middle" class="util">{format!("{:.0}%", util * 100.0)}</text>
                <text x={format!("{lx:.1}")} y={format!("{:.1}", ly + 12.0)} class="label strong">{lines[0].clone()}</text>
                <text x={format!("{lx:.1}")} y={format!("{:.1}", ly + 27.0)} class="label">{lines[1].clone()}</text>
                <text x={format!("{lx:.1}")} y={format!("{:.1}", ly + 42.0)} class="label">{lines[2].clone()}</text>
            </g>
        })
    });
    let t = s.time_s.get(b).copied().unwrap_or(0.0);
    html! {
        <svg class="topology" viewBox={format!("0 0 {W} {H}")} role="img"
             aria-label={format!("Topology at {:02}:{:02}: flows from client populations to regions", (t / 60.0) as u64, t as u64 % 60)}>
            <rect x="0" y="0" width={W.to_string()} height={H.to_string()} fill="#f6f8fb" />
            { for flows }
            { for entry_nodes }
            { for pop_nodes }
            { for region_nodes }
            <text x="12" y={format!("{}", H - 10.0)} class="legend">
                {"Region box: fill = actual condition, dashed border = some routers see it unhealthy; number = utilisation. Line width = tries/s."}
            </text>
        </svg>
    }
}
