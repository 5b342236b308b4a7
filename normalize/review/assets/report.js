"use strict";
const data = JSON.parse(document.getElementById("report-data").textContent);
const PAGE = 100;
const state = { entity: "", method: "", signal: "", file: "", show: "all", page: 1, open: -1 };
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

function readHash() {
  const params = new URLSearchParams(location.hash.slice(1));
  state.entity = params.get("entity") || "";
  state.method = params.get("method") || "";
  state.signal = params.get("signal") || "";
  state.file = params.get("file") || "";
  state.show = params.get("show") || "all";
  state.page = Math.max(1, parseInt(params.get("page") || "1", 10) || 1);
  state.open = parseInt(params.get("open") || "-1", 10);
  if (!(state.open >= 0 && state.open < data.files.length)) state.open = -1;
}

function writeHash(changes) {
  Object.assign(state, changes);
  const params = new URLSearchParams();
  for (const key of ["entity", "method", "signal", "file", "show"]) {
    if (state[key] && state[key] !== "all") params.set(key, state[key]);
  }
  if (state.page > 1) params.set("page", state.page);
  if (state.open >= 0) params.set("open", state.open);
  location.hash = params.toString();
}

function markShown(mark) {
  if (state.show === "changes" && mark.kind !== "change") return false;
  if (state.show === "review" && mark.kind !== "review") return false;
  if (state.entity && mark.entity !== state.entity) return false;
  if (state.method && mark.method !== state.method) return false;
  if (state.signal && mark.signal !== state.signal) return false;  // only review marks have a signal
  return true;
}

function fileShown(file) {
  if (state.file && !file.name.toLowerCase().includes(state.file.toLowerCase())) return false;
  if (!state.entity && !state.method && !state.signal && state.show === "all") return true;
  return (file.marks || []).some(markShown);
}

function countTable(title, rows, key) {
  const max = Math.max(1, ...rows.map(r => r[1]));
  const body = el("tbody");
  for (const [name, count] of rows.slice(0, 25)) {
    const pick = () => writeHash({ [key]: name, page: 1, open: -1 });
    const link = key ? el("a", { text: name, "data-filter": key, onclick: pick }) : name;
    const bar = el("div", { class: "bar", style: `width:${(100 * count / max).toFixed(1)}%` });
    body.append(el("tr", {}, el("td", {}, link), el("td", { class: "n", text: count }),
      el("td", { style: "width:40%" }, bar)));
  }
  return el("div", { class: "counts" }, el("h2", { text: title }), el("table", {}, body));
}

function overview() {
  const r = data.run;
  const box = el("section", { id: "overview" });
  box.append(el("h2", { text: "Overview" }),
    el("table", {}, el("tbody", {},
      ...[["files", r.files], ["files changed", r.changed_files], ["changes", r.changes],
          ["review candidates", r.review], ["review: cannot choose", r.cannot_choose || 0],
          ["review: probably none of these", r.probably_none || 0], ["files with errors", r.errors],
          ["exit code", r.exit_code],
          ["interrupted", r.interrupted ? "yes: run the same command to finish" : "no"], ["texts shown", r.texts],
          ["log lines skipped", r.skipped || 0]]
        .map(([k, v]) => el("tr", {}, el("td", { text: k }), el("td", { class: "n", "data-total": k, text: v }))))));
  box.append(countTable("Changes per entity", data.entities, "entity"));
  box.append(countTable("Changes per method", data.methods, "method"));
  box.append(countTable("Review candidates per method", data.review_methods, "method"));
  box.append(countTable("Review candidates per signal", (data.review_signals || []).filter(([s]) => s in SIGNALS),
    "signal"));
  box.append(countTable("Changes per gazetteer file", data.gazetteer_files, null));
  return box;
}

function filters() {
  const entities = [...new Set(data.files.flatMap(f => (f.marks || []).map(m => m.entity)))].filter(Boolean).sort();
  const methods = [...new Set(data.files.flatMap(f => (f.marks || []).map(m => m.method)))].sort();
  const signals = Object.keys(SIGNALS);
  const select = (name, values, current) => {
    const node = el("select", { id: `filter-${name}` }, el("option", { value: "", text: `all` }),
      ...values.map(v => el("option", { value: v, text: v })));
    node.value = current;
    node.addEventListener("change", () => writeHash({ [name]: node.value, page: 1, open: -1 }));
    return el("label", {}, name, node);
  };
  const kinds = ["all", "changes", "review"].map(v => el("option", { value: v, text: v }));
  const show = el("select", { id: "filter-show" }, ...kinds);
  show.value = state.show;
  show.addEventListener("change", () => writeHash({ show: show.value, page: 1 }));
  const file = el("input", { id: "filter-file", type: "search", placeholder: "part of a file name" });
  file.value = state.file;
  file.addEventListener("change", () => writeHash({ file: file.value, page: 1, open: -1 }));
  return el("div", { class: "filters" },
    select("entity", entities, state.entity), select("method", methods, state.method),
    select("signal", signals, state.signal),
    el("label", {}, "show", show), el("label", {}, "file", file));
}

