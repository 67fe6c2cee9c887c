// Small helpers shared by the pages.

const enc = new TextEncoder();
const dec = new TextDecoder();

// The analyzer and the reviewer give byte offsets into UTF-8; the browser
// counts UTF-16 units. Splits `text` into pieces at the byte ranges:
// [{text, marks: [range, ...]}], in order, covering the whole text.
export function splitByBytes(text, ranges) {
  const bytes = enc.encode(text);
  const cuts = new Set([0, bytes.length]);
  for (const r of ranges) {
    if (r.start >= 0 && r.end <= bytes.length && r.start < r.end) {
      cuts.add(r.start);
      cuts.add(r.end);
    }
  }
  const points = [...cuts].sort((a, b) => a - b);
  const out = [];
  for (let i = 0; i + 1 < points.length; i++) {
    const a = points[i], b = points[i + 1];
    const marks = ranges.filter((r) => r.start <= a && r.end >= b && r.start < r.end);
    out.push({ text: dec.decode(bytes.subarray(a, b)), marks, start: a, end: b });
  }
  return out;
}

// UTF-16 index of a byte offset, and back.
export function byteToIndex(text, byte) {
  return dec.decode(enc.encode(text).subarray(0, byte)).length;
}
export function indexToByte(text, index) {
  return enc.encode(text.slice(0, index)).length;
}

// Replaces the bytes [start, end) of text.
export function replaceBytes(text, start, end, insert) {
  const a = byteToIndex(text, start), b = byteToIndex(text, end);
  return text.slice(0, a) + insert + text.slice(b);
}

export function debounce(fn, ms) {
  let timer = null;
  const d = (...args) => {
    clearTimeout(timer);
    timer = setTimeout(() => fn(...args), ms);
  };
  d.cancel = () => clearTimeout(timer);
  return d;
}

export function formatDateTime(unix, lang) {
  if (unix == null) return '';
  return new Date(unix * 1000).toLocaleString(lang === 'en' ? 'en-GB' : 'nl-NL', {
    weekday: 'short', day: 'numeric', month: 'short', year: 'numeric',
    hour: '2-digit', minute: '2-digit',
  });
}

export function formatDate(unix, lang) {
  if (unix == null) return '';
  return new Date(unix * 1000).toLocaleDateString(lang === 'en' ? 'en-GB' : 'nl-NL', {
    day: 'numeric', month: 'short', year: 'numeric',
  });
}

export function money(m) {
  if (!m) return '';
  return `${m.currency || 'EUR'} ${(m.cents / 100).toFixed(2)}`;
}

export function parseMoney(s) {
  const t = String(s || '').trim().replace(',', '.').replace(/^€\s*|^EUR\s*/i, '');
  if (!t) return undefined;
  const v = Number(t);
  if (!Number.isFinite(v) || v < 0) return null;
  return { cents: Math.round(v * 100), currency: 'EUR' };
}

export function minutesToTime(m) {
  const h = Math.floor(m / 60), mm = m % 60;
  return `${String(h).padStart(2, '0')}:${String(mm).padStart(2, '0')}`;
}

export function timeToMinutes(s) {
  const m = /^(\d{1,2}):(\d{2})$/.exec(String(s).trim());
  if (!m) return null;
  const v = Number(m[1]) * 60 + Number(m[2]);
  return v >= 0 && v <= 24 * 60 ? v : null;
}

// The ISO week start (Monday 00:00 local) of a unix time, as unix seconds.
export function weekStart(unix) {
  const d = new Date(unix * 1000);
  const day = (d.getDay() + 6) % 7;
  d.setHours(0, 0, 0, 0);
  d.setDate(d.getDate() - day);
  return Math.floor(d.getTime() / 1000);
}
