// The complaint case: five calm steps from the first shock to the lessons
// (METHOD.md section 5), one at a time, and the journal of evaluated cases.
import { useEffect, useState } from 'preact/hooks';
import { get, patch, post } from '../api.js';
import { useT } from '../i18n.js';
import { formatDate, formatDateTime } from '../util.js';
import { ErrorBox, Loading } from './common.jsx';

const STEPS = ['land', 'reflect', 'prepare', 'conversation', 'evaluate'];

// "2026-11-27" <-> unix seconds at 17:00 local.
const toDate = (unix) => (unix ? new Date(unix * 1000 - new Date(unix * 1000).getTimezoneOffset() * 60000).toISOString().slice(0, 10) : '');
const fromDate = (s) => (s ? Math.floor(new Date(`${s}T17:00:00`).getTime() / 1000) : null);
const euros = (cents) => (cents == null ? '' : (cents / 100).toFixed(2));
const toCents = (s) => {
  const v = String(s || '').trim().replace(',', '.');
  if (!v) return undefined;
  const n = Number(v);
  return Number.isFinite(n) && n >= 0 ? Math.round(n * 100) : null;
};
const toHours = (s) => {
  const v = String(s || '').trim().replace(',', '.');
  if (!v) return undefined;
  const n = Number(v);
  return Number.isFinite(n) && n >= 0 ? n : null;
};

function Countdown({ until }) {
  const t = useT();
  const [now, setNow] = useState(Date.now() / 1000);
  useEffect(() => {
    const id = setInterval(() => setNow(Date.now() / 1000), 1000);
    return () => clearInterval(id);
  }, []);
  const left = Math.max(0, Math.round(until - now));
  if (left === 0) return <p class="ok">{t('case.land.cooled')}</p>;
  const m = Math.floor(left / 60), s = left % 60;
  return <p class="countdown" role="timer">{t('case.land.wait', { time: `${m}:${String(s).padStart(2, '0')}` })}</p>;
}

function ListEditor({ items, onChange, placeholder, name }) {
  const t = useT();
  const [draft, setDraft] = useState('');
  return (
    <div class="list-editor">
      <ul>
        {items.map((x, i) => (
          <li>
            <span>{x}</span>
            <button type="button" class="link" onClick={() => onChange(items.filter((_, j) => j !== i))}>{t('case.remove')}</button>
          </li>
        ))}
      </ul>
      <div class="row wrap">
        <input class="grow" name={name} value={draft} placeholder={placeholder} onInput={(e) => setDraft(e.target.value)}
               onKeyDown={(e) => { if (e.key === 'Enter') { e.preventDefault(); if (draft.trim()) { onChange([...items, draft.trim()]); setDraft(''); } } }} />
        <button type="button" onClick={() => { if (draft.trim()) { onChange([...items, draft.trim()]); setDraft(''); } }}>{t('case.add')}</button>
      </div>
    </div>
  );
}

function Land({ k, c, set }) {
  const t = useT();
  return (
    <>
      <p class="advice-line">{t('case.land.intro')}</p>
      {c.cool_down_until && <Countdown until={c.cool_down_until} />}
      {c.receipt && (
        <div class="receipt card">
          <span class="small muted">{t('compose.receipt')}</span>
          <p class="suggest">{c.receipt}</p>
          {/\{[a-z_]+\}/.test(c.receipt) && <p class="small warn">{t('compose.placeholders')}</p>}
          <div class="row wrap">
            <button type="button" class="small" onClick={() => navigator.clipboard && navigator.clipboard.writeText(c.receipt)}>{t('action.copy')}</button>
            <label class="check"><input type="checkbox" name="receipt_sent" checked={c.receipt_sent} onChange={(e) => set({ receipt_sent: e.target.checked })} />{t('case.land.sent')}</label>
          </div>
        </div>
      )}
      <fieldset>
        <legend>{t('case.land.reaction')}</legend>
        {['defensive', 'pleasing', 'calm'].map((r) => (
          <label class="check"><input type="radio" name="reaction" value={r} checked={c.reaction === r} onChange={() => set({ reaction: r })} />
            <span><strong>{t(`case.reaction.${r}`)}</strong> <span class="muted small">{t(`case.reaction.${r}.hint`)}</span></span></label>
        ))}
      </fieldset>
    </>
  );
}

