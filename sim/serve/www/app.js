/* sim/serve/www/app.js - the explorer page: builds the settings of the chosen scenario from
 * GET /api/scenarios, starts a run (POST /api/run), follows it (GET /api/jobs/ID), cancels
 * it, and shows the result: headline numbers with the paired difference, time series,
 * figures drawn by scsim's plotting layer, the scenario file, the command that reproduces
 * the run and the largest cascade, animated. Plain JavaScript, no library, works offline.
 * Text from the server is set with textContent only. API: docs/explorer.md. */
"use strict";

const $ = (id) => document.getElementById(id);
const state = { catalogue: null, lib: null, job: null, timer: null, cascade: null, anim: null };
const LAYER_COLOURS = ["#d55e00", "#0072b2", "#009e73", "#cc79a7", "#e69f00", "#56b4e9",
                       "#999999", "#000000"];

function el(tag, props, ...kids) {
  const e = document.createElement(tag);
  Object.assign(e, props || {});
  for (const k of kids) e.append(k);
  return e;
}

function fmt(v) {
  if (v === null || v === undefined) return "–";
  if (Number.isInteger(v)) return String(v);
  const a = Math.abs(v);
  if (a !== 0 && (a < 0.001 || a >= 1e6)) return v.toExponential(3);
  return String(Number(v.toPrecision(4)));
}

function fmtDiff(v) {
  if (v === null || v === undefined) return "–";
  return (v > 0 ? "+" : "") + fmt(v);
}

function status(text, error) {
  $("status").textContent = text;
  $("status").className = error ? "error" : "";
}

async function api(method, path, body) {
  const opts = { method, headers: {} };
  if (body !== undefined) {
    opts.headers["Content-Type"] = "application/json";
    opts.body = JSON.stringify(body);
  }
  const r = await fetch(path, opts);
  const data = await r.json().catch(() => ({ error: "answer was not JSON" }));
  if (!r.ok) throw new Error(data.error || ("HTTP " + r.status));
  return data;
}

/* ---- settings --------------------------------------------------------------------------- */

function knobId(key) { return "k-" + key.replace(/[^A-Za-z0-9_-]/g, "-"); }

function knobValue(k) {
  const input = $(knobId(k.key));
  if (k.type === "boolean") return input.checked;
  return Number(input.value);
}

/* Whether knob k differs from the scenario's own value (a slider snaps to its step). */
function changed(k) {
  const v = knobValue(k);
  if (k.type === "boolean") return v !== true;
  return Math.abs(v - k.value) > k.step / 2;
}

function showValue(k) {
  const input = $(knobId(k.key));
  const out = $(knobId(k.key) + "-out");
  const v = knobValue(k);
  if (out) out.textContent = k.type === "boolean" ? "" : fmt(v);
  input.closest(".knob").classList.toggle("changed", changed(k));
}

function knobRow(k) {
  const id = knobId(k.key);
  const row = el("div", { className: "knob" });
  if (k.type === "boolean") {
    const box = el("input", { type: "checkbox", id, checked: true });
    box.dataset.key = k.key;
    box.addEventListener("change", () => showValue(k));
    row.append(el("div", { className: "switch" }, box, el("label", { htmlFor: id,
      textContent: k.label })));
    return row;
  }
  const wide = k.max - k.min > 1e6;   /* seeds: a number field, not a slider */
  const input = el("input", { type: wide ? "number" : "range", id, min: k.min, max: k.max,
                              step: k.step, value: k.value });
  input.dataset.key = k.key;
  input.addEventListener("input", () => showValue(k));
  input.addEventListener("change", () => showValue(k));
  row.append(el("label", { htmlFor: id, textContent: k.label }), input);
  if (!wide) row.append(el("output", { id: id + "-out", textContent: fmt(k.value) }));
  row.title = k.key + " (" + fmt(k.min) + " .. " + fmt(k.max) + ")";
  return row;
}

