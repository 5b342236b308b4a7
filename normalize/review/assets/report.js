"use strict";
// The report page.  It builds every node with createElement and textContent
// (never innerHTML): article text and file names are shown, never parsed.
const data = JSON.parse(document.getElementById("report-data").textContent);
const PAGE = 100;  // files per page of the list
const TOP = 12;  // rows of each list on the first screen
const FILTERS = ["entity", "method", "signal", "spelling", "file", "show"];
const state = { entity: "", method: "", signal: "", spelling: "", file: "", show: "all", page: 1, open: -1 };
const SIGNALS = { cannot_choose: "cannot choose", probably_none: "probably none of these" };

function el(tag, attrs, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs || {})) {
    if (key === "text") node.textContent = value;
    else if (key === "onclick") node.addEventListener("click", value);
    else node.setAttribute(key, String(value));
  }
  for (const child of children) if (child !== null && child !== undefined) node.append(child);
  return node;
}

const nameOf = id => data.names[id] || id;

function entityLabel(id) {
  return el("span", { title: id, "data-entity": id, text: nameOf(id) });
}

// Marks travel as rows of values in the order page.py's MARK_FIELDS gives,
// repeating strings as places in data.strings; each file's are read once.
const decoded = new Map();

function marksOf(n) {
  if (!decoded.has(n)) decoded.set(n, (data.files[n].marks || []).map(decodeMark));
  return decoded.get(n);
}

function decodeMark(row, index) {
  const kind = row[0] === 0 ? "change" : "review";
  const mark = { kind, index };
  data.mark_fields[kind].forEach((key, k) => {
    const value = k + 1 < row.length ? row[k + 1] : null;
    mark[key] = data.mark_strings.includes(key) && typeof value === "number" ? data.strings[value] : value;
  });
  if (kind === "review") mark.candidates = mark.candidates.map(([canonical, score]) => ({ canonical, score }));
  return mark;
}

function readHash() {
  const params = new URLSearchParams(location.hash.slice(1));
  for (const key of FILTERS) state[key] = params.get(key) || "";
  state.show = state.show || "all";
  state.page = Math.max(1, parseInt(params.get("page") || "1", 10) || 1);
  state.open = parseInt(params.get("open") || "-1", 10);
  if (!(state.open >= 0 && state.open < data.files.length)) state.open = -1;
  return params;
}

function writeHash(changes) {
  Object.assign(state, changes);
  const params = new URLSearchParams();
  for (const key of FILTERS) if (state[key] && state[key] !== "all") params.set(key, state[key]);
  if (state.page > 1) params.set("page", state.page);
  if (state.open >= 0) params.set("open", state.open);
  location.hash = params.toString();
}

const filtering = () => state.entity || state.method || state.signal || state.spelling || state.show !== "all";

function markShown(mark) {
  if (state.show === "changes" && mark.kind !== "change") return false;
  if (state.show === "review" && mark.kind !== "review") return false;
  if (state.entity && mark.entity !== state.entity) return false;
  if (state.method && mark.method !== state.method) return false;
  if (state.signal && mark.signal !== state.signal) return false;  // only review marks have a signal
  if (state.spelling && mark.spelling !== state.spelling) return false;  // and a spelling
  return true;
}

function fileShown(file, n) {
  if (state.file && !file.name.toLowerCase().includes(state.file.toLowerCase())) return false;
  return !filtering() || marksOf(n).some(markShown);
}

// ---------------------------------------------------------------- first screen

function totals() {
  const r = data.run;
  const items = [["files", r.files], ["files changed", r.changed_files], ["changes", r.changes],
    ["review candidates", r.review], ["review: cannot choose", r.cannot_choose || 0],
    ["review: probably none of these", r.probably_none || 0], ["files with errors", r.errors],
    ["exit code", r.exit_code], ["interrupted", r.interrupted ? "yes: run the same command to finish" : "no"],
    ["texts shown", r.texts], ["log lines skipped", r.skipped || 0]];
  const numeric = value => typeof value === "number";
  return el("section", { id: "totals" }, el("table", { class: "totals" },
    el("tr", {}, ...items.map(([k]) => el("th", { text: k }))),
    el("tr", {}, ...items.map(([k, v]) => el("td", { class: numeric(v) ? "n" : "", "data-total": k, text: v })))));
}

