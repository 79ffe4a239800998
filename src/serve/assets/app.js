// secform serve: the form built from the layout's own data, checked and previewed by the server
// on every change (debounced), never by rules of its own.
const $ = (sel) => document.querySelector(sel);
let layout = null;
let answers = {};
let etag = null;
let hasFile = false;
let seq = 0;
let changedAt = null;
let shownPages = [];

const el = (tag, attrs = {}, ...kids) => {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === false || v == null) continue;
    if (k === "text") e.textContent = v; else e.setAttribute(k, v === true ? "" : v);
  }
  for (const k of kids) if (k) e.append(k);
  return e;
};

function getPath(path) {
  return path.split(".").reduce((o, k) => (o == null ? undefined : o[k]), answers);
}

function setPath(path, value) {
  const keys = path.split(".");
  let o = answers;
  for (const k of keys.slice(0, -1)) {
    if (typeof o[k] !== "object" || o[k] === null) o[k] = {};
    o = o[k];
  }
  const last = keys[keys.length - 1];
  if (value === undefined) delete o[last]; else o[last] = value;
  // An unanswered row is left out, as the starter leaves it out.
  if (keys[0] === "items" && keys.length === 3) {
    const item = answers.items[keys[1]];
    if (item && !item.status && !item.detail) delete answers.items[keys[1]];
  }
}

const isDate = (v) => typeof v === "string" && /^\d{4}-\d{2}-\d{2}$/.test(v);

function field(path, label, control) {
  control.name = path;
  control.id = "f-" + path.replaceAll(".", "-");
  // A date input has its 和暦 beside it, as the server's calendar writes it (see showWareki).
  const wareki = control.type === "date" ? el("output", { class: "wareki", "data-wareki-for": path, for: control.id }) : null;
  return el("div", { class: "field", "data-field": path },
    el("label", { for: control.id, text: label }), control, wareki,
    el("div", { class: "messages", "data-for": path }));
}

function showWareki(byPath) {
  document.querySelectorAll("output[data-wareki-for]").forEach((o) => {
    o.textContent = byPath[o.dataset.warekiFor] || "";
  });
}

function input(path, type = "text") {
  const v = getPath(path);
  const i = el("input", { type });
  if (type === "checkbox") i.checked = v === true; else i.value = v ?? "";
  return i;
}

function select(path, options) {
  const s = el("select");
  for (const [value, label] of options) s.append(el("option", { value, text: label }));
  const v = getPath(path);
  s.value = v === true ? "true" : v === false ? "false" : (v ?? "");
  return s;
}

function build() {
  const form = $("#form");
  form.replaceChildren();
  const t = layout.target;
  const s1 = el("fieldset", {}, el("legend", { text: t.heading }));
  for (const f of t.fields) {
    const path = "target." + f.key;
    const dateLike = isDate(getPath(path)) || f.key !== "company" && f.key !== "department";
    s1.append(field(path, f.label, input(path, dateLike ? "date" : "text")));
  }
  s1.append(field("target.subcontractor", t.subcontractor_suffix, input("target.subcontractor", "checkbox")));
  if (t.notes) {
    s1.append(el("h3", { text: t.notes.heading }));
    for (const p of t.notes.paragraphs) s1.append(el("p", { class: "note", text: p }));
  }
  form.append(s1);

  // The questions are the layout's (its plain question, or the condition its rows state).
  const sc = el("fieldset", { class: "circumstances" });
  for (const q of layout.serve.circumstances) {
    sc.append(field("circumstances." + q.name, q.text + "（" + q.rows.join("・") + "）",
      select("circumstances." + q.name, [["", "未回答"], ["true", "はい"], ["false", "いいえ"]])));
  }
  form.append(sc);

  const items = layout.items;
  const s2 = el("fieldset", {}, el("legend", { text: items.heading }));
  for (const r of items.rows) {
    const base = "items." + r.number;
    const opts = [["", ""], ...items.status_values.map((v) => [v, v])];
    if (r.one_year_rule) opts.push(["auto", "自動"]);
    const row = el("div", { class: "row" + (r.optional ? " optional" : ""), "data-row": r.number },
      el("p", { class: "rowtext", text: (r.optional ? items.optional_mark + " " : "") + r.number + "　" + r.text }),
      field(base + ".status", layout.serve.status_label, select(base + ".status", opts)),
      field(base + ".detail", layout.serve.detail_label, (() => { const a = el("textarea", { rows: 2 }); a.value = getPath(base + ".detail") ?? ""; return a; })()));
    s2.append(row);
  }
  form.append(s2);

  const s3 = el("fieldset");
  s3.append(field("checked_on", layout.checked_on.label, input("checked_on", "date")));
  const parts = (layout.checker.label.match(/[（(]([^）)]*)[）)]/) || [null, ""])[1].split("、");
  const keys = ["company", "department", "title", "name"];
  s3.append(el("p", { text: layout.checker.label }));
  keys.forEach((k, i) => s3.append(field("checker." + k, parts[i] || k, input("checker." + k))));
  s3.append(field("seal.mark", layout.checker.seal_mark, (() => { const i = el("input", { type: "checkbox" }); i.checked = (answers.seal?.mark ?? true); return i; })()));
  s3.append(sealChooser());
  s3.append(field("dates", "日付の書き方", select("dates", [["wareki", "和暦"], ["western", "西暦"]])));
  form.append(s3);
  for (const n of layout.closing_notes.paragraphs || []) form.append(el("p", { class: "note", text: n }));
}