function fileList() {
  const shown = data.files.map((f, n) => [f, n]).filter(([f]) => fileShown(f));
  const pages = Math.max(1, Math.ceil(shown.length / PAGE));
  const page = Math.min(state.page, pages);
  const list = el("ul", { class: "files", id: "file-list" });
  for (const [file, n] of shown.slice((page - 1) * PAGE, page * PAGE)) {
    const label = `${file.name} (${file.changes} changes, ${file.review} review)`;
    list.append(el("li", { class: file.error ? "error" : "", "data-file": n },
      file.error ? `${file.name}: ${file.error}` : el("a", { text: label, onclick: () => writeHash({ open: n }) })));
  }
  const pager = el("div", { class: "pager", id: "pager" },
    page > 1 ? el("a", { text: "previous", onclick: () => writeHash({ page: page - 1 }) }) : null,
    el("span", { id: "page-info", text: `page ${page} of ${pages} · ${shown.length} files` }),
    page < pages ? el("a", { text: "next", onclick: () => writeHash({ page: page + 1 }) }) : null);
  return el("section", { id: "files" }, el("h2", { text: "Files" }), filters(), list, pager);
}

function describe(mark) {
  if (mark.kind === "change") {
    const base =
      `${mark.before} → ${mark.after} · ${mark.method} · score ${mark.score} · ${mark.entity} (${mark.gazetteer})`;
    if (!mark.rule) return base;  // a run from before rules were logged
    const runnerUp = mark.runner_up ? `runner-up ${mark.runner_up}, margin ${mark.margin}` : "no runner-up";
    return `${base} · rule ${mark.rule} · ${runnerUp}`;
  }
  const options = (mark.candidates || []).map(c => `${c.canonical} ${c.score}`).join(", ");
  const signal = mark.signal ? ` · ${SIGNALS[mark.signal] || mark.signal}` : "";
  return `review: ${mark.before} · ${mark.method}${signal} · ${mark.reason} · candidates: ${options}`;
}

function textView(file) {
  const pre = el("pre", { class: "text", id: "text" });
  const marks = (file.marks || []).filter(m => m.at !== undefined);
  for (const [k, piece] of file.view.pieces.entries()) {
    if (k > 0 || piece.offset > 0) pre.append(el("span", { class: "gap", text: "…" }));
    const start = piece.offset, end = piece.offset + piece.text.length;
    let cursor = start;
    for (const mark of marks) {
      if (mark.at < cursor || mark.at >= end || mark.to > end) continue;  // overlapping or outside this piece
      pre.append(piece.text.slice(cursor - start, mark.at - start));
      const shown = markShown(mark);
      pre.append(el("mark", { class: `${mark.kind}${shown ? "" : " dim"}`, title: describe(mark),
        "data-kind": mark.kind, "data-entity": mark.entity, "data-method": mark.method, "data-before": mark.before,
        "data-signal": mark.signal || "",
        "data-after": mark.after || "" }, piece.text.slice(mark.at - start, mark.to - start)));
      cursor = mark.to;
    }
    pre.append(piece.text.slice(cursor - start));
  }
  return pre;
}

function fileView() {
  if (state.open < 0) return el("section", { id: "file" }, el("h2", { text: "Open a file from the list" }),
    el("p", { class: "legend" }, el("mark", { class: "change", text: "changed" }), " ",
      el("mark", { class: "review", text: "review candidate (not changed)" })));
  const file = data.files[state.open];
  const rows = el("tbody");
  for (const mark of (file.marks || []).filter(markShown)) {
    rows.append(el("tr", { class: mark.kind, "data-kind": mark.kind, "data-signal": mark.signal || "" },
      el("td", { class: "n", text: mark.record !== undefined ? `record ${mark.record}` : `line ${mark.line}` }),
      el("td", { text: mark.kind === "change" ? `${mark.before} → ${mark.after}` : `${mark.before} (review)` }),
      el("td", { text: mark.method }),
      el("td", { text: mark.kind === "change" ? `score ${mark.score}` : mark.reason })));
  }
  const view = file.view || {};
  const body = view.kind === "text" ? textView(file) : el("p", { text: view.note || "" });
  return el("section", { id: "file", "data-name": file.name },
    el("h2", { text: file.name }), el("p", { text: `from ${file.source}` }),
    el("table", { id: "marks" }, rows), body);
}

function render() {
  readHash();
  const r = data.run;
  document.title = `normalize report: ${r.changes} changes in ${r.files} files`;
  const header = el("header", {}, el("h1", { text: "normalize report" }),
    el("p", { text: `${r.output} · ${r.generated} · normalize ${r.version}` }));
  const main = el("main", {}, el("div", {}, overview(), fileList()), fileView());
  document.getElementById("app").replaceChildren(header, main);
  document.body.setAttribute("data-ready", "1");
}

window.addEventListener("hashchange", render);
render();