function Reflect({ k, c, set }) {
  const t = useT();
  const h = k.hints || {};
  const answer = (i) => (e) => {
    const r = [...c.reflection];
    r[i] = e.target.value;
    set({ reflection: r });
  };
  return (
    <>
      {[0, 1, 2, 3, 4, 5].map((i) => (
        <div class="question">
          <label>{t(`case.q${i + 1}`)}
            <textarea name={`q${i + 1}`} rows={i === 5 ? 3 : 2} value={c.reflection[i]} onInput={answer(i)} /></label>
          {i === 0 && h.judgements && h.judgements.length > 0 && (
            <div class="hint-box"><span class="small muted">{t('case.hint.judgements')}</span>
              <ul>{h.judgements.map((x) => <li>{x}</li>)}</ul></div>
          )}
          {i === 1 && h.facts && h.facts.length > 0 && (
            <div class="hint-box"><span class="small muted">{t('case.hint.facts')}</span>
              <ul>{h.facts.map((x) => <li>{x}</li>)}</ul></div>
          )}
          {i === 3 && h.clauses && h.clauses.length > 0 && (
            <div class="hint-box"><span class="small muted">{t('case.hint.clauses')}</span>
              <ul>{h.clauses.map((x) => <li>{t.label('clause', x.key)}{x.value && x.value !== 'yes' ? `: ${x.value}` : ''} <span class="muted small">({t('agreement.version', { v: x.version })})</span></li>)}</ul></div>
          )}
          {i === 4 && h.dominant_emotion && (
            <div class="hint-box"><span class="small">{t('case.hint.emotion', { emotion: t.label('emotion', h.dominant_emotion) })}</span></div>
          )}
        </div>
      ))}
    </>
  );
}

function Money({ label, value, onChange, name }) {
  const t = useT();
  return (
    <fieldset class="concession">
      <legend>{label}</legend>
      <input name={`${name}_text`} value={value.text} placeholder={t('case.concession.text')} onInput={(e) => onChange({ ...value, text: e.target.value })} />
      <div class="row">
        <label>{t('case.concession.eur')}<input name={`${name}_eur`} inputMode="decimal" value={value._eur ?? euros(value.cents)}
               onInput={(e) => onChange({ ...value, _eur: e.target.value })} /></label>
        <label>{t('case.concession.hours')}<input name={`${name}_hours`} inputMode="decimal" value={value._hours ?? (value.hours ?? '')}
               onInput={(e) => onChange({ ...value, _hours: e.target.value })} /></label>
      </div>
    </fieldset>
  );
}