/// The seal image: the file the answer set names, or an image chosen here, which travels in the
/// answer set itself as seal.data (a data: URI), so that 保存 writes one file.
function sealChooser() {
  const pick = el("input", { type: "file", accept: "image/png,image/jpeg" });
  const f = field("seal.data", "印影の画像（PNG または JPEG）", pick);
  const shown = el("div", { class: "seal-now" });
  const clear = el("button", { type: "button", id: "seal-clear", text: "画像を外す" });
  const show = () => {
    const s = answers.seal || {};
    const img = s.data ? el("img", { src: s.data, alt: "選んだ印影", class: "seal-thumb" }) : null;
    shown.replaceChildren(...[img, s.image ? el("span", { text: "ファイル: " + s.image }) : null].filter(Boolean));
    clear.hidden = !s.data && !s.image;
  };
  pick.addEventListener("change", async (e) => {
    e.stopPropagation();
    const file = pick.files[0];
    if (!file) return;
    const messages = f.querySelector(".messages");
    if (file.size > layout.serve.seal_max_bytes) {
      pick.value = "";
      messages.replaceChildren(el("p", { class: "error", text: `選んだ画像は ${file.size} バイトで大きすぎます（上限 ${layout.serve.seal_max_bytes} バイト）` }));
      return;
    }
    const bytes = new Uint8Array(await file.arrayBuffer());
    // The type from the bytes, not the file name: the server checks that they agree.
    const png = bytes[0] === 0x89 && bytes[1] === 0x50 && bytes[2] === 0x4e && bytes[3] === 0x47;
    let bin = "";
    for (let i = 0; i < bytes.length; i += 0x8000) bin += String.fromCharCode.apply(null, bytes.subarray(i, i + 0x8000));
    setPath("seal.image", undefined);
    setPath("seal.data", "data:" + (png ? "image/png" : "image/jpeg") + ";base64," + btoa(bin));
    pick.value = "";
    show();
    schedule();
  });
  clear.addEventListener("click", () => {
    setPath("seal.image", undefined);
    setPath("seal.data", undefined);
    show();
    schedule();
  });
  show();
  // A problem with the file the answer set names is said here too.
  f.append(shown, clear, el("div", { class: "messages", "data-for": "seal.image" }));
  return f;
}

function readControl(c) {
  if (c.type === "checkbox") return c.checked;
  if (c.tagName === "SELECT" && (c.value === "true" || c.value === "false")) return c.value === "true";
  if (c.value === "" && !c.name.endsWith(".detail")) return undefined;
  return c.value;
}

function changed(e) {
  const c = e.target;
  // Half-typed kana are not checked: the composed text comes with compositionend.
  if (!c.name || c.type === "file" || e.isComposing) return;
  changedAt = performance.now();
  setPath(c.name, readControl(c));
  schedule();
}

// No timer: a change is sent at once, and a burst of keystrokes is taken as one change by
// refresh itself (one request at a time), so the preview follows typing as fast as the server
// answers (a timer cost a wait on every keystroke, and more on a busy machine).
function schedule() {
  refresh();
}

const body = () => JSON.stringify(answers, null, 2);

// One preview request at a time: changes made while one is out are sent together when it is
// back, so that a burst of typing never queues renders that are stale before they start.
let inFlight = false;
let again = false;

async function refresh() {
  if (inFlight) { again = true; return; }
  inFlight = true;
  try { await refreshOnce(); } finally {
    inFlight = false;
    if (again) { again = false; refresh(); }
  }
}

async function refreshOnce() {
  const mine = ++seq;
  const since = changedAt;
  let v;
  const sent = performance.now();
  let server = null;
  try {
    const r = await fetch("/api/preview", { method: "POST", headers: { "content-type": "application/json" }, body: body() });
    server = (r.headers.get("server-timing") || "").match(/dur=([\d.]+)/);
    v = await r.json().catch(() => ({ message: `確認できませんでした（${r.status}）` }));
    if (!r.ok) { if (mine === seq) status(v.message || `確認できませんでした（${r.status}）`); return; }
  } catch {
    if (mine === seq) status("secform serve に接続できません（止まっていないか確かめてください）");
    return;
  }
  if (mine !== seq) return;
  showProblems(v.problems || []);
  showCarried(v.problems || []);
  showWareki(v.wareki || {});
  if (v.pages) {
    const box = $("#preview");
    // Only the pages that changed are replaced: typing on page 1 repaints page 1.
    const old = [...box.children];
    v.pages.forEach((svg, i) => {
      if (shownPages[i] === svg) return;
      const t = document.createElement("template");
      t.innerHTML = svg;
      if (old[i]) old[i].replaceWith(t.content); else box.append(t.content);
    });
    old.slice(v.pages.length).forEach((e) => e.remove());
    shownPages = v.pages;
    $("#pagecount").textContent = v.count + " ページ";
    // From the change to the painted preview, and its parts, for the browser test to report.
    if (since != null) {
      const received = performance.now();
      requestAnimationFrame(() => setTimeout(() => {
        const now = performance.now();
        Object.assign(box.dataset, {
          latencyMs: Math.round(now - since),
          timing: `待ち ${Math.round(sent - since)} ms、往復 ${Math.round(received - sent)} ms（うちサーバー ${server ? Math.round(+server[1]) : "?"} ms）、描画 ${Math.round(now - received)} ms、SVG ${Math.round(v.pages.join("").length / 1024)} KB`,
        });
      }));
    }
  }
}

