// rq-swift operator UI: live counts (polling each page's JSON twin), the live log tail, and
// small form conveniences. No framework, no external requests.
import { AnsiUp } from "./ansi_up.js";

const BLOCKS = "▁▂▃▄▅▆▇█";

export function spark(values) {
  const max = Math.max(0, ...values);
  return values.map((v) => (v <= 0 || max === 0 ? BLOCKS[0] : BLOCKS[Math.max(1, Math.ceil((v / max) * 7))])).join("");
}

export function age(seconds) {
  if (seconds === null || seconds === undefined) return "–";
  const s = Math.max(0, Math.floor(seconds));
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m ${s % 60}s`;
  if (s < 86400) return `${Math.floor(s / 3600)}h ${Math.floor((s % 3600) / 60)}m`;
  return `${Math.floor(s / 86400)}d ${Math.floor((s % 86400) / 3600)}h`;
}

export function countColor(state, value) {
  if (value <= 0) return "none";
  if (state === "err") return "red";
  if (state === "done" || state === "relayed") return "green";
  return "yellow";
}

// ---- live counts -------------------------------------------------------------------------

function setText(el, text) { if (el && el.textContent !== String(text)) el.textContent = String(text); }

function applyQueue(scope, q) {
  let changed = false;
  for (const el of scope.querySelectorAll("[data-count]")) {
    const state = el.dataset.count;
    if (!(state in q.counts)) continue;
    const value = q.counts[state];
    if (el.textContent !== String(value)) changed = true;
    setText(el, value);
    const colored = el.classList.contains("count") ? el : el.closest(".tile");
    if (colored) {
      colored.classList.remove("none", "yellow", "red", "green");
      colored.classList.add(countColor(state, value));
    }
  }
  for (const el of scope.querySelectorAll('[data-field="status"]')) {
    setText(el, q.status);
    el.className = `status status-${q.status}`;
  }
  for (const el of scope.querySelectorAll("[data-spark]")) {
    setText(el, spark(el.dataset.spark === "done" ? q.done_per_minute : q.err_per_minute));
  }
  for (const el of scope.querySelectorAll("[data-rate]")) {
    const series = el.dataset.rate === "done" ? q.done_per_minute : q.err_per_minute;
    setText(el, series[series.length - 1]);
  }
  for (const el of scope.querySelectorAll('[data-field="oldest"]')) setText(el, age(q.oldest_queued_age));
  return changed;
}

function applyMessage(m) {
  const section = document.querySelector("[data-message]");
  if (!section) return;
  if (section.dataset.state !== m.state) { location.reload(); return; }
  setText(document.querySelector('#status [data-field="status"]'), m.status);
}

function twinURL() {
  const url = new URL(location.href);
  url.searchParams.set("x_format", "json");
  return url;
}

async function pollLive(kind) {
  const toggle = document.getElementById("live-refresh");
  const badge = document.getElementById("live-state");
  // Nothing to fetch while the operator switched the refresh off or looks at another tab.
  if ((toggle && !toggle.checked) || document.hidden) { setTimeout(() => pollLive(kind), 2000); return; }
  try {
    const response = await fetch(twinURL(), { headers: { Accept: "application/json" }, cache: "no-store" });
    if (!response.ok) throw new Error(`HTTP ${response.status}`);
    const data = await response.json();
    if (kind === "home") {
      setText(document.querySelector('[data-field="uptime"]'), data.uptime);
      for (const q of data.queues) {
        const row = document.querySelector(`tr[data-queue="${CSS.escape(q.name)}"]`);
        if (row) applyQueue(row, q);
      }
    } else if (kind === "queue") {
      if (applyQueue(document, data)) {
        const note = document.getElementById("lists-stale");
        if (note) note.hidden = false;
      }
    } else if (kind === "message") {
      applyMessage(data);
    }
    if (badge) { badge.textContent = "updated " + new Date().toLocaleTimeString(); badge.className = "muted"; }
  } catch (error) {
    if (badge) { badge.textContent = "refresh failed: " + error.message; badge.className = "red"; }
  }
  setTimeout(() => pollLive(kind), 2000);
}

// ---- live tail (web-ui.md §8.9) ---------------------------------------------------------

function startTail(pre) {
  const ansi = new AnsiUp();
  const decoder = new TextDecoder("utf-8");
  const follow = document.getElementById("filepos-tail");
  const stateLabel = document.getElementById("tail-state");
  let offset = 0;
  let lines = 0;
  let extraPolls = 1;

  const position = () => {
    const lineHeight = parseFloat(getComputedStyle(pre).lineHeight) || 16;
    const top = Math.min(lines, Math.floor(window.scrollY / lineHeight) + 1);
    const bottom = Math.min(lines, Math.floor((window.scrollY + window.innerHeight) / lineHeight));
    setText(document.getElementById("filepos-top"), lines === 0 ? 0 : top);
    setText(document.getElementById("filepos-bottom"), bottom);
    setText(document.getElementById("filepos-total"), lines);
  };
  window.addEventListener("scroll", position);

  const append = (bytes) => {
    const text = decoder.decode(bytes, { stream: true });
    lines += (text.match(/\n/g) || []).length;
    pre.insertAdjacentHTML("beforeend", ansi.ansi_to_html(text));
    if (!follow || follow.checked) window.scrollTo(0, document.body.scrollHeight);
    position();
  };

  const poll = async () => {
    let response;
    try {
      response = await fetch(pre.dataset.tailPath, { headers: { Range: `bytes=${offset}-`, "Cache-Control": "no-cache" }, cache: "no-store" });
    } catch { setTimeout(checkState, 1000); return; }
    if (response.status === 206 || response.status === 200) {
      // A body cut short (a dropped connection) is read again from the same offset.
      let bytes;
      try { bytes = new Uint8Array(await response.arrayBuffer()); } catch { setTimeout(checkState, 1000); return; }
      const range = (response.headers.get("Content-Range") || "").match(/bytes (\d+)-(\d+)\/(\d+)/);
      offset = range ? 1 + Math.min(parseInt(range[2], 10), parseInt(range[3], 10)) : offset + bytes.length;
      append(bytes);
      setTimeout(poll, 100);
    } else {
      setTimeout(checkState, 1000);
    }
  };

  const checkState = async () => {
    let state = "";
    try {
      const response = await fetch(pre.dataset.statePath, { cache: "no-store" });
      state = response.ok ? (await response.json())[0] : "";
    } catch { state = ""; }
    if (stateLabel) setText(stateLabel, state || "gone");
    if (["prep", "que", "run"].includes(state)) { setTimeout(poll, 1000); return; }
    if (extraPolls > 0) { extraPolls -= 1; setTimeout(poll, 0); return; }
    document.body.dataset.tailStopped = "1";
  };

  poll();
}

// ---- forms ------------------------------------------------------------------------------

function guardForms() {
  for (const form of document.querySelectorAll("form[method=post]")) {
    form.addEventListener("submit", () => {
      // Disabled after the submit event so the clicked button's name/value is still sent.
      setTimeout(() => form.querySelectorAll("button, input[type=submit]").forEach((b) => { b.disabled = true; }), 0);
    });
  }
  const all = document.getElementById("err-select-all");
  if (all) {
    all.addEventListener("change", () => {
      document.querySelectorAll('#err-bulk input[name="ids[]"]').forEach((box) => { box.checked = all.checked; });
    });
  }
}

const tail = document.getElementById("ansitxt");
if (tail) {
  startTail(tail);
} else {
  guardForms();
  const kind = document.body.dataset.live;
  if (kind) setTimeout(() => pollLive(kind), 2000);
}