function filterLink(key, value, label) {
  return el("a", { "data-filter": key, "data-value": value, onclick: () => writeHash({ [key]: value, page: 1 }) },
    label);
}

function openLink(n) {
  return el("a", { "data-open": n, text: data.files[n].name, onclick: () => writeHash({ open: n }) });
}

function topFiles() {
  const body = el("tbody");
  for (const n of data.top_files) {
    const file = data.files[n];
    body.append(el("tr", {}, el("td", { class: "name" }, openLink(n)), el("td", { class: "n", text: file.changes }),
      el("td", { class: "n", text: file.review })));
  }
  const table = data.top_files.length ? el("table", { id: "top-files" },
    el("thead", {}, el("tr", {}, el("th", { text: "file" }), el("th", { class: "n", text: "changes" }),
      el("th", { class: "n", text: "review" }))), body) : el("p", { text: "No file was changed." });
  return el("section", { id: "top" }, el("h2", { text: "Files with the most changes" }), table);
}

function reviewSpellings() {
  const spellings = data.spellings;
  const body = el("tbody");
  for (const group of spellings.slice(0, TOP)) {
    const best = group.candidates.length ? group.candidates.join(" or ") + "?" : "";
    body.append(el("tr", { "data-spelling": group.spelling },
      el("td", {}, filterLink("spelling", group.spelling, group.spelling)),
      el("td", { class: "n", text: group.count }),
      el("td", { class: "n", text: `${group.files} ${group.files === 1 ? "file" : "files"}` }),
      el("td", { class: "why", text: [SIGNALS[group.signal], best].filter(Boolean).join(" · ") })));
  }
  const more = spellings.length > TOP
    ? el("p", {}, el("a", { text: `all ${spellings.length} spellings: files with review candidates`,
      onclick: () => writeHash({ show: "review", spelling: "", page: 1 }) })) : null;
  const table = spellings.length ? el("table", { id: "spellings" }, body)
    : el("p", { text: "Nothing waits for review." });
  return el("section", { id: "review" }, el("h2", { text: "Spellings waiting for review" }), table, more);
}

function countTable(id, title, rows, key, label) {
  if (!rows.length) return null;
  const max = Math.max(1, ...rows.map(r => r[1]));
  const body = el("tbody");
  for (const [value, count] of rows.slice(0, 25)) {
    const name = key ? filterLink(key, value, label ? label(value) : value)
      : el("span", { text: label ? label(value) : value });
    name.setAttribute("title", value);
    const bar = el("div", { class: "bar", style: `width:${(100 * count / max).toFixed(1)}%` });
    body.append(el("tr", {}, el("td", { class: "name" }, name), el("td", { class: "n", text: count }),
      el("td", { class: "barcell" }, bar)));
  }
  return el("section", { id }, el("h2", { text: title }), el("table", {}, body));
}

function dashboard() {
  const signals = (data.review_signals || []).filter(([s]) => s in SIGNALS);
  return el("div", { id: "dashboard" }, topFiles(), reviewSpellings(),
    countTable("per-entity", "Changes per entity", data.entities, "entity", nameOf),
    countTable("per-method", "Changes per method", data.methods, "method"),
    countTable("per-review-method", "Review candidates per method", data.review_methods, "method"),
    countTable("per-signal", "Review candidates per signal", signals, "signal"),
    countTable("per-gazetteer", "Changes per gazetteer file", data.gazetteer_files, null, shortPath));
}

// the last two steps of a path (a gazetteer file's folder and name); the whole path is its tooltip
function shortPath(path) {
  return path.split(/[\\/]/).slice(-2).join("/");
}

// ---------------------------------------------------------------- the file list

function allMarks() {
  return data.files.flatMap((f, n) => marksOf(n));
}

