// VADER-js reference for bench/run.sh: one message per line in, one compound
// score per line out (the same streaming job as `kalm analyze --batch`).
import fs from 'node:fs';
import vader from 'vader-sentiment';

const lines = fs.readFileSync(process.argv[2], 'utf8').split('\n');
const out = [];
for (const l of lines) {
  if (!l) continue;
  out.push(JSON.stringify(vader.SentimentIntensityAnalyzer.polarity_scores(l)));
}
fs.writeFileSync('/dev/null', out.join('\n'));
