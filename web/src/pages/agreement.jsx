// The agreement editor: the terms as a form, the version history, and
// "send for confirmation", which makes a portal link for the client.
import { useEffect, useState } from 'preact/hooks';
import { del, get, post, put } from '../api.js';
import { useT } from '../i18n.js';
import { formatDateTime, minutesToTime, money, parseMoney, timeToMinutes } from '../util.js';
import { ErrorBox, Loading } from './common.jsx';

const DAYS = [0, 1, 2, 3, 4, 5, 6];  // 0 = Monday

function defaultTerms() {
  return {
    scope: [], availability: [0, 1, 2, 3, 4].map((d) => ({ weekday: d, start_minute: 540, end_minute: 1020 })),
    update_weekdays: [], update_end_of_day: false, channels: ['email'], late_delivery_shifts_planning: true, notes: '',
  };
}

// The form keeps strings; terms are built on save.
function toForm(terms) {
  const days = {};
  for (const d of DAYS) days[d] = { on: false, start: '09:00', end: '17:00' };
  for (const w of terms.availability || [])
    days[w.weekday] = { on: true, start: minutesToTime(w.start_minute), end: minutesToTime(w.end_minute) };
  const num = (v) => (v == null ? '' : String(v));
  return {
    scope: (terms.scope || []).join('\n'),
    rate: terms.rate ? (terms.rate.cents / 100).toFixed(2) : '',
    out_of_scope_rate: terms.out_of_scope_rate ? (terms.out_of_scope_rate.cents / 100).toFixed(2) : '',
    hours_budget: num(terms.hours_budget),
    budget_period: terms.budget_period || '',
    days,
    reaction_hours: num(terms.reaction_hours),
    update_weekdays: new Set(terms.update_weekdays || []),
    update_end_of_day: !!terms.update_end_of_day,
    channels: (terms.channels || []).join(', '),
    payment_due_days: num(terms.payment_due_days),
    deposit_percent: num(terms.deposit_percent),
    instalments: num(terms.instalments),
    late_delivery_shifts_planning: terms.late_delivery_shifts_planning !== false,
    notes: terms.notes || '',
  };
}

function fromForm(f, t) {
  const terms = {
    scope: f.scope.split('\n').map((s) => s.trim()).filter(Boolean),
    availability: [],
    update_weekdays: [...f.update_weekdays].sort(),
    update_end_of_day: f.update_end_of_day,
    channels: f.channels.split(',').map((s) => s.trim()).filter(Boolean),
    late_delivery_shifts_planning: f.late_delivery_shifts_planning,
    notes: f.notes,
    budget_period: f.budget_period,
  };
  for (const d of DAYS) {
    const day = f.days[d];
    if (!day.on) continue;
    const a = timeToMinutes(day.start), b = timeToMinutes(day.end);
    if (a == null || b == null || a >= b) throw new Error(t('agreement.bad_hours', { day: t.label('day', d) }));
    terms.availability.push({ weekday: d, start_minute: a, end_minute: b });
  }
  for (const k of ['rate', 'out_of_scope_rate']) {
    const m = parseMoney(f[k]);
    if (m === null) throw new Error(t('agreement.bad_number', { field: t(`agreement.${k}`) }));
    if (m) terms[k] = m;
  }
  for (const k of ['hours_budget', 'reaction_hours', 'payment_due_days', 'deposit_percent', 'instalments']) {
    if (f[k] === '') continue;
    const v = Number(String(f[k]).replace(',', '.'));
    if (!Number.isFinite(v) || v < 0) throw new Error(t('agreement.bad_number', { field: t(`agreement.${k}`) }));
    terms[k] = k === 'hours_budget' ? v : Math.round(v);
  }
  return terms;
}

function stateText(t, a) {
  if (a.state === 'confirmed')
    return t('agreement.state.confirmed', { when: formatDateTime(a.confirmed_at, t.lang), by: a.confirmed_by || '—' });
  if (a.state === 'sent') return t('agreement.state.sent', { when: formatDateTime(a.sent_at, t.lang) });
  return t.label('agreementstate', a.state);
}