function filters() {
  const marks = allMarks();
  const entities = [...new Set(marks.map(m => m.entity))].filter(Boolean).sort();
  const methods = [...new Set(marks.map(m => m.method))].sort();
  const select = (name, values, current, label) => {
    const node = el("select", { id: `filter-${name}` }, el("option", { value: "", text: "all" }),
      ...values.map(v => el("option", { value: v, text: label ? label(v) : v })));
    node.value = current;
    node.addEventListener("change", () => writeHash({ [name]: node.value, page: 1 }));
    return el("label", {}, name, node);
  };
  const entityName = id => nameOf(id) === id ? id : `${nameOf(id)} (${id})`;
  const input = (name, hint) => {
    const node = el("input", { id: `filter-${name}`, type: "search", placeholder: hint });
    node.value = state[name];
    node.addEventListener("change", () => writeHash({ [name]: node.value, page: 1 }));
    return el("label", {}, name, node);
  };
  return el("div", { class: "filters" },
    select("entity", entities, state.entity, entityName), select("method", methods, state.method),
    select("signal", Object.keys(SIGNALS), state.signal, s => SIGNALS[s]),
    select("show", ["changes", "review"], state.show === "all" ? "" : state.show),
    input("spelling", "left for review"), input("file", "part of a name"));
}

function fileList() {
  const shown = data.files.map((f, n) => [f, n]).filter(([f, n]) => fileShown(f, n));
  const pages = Math.max(1, Math.ceil(shown.length / PAGE));
  const page = Math.min(state.page, pages);
  const list = el("ul", { class: "files", id: "file-list" });
  for (const [file, n] of shown.slice((page - 1) * PAGE, page * PAGE)) {
    if (file.error) {
      list.append(el("li", { class: "error", "data-file": n }, `${file.name}: ${file.error}`));
      continue;
    }
    list.append(el("li", { class: n === state.open ? "open" : "", "data-file": n }, openLink(n),
      el("span", { class: "n", title: "changes", text: file.changes }),
      el("span", { class: "n", title: "review candidates", text: file.review })));
  }
  const pager = el("div", { class: "pager", id: "pager" },
    page > 1 ? el("a", { text: "previous", onclick: () => writeHash({ page: page - 1 }) }) : null,
    el("span", { id: "page-info", text: `page ${page} of ${pages} · ${shown.length} files` }),
    page < pages ? el("a", { text: "next", onclick: () => writeHash({ page: page + 1 }) }) : null);
  const heading = el("div", { class: "list-head" }, el("span", { text: "file" }),
    el("span", { class: "n", text: "changes" }), el("span", { class: "n", text: "review" }));
  return el("section", { id: "files" }, el("h2", { text: "Files" }), filters(), heading, list, pager);
}

// ---------------------------------------------------------------- one file

function describe(mark) {
  if (mark.kind === "change") {
    const where = `${mark.gazetteer_file}:${mark.gazetteer_line}`;
    const base =
      `${mark.before} → ${mark.after} · ${mark.method} · score ${mark.score} · ${mark.entity} (${where})`;
    if (!mark.rule) return base;  // a run from before rules were logged
    const runnerUp = mark.runner_up ? `runner-up ${mark.runner_up}, margin ${mark.margin}` : "no runner-up";
    return `${base} · rule ${mark.rule} · ${runnerUp}`;
  }
  const options = mark.candidates.map(c => `${c.canonical} ${c.score}`).join(", ");
  const signal = mark.signal ? ` · ${SIGNALS[mark.signal] || mark.signal}` : "";
  return `review: ${mark.before} · ${mark.method}${signal} · ${mark.reason} · candidates: ${options}`;
}

function markNode(tag, mark, text, extra) {
  const dim = markShown(mark) ? "" : " dim";
  return el(tag, { class: `${mark.kind}${dim}`, title: describe(mark), "data-kind": mark.kind,
    "data-entity": mark.entity, "data-method": mark.method, "data-before": mark.before,
    "data-signal": mark.signal || "", "data-after": mark.after || "", ...extra }, text);
}

// A piece of the clean text cut into lines; a line break inside a mark (a
// name wrapped across lines) does not cut.  `marks` are in order, none overlapping.
function linesOf(piece, marks) {
  const base = piece.offset, text = piece.text, end = base + text.length;
  const lines = [];
  let from = base, k = 0;
  while (from <= end) {
    const here = [];
    let search = from, cut;
    for (;;) {
      const found = text.indexOf("\n", search - base);
      cut = found < 0 ? end : base + found;
      while (k < marks.length && (marks[k].at < cut || (marks[k].at === cut && marks[k].to > cut))) {
        here.push(marks[k++]);
      }
      const last = here[here.length - 1];
      if (!last || last.to <= cut) break;
      search = last.to;
    }
    lines.push({ start: from, end: cut, marks: here });
    from = cut + 1;
  }
  return lines;
}

