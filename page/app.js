// secform's page: the form built from the layout's own data, checked and previewed by the engine
// on every change, never by rules of its own. One page, two hosts (host.js): `secform serve`
// (host-serve.js: the engine in the server, 保存 into the served file) and a browser tab with
// nothing installed (host-tab.js: the engine compiled to WebAssembly in a Web Worker).

import { host } from "./host.js";

// The token leaves the address bar (and so the history and any copy of the address) at once: the
// cookie carries it from here on.
if (location.search) history.replaceState(null, "", location.pathname);

const $ = (sel) => document.querySelector(sel);
let layout = null;
let answers = {};
// The version tag of the file's content the page was given (or has seen in a comparison): a
// save is accepted only over exactly that content.
let etag = null;
let hasFile = false;
let fileName = "";
// The company of the file's content as last read or saved, named when asking before 保存.
let fileCompany = "";
// The file's content that `etag` names, as parsed, when the answers on screen were made from it
// (null when they came from 開く or 新規): a comparison takes from the file what only the file
// changed and asks only about what both changed.
let fileBase = null;
// Where the answers on screen came from when not from the file: { kind: "open", name } or
// { kind: "new" }; 保存 then asks before writing them into the file.
let source = null;
// Edits not yet saved (or downloaded): 新規 and 開く ask first, and so does leaving the page.
let dirty = false;
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
    const control = field(path, f.label, input(path, dateLike ? "date" : "text"));
    // The (下請負者等) switch sits beside (1) 事業者名, where the form prints it.
    if (f.key === "company") {
      s1.append(el("div", { class: "beside", id: "company-line" }, control,
        field("target.subcontractor", t.subcontractor_suffix, input("target.subcontractor", "checkbox"))));
    } else s1.append(control);
  }
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
  followCircumstances();

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

/// A ※ row is not answered while the question that decides it is answered いいえ: its controls
/// are disabled and show ※ as the PDF prints an unanswered ※ row. An answer it still holds stays
/// (and prints, and is checked): nothing typed is dropped.
function followCircumstances() {
  const items = layout.items;
  for (const q of layout.serve.circumstances) {
    const off = getPath("circumstances." + q.name) === false;
    for (const n of q.rows) {
      const r = items.rows.find((x) => x.number === n);
      const row = document.querySelector(`.row[data-row="${n}"]`);
      if (!r || !r.optional || !row) continue;
      row.classList.toggle("not-applicable", off);
      const status = row.querySelector("select");
      const detail = row.querySelector("textarea");
      status.disabled = off;
      detail.disabled = off;
      const answered = getPath(`items.${n}.status`) || getPath(`items.${n}.detail`);
      let mark = status.querySelector("option[data-mark]");
      if (off && !answered) {
        if (!mark) { mark = el("option", { value: "", "data-mark": true, text: items.optional_mark }); status.append(mark); }
        mark.selected = true;
        detail.placeholder = items.optional_mark;
      } else {
        if (mark) { mark.remove(); status.value = getPath(`items.${n}.status`) ?? ""; }
        detail.placeholder = "";
      }
    }
  }
}

/// The seal image: the file the answer set names, or an image chosen here, which travels in the
/// answer set itself as seal.data (a data: URI), so that 保存 writes one file.
function sealChooser() {
  const pick = el("input", { type: "file", accept: "image/png,image/jpeg" });
  const f = field("seal.data", `印影の画像（PNG または JPEG。${sealLimits()}。大きな写真は縮小して使います）`, pick);
  const shown = el("div", { class: "seal-now" });
  // What was done to a chosen photo: outside .messages, which each check replaces.
  const said = el("p", { class: "note", id: "seal-note" });
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
    pick.value = "";
    const messages = f.querySelector(".messages");
    messages.replaceChildren();
    said.textContent = "";
    let chosen;
    try { chosen = await sealImage(file); } catch (err) {
      messages.replaceChildren(el("p", { class: "error", text: err.message }));
      return;
    }
    setPath("seal.image", undefined);
    setPath("seal.data", chosen.data);
    said.textContent = chosen.note || "";
    show();
    dirty = true;
    schedule();
  });
  clear.addEventListener("click", () => {
    said.textContent = "";
    setPath("seal.image", undefined);
    setPath("seal.data", undefined);
    show();
    schedule();
  });
  show();
  // A problem with the file the answer set names is said here too.
  f.append(shown, said, clear, el("div", { class: "messages", "data-for": "seal.image" }));
  return f;
}

