// Measures kalm's analyzer and VADER on every ../shared/data file in one run and
// writes docs/quality.md. Usage: node tools/quality/quality.mjs [--out FILE]
// (run from the project root after `make build`; `make eval` does both).
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import vader from 'vader-sentiment';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../..');
const data = path.resolve(root, '../shared/data');
const kalm = path.join(root, 'build/kalm');
const outArg = process.argv.indexOf('--out');
const outFile = outArg > 0 ? process.argv[outArg + 1] : path.join(root, 'docs/quality.md');

if (!fs.existsSync(data)) {
  console.error(`quality: ${data} not found; nothing to measure`);
  process.exit(0);
}

// Same split as `kalm eval --part dev`: FNV-1a of the id, one in five.
function inDev(id) {
  let h = 2166136261 >>> 0;
  for (const b of Buffer.from(id, 'utf8')) {
    h ^= b;
    h = Math.imul(h, 16777619) >>> 0;
  }
  return h % 5 === 0;
}

function readTsv(file) {
  const lines = fs.readFileSync(file, 'utf8').split('\n');
  const header = lines[0].replace(/\r$/, '').split('\t');
  const rows = [];
  for (const l of lines.slice(1)) {
    if (!l) continue;
    const f = l.replace(/\r$/, '').split('\t');
    const r = {};
    header.forEach((h, i) => (r[h] = f[i]));
    rows.push(r);
  }
  return rows;
}

const pearson = (x, y) => {
  const n = x.length, mx = x.reduce((a, b) => a + b, 0) / n, my = y.reduce((a, b) => a + b, 0) / n;
  let sxy = 0, sxx = 0, syy = 0;
  for (let i = 0; i < n; i++) {
    sxy += (x[i] - mx) * (y[i] - my); sxx += (x[i] - mx) ** 2; syy += (y[i] - my) ** 2;
  }
  return sxy / Math.sqrt(sxx * syy);
};
const f1 = (pred, gold) => {
  let tp = 0, fp = 0, fn = 0;
  pred.forEach((p, i) => { if (p && gold[i]) tp++; else if (p) fp++; else if (gold[i]) fn++; });
  const P = tp + fp ? tp / (tp + fp) : 0, R = tp + fn ? tp / (tp + fn) : 0;
  return P + R ? (2 * P * R) / (P + R) : 0;
};
const cls = (v, t) => (v > t ? 1 : v < -t ? -1 : 0);
const macro3 = (p, g) => [-1, 0, 1].reduce((s, c) => s + f1(p.map(x => x === c), g.map(x => x === c)), 0) / 3;
const acc = (p, g) => p.filter((x, i) => x === g[i]).length / p.length;
const compound = t => vader.SentimentIntensityAnalyzer.polarity_scores(t).compound;

// VADER's figures for the tasks it can do (it has no emotions, hostility or Dutch).
function vaderMetrics(task, rows) {
  if (task === 'valence') {
    const p = rows.map(r => compound(r.text)), g = rows.map(r => +r.valence);
    const m = { pearson_r: pearson(p, g), macro_f1_3class: macro3(p.map(x => cls(x, 0.05)), g.map(x => cls(x, 0.05))) };
    for (const d of [...new Set(rows.map(r => r.domain))]) {
      const rs = rows.filter(r => r.domain === d);
      m['pearson_r.' + d] = pearson(rs.map(r => compound(r.text)), rs.map(r => +r.valence));
    }
    return m;
  }
  if (task === 'complaint') {
    // A complaint is a negative message (compound <= -0.05).
    return { f1: f1(rows.map(r => compound(r.text) <= -0.05), rows.map(r => r.complaint === '1')) };
  }
  if (task === 'politeness') {
    const rs = rows.filter(r => r.label === 'polite' || r.label === 'impolite');
    return { accuracy: acc(rs.map(r => compound(r.text) >= 0.05), rs.map(r => r.label === 'polite')) };
  }
  if (task === 'valence_nl') {
    const rs = rows.filter(r => ['positive', 'negative', 'neutral'].includes(r.polarity));
    const pn = rs.filter(r => r.polarity !== 'neutral');
    return {
      accuracy: acc(pn.map(r => compound(r.text) >= 0), pn.map(r => r.polarity === 'positive')),
      macro_f1_3class: macro3(rs.map(r => cls(compound(r.text), 0.05)),
                              rs.map(r => (r.polarity === 'positive' ? 1 : r.polarity === 'negative' ? -1 : 0))),
    };
  }
  return null;
}

