//! The design-review panel: the brief's nine questions answered for the
//! current run (`regionsim::review`), each with its verdict, evidence and what
//! to change. The headroom search behind question 9 runs in the worker
//! (`jobs`), like every simulation.

use crate::facts;
use regionsim::review::{Headroom, Review, Verdict};
use yew::prelude::*;

fn badge(v: Verdict) -> Html {
    html! { <span class={classes!("badge", v.name())}>{ v.name() }</span> }
}

/// Question 9's search as a small chart: the survivors' availability during
/// the fault (worst seed) against their floor of instances, the SLO dashed,
/// the floor the search settled on marked.
fn headroom_chart(h: &Headroom) -> Html {
    let mut pts: Vec<(u32, f64, bool)> = h
        .runs
        .iter()
        .filter_map(|r| {
            let a = r.availability?;
            Some((r.min_instances.iter().sum::<u32>(), a, h.needed_extra == Some(r.extra)))
        })
        .collect();
    pts.sort_by_key(|p| p.0);
    if pts.is_empty() {
        return html! {};
    }
    let (w, ht, l, r, t, b) = (360.0, 190.0, 52.0, 14.0, 14.0, 40.0);
    let (x_lo, x_hi) = (pts[0].0 as f64, pts[pts.len() - 1].0 as f64);
    let (x_lo, x_hi) = if x_hi > x_lo {
        (x_lo, x_hi)
    } else {
        (x_lo - 1.0, x_hi + 1.0)
    };
    let lowest = pts.iter().map(|p| p.1).fold(h.slo, f64::min);
    // The y range: from a round share below the lowest point (or the SLO) to 100 %.
    let y_lo = ((lowest - (1.0 - lowest) * 0.15) * 100.0).floor().clamp(0.0, 99.0) / 100.0;
    let x = |v: f64| l + (v - x_lo) / (x_hi - x_lo) * (w - l - r);
    let y = |v: f64| t + (1.0 - (v - y_lo) / (1.0 - y_lo)) * (ht - t - b);
    let pct = regionsim::format::strength;
    let line: Vec<String> = pts
        .iter()
        .map(|p| format!("{:.1},{:.1}", x(p.0 as f64), y(p.1)))
        .collect();
    let survivors = h.survivors.join(" + ");
    let label = format!(
        "Availability of {survivors} during the fault against their floor of instances: {}",
        pts.iter()
            .map(|p| format!("{} → {}", p.0, pct(p.1)))
            .collect::<Vec<_>>()
            .join(", ")
    );
    let slo_y = y(h.slo);
    html! {
        <figure class="headroom" id="headroom-chart">
            <svg viewBox={format!("0 0 {w} {ht}")} role="img" aria-label={label}>
                <line class="axis" x1={l.to_string()} y1={(ht - b).to_string()} x2={(w - r).to_string()} y2={(ht - b).to_string()} />
                <line class="axis" x1={l.to_string()} y1={t.to_string()} x2={l.to_string()} y2={(ht - b).to_string()} />
                { for [y_lo, 1.0].iter().map(|&v| html! {
                    <text class="tick" x={(l - 4.0).to_string()} y={(y(v) + 3.0).to_string()} text-anchor="end">{ pct(v) }</text>
                }) }
                <line class="slo" x1={l.to_string()} y1={slo_y.to_string()} x2={(w - r).to_string()} y2={slo_y.to_string()} />
                <text class="slo-label" x={(w - r).to_string()} y={(if slo_y - t < 16.0 { slo_y + 12.0 } else { slo_y - 4.0 }).to_string()} text-anchor="end">{ format!("SLO {}", pct(h.slo)) }</text>
                <polyline class="run-line" points={line.join(" ")} />
                { for pts.iter().map(|p| {
                    let kind = if p.2 { "needed" } else if p.1 >= h.slo { "passes" } else { "fails" };
                    html! { <>
                        <circle class={classes!("run", kind)} cx={format!("{:.1}", x(p.0 as f64))} cy={format!("{:.1}", y(p.1))} r="4"
                            data-floor={p.0.to_string()} data-availability={p.1.to_string()}>
                            <title>{ format!("floor {} → {}", p.0, pct(p.1)) }</title>
                        </circle>
                        <text class="tick" x={format!("{:.1}", x(p.0 as f64))} y={(ht - b + 14.0).to_string()} text-anchor="middle">{ p.0 }</text>
                    </> }
                }) }
                <text class="axis-label" x={((l + w - r) / 2.0).to_string()} y={(ht - 6.0).to_string()} text-anchor="middle">
                    { format!("{survivors}: floor of instances") }
                </text>
            </svg>
            <figcaption>{ "Each run of the search: availability during the fault (worst seed) by floor; the ringed point is the smallest floor that kept the SLO." }</figcaption>
        </figure>
    }
}

/// The panel's body for a finished review.
pub fn view(r: &Review) -> Html {
    let (ok, risk, missing) = r.tally();
    let answers = r.answers.iter().map(|a| {
        html! {
            <li class={classes!("answer", a.verdict.name())} id={format!("q{}", a.number)} data-verdict={a.verdict.name()}>
                <details open={a.verdict != Verdict::Ok}>
                    <summary>
                        { badge(a.verdict) }
                        <span class="topic">{ format!("{}. {}", a.number, a.topic) }</span>
                        <span class="gist">{ a.summary.clone() }</span>
                    </summary>
                    <p class="asked">{ a.question.clone() }</p>
                    if !a.details.is_empty() {
                        <ul class="details">{ for a.details.iter().map(|d| html! { <li>{ facts::linkify(d) }</li> }) }</ul>
                    }
                    if !a.evidence.is_empty() {
                        <table class="evidence">
                            <caption class="visually-hidden">{ format!("Evidence for question {}", a.number) }</caption>
                            <tbody>
                                { for a.evidence.iter().map(|e| html! {
                                    <tr><th scope="row">{ e.label.clone() }</th><td>{ facts::linkify(&e.value) }</td></tr>
                                }) }
                            </tbody>
                        </table>
                    }
                    if a.number == 9 {
                        if let Some(h) = &r.headroom { { headroom_chart(h) } }
                    }
                    if !a.fixes.is_empty() {
                        <div class="fixes">
                            <h4>{"What to change"}</h4>
                            <ul>{ for a.fixes.iter().map(|f| html! { <li>{ facts::linkify(f) }</li> }) }</ul>
                        </div>
                    }
                </details>
            </li>
        }
    });
    let cost = r.cost.as_ref().map(|c| {
        format!(
            "Monthly cost of this design (example prices): {:.0} {} — compute {:.0}, router {:.0}, database {:.0}, egress {:.0}.",
            c.total, c.currency, c.compute, c.gateway, c.database, c.egress
        )
    });
    html! {
        <>
            <p class="tally" id="review-tally">
                { badge(Verdict::Ok) }{ format!(" {ok}  ") }
                { badge(Verdict::Risk) }{ format!(" {risk}  ") }
                { badge(Verdict::Missing) }{ format!(" {missing}") }
            </p>
            <ol class="answers">{ for answers }</ol>
            if let Some(c) = cost { <p class="review-cost" id="review-cost">{ c }</p> }
            <pre id="review-json" hidden=true>{ serde_json::to_string(r).unwrap_or_default() }</pre>
        </>
    }
}