const mb = (n) => (n / 1024 / 1024).toFixed(1).replace(/\.0$/, "") + " MB";
const kb = (n) => n < 1024 * 1024 ? Math.max(1, Math.round(n / 1024)) + " KB" : mb(n);

/// The largest file the page reads to scale down (the page's own bound on memory, not a limit of
/// the seal's).
const PHOTO_MAX_BYTES = 64 * 1024 * 1024;

/// The seal's limits as a person reads them (from the server's own limits).
const sealLimits = () => `上限 ${mb(layout.serve.seal_max_bytes)}・一辺 ${layout.serve.seal_max_side_px.toLocaleString("ja-JP")} ピクセル`;

/// A chosen image as seal.data: as it is when within the limits, else (a phone photo) drawn on a
/// canvas at the size the form prints (seal_print_side_px on the longer side) and re-encoded
/// (PNG stays PNG, for its transparency; a photo becomes JPEG), with a note of what was done.
async function sealImage(file) {
  // Read whole only up to a bound of its own: a phone photo is far smaller.
  if (file.size > PHOTO_MAX_BYTES) throw new Error(`${file.name} は ${mb(file.size)} あり、写真としても大きすぎます（${mb(PHOTO_MAX_BYTES)} まで読み、${sealLimits()}に縮小します）`);
  const bytes = new Uint8Array(await file.arrayBuffer());
  // The type from the bytes, not the file name: the server checks that they agree.
  const png = bytes[0] === 0x89 && bytes[1] === 0x50 && bytes[2] === 0x4e && bytes[3] === 0x47;
  const jpeg = bytes[0] === 0xff && bytes[1] === 0xd8;
  let bitmap;
  try { bitmap = await createImageBitmap(new Blob([bytes])); } catch {
    throw new Error(`${file.name} は画像として読めません。PNG か JPEG の画像を選んでください（${sealLimits()}）`);
  }
  const { width, height } = bitmap;
  const s = layout.serve;
  if ((png || jpeg) && file.size <= s.seal_max_bytes && Math.max(width, height) <= s.seal_max_side_px) {
    bitmap.close();
    return { data: await dataUri(new Blob([bytes], { type: png ? "image/png" : "image/jpeg" })) };
  }
  const scale = Math.min(1, s.seal_print_side_px / Math.max(width, height));
  const w = Math.max(1, Math.round(width * scale));
  const h = Math.max(1, Math.round(height * scale));
  const canvas = el("canvas", { width: w, height: h });
  const g = canvas.getContext("2d");
  g.imageSmoothingQuality = "high";
  g.drawImage(bitmap, 0, 0, w, h);
  bitmap.close();
  const type = png ? "image/png" : "image/jpeg";
  let blob = null;
  for (const quality of [0.92, 0.8, 0.6]) {
    blob = await new Promise((done) => canvas.toBlob(done, type, quality));
    if (blob && blob.size <= s.seal_max_bytes) break;
  }
  if (!blob || blob.size > s.seal_max_bytes) throw new Error(`${file.name} を縮小しても ${sealLimits()} に収まりません`);
  return {
    data: await dataUri(blob),
    note: `選んだ画像（${width}×${height} ピクセル、${kb(file.size)}）は${sealLimits()}を超えるため、印刷に要る ${w}×${h} ピクセル（${kb(blob.size)}）に縮小しました`,
  };
}

const dataUri = (blob) => new Promise((done, fail) => {
  const r = new FileReader();
  r.onload = () => done(r.result);
  r.onerror = () => fail(new Error("画像を読めません"));
  r.readAsDataURL(blob);
});

function readControl(c) {
  if (c.type === "checkbox") return c.checked;
  if (c.tagName === "SELECT" && (c.value === "true" || c.value === "false")) return c.value === "true";
  if (c.value === "" && !c.name.endsWith(".detail")) return undefined;
  return c.value;
}

