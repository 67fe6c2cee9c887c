// The dashboard (every client at a glance) and the new-client form.
import { useEffect, useState } from 'preact/hooks';
import { get, post } from '../api.js';
import { useT } from '../i18n.js';
import { formatDate } from '../util.js';
import { ErrorBox, EscalationMeter, Loading, StepBadge } from './common.jsx';

function agreementText(t, a) {
  if (!a) return t('agreement.none');
  if (a.open === 'sent') return t('agreement.waiting');
  if (a.confirmed) return t('agreement.confirmed_v', { v: a.confirmed });
  if (a.open === 'draft') return t('agreement.draft');
  return t('agreement.none');
}

export function Dashboard() {
  const t = useT();
  const [clients, setClients] = useState(null);
  const [error, setError] = useState(null);
  const [filter, setFilter] = useState('');
  const load = () => get('/api/v1/clients?summary=1').then((r) => setClients(r.clients), setError);
  useEffect(() => { load(); }, []);
  if (error) return <ErrorBox error={error} retry={load} />;
  if (!clients) return <Loading />;
  // Who needs attention first: the ladder step, then the latest tone.
  const order = { consider_ending: 4, adjust_terms: 3, ask_change: 2, boundaries: 1, observe: 0 };
  const shown = clients
    .filter((c) => !filter || (c.name + ' ' + c.company).toLowerCase().includes(filter.toLowerCase()))
    .sort((a, b) => (order[b.summary.step] || 0) - (order[a.summary.step] || 0) ||
      ((b.summary.last_incoming || {}).escalation_level || 0) - ((a.summary.last_incoming || {}).escalation_level || 0) ||
      (b.summary.last_at || 0) - (a.summary.last_at || 0));
  return (
    <section class="dashboard">
      <div class="page-head">
        <h1>{t('dashboard.title')}</h1>
        <a class="button primary" href="#/clients/new">{t('client.add')}</a>
      </div>
      {clients.length === 0 ? (
        <div class="empty">
          <h2>{t('dashboard.empty.title')}</h2>
          <p>{t('dashboard.empty.text')}</p>
          <a class="button primary" href="#/clients/new">{t('client.add_first')}</a>
        </div>
      ) : (
        <>
          {clients.length > 6 && (
            <input class="search" type="search" placeholder={t('dashboard.filter')} value={filter}
                   onInput={(e) => setFilter(e.target.value)} />
          )}
          <ul class="client-cards">
            {shown.map((c) => {
              const s = c.summary;
              const last = s.last_incoming;
              return (
                <li key={c.id} class="client-card" data-client={c.name}>
                  <a href={`#/clients/${c.id}`}>
                    <div class="cc-head">
                      <strong>{c.name}</strong>
                      <StepBadge step={s.step} />
                    </div>
                    {c.company && <div class="muted">{c.company}</div>}
                    <div class="cc-tone">
                      {last ? (
                        <>
                          <EscalationMeter level={last.escalation_level} />
                          {last.dominant_emotion && last.dominant_emotion !== 'neutral' &&
                            <span class="emotion">{t.label('emotion', last.dominant_emotion)}</span>}
                          <span class="muted small">{formatDate(last.sent_at, t.lang)}</span>
                        </>
                      ) : <span class="muted small">{t('dashboard.no_messages')}</span>}
                    </div>
                    {s.flags.length > 0 && (
                      <ul class="flags">
                        {s.flags.map((f) => <li class="chip warm">{t.label('pattern', f)}</li>)}
                      </ul>
                    )}
                    <div class="cc-foot muted small">
                      <span>{s.messages === 1 ? t('dashboard.message_one') : t('dashboard.messages', { n: s.messages })}</span>
                      <span>{agreementText(t, c.agreement)}</span>
                    </div>
                  </a>
                </li>
              );
            })}
          </ul>
        </>
      )}
    </section>
  );
}

export function NewClient() {
  const t = useT();
  const [f, setF] = useState({
    name: '', company: '', language: t.lang, register: 'je', timezone: 'Europe/Amsterdam',
    channels: 'email', notes: '',
  });
  const [error, setError] = useState(null);
  const [busy, setBusy] = useState(false);
  const set = (k) => (e) => setF({ ...f, [k]: e.target.value });
  async function submit(e) {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const r = await post('/api/v1/clients', {
        ...f, name: f.name.trim(), company: f.company.trim(),
        channels: f.channels.split(',').map((x) => x.trim()).filter(Boolean),
      });
      // Next: the agreement, the base of everything kalm checks.
      location.hash = `#/clients/${r.id}/agreement?new=1`;
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  }
  return (
    <section class="narrow">
      <h1>{t('client.new.title')}</h1>
      <form class="form" onSubmit={submit}>
        <label>{t('client.name')}<input name="name" required maxLength={200} value={f.name} onInput={set('name')} /></label>
        <label>{t('client.company')}<input name="company" value={f.company} onInput={set('company')} /></label>
        <div class="row">
          <label>{t('client.language')}
            <select name="language" value={f.language} onChange={set('language')}>
              <option value="nl">Nederlands</option><option value="en">English</option>
            </select>
          </label>
          <label>{t('client.register')}
            <select name="register" value={f.register} onChange={set('register')}>
              <option value="je">{t('client.register.je')}</option>
              <option value="u">{t('client.register.u')}</option>
            </select>
          </label>
        </div>
        <label>{t('client.timezone')}
          <select name="timezone" value={f.timezone} onChange={set('timezone')}>
            {['Europe/Amsterdam', 'Europe/Brussels', 'Europe/London', 'Europe/Berlin', 'Europe/Paris',
              'Europe/Madrid', 'America/New_York', 'America/Curacao', 'Asia/Dubai', 'UTC'].map((z) => <option value={z}>{z}</option>)}
          </select>
        </label>
        <label>{t('client.channels')}<input name="channels" value={f.channels} onInput={set('channels')} />
          <span class="hint">{t('client.channels.hint')}</span></label>
        <label>{t('client.notes')}<textarea name="notes" rows={3} value={f.notes} onInput={set('notes')} />
          <span class="hint">{t('client.notes.hint')}</span></label>
        <ErrorBox error={error} />
        <div class="actions">
          <a class="button" href="#/">{t('action.cancel')}</a>
          <button class="primary" disabled={busy}>{t('client.create')}</button>
        </div>
      </form>
    </section>
  );
}