function Prepare({ k, c, set, script, loadScript }) {
  const t = useT();
  const clauses = (k.hints && k.hints.clauses) || [];
  const [fact, setFact] = useState({ text: '', clause: '' });
  return (
    <>
      <label>{t('case.summary')}<textarea name="summary" rows={2} value={c.summary} onInput={(e) => set({ summary: e.target.value })} />
        <span class="hint">{t('case.summary.hint')}</span></label>
      <h3>{t('case.questions')}</h3>
      <ListEditor name="question" items={c.questions} onChange={(q) => set({ questions: q })} placeholder={t('case.questions.placeholder')} />
      <h3>{t('case.facts')}</h3>
      <ul class="facts">{c.facts.map((f, i) => (
        <li>{f.text}{f.clause && <span class="muted small"> ({t.label('clause', f.clause)}, {t('agreement.version', { v: f.agreement_version })})</span>}
          <button type="button" class="link" onClick={() => set({ facts: c.facts.filter((_, j) => j !== i) })}>{t('case.remove')}</button></li>
      ))}</ul>
      <div class="row wrap">
        <input class="grow" name="fact" value={fact.text} placeholder={t('case.facts.placeholder')} onInput={(e) => setFact({ ...fact, text: e.target.value })} />
        <select name="fact_clause" value={fact.clause} onChange={(e) => setFact({ ...fact, clause: e.target.value })}>
          <option value="">{t('case.facts.no_clause')}</option>
          {clauses.map((x) => <option value={x.key}>{t.label('clause', x.key)}</option>)}
        </select>
        <button type="button" onClick={() => {
          if (!fact.text.trim()) return;
          const cl = clauses.find((x) => x.key === fact.clause);
          set({ facts: [...c.facts, { text: fact.text.trim(), clause: fact.clause, agreement_version: cl ? cl.version : 0 }] });
          setFact({ text: '', clause: '' });
        }}>{t('case.add')}</button>
      </div>
      <div class="two-col concessions">
        <Money name="proposal" label={t('case.proposal')} value={c.proposal} onChange={(v) => set({ proposal: v })} />
        <Money name="maximum" label={t('case.maximum')} value={c.maximum} onChange={(v) => set({ maximum: v })} />
      </div>
      <p class="hint">{t('case.maximum.hint')}</p>
      <button type="button" onClick={loadScript}>{t('case.script.show')}</button>
      {script && (
        <div class="script card" data-script>
          <h3>{script.title}</h3>
          <p class="small muted">{script.safety}</p>
          {script.parts.map((p) => (
            <div class="script-part"><strong>{p.title}</strong><ul>{p.lines.map((l) => <li>{l}</li>)}</ul></div>
          ))}
          <p class="private-note" data-private>{script.private_note}</p>
        </div>
      )}
    </>
  );
}

function Conversation({ k, c, set, mail, loadMail }) {
  const t = useT();
  const [a, setA] = useState({ what: '', owner: 'me', due: '' });
  return (
    <>
      <p class="advice-line">{t('case.conversation.intro')}</p>
      <label>{t('case.notes')}<textarea name="notes" rows={4} value={c.notes} onInput={(e) => set({ notes: e.target.value })} /></label>
      <fieldset>
        <legend>{t('case.outcome')}</legend>
        {['resolved', 'partly', 'not'].map((o) => (
          <label class="check"><input type="radio" name="outcome" value={o} checked={c.outcome === o} onChange={() => set({ outcome: o })} />{t(`case.outcome.${o}`)}</label>
        ))}
      </fieldset>
      <h3>{t('case.actions')}</h3>
      <ul class="facts">{c.actions.map((x, i) => (
        <li>{x.what} <span class="muted small">({t(`case.owner.${x.owner}`)}{x.due ? `, ${formatDate(x.due, t.lang)}` : ''})</span>
          <button type="button" class="link" onClick={() => set({ actions: c.actions.filter((_, j) => j !== i) })}>{t('case.remove')}</button></li>
      ))}</ul>
      <div class="row wrap">
        <input class="grow" name="action" value={a.what} placeholder={t('case.actions.placeholder')} onInput={(e) => setA({ ...a, what: e.target.value })} />
        <select name="action_owner" value={a.owner} onChange={(e) => setA({ ...a, owner: e.target.value })}>
          {['me', 'client', 'both'].map((o) => <option value={o}>{t(`case.owner.${o}`)}</option>)}
        </select>
        <input type="date" name="action_due" value={a.due} onInput={(e) => setA({ ...a, due: e.target.value })} />
        <button type="button" onClick={() => {
          if (!a.what.trim()) return;
          const x = { what: a.what.trim(), owner: a.owner };
          if (a.due) x.due = fromDate(a.due);
          set({ actions: [...c.actions, x] });
          setA({ what: '', owner: 'me', due: '' });
        }}>{t('case.add')}</button>
      </div>
      <label>{t('case.follow_up')}<input type="date" name="follow_up" value={toDate(c.follow_up_at)}
             onInput={(e) => set({ follow_up_at: fromDate(e.target.value) })} /></label>
      <div class="row wrap">
        <button type="button" onClick={loadMail}>{t('case.mail.show')}</button>
        <a class="button" href={`/api/v1/cases/${k.id}/confirmation?format=eml`} download>{t('case.mail.eml')}</a>
      </div>
      {mail && (
        <div class="mail card" data-mail>
          <strong>{mail.subject}</strong>
          <p class="pre">{mail.body}</p>
          <button type="button" class="small" onClick={() => navigator.clipboard && navigator.clipboard.writeText(mail.body)}>{t('action.copy')}</button>
        </div>
      )}
    </>
  );
}

