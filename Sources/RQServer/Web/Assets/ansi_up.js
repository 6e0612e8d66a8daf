// rq-swift's own ANSI SGR → HTML renderer (the original shipped AnsiUp; this is a small
// equivalent with the same entry point). Text is HTML-escaped; colours become inline spans;
// http(s) URLs become links. Feed it chunks in order: an escape sequence split between two
// chunks is carried over.
const PALETTE = ["#000000", "#cd3131", "#0dbc79", "#e5e510", "#2472c8", "#bc3fbc", "#11a8cd", "#e5e5e5"];
const BRIGHT = ["#666666", "#f14c4c", "#23d18b", "#f5f543", "#3b8eea", "#d670d6", "#29b8db", "#ffffff"];

function color256(n) {
  if (n < 8) return PALETTE[n];
  if (n < 16) return BRIGHT[n - 8];
  if (n < 232) {
    const i = n - 16, steps = [0, 95, 135, 175, 215, 255];
    return `rgb(${steps[Math.floor(i / 36)]},${steps[Math.floor(i / 6) % 6]},${steps[i % 6]})`;
  }
  const v = 8 + (n - 232) * 10;
  return `rgb(${v},${v},${v})`;
}

export function escapeHTML(text) {
  return text.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c]));
}

export class AnsiUp {
  constructor() {
    this.reset();
    this.carry = "";
    this.use_classes = false;
  }

  reset() {
    this.fg = null; this.bg = null; this.bold = false; this.italic = false; this.underline = false;
  }

  applySGR(params) {
    const codes = params === "" ? [0] : params.split(";").map((p) => parseInt(p || "0", 10));
    for (let i = 0; i < codes.length; i++) {
      const c = codes[i];
      if (c === 0) this.reset();
      else if (c === 1) this.bold = true;
      else if (c === 3) this.italic = true;
      else if (c === 4) this.underline = true;
      else if (c === 22) this.bold = false;
      else if (c === 23) this.italic = false;
      else if (c === 24) this.underline = false;
      else if (c >= 30 && c <= 37) this.fg = PALETTE[c - 30];
      else if (c >= 90 && c <= 97) this.fg = BRIGHT[c - 90];
      else if (c === 39) this.fg = null;
      else if (c >= 40 && c <= 47) this.bg = PALETTE[c - 40];
      else if (c >= 100 && c <= 107) this.bg = BRIGHT[c - 100];
      else if (c === 49) this.bg = null;
      else if ((c === 38 || c === 48) && codes[i + 1] === 5 && codes[i + 2] !== undefined) {
        this[c === 38 ? "fg" : "bg"] = color256(codes[i + 2]); i += 2;
      } else if ((c === 38 || c === 48) && codes[i + 1] === 2 && codes[i + 4] !== undefined) {
        this[c === 38 ? "fg" : "bg"] = `rgb(${codes[i + 2]},${codes[i + 3]},${codes[i + 4]})`; i += 4;
      }
    }
  }

  style() {
    const parts = [];
    if (this.fg) parts.push(`color:${this.fg}`);
    if (this.bg) parts.push(`background-color:${this.bg}`);
    if (this.bold) parts.push("font-weight:bold");
    if (this.italic) parts.push("font-style:italic");
    if (this.underline) parts.push("text-decoration:underline");
    return parts.join(";");
  }

  wrap(text) {
    if (text === "") return "";
    const html = escapeHTML(text).replace(/https?:\/\/[^\s<>"']+/g, (url) => `<a href="${url}" target="_blank" rel="noopener">${url}</a>`);
    const style = this.style();
    return style ? `<span style="${style}">${html}</span>` : html;
  }

  ansi_to_html(chunk) {
    let text = this.carry + chunk;
    this.carry = "";
    // An unfinished escape at the very end waits for the next chunk.
    const tail = text.match(/\x1b(\[[0-9;?]*)?$/);
    if (tail) { this.carry = tail[0]; text = text.slice(0, tail.index); }
    let out = "";
    let last = 0;
    const re = /\x1b\[([0-9;?]*)([A-Za-z])|\x1b[()][A-Za-z0-9]|\x1b[=>]/g;
    let m;
    while ((m = re.exec(text)) !== null) {
      out += this.wrap(text.slice(last, m.index));
      if (m[2] === "m") this.applySGR(m[1]);
      last = re.lastIndex;
    }
    return out + this.wrap(text.slice(last));
  }
}
