//! The design-review panel: the brief's nine questions answered for the
//! current run (`sim_core::review`), each with its verdict, evidence and what
//! to change. The headroom search behind question 9 runs in the worker
//! (`jobs`), like every simulation.

use crate::facts;
use sim_core::review::{Review, Verdict};
use yew::prelude::*;

fn badge(v: Verdict) -> Html {
    html! { <span class={classes!("badge", v.name())}>{ v.name() }</span> }
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