const runs = [
  ['valence', 'valence/train.tsv', ['pearson_r.tweets', 'pearson_r', 'macro_f1_3class', 'pearson_r.movieReviewSnippets', 'pearson_r.amazonReviewSnippets', 'pearson_r.nytEditorialSnippets']],
  ['complaint', 'complaint/train.tsv', ['f1', 'precision', 'recall']],
  ['politeness', 'politeness/wikipedia.train.tsv', ['accuracy', 'accuracy_analyzer']],
  ['politeness', 'politeness/stackexchange.train.tsv', ['accuracy', 'accuracy_analyzer']],
  ['emotion', 'emotion/dev.tsv', ['macro_f1', 'f1_anger', 'f1_fear', 'f1_joy', 'f1_sadness', 'f1_neutral']],
  ['emotion', 'emotion/train.tsv', ['macro_f1']],
  ['valence_nl', 'valence_nl/train.tsv', ['accuracy', 'macro_f1_3class']],
  ['emotion_nl', 'emotion_nl/train.tsv', ['mean_f1', 'f1_anger', 'f1_fear', 'f1_joy', 'f1_sadness']],
];

const fmt = x => (x === undefined || x === null ? '–' : Number(x).toFixed(3));
const lines = [];
for (const [task, rel, keys] of runs) {
  const file = path.join(data, rel);
  if (!fs.existsSync(file)) continue;
  const rows = readTsv(file);
  // The models were fitted on the non-dev part of train files: the dev part is the
  // honest figure there; GoEmotions' own dev file and valence_nl were not fitted on.
  const fitted = /train\.tsv$/.test(rel) && ['valence', 'complaint', 'politeness', 'emotion'].includes(task);
  const part = fitted ? 'dev' : 'all';
  const ours = JSON.parse(execFileSync(kalm, ['eval', task, file, '--json', '--part', part], { encoding: 'utf8' }));
  const sel = part === 'dev' ? rows.filter(r => inDev(r.id)) : rows;
  const v = vaderMetrics(task, sel);
  for (const k of keys) {
    lines.push(`| ${task} | ${rel} | ${part} (${ours.rows}) | ${k} | **${fmt(ours[k])}** | ${v ? fmt(v[k]) : '–'} |`);
  }
}

// The reply coach on its golden drafts: per finding, precision over the drafts
// labelled for it (expected, or rejected / "reject: all") and recall over the
// drafts that expect it; the blind held-out sets (heldout*.golden) apart.
function readDrafts(dir) {
  const cases = [];
  for (const lang of ['nl', 'en']) {
    const folder = path.join(dir, lang);
    if (!fs.existsSync(folder)) continue;
    for (const f of fs.readdirSync(folder).filter(n => n.endsWith('.golden')).sort()) {
      let cur = null;
      for (const line of fs.readFileSync(path.join(folder, f), 'utf8').split('\n')) {
        if (line.startsWith('## ')) {
          cur = { id: line.slice(3), file: f, keys: {}, quoted: [], text: [] };
          cases.push(cur);
        } else if (!cur) {
          continue;
        } else if (line === '|' || line.startsWith('| ')) {
          cur.text.push(line.slice(2));
        } else if (cur.text.length === 0 && (line === '>' || line.startsWith('> '))) {
          cur.quoted.push(line.slice(2));
        } else if (cur.text.length === 0 && line.includes(':') && !line.startsWith('#')) {
          const i = line.indexOf(':');
          cur.keys[line.slice(0, i)] = line.slice(i + 1).trim();
        }
      }
    }
  }
  return cases;
}
const findingIds = ['defensive', 'pleasing', 'harsh', 'arguing', 'monologue',
  'no_acknowledgment', 'vague', 'boundary_without_alternative'];
