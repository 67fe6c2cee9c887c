// Measures kalm's analyzer and VADER on every ../shared/data file in one run and
// writes docs/quality.md. Usage: node tools/quality/quality.mjs [--out FILE]
// (run from the project root after `make build`; `make eval` does both).
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
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
`;
fs.mkdirSync(path.dirname(outFile), { recursive: true });
fs.writeFileSync(outFile, doc);
console.log(`quality: wrote ${outFile}`);