export function AgreementTab({ client, isNew }) {
  const t = useT();
  const [versions, setVersions] = useState(null);
  const [form, setForm] = useState(null);
  const [error, setError] = useState(null);
  const [saved, setSaved] = useState(null);
  const [link, setLink] = useState(null);
  const [busy, setBusy] = useState(false);
  const base = `/api/v1/clients/${client.id}`;

  async function load() {
    setError(null);
    try {
      const h = await get(`${base}/agreements`);
      setVersions(h.versions);
      const open = [...h.versions].reverse().find((a) => a.state === 'draft' || a.state === 'sent');
      const confirmed = h.versions.find((a) => a.state === 'confirmed');
      setForm(toForm((open || confirmed || { terms: defaultTerms() }).terms));
    } catch (e) {
      setError(e);
    }
  }
  useEffect(() => { load(); }, [client.id]);
  if (!form || !versions) return error ? <ErrorBox error={error} retry={load} /> : <Loading />;

  const open = [...versions].reverse().find((a) => a.state === 'draft' || a.state === 'sent');
  const set = (k) => (e) => setForm({ ...form, [k]: e.target.type === 'checkbox' ? e.target.checked : e.target.value });
  const setDay = (d, k) => (e) => setForm({
    ...form, days: { ...form.days, [d]: { ...form.days[d], [k]: e.target.type === 'checkbox' ? e.target.checked : e.target.value } },
  });
  const toggleUpdate = (d) => () => {
    const s = new Set(form.update_weekdays);
    s.has(d) ? s.delete(d) : s.add(d);
    setForm({ ...form, update_weekdays: s });
  };

  async function save(e) {
    if (e) e.preventDefault();
    setBusy(true);
    setError(null);
    setSaved(null);
    try {
      const a = await put(`${base}/agreement`, fromForm(form, t));
      setSaved(t('agreement.saved', { v: a.version }));
      setLink(null);
      await load();
      return a;
    } catch (err) {
      setError(err);
      return null;
    } finally {
      setBusy(false);
    }
  }
  async function send() {
    const a = await save();
    if (!a) return;
    try {
      const r = await post(`${base}/portal`);
      setLink({ url: location.origin + r.url, expires: r.expires_at });
      await load();
    } catch (err) {
      setError(err);
    }
  }
  async function revoke() {
    try {
      await del(`${base}/portal`);
      setLink(null);
      setSaved(t('agreement.revoked'));
    } catch (err) {
      setError(err);
    }
  }
  async function confirmedElsewhere() {
    try {
      await post(`${base}/agreement/confirm`, { by: client.name, how: 'email' });
      setLink(null);
      await load();
    } catch (err) {
      setError(err);
    }
  }

  return (
    <div class="agreement-tab two-col">
      <form class="form card" onSubmit={save}>
        {isNew && versions.length === 0 && <p class="advice-line">{t('agreement.first')}</p>}
        <h2>{open ? t('agreement.editing', { v: open.version }) : t('agreement.new_version')}</h2>
        <label>{t('agreement.scope')}
          <textarea name="scope" rows={5} value={form.scope} onInput={set('scope')} placeholder={t('agreement.scope.placeholder')} />
          <span class="hint">{t('agreement.scope.hint')}</span>
        </label>
        <div class="row">
          <label>{t('agreement.rate')}<input name="rate" inputMode="decimal" value={form.rate} onInput={set('rate')} placeholder="45,00" /></label>
          <label>{t('agreement.out_of_scope_rate')}<input name="out_of_scope_rate" inputMode="decimal" value={form.out_of_scope_rate}
                 onInput={set('out_of_scope_rate')} placeholder="60,00" /></label>
        </div>
        <div class="row">
          <label>{t('agreement.hours_budget')}<input name="hours_budget" inputMode="decimal" value={form.hours_budget} onInput={set('hours_budget')} /></label>
          <label>{t('agreement.budget_period')}
            <select name="budget_period" value={form.budget_period} onChange={set('budget_period')}>
              <option value="">—</option><option value="week">{t('agreement.per_week')}</option><option value="month">{t('agreement.per_month')}</option>
            </select>
          </label>
        </div>
        <fieldset>
          <legend>{t('agreement.availability')}</legend>
          <p class="hint">{t('agreement.availability.hint', { tz: client.timezone || 'Europe/Amsterdam' })}</p>
          <div class="days">
            {DAYS.map((d) => (
              <div class={`day ${form.days[d].on ? 'on' : ''}`}>
                <label class="check"><input type="checkbox" name={`day${d}`} checked={form.days[d].on} onChange={setDay(d, 'on')} />
                  {t.label('day', d)}</label>
                {form.days[d].on && (
                  <span class="times">
                    <input type="time" aria-label={t('agreement.from')} value={form.days[d].start} onInput={setDay(d, 'start')} />
                    <span>–</span>
                    <input type="time" aria-label={t('agreement.until')} value={form.days[d].end} onInput={setDay(d, 'end')} />
                  </span>
                )}
              </div>
            ))}
          </div>
        </fieldset>
        <div class="row">
          <label>{t('agreement.reaction_hours')}<input name="reaction_hours" inputMode="numeric" value={form.reaction_hours} onInput={set('reaction_hours')} /></label>
          <label>{t('agreement.channels')}<input name="channels" value={form.channels} onInput={set('channels')} /></label>
        </div>
        <fieldset>
          <legend>{t('agreement.updates')}</legend>
          <div class="checks">
            {DAYS.slice(0, 5).map((d) => (
              <label class="check"><input type="checkbox" checked={form.update_weekdays.has(d)} onChange={toggleUpdate(d)} />{t.label('day', d)}</label>
            ))}
            <label class="check"><input type="checkbox" name="update_end_of_day" checked={form.update_end_of_day} onChange={set('update_end_of_day')} />
              {t('agreement.end_of_day')}</label>
          </div>
        </fieldset>
        <div class="row">
          <label>{t('agreement.payment_due_days')}<input name="payment_due_days" inputMode="numeric" value={form.payment_due_days} onInput={set('payment_due_days')} /></label>
          <label>{t('agreement.deposit_percent')}<input name="deposit_percent" inputMode="numeric" value={form.deposit_percent} onInput={set('deposit_percent')} /></label>
          <label>{t('agreement.instalments')}<input name="instalments" inputMode="numeric" value={form.instalments} onInput={set('instalments')} /></label>
        </div>
        <label class="check"><input type="checkbox" name="late_delivery_shifts_planning" checked={form.late_delivery_shifts_planning}
               onChange={set('late_delivery_shifts_planning')} />{t('agreement.late_shifts')}</label>
        <label>{t('agreement.notes')}<textarea name="notes" rows={3} value={form.notes} onInput={set('notes')} />
          <span class="hint">{t('agreement.notes.hint')}</span></label>
        <ErrorBox error={error} />
        {saved && <p class="ok" role="status">{saved}</p>}
        <div class="actions">
          <button type="submit" disabled={busy}>{t('agreement.save')}</button>
          <button type="button" class="primary" disabled={busy} onClick={send}>{t('agreement.send')}</button>
        </div>
        {link && (
          <div class="portal-link card" role="status">
            <p>{t('agreement.link', { when: formatDateTime(link.expires, t.lang) })}</p>
            <input readOnly name="portal_url" value={link.url} onFocus={(e) => e.target.select()} />
            <div class="actions">
              <button type="button" onClick={() => navigator.clipboard && navigator.clipboard.writeText(link.url)}>{t('action.copy')}</button>
              <button type="button" class="link" onClick={revoke}>{t('agreement.revoke')}</button>
            </div>
          </div>
        )}
        {open && open.state === 'sent' && !link && (
          <p class="hint">{t('agreement.sent_hint')} <button type="button" class="link" onClick={confirmedElsewhere}>{t('agreement.confirmed_elsewhere')}</button></p>
        )}
      </form>
      <aside class="versions card">
        <h2>{t('agreement.history')}</h2>
        {versions.length === 0 ? <p class="muted">{t('agreement.no_versions')}</p> : (
          <ol class="version-list">
            {[...versions].reverse().map((a) => (
              <li class={`v-${a.state}`} data-version={a.version}>
                <strong>{t('agreement.version', { v: a.version })}</strong>
                <span class={`state s-${a.state}`}>{stateText(t, a)}</span>
                <span class="muted small">{t('agreement.made', { when: formatDateTime(a.created_at, t.lang) })}</span>
                {a.terms.scope.length > 0 && <span class="small">{a.terms.scope.join(' · ')}</span>}
                {a.terms.rate && <span class="small">{t('agreement.rate')}: {money(a.terms.rate)}</span>}
              </li>
            ))}
          </ol>
        )}
      </aside>
    </div>
  );
}