function showProblems(problems) {
  const list = $("#problems");
  list.replaceChildren();
  document.querySelectorAll(".messages").forEach((m) => m.replaceChildren());
  for (const p of problems) {
    const mark = p.severity === "error" ? "エラー" : "警告";
    list.append(el("li", { "data-path": p.path, "data-severity": p.severity, class: p.severity, text: `${mark}: ${p.path}: ${p.message}` }));
    const at = document.querySelector(`.messages[data-for="${CSS.escape(p.path)}"]`);
    if (at) at.append(el("p", { "data-path": p.path, "data-severity": p.severity, class: p.severity, text: p.message }));
  }
  const errors = problems.filter((p) => p.severity === "error").length;
  const d = $("#download");
  d.disabled = errors > 0;
  d.title = errors > 0 ? `エラーが ${errors} 件あるため PDF を作れません` : "";
}

/// Rows `next` carried over from last year (issue 21 §5): a mark beside each row the server still
/// warns about (its answer unchanged), with a button that confirms the row by removing its
/// `carried_over`; a changed answer or detail clears the warning, and so the mark.
function showCarried(problems) {
  const still = new Map(problems
    .filter((p) => p.severity === "warning" && /^items\.\d+$/.test(p.path) && p.message.includes("前年の回答のまま"))
    .map((p) => [p.path.slice("items.".length), p.message]));
  document.querySelectorAll(".row[data-row]").forEach((row) => {
    const n = row.dataset.row;
    const old = row.querySelector(".carried");
    if (!still.has(n)) { if (old) old.remove(); return; }
    if (old) return;
    const ok = el("button", { type: "button", class: "carried-ok", text: "確かめた（今年もこのとおり）" });
    ok.addEventListener("click", () => {
      const item = answers.items && answers.items[n];
      if (item) delete item.carried_over;
      mark.remove();
      schedule();
    });
    const mark = el("p", { class: "carried warning", "data-carried": n, role: "status" },
      el("span", { text: still.get(n) + "　" }), ok);
    row.querySelector(".rowtext").after(mark);
  });
}

function status(text) { $("#status").textContent = text; }

async function save() {
  if (!hasFile) {
    download(new Blob([body() + "\n"], { type: "application/json" }), "answers.json");
    return;
  }
  const r = await fetch("/api/save", { method: "PUT", headers: { "content-type": "application/json", "if-match": etag }, body: body() });
  if (r.ok) { etag = r.headers.get("etag"); status("保存しました"); }
  else status((await r.json()).message);
}

function download(blob, name) {
  const a = el("a", { href: URL.createObjectURL(blob), download: name });
  document.body.append(a); a.click(); a.remove();
}

async function pdf() {
  const r = await fetch("/api/pdf", { method: "POST", headers: { "content-type": "application/json" }, body: body() });
  if (r.ok) download(await r.blob(), "確認書.pdf"); else status("PDF を作れません");
}

function load(text) {
  try { answers = JSON.parse(text); } catch { status("JSON として読めません"); return; }
  build();
  refresh();
}

async function start() {
  layout = await (await fetch("/api/layout")).json();
  const r = await fetch("/api/answers");
  etag = r.headers.get("etag");
  const v = await r.json();
  hasFile = v.file != null;
  if (hasFile) status(v.file);
  load(v.text);
  const form = $("#form");
  form.addEventListener("input", (e) => { if (e.target.type !== "checkbox" && e.target.tagName !== "SELECT") changed(e); });
  form.addEventListener("change", changed);
  form.addEventListener("compositionend", changed);
  form.addEventListener("keydown", (e) => { if (e.key === "Enter" && (e.isComposing || e.keyCode === 229)) e.stopPropagation(); });
  form.addEventListener("submit", (e) => e.preventDefault());
  $("#save").addEventListener("click", save);
  $("#download").addEventListener("click", pdf);
  $("#open").addEventListener("click", () => $("#open-file").click());
  $("#open-file").addEventListener("change", async (e) => { const f = e.target.files[0]; if (f) load(await f.text()); });
  $("#new").addEventListener("click", async () => load(await (await fetch("/api/starter")).text()));
}

start();
