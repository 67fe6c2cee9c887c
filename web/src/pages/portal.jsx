// The client portal: what the client of a VA sees through their link. The
// agreement to read and confirm, and the task board; nothing else.
import { useEffect, useState } from 'preact/hooks';
import { get, post } from '../api.js';
import { dictionaries, translate, useT } from '../i18n.js';
import { formatDate, formatDateTime, minutesToTime, money } from '../util.js';
import { ErrorBox, LangSwitch, Loading, UpdateList } from './common.jsx';

export function Terms({ terms }) {
  const t = useT();
  // The client reads these: plain names, not the VA's form labels.
  const rows = [];
  if (terms.scope && terms.scope.length)
    rows.push([t('portal.scope'), <ul>{terms.scope.map((s) => <li>{s}</li>)}</ul>]);
  if (terms.rate) rows.push([t('portal.rate'), money(terms.rate)]);
  if (terms.out_of_scope_rate) rows.push([t('portal.out_of_scope_rate'), money(terms.out_of_scope_rate)]);
  if (terms.hours_budget != null)
    rows.push([t('portal.hours_budget'), `${terms.hours_budget} ${terms.budget_period ? t(`agreement.per_${terms.budget_period}`) : ''}`]);
  if (terms.availability && terms.availability.length)
    rows.push([t('portal.availability'), <ul>{terms.availability.map((w) => (
      <li>{t.label('day', w.weekday)} {minutesToTime(w.start_minute)}–{minutesToTime(w.end_minute)}</li>))}</ul>]);
  if (terms.reaction_hours != null) rows.push([t('portal.reaction_hours'), t('portal.hours', { n: terms.reaction_hours })]);
  if ((terms.update_weekdays && terms.update_weekdays.length) || terms.update_end_of_day)
    rows.push([t('portal.updates'), [
      ...(terms.update_weekdays || []).map((d) => t.label('day', d)),
      ...(terms.update_end_of_day ? [t('agreement.end_of_day')] : []),
    ].join(', ')]);
  if (terms.channels && terms.channels.length) rows.push([t('portal.channels'), terms.channels.join(', ')]);
  if (terms.payment_due_days != null) rows.push([t('portal.payment_due_days'), t('portal.days', { n: terms.payment_due_days })]);
  if (terms.deposit_percent != null) rows.push([t('portal.deposit_percent'), `${terms.deposit_percent}%`]);
  if (terms.instalments != null) rows.push([t('portal.instalments'), String(terms.instalments)]);
  rows.push([t('portal.late_input'), terms.late_delivery_shifts_planning ? t('portal.late_shifts') : t('portal.late_fixed')]);
  return (
    <dl class="terms">
      {rows.map(([k, v]) => <><dt>{k}</dt><dd>{v}</dd></>)}
    </dl>
  );
}

export function Portal({ token }) {
  const t = useT();
  const [agreement, setAgreement] = useState(null);
  const [tasks, setTasks] = useState(null);
  const [updates, setUpdates] = useState(null);
  const [error, setError] = useState(null);
  const [name, setName] = useState('');
  const [read, setRead] = useState(false);
  const [busy, setBusy] = useState(false);
  const base = `/portal/api/${token}`;
  // Dutch to a client addressed with "u" uses the formal texts.
  const tp = (key, vars) => (agreement && agreement.register === 'u' && t.lang === 'nl' &&
    dictionaries.nl[`${key}.u`] !== undefined ? translate('nl', `${key}.u`, vars) : t(key, vars));
  async function load() {
    setError(null);
    try {
      const a = await get(`${base}/agreement`);
      setAgreement(a);
      setName((n) => n || a.client);
      setTasks((await get(`${base}/tasks`)).tasks);
      setUpdates((await get(`${base}/updates`)).updates);
    } catch (e) {
      setError(e);
    }
  }
  useEffect(() => {
    load();
  }, []);
  // The client's own language, until they switch.
  useEffect(() => {
    if (agreement && agreement.language && !localStorage.getItem('kalm.lang')) t.setLang(agreement.language === 'en' ? 'en' : 'nl');
  }, [agreement && agreement.language]);

  async function confirm(e) {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await post(`${base}/agreement/confirm`, { version: agreement.version, fingerprint: agreement.fingerprint, by: name.trim() });
      await load();
    } catch (err) {
      if (err.status === 409) await load();
      setError(err);
    } finally {
      setBusy(false);
    }
  }

  let body;
  if (error && error.status === 404) {
    body = <div class="card"><h1>{t('portal.gone.title')}</h1><p>{tp('portal.gone.text')}</p></div>;
  } else if (!agreement) {
    body = error ? <ErrorBox error={error} retry={load} /> : <Loading />;
  } else {
    const a = agreement;
    body = (
      <>
        <h1>{t('portal.title', { name: a.client })}</h1>
        {a.state === 'preparing' ? (
          <div class="card"><p>{tp('portal.preparing')}</p></div>
        ) : (
          <section class="card">
            <div class="draft-head">
              <h2>{t('portal.agreement', { v: a.version })}</h2>
              {a.state === 'confirmed'
                ? <span class="state s-confirmed" data-state="confirmed">{t('portal.confirmed', { when: formatDateTime(a.confirmed_at, t.lang), by: a.confirmed_by })}</span>
                : <span class="state s-sent" data-state="sent">{tp('portal.to_confirm')}</span>}
            </div>
            <Terms terms={a.terms} />
            {a.state === 'sent' && (
              <form class="form confirm" onSubmit={confirm}>
                <label>{tp('portal.your_name')}<input name="by" required value={name} onInput={(e) => setName(e.target.value)} /></label>
                <label class="check"><input type="checkbox" name="read" checked={read} onChange={(e) => setRead(e.target.checked)} />
                  {t('portal.read')}</label>
                <ErrorBox error={error} />
                <button class="primary" disabled={!read || busy || !name.trim()}>{t('portal.confirm')}</button>
                <p class="hint">{tp('portal.question')}</p>
              </form>
            )}
          </section>
        )}
        {updates && updates.length > 0 && (
          <section class="card">
            <h2>{t('portal.updates_title')}</h2>
            <UpdateList updates={updates} at={(u) => u.at} max={20} />
          </section>
        )}
        {tasks && tasks.length > 0 && (
          <section class="card">
            <h2>{t('portal.tasks')}</h2>
            <ul class="portal-tasks">
              {tasks.map((x) => (
                <li class={x.done ? 'done' : x.waiting_on_you ? 'waiting' : ''}>
                  <span>{x.title}</span>
                  <span class="small muted">
                    {x.done ? t('portal.task.done') : x.waiting_on_you ? tp('portal.task.waiting') : t('portal.task.open')}
                    {x.deadline && !x.done ? ` · ${t('tasks.due', { when: formatDate(x.deadline, t.lang) })}` : ''}
                  </span>
                </li>
              ))}
            </ul>
          </section>
        )}
      </>
    );
  }
  return (
    <div class="portal">
      <header class="top portal-top">
        <span class="brand">kalm</span>
        <LangSwitch />
      </header>
      <main class="page narrow">{body}</main>
    </div>
  );
}