function changed(e) {
  const c = e.target;
  // Half-typed kana are not checked: the composed text comes with compositionend. A control of
  // answers already replaced (開く, 新規) writes nothing into the new ones.
  if (!c.name || c.type === "file" || e.isComposing || !c.isConnected) return;
  changedAt = performance.now();
  setPath(c.name, readControl(c));
  if (c.name.startsWith("circumstances.")) followCircumstances();
  dirty = true;
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
  let engineMs = null;
  try {
    ({ value: v, engineMs } = await host.preview(body()));
  } catch (err) {
    if (mine === seq) status(err instanceof TypeError ? host.unreachable : err.message);
    return;
  }
  if (mine !== seq) return;
  showProblems(v.problems || []);
  showCarried(v.problems || []);
  showWareki(v.wareki || {});
  if (!v.pages) {
    // The engine lays out only answers without errors: say so rather than show nothing.
    $("#pagecount").textContent = shownPages.length ? "エラーがあるため、プレビューは最後に表示できたときのものです" : "エラーを直すと、ここに印刷される形で表示します";
  } else {
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
    // From navigation to the first painted preview (ms), for bench/web.sh and the browser tests.
    if (!box.dataset.firstMs) requestAnimationFrame(() => { box.dataset.firstMs = Math.round(performance.now()); });
    // From the change to the painted preview, and its parts, for the browser test to report.
    if (since != null) {
      const received = performance.now();
      requestAnimationFrame(() => setTimeout(() => {
        const now = performance.now();
        Object.assign(box.dataset, {
          latencyMs: Math.round(now - since),
          engineMs: engineMs == null ? "" : Math.round(engineMs),
          timing: `待ち ${Math.round(sent - since)} ms、往復 ${Math.round(received - sent)} ms（うちエンジン ${engineMs == null ? "?" : Math.round(engineMs)} ms）、描画 ${Math.round(now - received)} ms、SVG ${Math.round(v.pages.join("").length / 1024)} KB`,
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
    // The form's name of the place first (「(1) 事業者名」), the JSON path after it (issue 24).
    const place = p.label ? `${p.label} [${p.path}]` : p.path;
    list.append(el("li", { "data-path": p.path, "data-severity": p.severity, class: p.severity, text: p.path === "$" && !p.label ? `${mark}: ${p.message}` : `${mark}: ${place}: ${p.message}` }));
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

const companyOf = (a) => (a && a.target && a.target.company) || "会社名なし";

function describeSource() {
  if (!source) return "この画面";
  return source.kind === "open" ? `開いた ${source.name}` : "新規";
}

async function save() {
  if (!hasFile || !host.save) {
    // No file to write into (the browser tab, or serve without one): the answers downloaded.
    const name = baseName() + ".json";
    download(new Blob([body() + "\n"], { type: "application/json" }), name);
    dirty = false;
    status(`${name} をダウンロードしました（ブラウザのダウンロード先に保存されます。確かめてください）`);
    return;
  }
  // Answers opened from another file (or a new set) go into the file only when the user says so.
  if (source) {
    const into = etag === '"none"' ? `${fileName}（まだありません）に保存します` : `${fileName}（${fileCompany}）を上書きします`;
    if (!confirm(`${describeSource()}の回答（${companyOf(answers)}）で、${into}。よろしいですか。`)) {
      status("保存を取りやめました。ファイルは変わっていません");
      return;
    }
  }
  let r;
  try {
    r = await host.save(body(), etag);
  } catch {
    status("secform serve に接続できないため保存できません。入力中の内容はこの画面に残っています");
    return;
  }
  const v = r.body;
  if (r.ok) {
    etag = r.etag;
    source = null;
    fileBase = JSON.parse(body());
    fileCompany = companyOf(answers);
    dirty = false;
    $("#conflict").hidden = true;
    const kind = { xlsx: "Excel ブックとして", pdf: "PDF として", json: "JSON として" }[v.save_as] || "";
    status(`${fileName} に${kind}保存しました`);
  } else if (r.status === 412) {
    refused(v.message || "保存を取りやめました");
  } else {
    if (v.problems) showProblems(v.problems);
    status(v.message || `保存できませんでした（${r.status}）。入力中の内容はこの画面に残っています`);
  }
}

/// A refused save: the edits stay on screen, with two ways out that lose nothing.
function refused(message) {
  status("保存を取りやめました（上の案内をご覧ください）");
  $("#conflict-message").textContent = message;
  $("#conflict-diff").replaceChildren();
  $("#conflict").hidden = false;
  $("#conflict").scrollIntoView({ block: "nearest" });
}

const downloadName = () => (fileName.split(/[\\/]/).pop() || "answers.json").replace(/\.json$/i, "") + "_入力中.json";

/// Every answer by its JSON path, for comparing two answer sets.
function leaves(v, prefix = "", out = new Map()) {
  if (v !== null && typeof v === "object" && !Array.isArray(v)) {
    for (const [k, x] of Object.entries(v)) leaves(x, prefix ? prefix + "." + k : k, out);
  } else if (prefix) out.set(prefix, v);
  return out;
}

const shown = (v) => {
  if (v === undefined) return "（なし）";
  const t = typeof v === "string" ? v : JSON.stringify(v);
  return t.length > 80 ? t.slice(0, 80) + "…" : t;
};

/// The file's current content beside the page's: what differs, each with a way to take the
/// file's value. The page then holds the file's current version: a 保存 after this writes what
/// the user has seen compared.
async function compare() {
  let v;
  let r;
  try {
    r = await host.current();
    v = r.body;
  } catch {
    status(host.unreachable);
    return;
  }
  if (!r.ok) { $("#conflict-message").textContent = v.message; return; }
  let theirs;
  try { theirs = JSON.parse(v.text); } catch { $("#conflict-message").textContent = "ファイルの今の内容を JSON として読めません"; return; }
  const mine = leaves(answers);
  const other = leaves(theirs);
  const base = fileBase ? leaves(fileBase) : null;
  const same = (a, b) => JSON.stringify(a) === JSON.stringify(b);
  const paths = [...new Set([...other.keys(), ...mine.keys()])].filter((p) => !same(mine.get(p), other.get(p)));
  // Only the file changed it: taken. Only this page changed it: kept. Both: the user chooses.
  const state = (p) => !base ? "both" : same(mine.get(p), base.get(p)) ? "file" : same(other.get(p), base.get(p)) ? "page" : "both";
  etag = r.etag;
  fileCompany = companyOf(theirs);
  fileBase = theirs;
  const box = $("#conflict-diff");
  if (paths.length === 0) {
    $("#conflict-message").textContent = "ファイルの今の内容は、この画面の内容と同じです。";
    box.replaceChildren();
    return;
  }
  const count = (k) => paths.filter((p) => state(p) === k).length;
  for (const p of paths) if (state(p) === "file") setPath(p, other.get(p));
  if (count("file")) { build(); dirty = true; schedule(); }
  $("#conflict-message").textContent = `ファイルの今の内容とこの画面の内容は、次の ${paths.length} か所が違います。` +
    (count("file") ? `ほかで変わっただけの ${count("file")} か所は、ファイルの値を取り込みました。` : "") +
    (count("page") ? `この画面で変えた ${count("page")} か所は、この画面の値のままです。` : "") +
    (count("both") ? `両方で変わった ${count("both")} か所は、残したい方を選んでください（「ファイルの値にする」で取り込めます）。` : "") +
    "確かめてから保存すると、この画面の内容がファイルに書かれます。";
  const table = el("table", { class: "diff" },
    el("thead", {}, el("tr", {}, el("th", { text: "項目" }), el("th", { text: "ファイルの今の内容" }), el("th", { text: "この画面の内容" }), el("th"))));
  const rows = el("tbody");
  for (const p of paths) {
    const label = document.querySelector(`label[for="f-${CSS.escape(p.replaceAll(".", "-"))}"]`);
    let last;
    if (state(p) === "both") {
      last = el("button", { type: "button", text: "ファイルの値にする", "data-take": p });
      last.addEventListener("click", () => {
        setPath(p, other.get(p));
        build();
        last.replaceWith("ファイルの値にしました");
        dirty = true;
        schedule();
      });
    } else {
      last = state(p) === "file" ? "ファイルの値を取り込みました" : "この画面の値のままです";
    }
    rows.append(el("tr", { "data-path": p, "data-state": state(p) },
      el("td", { text: (label ? label.textContent + " " : "") + p }),
      el("td", { text: shown(other.get(p)) }),
      el("td", { text: shown(mine.get(p)) }),
      el("td", {}, last)));
  }
  table.append(rows);
  box.replaceChildren(table);
}

function download(blob, name) {
  const url = URL.createObjectURL(blob);
  const a = el("a", { href: url, download: name });
  document.body.append(a); a.click(); a.remove();
  // The file is the browser's once the download started: its bytes are let go a minute later.
  setTimeout(() => URL.revokeObjectURL(url), 60000);
}

/// The PDF, exactly `secform render`'s bytes, named by the engine (the company and the date as
/// the PDF writes it).
async function pdf() {
  try {
    const clicked = performance.now();
    const made = await host.pdf(body());
    download(made.blob, made.name);
    status(`${made.name} を作りました`);
    // From the click to the file handed to the browser, and the engine's part of it.
    Object.assign($("#download").dataset, { ms: Math.round(performance.now() - clicked), engineMs: made.engineMs == null ? "" : Math.round(made.engineMs) });
  } catch (err) {
    status(err instanceof TypeError ? host.unreachable : err.message);
  }
}

/// The file name of the other downloads: the PDF's, for the same answers.
const baseName = () => {
  const company = (answers.target && answers.target.company || "").trim().replace(/[\\/:*?"<>|\u0000-\u001f]/g, "_").slice(0, 60);
  return company ? `回答_${company}` : "回答";
};

/// Another output of the same engine: the answers as JSON or a workbook, the blank form, the
/// clauses for an annex. A refusal (answers a workbook cannot hold) is said, never a half file.
async function other(make, name) {
  try {
    download(await make(), name);
    status(`${name} を作りました`);
  } catch (err) {
    status(err instanceof TypeError ? host.unreachable : err.message);
  }
}

async function clausesPanel() {
  let variants = [];
  try { variants = await host.clauseVariants(); } catch (err) {
    status(err instanceof TypeError ? host.unreachable : err.message);
  }
  const pick = $("#clauses-variant");
  pick.replaceChildren(...variants.map((v) => el("option", { value: v.name, text: v.title + "（" + v.first + "・" + v.second + "）" })));
  // A variant brings its own labels; the format keeps the labels the user typed.
  const formFits = () => {
    const v = variants.find((x) => x.name === pick.value);
    $("#clauses-with-form").disabled = !v || !v.has_form || $("#clauses-format").value !== "pdf";
    if ($("#clauses-with-form").disabled) $("#clauses-with-form").checked = false;
  };
  const follow = () => {
    const v = variants.find((x) => x.name === pick.value);
    if (!v) return;
    $("#clauses-first").value = v.first;
    $("#clauses-second").value = v.second;
    formFits();
  };
  pick.addEventListener("change", follow);
  $("#clauses-format").addEventListener("change", formFits);
  follow();
  $("#download-clauses").addEventListener("click", () => {
    const choice = {
      variant: pick.value,
      first: $("#clauses-first").value.trim(),
      second: $("#clauses-second").value.trim(),
      format: $("#clauses-format").value,
      with_form: $("#clauses-with-form").checked,
    };
    const v = variants.find((x) => x.name === pick.value);
    other(() => host.clauses(choice), `${v ? v.title : "特約条項"}.${choice.format}`);
  });
}

/// Shows `text` as the answers: every control rebuilt from them, the old messages gone. A field
/// being typed in gives its pending change to the old answers first, never to the new ones.
function load(text, from) {
  let parsed;
  try { parsed = JSON.parse(text); } catch { status((from && from.name ? from.name + " は" : "") + "JSON として読めません"); return false; }
  if (document.activeElement && document.activeElement !== document.body) document.activeElement.blur();
  answers = parsed;
  source = from;
  fileBase = null; // answers not made from the file's content (開く, 新規): start() sets it otherwise
  dirty = false;
  seq++; // a preview of the old answers still under way is not shown
  shownPages = [];
  $("#conflict").hidden = true;
  status("");
  showProblems([]);
  build();
  refresh();
  return true;
}

const unsavedOk = (what) => !dirty || confirm(`保存していない変更があります。${what}と、この画面の変更は消えます（ファイルはそのままです）。続けますか。`);

/// Opens `f` (JSON, a workbook or a secform PDF), read by the engine's readers, never here.
async function openFile(f) {
  if (f.size > layout.serve.open_max_bytes) {
    status(`${f.name} は ${mb(f.size)} あり、開けるのは ${mb(layout.serve.open_max_bytes)} までです`);
    return;
  }
  let v;
  try { v = await host.open(f); } catch (err) {
    // A folder dropped, or a file that went away or cannot be read: the browser's own error.
    if (err instanceof DOMException) status(`${f.name} を読めません（フォルダや、読めないファイルは開けません）`);
    else status(err instanceof TypeError ? host.unreachable : err.message);
    return;
  }
  // What the reader said (a received PDF's seal path left out) is said, never dropped.
  const said = (v.warnings || []).map((w) => "。" + w).join("");
  if (load(v.text, { kind: "open", name: f.name })) status(`${f.name} を開きました（まだ保存していません）${said}`);
}

async function start() {
  let v;
  try {
    const started = await host.start();
    layout = started.layout;
    v = started.answers;
    etag = started.etag;
  } catch (err) {
    status(err instanceof TypeError ? host.unreachable : err.message);
    return;
  }
  document.body.dataset.host = host.kind;
  hasFile = v.file != null;
  fileName = v.file || "";
  load(v.text, v.opened ? { kind: "open", name: v.opened } : null);
  // From navigation to the form built and its engine ready (ms), for bench/web.sh.
  document.body.dataset.readyMs = Math.round(performance.now());
  if (!v.opened && hasFile) try { fileBase = JSON.parse(v.text); } catch { fileBase = null; }
  fileCompany = v.opened ? (v.file_company || "会社名なし") : companyOf(answers);
  const kind = { xlsx: "Excel ブック", pdf: "PDF", json: "JSON" }[v.save_as];
  if (hasFile) status((v.opened ? `${v.opened} を表示しています。` : "") + `保存先: ${v.file}` + (kind ? `（${kind}）` : ""));
  const form = $("#form");
  form.addEventListener("input", (e) => { if (e.target.type !== "checkbox" && e.target.tagName !== "SELECT") changed(e); });
  form.addEventListener("change", changed);
  form.addEventListener("compositionend", changed);
  form.addEventListener("keydown", (e) => { if (e.key === "Enter" && (e.isComposing || e.keyCode === 229)) e.stopPropagation(); });
  form.addEventListener("submit", (e) => e.preventDefault());
  $("#save").addEventListener("click", save);
  $("#download").addEventListener("click", pdf);
  $("#open").addEventListener("click", () => { if (unsavedOk("開く")) $("#open-file").click(); });
  $("#open-file").addEventListener("change", (e) => {
    const f = e.target.files[0];
    e.target.value = "";
    if (f) openFile(f);
  });
  // A file dropped anywhere on the page is opened as 開く opens it; several at once are refused
  // by name (one answer set at a time), never opened in part.
  // A drop on a file input (the seal's) is that input's own.
  const onFileInput = (e) => e.target instanceof HTMLInputElement && e.target.type === "file";
  document.addEventListener("dragover", (e) => { if (!onFileInput(e) && e.dataTransfer && [...e.dataTransfer.types].includes("Files")) e.preventDefault(); });
  document.addEventListener("drop", (e) => {
    if (onFileInput(e) || !e.dataTransfer || !e.dataTransfer.files.length) return;
    e.preventDefault();
    const files = [...e.dataTransfer.files];
    if (files.length > 1) { status(`開けるのは一度に1つのファイルです（${files.map((f) => f.name).join("、")}）`); return; }
    if (unsavedOk("開く")) openFile(files[0]);
  });
  $("#new").addEventListener("click", async () => {
    if (!unsavedOk("新規にする")) return;
    let text;
    try { text = await host.starter(); } catch (err) { status(err instanceof TypeError ? host.unreachable : err.message); return; }
    if (load(text, { kind: "new" })) status("新規の回答です（まだ保存していません）");
  });
  $("#conflict-download").addEventListener("click", () => {
    download(new Blob([body() + "\n"], { type: "application/json" }), downloadName());
  });
  $("#conflict-compare").addEventListener("click", compare);
  $("#download-json").addEventListener("click", () => other(async () => new Blob([body() + "\n"], { type: "application/json" }), baseName() + ".json"));
  $("#download-xlsx").addEventListener("click", () => other(() => host.workbook(body()), baseName() + ".xlsx"));
  $("#download-blank").addEventListener("click", () => other(() => host.blank(), "確認書_白紙.pdf"));
  clausesPanel();
  // Leaving (reload, closing the tab) with unsaved edits asks first.
  window.addEventListener("beforeunload", (e) => { if (dirty) { e.preventDefault(); e.returnValue = ""; } });
}

start();
