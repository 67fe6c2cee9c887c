// Patterns over time: what repeats with this client (METHOD.md section 7),
// with two small charts drawn by uPlot from the timeline.
import { useEffect, useRef } from 'preact/hooks';
import uPlot from 'uplot';
import { useT } from '../i18n.js';
import { formatDate, weekStart } from '../util.js';

function hasSignal(m, prefix) {
  return ((m.analysis && m.analysis.signals) || []).some((s) => s.id.startsWith(prefix));
}

// Per ISO week: incoming messages, after-hours ones, check-ins, and the
// mean escalation of the incoming ones.
export function weeklySeries(messages) {
  const weeks = new Map();
  for (const m of messages) {
    if (m.direction !== 'incoming') continue;
    const w = weekStart(m.sent_at);
    const x = weeks.get(w) || { n: 0, after: 0, checkins: 0, esc: 0 };
    x.n++;
    if (hasSignal(m, 'timing.after_hours')) x.after++;
    if (hasSignal(m, 'micro.checkin')) x.checkins++;
    x.esc += (m.analysis && m.analysis.escalation_level) || 0;
    weeks.set(w, x);
  }
  const keys = [...weeks.keys()].sort((a, b) => a - b);
  // Fill empty weeks so a quiet week shows as zero, not as a gap.
  const xs = [];
  for (let w = keys[0]; keys.length && w <= keys[keys.length - 1]; w = weekStart(w + 8 * 86400)) xs.push(w);
  const get = (w) => weeks.get(w) || { n: 0, after: 0, checkins: 0, esc: 0 };
  return {
    x: xs,
    n: xs.map((w) => get(w).n),
    after: xs.map((w) => get(w).after),
    checkins: xs.map((w) => get(w).checkins),
    esc: xs.map((w) => (get(w).n ? +(get(w).esc / get(w).n).toFixed(2) : null)),
  };
}

function Chart({ title, data, series, yRange }) {
  const t = useT();
  const el = useRef(null);
  useEffect(() => {
    if (!el.current || data[0].length === 0) return undefined;
    const width = Math.max(260, Math.min(560, el.current.clientWidth || 480));
    const plot = new uPlot({
      width, height: 180,
      series: [{}, ...series],
      axes: [{
        space: 60,
        values: (u, splits) => splits.map((v) => new Date(v * 1000).toLocaleDateString(
          t.lang === 'en' ? 'en-GB' : 'nl-NL', { day: 'numeric', month: 'short' })),
      }, { size: 36 }],
      scales: { x: { time: true }, ...(yRange ? { y: { range: yRange } } : {}) },
      legend: { live: false },
      cursor: { drag: { x: false, y: false } },
    }, data, el.current);
    return () => plot.destroy();
  }, [data, t.lang]);
  return (
    <figure class="chart card">
      <figcaption>{title}</figcaption>
      <div ref={el} class="chart-area" />
    </figure>
  );
}

export function PatternsTab({ timeline }) {
  const t = useT();
  const p = timeline.patterns;
  const s = weeklySeries(timeline.messages);
  return (
    <div class="patterns-tab">
      <p class="muted">{p.incoming > 0
        ? t('patterns.window', { from: formatDate(p.from, t.lang), to: formatDate(p.to, t.lang), n: p.incoming })
        : t('patterns.empty')}</p>
      <ul class="pattern-list">
        {p.patterns.map((x) => (
          <li class={`pattern card ${x.flagged ? 'flagged' : ''}`} data-pattern={x.id}>
            <div class="pattern-head">
              <strong>{t.label('pattern', x.id)}</strong>
              <span class="count">{x.count} / {x.threshold}</span>
            </div>
            <div class="bar" role="img" aria-label={`${x.count} / ${x.threshold}`}>
              <span style={{ width: `${Math.min(100, (100 * x.count) / Math.max(1, x.threshold))}%` }} />
            </div>
            {x.per_week != null && <p class="small muted">{t('patterns.per_week', { n: x.per_week, agreed: x.agreed_per_week || '—' })}</p>}
            {x.share != null && <p class="small muted">{t('patterns.share', { pct: Math.round(x.share * 100) })}</p>}
            {x.flagged && <p class="small">{t.label('patternadvice', x.id)}</p>}
          </li>
        ))}
      </ul>
      {s.x.length > 1 && (
        <div class="charts">
          <Chart title={t('patterns.chart.volume')} data={[s.x, s.n, s.after, s.checkins]}
                 series={[
                   { label: t('patterns.series.incoming'), stroke: '#5b7f6e', width: 2 },
                   { label: t('patterns.series.after_hours'), stroke: '#c2703d', width: 2 },
                   { label: t('patterns.series.checkins'), stroke: '#7a6bb0', width: 2 },
                 ]} />
          <Chart title={t('patterns.chart.tone')} data={[s.x, s.esc]} yRange={[0, 3]}
                 series={[{ label: t('patterns.series.escalation'), stroke: '#b5473a', width: 2, spanGaps: true }]} />
        </div>
      )}
    </div>
  );
}