function showScenario(name) {
  state.lib = state.catalogue.scenarios.find((s) => s.name === name);
  $("summary").textContent = state.lib.summary;
  const box = $("knobs");
  box.replaceChildren();
  const groups = new Map();
  for (const k of state.lib.knobs) {
    if (!groups.has(k.group)) {
      const fs = el("fieldset", {}, el("legend", { textContent: k.group }));
      groups.set(k.group, fs);
      box.append(fs);
    }
    groups.get(k.group).append(knobRow(k));
  }
  for (const k of state.lib.knobs) showValue(k);
}

function settings() {
  const out = {};
  for (const k of state.lib.knobs) {
    if (changed(k) || k.key === "population.persons") out[k.key] = knobValue(k);
  }
  return out;
}

/* ---- running ---------------------------------------------------------------------------- */

function busy(on) {
  $("run").disabled = on;
  $("cancel").disabled = !on;
}

async function run() {
  busy(true);
  $("progress").value = 0;
  status("Starting…");
  try {
    const job = await api("POST", "/api/run", { scenario: state.lib.name, settings: settings() });
    state.job = job.job;
    follow(job);
  } catch (e) {
    busy(false);
    status("Refused: " + e.message, true);
  }
}

function follow(job) {
  const p = job.steps > 0 ? job.step / job.steps : 0;
  const half = job.phase === "variant" ? 50 : 0;
  $("progress").value = half + 50 * p;
  if (job.state === "queued") status("Waiting in the queue (" + (job.ahead || 0) + " ahead)…");
  else if (job.state === "running")
    status("Running the " + job.phase + ": step " + job.step + " of " + job.steps + "…");
  if (job.state === "done") { busy(false); $("progress").value = 100; show(job); return; }
  if (job.state === "failed" || job.state === "cancelled") {
    busy(false);
    status((job.state === "cancelled" ? "Cancelled" : "Failed") + ": " + (job.error || ""),
           job.state === "failed");
    return;
  }
  state.timer = setTimeout(async () => {
    try { follow(await api("GET", "/api/jobs/" + job.job)); }
    catch (e) { busy(false); status("Lost the run: " + e.message, true); }
  }, 150);
}

async function cancel() {
  if (!state.job) return;
  try { await api("POST", "/api/jobs/" + state.job + "/cancel", {}); }
  catch (e) { status("Cancel: " + e.message, true); }
}

/* ---- results ---------------------------------------------------------------------------- */

function show(job) {
  const r = job.result;
  status("Done in " + r.wall_seconds.toFixed(2) + " s: reference run " + r.reference_run +
         ", variant run " + r.variant_run + ".");
  $("results").hidden = false;
  const body = $("headline").querySelector("tbody");
  body.replaceChildren();
  for (const h of r.headline) {
    const cell = (v, cls, text) => {
      const td = el("td", { className: cls, textContent: text });
      td.dataset.name = h.name;
      td.dataset.grp = h.grp;
      td.dataset.value = v === null ? "" : String(v);
      return td;
    };
    const d = h.difference;
    body.append(el("tr", {}, el("td", { textContent: h.label, title: h.name + " / " + h.grp }),
      cell(h.reference, "ref", fmt(h.reference)), cell(h.variant, "var", fmt(h.variant)),
      cell(d, "diff" + (d > 0 ? " up" : d < 0 ? " down" : ""), fmtDiff(d))));
  }
  drawSeries(r);
  figure();
  $("dl-ini").href = "/api/jobs/" + job.job + "/scenario.ini";
  $("command").textContent = r.command;
  $("provenance").textContent = "Stored in " + r.database + " as runs " + r.reference_run +
    " (reference) and " + r.variant_run + " (variant); overrides: " +
    (r.overrides.join(", ") || "none") + ".";
  loadCascade(job.job);
}

function figure() {
  if (!state.job) return;
  const base = "/api/jobs/" + state.job + "/figure/" + $("figname").value;
  $("figure").src = base + ".svg";
  $("dl-svg").href = base + ".svg";
  $("dl-png").href = base + ".png";
}

