// The page's host in a browser tab with nothing installed: the engine (secform-core compiled to
// WebAssembly, the same checks, layout and painting as `secform check` and `render`) runs in a
// Web Worker (worker.js). Nothing leaves the tab: no server but the static one that gave these
// files, and no answer is sent anywhere. There is no file to save into: 保存 downloads the answers.
// `secform serve`'s host (host-serve.js) answers the same calls; app.js never knows which.

let worker = null;
let next = 0;
const waiting = new Map();

const TRAPPED = "secform のエンジンが異常終了しました（secform の不具合です）。入力中の内容はこの画面に残っています。もう一度操作してください";
const UNLOADED = "secform のエンジンを読み込めません（このページのファイルがそろっているか、ブラウザが新しいか、メモリが足りているか確かめてください）";

/// Ends the worker and fails every call still waiting on it with `message`: a later call starts
/// a fresh one, and no caller waits forever.
function endWorker(message) {
  if (worker) worker.terminate();
  worker = null;
  for (const w of waiting.values()) w.fail(new Error(message));
  waiting.clear();
}

function startWorker() {
  worker = new Worker(new URL("./worker.js", import.meta.url), { type: "module" });
  worker.onmessage = (e) => {
    const d = e.data;
    const w = waiting.get(d.id);
    if (!w) return;
    waiting.delete(d.id);
    if (d.ok) w.done(d);
    else if (d.trapped || d.unloaded) {
      // A trapped module (a defect, never the user's input) or one that did not load is not
      // used again: every call waiting on it fails, and the next call starts a fresh one.
      waiting.set(d.id, w);
      endWorker(d.trapped ? TRAPPED : UNLOADED);
    } else w.fail(new Error(d.message));
  };
  worker.onerror = (e) => {
    e.preventDefault();
    endWorker(UNLOADED);
  };
}

/// One call into the engine: `{ value, ms }`.
function call(name, ...args) {
  if (!worker) startWorker();
  const id = ++next;
  return new Promise((done, fail) => {
    waiting.set(id, { done, fail });
    worker.postMessage({ id, call: name, args });
  });
}

/// Today as this computer's calendar has it: the engine keeps no clock.
function today() {
  const d = new Date();
  const two = (n) => String(n).padStart(2, "0");
  return `${d.getFullYear()}-${two(d.getMonth() + 1)}-${two(d.getDate())}`;
}

const bytes = (value, type) => new Blob([value], { type });

export const host = {
  kind: "tab",
  unreachable: "secform のエンジンが応答しません。ページを読み込み直してください",

  /// The layout and a new answer set. The font is the one inside the engine's module: shipped
  /// once, given to the page here for its controls and the preview.
  async start() {
    const [layout, font, starter] = await Promise.all([call("layout"), call("font"), call("starter", false)]);
    const face = new FontFace("secform-mincho", font.value);
    document.fonts.add(face);
    await face.load().catch(() => {});
    return { layout: JSON.parse(layout.value), answers: { text: starter.value, file: null }, etag: null };
  },

  async preview(text) {
    const r = await call("preview", text, today());
    return { value: JSON.parse(r.value), engineMs: r.ms };
  },

  async pdf(text) {
    const [pdf, name] = await Promise.all([call("pdf", text, today()), call("download_name", text)]);
    return { blob: bytes(pdf.value, "application/pdf"), name: name.value, engineMs: pdf.ms };
  },

  async open(file) {
    const data = new Uint8Array(await file.arrayBuffer());
    return JSON.parse((await call("open", file.name, data)).value);
  },

  async starter() {
    return (await call("starter", false)).value;
  },

  async workbook(text) {
    return bytes((await call("workbook", text)).value, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
  },

  async blank() {
    return bytes((await call("blank")).value, "application/pdf");
  },

  async clauseVariants() {
    return JSON.parse((await call("clause_variants")).value);
  },

  async clauses({ variant, first, second, format, with_form }) {
    const r = await call("clauses", variant, first, second, format, with_form);
    return bytes(r.value, { pdf: "application/pdf", docx: "application/vnd.openxmlformats-officedocument.wordprocessingml.document" }[format] || "text/plain;charset=utf-8");
  },
};
