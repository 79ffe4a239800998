// The engine of the browser tab: secform-core compiled to WebAssembly (crates/web, bound by
// wasm-bindgen), in a Web Worker so that a long layout never freezes the page. Each message is
// one call by name; the answer carries the value (bytes transferred, not copied) and the time
// the engine took.

import init, * as engine from "./secform_web.js";

const CALLS = new Set(["layout", "starter", "preview", "pdf", "download_name", "open", "workbook", "blank", "clause_variants", "clauses", "font"]);
const ready = init();
// Set by a trap: the module's state may be broken, so no later call is answered from it (the host
// ends this worker and starts a new one).
let broken = false;

self.onmessage = async (e) => {
  const { id, call, args } = e.data;
  try {
    await ready;
  } catch {
    self.postMessage({ id, ok: false, unloaded: true });
    return;
  }
  if (broken) { self.postMessage({ id, ok: false, trapped: true }); return; }
  try {
    if (!CALLS.has(call)) throw new Error(`${call}: no such call`);
    const start = performance.now();
    const value = engine[call](...args);
    const ms = performance.now() - start;
    self.postMessage({ id, ok: true, value, ms }, value instanceof Uint8Array ? [value.buffer] : []);
  } catch (err) {
    // The engine's refusals are Errors with its Japanese message; a trap of the module (a defect,
    // never the user's input) is a RuntimeError, said by the host in its own words.
    broken = err instanceof WebAssembly.RuntimeError;
    self.postMessage({ id, ok: false, message: err && err.message ? err.message : String(err), trapped: broken });
  }
};
