// secform serve: the form built from the layout's own data, checked and previewed by the server
// on every change (debounced), never by rules of its own.
const $ = (sel) => document.querySelector(sel);
let layout = null;
let answers = {};
let etag = null;
let hasFile = false;
let timer = null;
let seq = 0;

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
  return el("div", { class: "field", "data-field": path },
    el("label", { for: control.id, text: label }), control,
    el("div", { class: "messages", "data-for": path }));
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

/// The circumstance's question: the parenthesised condition of the first row it decides.
function circumstanceQuestion(name) {
  const row = layout.items.rows.find((r) => r.applies && r.applies.circumstance === name);
  const m = row && row.text.match(/[(（]([^)）]*)[)）]/);
  const rows = layout.items.rows.filter((r) => r.applies && r.applies.circumstance === name).map((r) => r.number);
  return (m ? m[1] : row ? row.text : name) + "（" + rows.join("・") + "）";
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

  const names = [...new Set(layout.items.rows.filter((r) => r.applies && r.applies.circumstance).map((r) => r.applies.circumstance))];
  const sc = el("fieldset", { class: "circumstances" });
  for (const n of names) {
    sc.append(field("circumstances." + n, circumstanceQuestion(n),
      select("circumstances." + n, [["", "未回答"], ["true", "はい"], ["false", "いいえ"]])));
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
      field(base + ".status", items.status_values.join("／"), select(base + ".status", opts)),
      field(base + ".detail", "内容・理由", (() => { const a = el("textarea", { rows: 2 }); a.value = getPath(base + ".detail") ?? ""; return a; })()));
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
  s3.append(field("dates", "日付の書き方", select("dates", [["wareki", "和暦"], ["western", "西暦"]])));
  form.append(s3);
  for (const n of layout.closing_notes.paragraphs || []) form.append(el("p", { class: "note", text: n }));
}

function readControl(c) {
  if (c.type === "checkbox") return c.checked;
  if (c.tagName === "SELECT" && (c.value === "true" || c.value === "false")) return c.value === "true";
  if (c.value === "" && !c.name.endsWith(".detail")) return undefined;
  return c.value;
}

function changed(e) {
  const c = e.target;
  if (!c.name || e.isComposing) return;
  setPath(c.name, readControl(c));
  schedule();
}

function schedule() {
  clearTimeout(timer);
  timer = setTimeout(refresh, 150);
}

const body = () => JSON.stringify(answers, null, 2);

async function refresh() {
  const mine = ++seq;
  const r = await fetch("/api/preview", { method: "POST", headers: { "content-type": "application/json" }, body: body() });
  const v = await r.json();
  if (mine !== seq) return;
  showProblems(v.problems || []);
  if (v.pages) {
    const box = $("#preview");
    box.innerHTML = v.pages.join("");
    $("#pagecount").textContent = v.count + " ページ";
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
