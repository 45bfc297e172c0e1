// The Web Worker that runs regionsim's simulations off the page's thread:
// the same wasm module as the page (its `main` renders nothing here), called
// with each job the page posts (see sim-web/src/jobs.rs).
import init, { worker_job } from "./sim_web.js";

const ready = init();
self.onmessage = async (e) => {
  await ready;
  worker_job(e.data);
};