const reviewLines = [];
{
  const drafts = readDrafts(path.join(root, 'tests/core/review'));
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'kalm-review-'));
  const stats = {};
  for (const c of drafts) {
    const set = /^heldout/.test(c.file) ? 'blind' : 'tuned';
    const draftFile = path.join(tmp, 'draft.txt');
    fs.writeFileSync(draftFile, c.text.join('\n'));
    const args = ['review', '--json', draftFile];
    const reply = c.keys['reply-to'] || c.quoted.join('\n');
    if (reply) {
      const replyFile = path.join(tmp, 'reply.txt');
      fs.writeFileSync(replyFile, reply);
      args.splice(2, 0, '--reply-to', replyFile);
    }
    const r = JSON.parse(execFileSync(kalm, args, { encoding: 'utf8' }));
    const found = new Set(r.findings.map(f => f.id));
    const expect = new Set((c.keys.expect || '').split(/\s+/).filter(x => x && x !== '-'));
    const reject = (c.keys.reject || '').split(/\s+/).filter(Boolean);
    const rejected = new Set(reject.includes('all') ? findingIds : reject);
    for (const id of findingIds) {
      for (const key of [set, 'all']) {
        const st = (stats[key + id] ??= { tp: 0, fp: 0, fn: 0 });
        if (expect.has(id)) found.has(id) ? st.tp++ : st.fn++;
        else if (rejected.has(id) && found.has(id)) st.fp++;
      }
    }
  }
  fs.rmSync(tmp, { recursive: true, force: true });
  const pr = st => {
    const p = st.tp + st.fp ? st.tp / (st.tp + st.fp) : null;
    const r = st.tp + st.fn ? st.tp / (st.tp + st.fn) : null;
    return [p, r, st.tp + st.fn];
  };
  for (const id of findingIds) {
    const [pa, ra, na] = pr(stats['all' + id]);
    const [pb, rb, nb] = pr(stats['blind' + id]);
    reviewLines.push(`| ${id} | ${fmt(pa)} | ${fmt(ra)} | ${na} | ${fmt(pb)} | ${fmt(rb)} | ${nb} |`);
  }
  reviewLines.unshift(`(${drafts.length} drafts, ${drafts.filter(c => /^heldout/.test(c.file)).length} of them in the blind sets)`);
}

const cmd = 'make eval   (= make build && node tools/quality/quality.mjs)';
const doc = `# Analyzer quality

Measured with \`kalm eval\` on every file of \`../shared/data\` (see its README), beside
VADER (the \`vader-sentiment\` npm package, ${JSON.parse(fs.readFileSync(path.join(root, 'tools/quality/node_modules/vader-sentiment/package.json'))).version}) on exactly the same rows, in
the same run. Produced by:

    ${cmd}

This file is generated; edit \`tools/quality/quality.mjs\` instead.

- *part*: the fitted models (\`data/model/*.tsv\`, see README.md) were fitted on the rows
  of the train files outside the dev fifth (FNV-1a of the row id, one in five), so for
  those tasks the **dev** part is the honest figure. \`valence_nl\`, \`emotion_nl\` and
  GoEmotions' own \`dev.tsv\` were never fitted on. The published figures on the
  held-out test parts are in ../shared/data/README.md.
- VADER has no emotions, hostility or Dutch lexicon; for complaints it counts a
  negative message (compound <= -0.05) as a complaint, for politeness a positive one
  (compound >= 0.05) as polite.
- Emotions are counted present from the analyzer's signal threshold (0.3).
- Politeness \`accuracy\` is the reply coach's score (\`kalm review\`: the analyzer's
  politeness, lowered for a harsh draft), \`accuracy_analyzer\` the analyzer's own.

| task | file | part (rows) | metric | kalm | VADER |
|---|---|---|---|---|---|
${lines.join('\n')}

Targets (issue 2): tweets Pearson r >= 0.85; complaint F1 >= 0.65; politeness accuracy
on Wikipedia >= 0.75; emotion macro-F1 >= 0.40; Dutch valence_nl accuracy >= 0.80.

## Reply coach (\`kalm review\`) on its golden drafts

Per finding: precision over the drafts labelled for it (expected, or rejected), recall
over the drafts that expect it (*n*). *Blind*: the held-out sets written without
seeing the word lists (\`tests/core/review/*/heldout*.golden\`; the first set was
tuned on afterwards, the second was not, see that folder's README);
*all* includes the drafts the word lists were tuned on.
${reviewLines[0]}

| finding | precision (all) | recall (all) | n | precision (blind) | recall (blind) | n |
|---|---|---|---|---|---|---|
${reviewLines.slice(1).join('\n')}
`;
fs.mkdirSync(path.dirname(outFile), { recursive: true });
fs.writeFileSync(outFile, doc);
console.log(`quality: wrote ${outFile}`);