function Evaluate({ c, set }) {
  const t = useT();
  const field = (key, name) => (
    <label>{t(`case.eval.${key}`)}<textarea name={name} rows={2} value={c[key]} onInput={(e) => set({ [key]: e.target.value })} /></label>
  );
  return (
    <>
      {field('next_time', 'next_time')}
      {field('trust_myself', 'trust_myself')}
      <h3>{t('case.eval.triggers')}</h3>
      <ListEditor name="trigger" items={c.triggers} onChange={(x) => set({ triggers: x })} placeholder={t('case.eval.triggers.placeholder')} />
      {field('not_fit', 'not_fit')}
      {field('sooner', 'sooner')}
    </>
  );
}

export function CasePage({ id }) {
  const t = useT();
  const [k, setK] = useState(null);
  const [content, setContent] = useState(null);
  const [dirty, setDirty] = useState(false);
  const [error, setError] = useState(null);
  const [script, setScript] = useState(null);
  const [mail, setMail] = useState(null);
  const [busy, setBusy] = useState(false);
  const [closing, setClosing] = useState(null);  // the reason, while asked
  const take = (x) => {
    setK(x);
    setContent(x.content);
    setDirty(false);
  };
  const load = () => get(`/api/v1/cases/${id}`).then(take, setError);
  useEffect(() => { load(); }, [id]);
  if (!k) return error ? <ErrorBox error={error} retry={load} /> : <Loading />;
  const set = (part) => {
    setContent({ ...content, ...part });
    setDirty(true);
  };
  // The concession inputs keep their text until saved.
  function clean(x) {
    const out = { ...x };
    for (const key of ['proposal', 'maximum']) {
      const v = { ...x[key] };
      if ('_eur' in v) {
        const c = toCents(v._eur);
        if (c === null) throw new Error(t('case.bad_amount'));
        if (c === undefined) delete v.cents; else v.cents = c;
        delete v._eur;
      }
      if ('_hours' in v) {
        const h = toHours(v._hours);
        if (h === null) throw new Error(t('case.bad_amount'));
        if (h === undefined) delete v.hours; else v.hours = h;
        delete v._hours;
      }
      out[key] = v;
    }
    // The proposal may not exceed the limit fixed beforehand (the server
    // checks it too).
    const p = out.proposal, m = out.maximum;
    for (const dim of ['cents', 'hours']) {
      if (p[dim] == null) continue;
      if (m[dim] == null) throw new Error(t('case.max_first'));
      if (p[dim] > m[dim]) throw new Error(t('case.over_max'));
    }
    return out;
  }
  async function save() {
    if (!dirty) return k;
    const x = await patch(`/api/v1/cases/${id}`, { revision: k.revision, content: clean(content) });
    take(x);
    return x;
  }
  async function act(fn) {
    setBusy(true);
    setError(null);
    try {
      await fn();
    } catch (e) {
      // What a step still needs, in the user's words rather than the API's.
      if (e.detail && Array.isArray(e.detail.missing))
        setError(new Error(t('case.missing', { list: e.detail.missing.map((m) => t(`case.missing.${m}`)).join(', ') })));
      else setError(e);
    } finally {
      setBusy(false);
    }
  }
  const next = () => act(async () => {
    const saved = await save();
    take(await post(`/api/v1/cases/${id}/next`, { revision: saved.revision }));
    setScript(null);
    setMail(null);
    window.scrollTo(0, 0);
  });
  const goTo = (step) => act(async () => {
    const saved = await save();
    take(await post(`/api/v1/cases/${id}/goto`, { revision: saved.revision, step }));
  });
  const close = () => act(async () => {
    if (!closing.trim()) return;
    take(await post(`/api/v1/cases/${id}/close`, { revision: k.revision, reason: closing.trim() }));
    setClosing(null);
  });
  const reopen = () => act(async () => take(await post(`/api/v1/cases/${id}/reopen`, { revision: k.revision })));
  const loadScript = () => act(async () => { await save(); setScript(await get(`/api/v1/cases/${id}/script`)); });
  const loadMail = () => act(async () => { await save(); setMail(await get(`/api/v1/cases/${id}/confirmation`)); });

  const step = k.step;
  const props = { k, c: content, set, script, loadScript, mail, loadMail };
  return (
    <section class="case narrow-wide">
      <div class="page-head">
        <div>
          <h1>{k.title}</h1>
          <a class="small" href={`#/clients/${k.client_id}/cases`}>{t('case.back')}</a>
        </div>
        {k.closed
          ? <span class="step step-observe" data-closed>{k.close_reason === 'done' ? t('case.done') : t('case.closed')}</span>
          : <button type="button" class="link" onClick={() => setClosing(closing === null ? '' : null)}>{t('case.close')}</button>}
      </div>
      {closing !== null && !k.closed && (
        <form class="card row wrap close-form" onSubmit={(e) => { e.preventDefault(); close(); }}>
          <label class="grow">{t('case.close.prompt')}
            <input name="close_reason" value={closing} onInput={(e) => setClosing(e.target.value)} /></label>
          <button class="primary" disabled={!closing.trim() || busy}>{t('case.close')}</button>
        </form>
      )}
      <ol class="stepper">
        {STEPS.map((s, i) => (
          <li class={`${step === i + 1 && !k.closed ? 'on' : ''} ${k.steps[i].completed_at ? 'done' : ''}`}>
            <button type="button" disabled={k.closed || i + 1 > k.furthest || busy} onClick={() => goTo(i + 1)} data-step={s}>
              <span class="num">{i + 1}</span><span class="name">{t(`case.step.${s}`)}</span>
            </button>
          </li>
        ))}
      </ol>
      {k.closed ? (
        <div class="card">
          {k.close_reason !== 'done' && <p>{t('case.closed.reason', { reason: k.close_reason })}</p>}
          {k.close_reason === 'done' && <p>{t('case.done.text')} <a href="#/journal">{t('nav.journal')}</a></p>}
          <button type="button" onClick={reopen} disabled={busy}>{t('case.reopen')}</button>
        </div>
      ) : (
        <div class="card step-card" data-current={STEPS[step - 1]}>
          <h2>{t(`case.step.${STEPS[step - 1]}`)}</h2>
          <p class="muted">{t(`case.step.${STEPS[step - 1]}.intro`)}</p>
          {step === 1 && <Land {...props} />}
          {step === 2 && <Reflect {...props} />}
          {step === 3 && <Prepare {...props} />}
          {step === 4 && <Conversation {...props} />}
          {step === 5 && <Evaluate {...props} />}
          <ErrorBox error={error} />
          {k.missing.length > 0 && !dirty && (
            <p class="small muted">{t('case.missing', { list: k.missing.map((m) => t(`case.missing.${m}`)).join(', ') })}</p>
          )}
          <div class="actions">
            <button type="button" disabled={!dirty || busy} onClick={() => act(save)}>{t('case.save')}</button>
            <button type="button" class="primary" disabled={busy} onClick={next} data-next>
              {step === 5 ? t('case.finish') : t('case.next')}</button>
          </div>
        </div>
      )}
    </section>
  );
}

