//! sim-web: regionsim in the browser. The simulator (sim-core) runs in the
//! page — no server-side simulation. `app` is the component; `form` maps the
//! editable parameters onto a scenario; `charts` and `topology` draw a report
//! at the replay cursor; `share` puts the scenario in the URL; `runner` steps
//! a run without freezing the page; `review` renders the design review and
//! drives its headroom search.

mod app;
mod charts;
mod dom;
mod form;
mod review;
mod runner;
mod share;
mod topology;

fn main() {
    yew::Renderer::<app::App>::new().render();
}