// Rows that line up before and after: one per line with a mark, one per run of lines without.
function rowsOf(lines) {
  const rows = [];
  for (const line of lines) {
    const previous = rows[rows.length - 1];
    if (!line.marks.length && previous && !previous.marks.length) previous.end = line.end;
    else rows.push({ ...line });
  }
  return rows;
}

function side(piece, row, which) {
  const base = piece.offset;
  const node = el("span", { class: which });
  let cursor = row.start;
  for (const mark of row.marks) {
    node.append(piece.text.slice(cursor - base, mark.at - base));
    const written = piece.text.slice(mark.at - base, mark.to - base);
    if (which === "after") node.append(markNode("mark", mark, written, { id: `mark-${mark.index}` }));
    else if (mark.kind === "change") node.append(markNode("del", mark, mark.before));
    else node.append(el("span", { class: "review-before" }, written));
    cursor = mark.to;
  }
  node.append(piece.text.slice(cursor - base, row.end - base));
  return node;
}

function sideBySide(pieces, marks) {
  const pre = el("pre", { class: "text sides", id: "text" },
    el("span", { class: "head" }, "line"), el("span", { class: "head" }, "before (the input)"),
    el("span", { class: "head" }, "after (the clean copy)"));
  const kept = [];  // placed in the text, and not overlapping one before (a damaged log)
  for (const mark of marks.filter(m => m.at !== null && m.at !== undefined).sort((a, b) => a.at - b.at)) {
    if (!kept.length || mark.at >= kept[kept.length - 1].to) kept.push(mark);
  }
  let next = 0;  // pieces and marks are both in order: each mark is looked at once
  for (const [k, piece] of pieces.entries()) {
    if (k > 0 || piece.offset > 0) pre.append(el("span", { class: "gap", text: "…" }));
    const end = piece.offset + piece.text.length;
    while (next < kept.length && kept[next].at < piece.offset) next++;
    const inside = [];
    for (; next < kept.length && kept[next].at <= end; next++) if (kept[next].to <= end) inside.push(kept[next]);
    let line = piece.line;
    for (const row of rowsOf(linesOf(piece, inside))) {
      const kind = row.marks.some(m => m.kind === "change") ? "changed" : row.marks.length ? "flagged" : "same";
      const before = side(piece, row, "before"), after = side(piece, row, "after");
      before.classList.add(kind);
      after.classList.add(kind);
      pre.append(el("span", { class: "ln", text: line }), before, after);
      line += before.textContent.split("\n").length;
    }
  }
  return pre;
}

function markTable(n, marks) {
  const rows = el("tbody");
  for (const mark of marks.filter(markShown)) {
    const where = mark.record !== null && mark.record !== undefined ? `record ${mark.record}` : `line ${mark.line}`;
    const what = mark.kind === "change" ? `${mark.before} → ${mark.after}` : `${mark.before} (review)`;
    const entity = mark.kind === "change" ? entityLabel(mark.entity)
      : mark.candidates.map(c => c.canonical).join(" or ") + "?";
    const scroll = () => {
      const node = document.getElementById(`mark-${mark.index}`);
      if (node) node.scrollIntoView({ block: "center" });
    };
    const why = mark.kind === "change" ? `score ${mark.score}` : mark.reason;
    const tags = { class: mark.kind, "data-kind": mark.kind, "data-signal": mark.signal || "", onclick: scroll };
    rows.append(el("tr", tags,
      el("td", { class: "n", text: where }), el("td", { text: what }), el("td", {}, entity),
      el("td", { text: mark.method }), el("td", { class: mark.kind === "change" ? "n" : "", text: why })));
  }
  return el("div", { class: "marks" }, el("table", { id: "marks" }, rows));
}