/* A small line chart of one series: reference grey, variant blue. */
function chart(s, steps) {
  const W = 300, H = 150, L = 44, B = 20, ns = "http://www.w3.org/2000/svg";
  const vals = s.reference.concat(s.variant).filter((v) => v !== null);
  const hi = Math.max(1e-9, ...vals), lo = Math.min(0, ...vals);
  const x = (i) => L + (W - L - 6) * (steps > 1 ? i / (steps - 1) : 0);
  const y = (v) => H - B - (H - B - 8) * (v - lo) / (hi - lo);
  const svg = document.createElementNS(ns, "svg");
  svg.setAttribute("width", W);
  svg.setAttribute("height", H);
  svg.setAttribute("role", "img");
  const line = (data, colour) => {
    const p = document.createElementNS(ns, "polyline");
    p.setAttribute("points", data.map((v, i) => v === null ? "" : x(i) + "," + y(v)).join(" "));
    p.setAttribute("fill", "none");
    p.setAttribute("stroke", colour);
    p.setAttribute("stroke-width", "1.6");
    svg.append(p);
  };
  const text = (tx, ty, t, anchor) => {
    const e = document.createElementNS(ns, "text");
    e.setAttribute("x", tx); e.setAttribute("y", ty);
    e.setAttribute("font-size", "10"); e.setAttribute("text-anchor", anchor || "start");
    e.textContent = t;
    svg.append(e);
  };
  const axis = document.createElementNS(ns, "path");
  axis.setAttribute("d", "M" + L + ",8 V" + (H - B) + " H" + (W - 6));
  axis.setAttribute("stroke", "#888"); axis.setAttribute("fill", "none");
  svg.append(axis);
  text(L - 4, 14, fmt(hi), "end");
  text(L - 4, H - B, fmt(lo), "end");
  text(W - 6, H - 6, "step " + steps, "end");
  line(s.reference, "#999999");
  line(s.variant, "#0072b2");
  return el("figure", {}, svg, el("figcaption", { textContent: s.label +
    " (grey: reference, blue: variant)" }));
}

function drawSeries(r) {
  const box = $("series");
  box.replaceChildren();
  for (const s of r.series) box.append(chart(s, r.steps));
}

/* ---- the cascade ------------------------------------------------------------------------ */

async function loadCascade(job) {
  stopAnim();
  try { state.cascade = await api("GET", "/api/jobs/" + job + "/cascade"); }
  catch (e) { $("cascade-caption").textContent = "Cascade: " + e.message; return; }
  const c = state.cascade;
  const last = c.nodes.reduce((m, n) => Math.max(m, n[2]), 0);
  const first = c.nodes.length > 1 ? Math.min(...c.nodes.slice(1).map((n) => n[2])) : 0;
  $("cstep").min = Math.max(0, first - 1);
  $("cstep").max = last;
  $("cstep").value = last;
  $("cascade-legend").textContent = c.layers.length
    ? "Ties: " + c.layers.map((l, i) => l + " (" + ["orange", "blue", "green", "pink",
      "yellow", "light blue", "grey", "black"][i] + ")").join(", ") + "; the root is the red dot, black dots were listed in the step shown; point at a dot for who it is."
    : "";
  drawCascade(last);
}

function drawCascade(step) {
  const c = state.cascade, cv = $("cascade"), g = cv.getContext("2d");
  g.clearRect(0, 0, cv.width, cv.height);
  $("cstep-out").textContent = "step " + step;
  if (!c || c.nodes.length === 0) {
    $("cascade-caption").textContent = "No spillover cascade in this run.";
    return;
  }
  const R = cv.width / 2 - 16, cx = cv.width / 2, cy = cv.height / 2;
  const px = (n) => cx + n[4] * R, py = (n) => cy + n[5] * R;
  let shown = 0;
  for (const n of c.nodes) {
    if (n[1] < 0 || n[2] > step) continue;
    const p = c.nodes[n[1]];
    g.strokeStyle = LAYER_COLOURS[n[3] % LAYER_COLOURS.length];
    g.lineWidth = 1.2;
    g.beginPath(); g.moveTo(px(p), py(p)); g.lineTo(px(n), py(n)); g.stroke();
  }
  for (const n of c.nodes) {
    if (n[1] >= 0 && n[2] > step) continue;
    shown++;
    const fresh = n[1] >= 0 && n[2] === step;
    g.fillStyle = n[1] < 0 ? "#cc0000" : fresh ? "#000000" : "#555555";
    g.beginPath(); g.arc(px(n), py(n), n[1] < 0 ? 7 : fresh ? 4 : 2.5, 0, 2 * Math.PI); g.fill();
  }
  const root = c.root || {};
  const cause = root.cause ? root.cause.replace("_", " ") : "not in the stored events";
  $("cascade-caption").textContent = "Step " + step + ": " + shown + " of " +
    c.nodes.length + " agents listed" + (c.truncated ? " (the first " + c.nodes.length +
    " of " + c.size + " shown)" : "") + ". The root, agent " + c.nodes[0][0] +
    ", was listed" + (root.step !== undefined ? " at step " + root.step : "") +
    (root.agency ? " by " + root.agency : "") + " for: " + cause + ". (Agents on any list, " +
    "each by its first spillover listing; the table's largest cascade counts blacklistings, " +
    "relistings included.)";
}