export function ClientCases({ client, messages }) {
  const t = useT();
  const [cases, setCases] = useState(null);
  const [title, setTitle] = useState('');
  const [error, setError] = useState(null);
  const load = () => get(`/api/v1/cases?client=${client.id}`).then((r) => setCases(r.cases), setError);
  useEffect(() => { load(); }, [client.id]);
  async function open(e) {
    e.preventDefault();
    try {
      const k = await post(`/api/v1/clients/${client.id}/cases`, { title: title.trim() });
      location.hash = `#/cases/${k.id}`;
    } catch (err) {
      setError(err);
    }
  }
  if (!cases) return error ? <ErrorBox error={error} retry={load} /> : <Loading />;
  return (
    <div class="cases-tab">
      <p class="muted">{t('case.list.intro')}</p>
      <form class="row wrap card" onSubmit={open}>
        <input class="grow" name="case_title" value={title} placeholder={t('case.list.title')} onInput={(e) => setTitle(e.target.value)} />
        <button class="primary" disabled={!title.trim()}>{t('case.list.open')}</button>
      </form>
      <ErrorBox error={error} />
      {cases.length === 0 && <p class="muted">{t('case.list.none')}</p>}
      <ul class="case-list">
        {cases.map((k) => (
          <li key={k.id} class="card"><a href={`#/cases/${k.id}`}>{k.title}</a>
            <span class="muted small"> · {k.closed ? (k.close_reason === 'done' ? t('case.done') : t('case.closed')) : t('case.at_step', { n: k.step, name: t(`case.step.${k.step_name}`) })}
              {' · '}{formatDate(k.created_at, t.lang)}</span></li>
        ))}
      </ul>
    </div>
  );
}

