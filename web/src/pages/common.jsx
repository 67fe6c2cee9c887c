// Pieces the pages share: errors, the language switch, a message with its
// evidence marked, the reading of a message, badges.
import { useT } from '../i18n.js';
import { formatDate, formatDateTime, splitByBytes } from '../util.js';

export function LangSwitch() {
  const t = useT();
  return (
    <div class="lang-switch" role="group" aria-label={t('lang.switch')}>
      {['nl', 'en'].map((l) => (
        <button type="button" class={t.lang === l ? 'on' : ''} aria-pressed={t.lang === l}
                data-lang={l} onClick={() => t.setLang(l)}>{l.toUpperCase()}</button>
      ))}
    </div>
  );
}

export function ErrorBox({ error, retry }) {
  const t = useT();
  if (!error) return null;
  let text = error.message || String(error);
  if (error.status === 0) text = t('error.network');
  return (
    <div class="error-box" role="alert">
      <p>{text}</p>
      {retry && <button type="button" onClick={retry}>{t('action.retry')}</button>}
    </div>
  );
}

export function Loading() {
  const t = useT();
  return <p class="muted loading">{t('loading')}</p>;
}

// The severity of a signal, for its colour: hostility and anger are hot,
// complaints and control warm, the rest informative.
export function signalHeat(id) {
  if (/^hostility|^emotion\.anger|^relation\.exit|^tone\.shouting|^demand\.compensation/.test(id)) return 'hot';
  if (/^complaint|^emotion|^micro|^scope\.outside|^timing\.after|^payment|^tone|^demand|^deadline/.test(id)) return 'warm';
  return 'info';
}

// The message text with each signal's evidence marked; hovering a mark
// tells which signal it is evidence for.
export function Highlighted({ text, analysis }) {
  const t = useT();
  const ranges = [];
  for (const s of (analysis && analysis.signals) || [])
    for (const e of s.evidence || [])
      ranges.push({ start: e.start, end: e.end, id: s.id });
  const pieces = splitByBytes(text, ranges);
  return (
    <div class="message-text">
      {pieces.map((p) => {
        if (!p.marks.length) return p.text;
        const ids = [...new Set(p.marks.map((m) => m.id))];
        const heat = ids.map(signalHeat).includes('hot') ? 'hot' : ids.map(signalHeat).includes('warm') ? 'warm' : 'info';
        return <mark class={`ev ${heat}`} title={ids.map((i) => t.label('signal', i)).join(', ')}
                     data-signals={ids.join(' ')}>{p.text}</mark>;
      })}
    </div>
  );
}

export function EscalationMeter({ level }) {
  const t = useT();
  return (
    <span class={`escalation l${level}`} title={t('escalation.title')}>
      {[1, 2, 3].map((i) => <i class={i <= level ? 'on' : ''} />)}
      <span>{t.label('escalation', level)}</span>
    </span>
  );
}

export function StepBadge({ step }) {
  const t = useT();
  if (!step) return null;
  return <span class={`step step-${step}`} title={t('step.title')}>{t.label('step', step)}</span>;
}

// What kalm reads in a client message: level, emotion, needs, signals and
// the strategies with their reasons.
export function Reading({ analysis, compact }) {
  const t = useT();
  if (!analysis) return <p class="muted">{t('reading.none')}</p>;
  const needs = Object.entries(analysis.needs || {}).filter(([, v]) => v >= 0.3)
    .sort((a, b) => b[1] - a[1]);
  const signals = (analysis.signals || []).filter((s) => s.id !== 'time.ref');
  return (
    <div class="reading">
      <div class="reading-head">
        <EscalationMeter level={analysis.escalation_level || 0} />
        {analysis.dominant_emotion && analysis.dominant_emotion !== 'neutral' && (
          <span class="emotion">{t.label('emotion', analysis.dominant_emotion)}</span>
        )}
        {needs.map(([k]) => <span class="need">{t('reading.need', { need: t.label('need', k) })}</span>)}
        {analysis.hostile && <span class="tag hot">{t('reading.hostile')}</span>}
      </div>
      {signals.length > 0 && (
        <ul class="signals">
          {signals.map((s) => (
            <li class={`chip ${signalHeat(s.id)}`} data-signal={s.id}
                title={(s.evidence || []).map((e) => `“${e.text}”`).join(' · ')}>
              {t.label('signal', s.id)}
            </li>
          ))}
        </ul>
      )}
      {!compact && (analysis.strategies || []).length > 0 && (
        <ol class="strategies">
          {analysis.strategies.map((s) => (
            <li data-strategy={s.id}>
              <strong>{t.label('strategy', s.id)}</strong>
              <span>{s.why}</span>
            </li>
          ))}
        </ol>
      )}
    </div>
  );
}

export function Tabs({ base, tab, items }) {
  const t = useT();
  return (
    <nav class="tabs" role="tablist">
      {items.map((id) => (
        <a role="tab" aria-selected={tab === id} class={tab === id ? 'on' : ''}
           href={id === 'timeline' ? base : `${base}/${id}`}>{t(`tab.${id}`)}</a>
      ))}
    </nav>
  );
}

// Status updates, newest first: the VA's list and the client's portal show
// them alike. `at` reads an update's time (the two answers name it
// differently).
export function UpdateList({ updates, at, max }) {
  const t = useT();
  return (
    <ol class="update-list">
      {[...updates].reverse().slice(0, max).map((u, i) => (
        <li key={u.id ?? i} data-kind={u.kind}>
          <span class="tag">{t(`updates.kind.${u.kind}`)}</span>
          <span class="muted small">{formatDateTime(at(u), t.lang)}</span>
          <p>{u.text}</p>
          {u.next_update_at && <span class="small muted">{t('updates.next_at', { when: formatDate(u.next_update_at, t.lang) })}</span>}
        </li>
      ))}
    </ol>
  );
}