/* Who is under the pointer: agent, step, and the tie it was listed through. */
function hover(ev) {
  const c = state.cascade, cv = $("cascade");
  if (!c || c.nodes.length === 0) return;
  const box = cv.getBoundingClientRect();
  const mx = (ev.clientX - box.left) * cv.width / box.width;
  const my = (ev.clientY - box.top) * cv.height / box.height;
  const R = cv.width / 2 - 16, step = Number($("cstep").value);
  let best = null, bd = 64;
  for (const n of c.nodes) {
    if (n[1] >= 0 && n[2] > step) continue;
    const d = (cv.width / 2 + n[4] * R - mx) ** 2 + (cv.height / 2 + n[5] * R - my) ** 2;
    if (d < bd) { bd = d; best = n; }
  }
  cv.title = !best ? "" : best[1] < 0 ? "agent " + best[0] + ": the root"
    : "agent " + best[0] + ": listed at step " + best[2] + " through the " +
      c.layers[best[3]] + " tie from agent " + c.nodes[best[1]][0];
}

function stopAnim() {
  if (state.anim) clearInterval(state.anim);
  state.anim = null;
  $("play").textContent = "Play";
}

function play() {
  if (state.anim) { stopAnim(); return; }
  const s = $("cstep");
  if (Number(s.value) >= Number(s.max)) s.value = s.min;
  $("play").textContent = "Pause";
  state.anim = setInterval(() => {
    const v = Number(s.value) + 1;
    if (v > Number(s.max)) { stopAnim(); return; }
    s.value = v;
    drawCascade(v);
  }, 300);
}

/* ---- copy ------------------------------------------------------------------------------- */

async function copyCommand() {
  const text = $("command").textContent;
  try {
    await navigator.clipboard.writeText(text);
    status("Copied the command.");
  } catch (e) {
    const range = document.createRange();
    range.selectNodeContents($("command"));
    const sel = window.getSelection();
    sel.removeAllRanges();
    sel.addRange(range);
    status(document.execCommand("copy") ? "Copied the command." : "Select the command and copy it.");
  }
}

async function init() {
  $("run").addEventListener("click", run);
  $("cancel").addEventListener("click", cancel);
  $("reset").addEventListener("click", () => showScenario(state.lib.name));
  $("scenario").addEventListener("change", (e) => showScenario(e.target.value));
  $("figname").addEventListener("change", figure);
  $("play").addEventListener("click", play);
  $("cstep").addEventListener("input", (e) => { stopAnim(); drawCascade(Number(e.target.value)); });
  $("copy").addEventListener("click", copyCommand);
  $("cascade").addEventListener("mousemove", hover);
  try {
    state.catalogue = await api("GET", "/api/scenarios");
  } catch (e) {
    status("Cannot read the scenario library: " + e.message, true);
    return;
  }
  for (const s of state.catalogue.scenarios)
    $("scenario").append(el("option", { value: s.name, textContent: s.name }));
  showScenario(state.catalogue.scenarios[0].name);
  status("Ready: scsim " + state.catalogue.version + ", at most " +
         state.catalogue.max_persons + " persons a run.");
  document.body.dataset.ready = "1";
}

document.addEventListener("DOMContentLoaded", init);