export function JournalPage() {
  const t = useT();
  const [q, setQ] = useState('');
  const [j, setJ] = useState(null);
  const [error, setError] = useState(null);
  useEffect(() => {
    const id = setTimeout(() => get(`/api/v1/journal?q=${encodeURIComponent(q)}`).then(setJ, setError), 200);
    return () => clearTimeout(id);
  }, [q]);
  return (
    <section>
      <div class="page-head"><h1>{t('journal.title')}</h1></div>
      <p class="muted">{t('journal.intro')}</p>
      <input class="search" type="search" name="journal_q" placeholder={t('journal.search')} value={q} onInput={(e) => setQ(e.target.value)} />
      <ErrorBox error={error} />
      {!j ? <Loading /> : (
        <>
          {j.recurring_triggers.length > 0 && (
            <div class="card recurring">
              <h2>{t('journal.recurring')}</h2>
              <ul class="flags">{j.recurring_triggers.map((x) => <li class="chip warm">{x.trigger} × {x.count}</li>)}</ul>
            </div>
          )}
          {j.entries.length === 0 && <p class="muted">{q ? t('journal.none_found') : t('journal.empty')}</p>}
          <ol class="journal">
            {j.entries.map((e) => (
              <li key={e.case_id} class="card" data-case={e.case_id}>
                <div class="draft-head"><a href={`#/cases/${e.case_id}`}><strong>{e.title}</strong></a>
                  <span class="muted small">{e.client} · {formatDateTime(e.at, t.lang)}</span></div>
                {['next_time', 'trust_myself', 'not_fit', 'sooner'].filter((x) => e[x]).map((x) => (
                  <p><span class="muted small">{t(`case.eval.${x}`)}</span><br />{e[x]}</p>
                ))}
                {e.triggers.length > 0 && <ul class="flags">{e.triggers.map((x) => <li class="chip">{x}</li>)}</ul>}
              </li>
            ))}
          </ol>
        </>
      )}
    </section>
  );
}
