// The page's host when `secform serve` serves it: the engine runs in the server (the same
// library as `secform check` and `render`), reached over the server's JSON API, and the server
// adds what only a local file system gives: 保存 back into the file named on the command line.
// The browser tab's host (host-tab.js) answers the same calls from the engine compiled to
// WebAssembly; app.js never knows which one it has.

const json = { "content-type": "application/json" };

async function failed(r, what) {
  const v = await r.json().catch(() => ({}));
  // A PDF refused for errors: the same words as the tab's engine (the errors are listed).
  if (!v.message && Array.isArray(v.problems)) return new Error(`エラーが ${v.problems.filter((p) => p.severity === "error").length} 件あるため PDF を作れません`);
  return new Error(v.message || `${what}（${r.status}）`);
}

/// The JSON of a reply, or why not.
async function ok(r, what) {
  if (!r.ok) throw await failed(r, what);
  return r;
}

async function blob(r, what) {
  if (!r.ok) throw await failed(r, what);
  return r.blob();
}

/// The name a response gives its download (RFC 6266 `filename*`), or `fallback`.
function named(r, fallback) {
  const m = (r.headers.get("content-disposition") || "").match(/filename\*=UTF-8''([^;]+)/);
  return m ? decodeURIComponent(m[1]) : fallback;
}

export const host = {
  kind: "serve",
  unreachable: "secform serve に接続できません（止まっていないか確かめてください）",

  /// The layout the page is built from, and the answers it starts with (the served file's
  /// content as it is now, with its version tag). The font comes from the server (/font.ttf).
  async start() {
    const font = new FontFace("secform-mincho", "url(font.ttf)");
    document.fonts.add(font);
    font.load().catch(() => {});
    const layout = await (await ok(await fetch("api/layout"), "様式を読み込めません")).json();
    const r = await fetch("api/answers");
    const v = await r.json();
    if (!r.ok) throw new Error(v.message || `回答を読み込めません（${r.status}）`);
    return { layout, answers: v, etag: r.headers.get("etag") };
  },

  /// Problems, pages and 和暦 of `text`; `engineMs` is the server's share (Server-Timing).
  async preview(text) {
    const r = await fetch("api/preview", { method: "POST", headers: json, body: text });
    const timing = (r.headers.get("server-timing") || "").match(/dur=([\d.]+)/);
    if (!r.ok) throw await failed(r, "確認できませんでした");
    return { value: await r.json(), engineMs: timing ? +timing[1] : null };
  },

  async pdf(text) {
    const r = await fetch("api/pdf", { method: "POST", headers: json, body: text });
    return { blob: await blob(r, "PDF を作れません"), name: named(r, "確認書.pdf") };
  },

  /// The answers of a chosen file (JSON, a workbook or a secform PDF), read by the server's
  /// readers: `{ text, warnings }`.
  async open(file) {
    const r = await fetch("api/open", { method: "POST", headers: { "content-type": "application/octet-stream", "x-file-name": encodeURIComponent(file.name) }, body: file });
    if (!r.ok) throw await failed(r, `${file.name} を開けません`);
    return r.json();
  },

  async starter() {
    return (await ok(await fetch("api/starter"), "新しい回答を作れません")).text();
  },

  async workbook(text) {
    return blob(await fetch("api/workbook", { method: "POST", headers: json, body: text }), "Excel ブックを作れません");
  },

  async blank() {
    return blob(await fetch("api/blank"), "白紙の様式を作れません");
  },

  async clauseVariants() {
    return (await ok(await fetch("api/clauses"), "条項の一覧を読み込めません")).json();
  },

  /// `{ variant, first, second, format, with_form }` as `secform clauses` takes them.
  async clauses(choice) {
    return blob(await fetch("api/clauses", { method: "POST", headers: json, body: JSON.stringify(choice) }), "条項を作れません");
  },

  /// 保存 into the served file, only over the version `etag` names: `{ ok, status, etag, body }`.
  async save(text, etag) {
    const r = await fetch("api/save", { method: "PUT", headers: { ...json, "if-match": etag }, body: text });
    return { ok: r.ok, status: r.status, etag: r.headers.get("etag"), body: await r.json().catch(() => ({})) };
  },

  /// The served file's content as it is now, with its tag (a comparison after a refused save).
  async current() {
    const r = await fetch("api/answers");
    const body = await r.json();
    return { ok: r.ok, etag: r.headers.get("etag"), body };
  },
};