function fileView(n) {
  const file = data.files[n];
  const marks = marksOf(n);
  const close = el("a", { class: "close", text: "close", onclick: () => writeHash({ open: -1 }) });
  const body = el("div", { id: "file-text" }, el("p", { class: "note", text: "…" }));
  const section = el("section", { id: "file", "data-name": file.name },
    el("div", { class: "file-head" }, el("h2", { text: file.name }), close),
    el("p", { class: "source", text: `from ${file.source}` }),
    el("p", { class: "legend" }, el("del", { class: "change", text: "before" }), " ",
      el("mark", { class: "change", text: "after" }), " ",
      el("mark", { class: "review", text: "review candidate (not changed)" })),
    markTable(n, marks), body);
  const view = file.view || {};
  const filled = view.kind !== "text" ? Promise.resolve(el("p", { class: "note", text: view.note || "" }))
    : piecesOf(n).then(pieces => sideBySide(pieces, marks),
      error => el("p", { class: "note", text: `this browser could not unpack the text: ${error}` }));
  return [section, filled.then(node => body.replaceChildren(node))];
}

// Texts of a large run travel gzip-compressed in parts (page.py); a part is unpacked once.
const unpacked = new Map();

async function piecesOf(n) {
  const view = data.files[n].view;
  if (view.pieces) return view.pieces;
  if (!unpacked.has(view.part)) unpacked.set(view.part, unpack(data.parts[view.part]));
  return (await unpacked.get(view.part))[n];
}

async function unpack(base64) {
  const bytes = Uint8Array.from(atob(base64), c => c.charCodeAt(0));
  const stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream("gzip"));
  return JSON.parse(await new Response(stream).text());
}

// ---------------------------------------------------------------- the page

// Scroll the open file's text (not the page) to its first marked row: the
// lines before it read the same on both sides.
function revealFirstMark() {
  const pre = document.getElementById("text");
  const first = pre && pre.querySelector(".changed, .flagged");
  if (first) pre.scrollTop += first.getBoundingClientRect().top - pre.getBoundingClientRect().top - 40;
}

// `#layout-check` in the address: measure the first screen and put the facts
// in <body data-layout> (the tests read them; anyone may look).
function layoutFacts() {
  const fold = window.innerHeight;
  const bottom = selector => {
    const node = document.querySelector(selector);
    return node ? Math.round(node.getBoundingClientRect().bottom) : null;
  };
  const numbers = [...document.querySelectorAll(".n")].filter(n => n.getClientRects().length);
  const lines = node => {
    const range = document.createRange();
    range.selectNodeContents(node);
    return new Set([...range.getClientRects()].map(r => Math.round(r.top))).size;
  };
  const wrapped = numbers.filter(n => lines(n) > 1 || n.scrollWidth > n.clientWidth).map(n => n.textContent);
  const empty = [...document.querySelectorAll("section")]
    .filter(s => s.getBoundingClientRect().top < fold)
    .filter(s => [...s.children].every(c => /^H\d$/.test(c.tagName) || !c.textContent.trim()))
    .map(s => s.id);
  return { viewport: [window.innerWidth, fold], numbers: numbers.length, wrapped, empty,
    first_file: bottom("#file-list li"), first_spelling: bottom("#spellings tr"),
    first_top_file: bottom("#top-files tbody tr"), totals: bottom("#totals") };
}

let rendering = 0;

async function render() {
  const ticket = ++rendering;
  document.body.removeAttribute("data-ready");
  const params = readHash();
  const r = data.run;
  document.title = `normalize report: ${r.changes} changes in ${r.files} files`;
  const header = el("header", {}, el("h1", { text: "normalize report" }),
    el("p", { text: `${r.output} · ${r.generated} · normalize ${r.version}` }));
  const right = el("div", { id: "right" });
  let filled = Promise.resolve();
  if (state.open >= 0) {
    const [section, done] = fileView(state.open);
    right.append(section);
    filled = done;
  }
  right.append(dashboard());
  const main = el("main", {}, fileList(), right);
  document.getElementById("app").replaceChildren(header, totals(), main);
  await filled;
  if (ticket !== rendering) return;  // the address changed meanwhile
  revealFirstMark();
  if (params.has("layout-check")) document.body.setAttribute("data-layout", JSON.stringify(layoutFacts()));
  document.body.setAttribute("data-ready", "1");
}

window.addEventListener("hashchange", render);
render();
