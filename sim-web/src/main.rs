//! sim-web: regionsim in the browser. The simulator (sim-core) runs in the
//! page — no server-side simulation. `app` is the component; `form` maps the
//! editable parameters onto a scenario; `charts` and `topology` draw a report
//! at the replay cursor; `share` puts the scenario in the URL; `jobs` runs
//! simulations (runs, comparisons, the review's headroom search) in a Web
//! Worker, one job at a time; `review` renders the design review.

mod app;
mod charts;
mod dom;
mod facts;
mod form;
mod jobs;
mod review;
mod sections;
mod share;
mod topology;

fn main() {
    // The same module runs in the Web Worker (`worker.js`), which has no
    // window and renders nothing: it only does the jobs it is sent.
    if web_sys::window().is_none() {
        return;
    }
    yew::Renderer::<app::App>::new().render();
}
