// A client's page: the timeline with what kalm reads in each message, the
// agreement, the tasks and the patterns over time.
import { useEffect, useRef, useState } from 'preact/hooks';
import { get, post, upload } from '../api.js';
import { useT } from '../i18n.js';
import { formatDateTime } from '../util.js';
import { ErrorBox, Highlighted, Loading, Reading, StepBadge, Tabs } from './common.jsx';
import { AgreementTab } from './agreement.jsx';
import { TasksTab } from './tasks.jsx';
import { PatternsTab } from './patterns.jsx';
import { Composer } from './composer.jsx';
import { ClientCases } from './case.jsx';

export function ClientPage({ id, tab, sub, query }) {
  const t = useT();
  const [timeline, setTimeline] = useState(null);
  const [error, setError] = useState(null);
  const load = () => get(`/api/v1/clients/${id}/timeline`).then(setTimeline, setError);
  useEffect(() => { setTimeline(null); load(); }, [id]);
  if (error) return <ErrorBox error={error} retry={load} />;
  if (!timeline) return <Loading />;
  const c = timeline.client;
  const base = `#/clients/${id}`;
  const flagged = timeline.patterns.patterns.filter((p) => p.flagged);
  let body;
  if (tab === 'reply') {
    const msg = timeline.messages.find((m) => String(m.id) === String(sub));
    body = <Composer client={c} message={msg} />;
  } else if (tab === 'agreement') {
    body = <AgreementTab client={c} isNew={query.get('new') === '1'} />;
  } else if (tab === 'tasks') {
    body = <TasksTab client={c} />;
  } else if (tab === 'cases') {
    body = <ClientCases client={c} />;
  } else if (tab === 'patterns') {
    body = <PatternsTab timeline={timeline} />;
  } else {
    body = <TimelineTab timeline={timeline} onChange={load} />;
  }
  return (
    <section class="client">
      <div class="page-head">
        <div>
          <h1>{c.name}</h1>
          {c.company && <div class="muted">{c.company}</div>}
        </div>
        <div class="client-health">
          <StepBadge step={timeline.patterns.step} />
          {flagged.length > 0 && (
            <ul class="flags">
              {flagged.map((p) => <li class="chip warm" data-pattern={p.id}>{t.label('pattern', p.id)}</li>)}
            </ul>
          )}
        </div>
      </div>
      {timeline.patterns.step !== 'observe' && tab === 'timeline' && (
        <p class="advice-line">{t.label('stepadvice', timeline.patterns.step)}</p>
      )}
      <Tabs base={base} tab={tab === 'reply' ? 'timeline' : tab} items={['timeline', 'agreement', 'tasks', 'patterns', 'cases']} />
      {body}
    </section>
  );
}

function NewMessage({ client, onAdded }) {
  const t = useT();
  const [mode, setMode] = useState('paste');
  const [text, setText] = useState('');
  const [direction, setDirection] = useState('incoming');
  const [when, setWhen] = useState('');
  const [file, setFile] = useState(null);
  const [me, setMe] = useState('');
  const [report, setReport] = useState(null);
  const [error, setError] = useState(null);
  const [busy, setBusy] = useState(false);

  async function addPaste(e) {
    e.preventDefault();
    if (!text.trim()) return;
    setBusy(true);
    setError(null);
    try {
      const body = { text, direction, channel: 'paste' };
      // datetime-local is the VA's local time; send it with its offset.
      if (when) {
        const d = new Date(when);
        const off = -d.getTimezoneOffset();
        const sign = off >= 0 ? '+' : '-';
        const pad = (n) => String(Math.abs(n)).padStart(2, '0');
        body.sent_at = `${when.length === 16 ? when + ':00' : when}${sign}${pad(Math.trunc(off / 60))}:${pad(off % 60)}`;
      }
      const m = await post(`/api/v1/clients/${client.id}/messages`, body);
      setText('');
      setWhen('');
      onAdded(m);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  }

  async function importFile(e) {
    e.preventDefault();
    if (!file) return;
    setBusy(true);
    setError(null);
    setReport(null);
    try {
      const q = new URLSearchParams({ name: file.name, me });
      const data = await upload(`/api/v1/clients/${client.id}/import?${q}`, file);
      setReport(data);
      onAdded(null);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  }

  return (
    <div class="new-message card">
      <div class="seg" role="group">
        <button type="button" class={mode === 'paste' ? 'on' : ''} onClick={() => setMode('paste')}>{t('message.paste')}</button>
        <button type="button" class={mode === 'upload' ? 'on' : ''} onClick={() => setMode('upload')}>{t('message.upload')}</button>
      </div>
      {mode === 'paste' ? (
        <form onSubmit={addPaste}>
          <textarea name="message" rows={3} placeholder={t('message.placeholder', { name: client.name })}
                    value={text} onInput={(e) => setText(e.target.value)} />
          <div class="row wrap">
            <label class="inline">{t('message.direction')}
              <select name="direction" value={direction} onChange={(e) => setDirection(e.target.value)}>
                <option value="incoming">{t('message.from_client', { name: client.name })}</option>
                <option value="outgoing">{t('message.from_me')}</option>
              </select>
            </label>
            <label class="inline">{t('message.when')}
              <input type="datetime-local" name="sent_at" value={when} onInput={(e) => setWhen(e.target.value)} />
            </label>
            <button class="primary" disabled={busy || !text.trim()}>{t('message.add')}</button>
          </div>
        </form>
      ) : (
        <form onSubmit={importFile}>
          <p class="hint">{t('message.upload.hint')}</p>
          <input type="file" name="file" accept=".txt,.eml,.mbox,.zip,text/plain,message/rfc822"
                 onChange={(e) => setFile(e.target.files[0] || null)} />
          <label>{t('message.me')}<input name="me" value={me} onInput={(e) => setMe(e.target.value)} />
            <span class="hint">{t('message.me.hint')}</span></label>
          <button class="primary" disabled={busy || !file}>{t('message.import')}</button>
          {report && (
            <p class="report" role="status">
              {t('message.report', { imported: report.imported, duplicates: report.duplicates, skipped: report.skipped, rejected: report.rejected.length })}
              {report.warnings.map((w) => <span class="warn"> {w}</span>)}
            </p>
          )}
        </form>
      )}
      {busy && <p class="muted">{t('message.busy')}</p>}
      <ErrorBox error={error} />
    </div>
  );
}

const PAGE = 40;

async function openCase(client, message) {
  try {
    const k = await post(`/api/v1/clients/${client.id}/cases`, { message_id: message.id });
    location.hash = `#/cases/${k.id}`;
  } catch (e) {
    window.alert(e.message);
  }
}

function TimelineTab({ timeline, onChange }) {
  const t = useT();
  const c = timeline.client;
  const [shown, setShown] = useState(PAGE);
  const [fresh, setFresh] = useState(null);
  const freshRef = useRef(null);
  const messages = [...timeline.messages].reverse();  // newest first
  useEffect(() => {
    if (fresh && freshRef.current) freshRef.current.scrollIntoView({ block: 'nearest' });
  }, [fresh, timeline]);
  return (
    <div class="timeline-tab">
      <NewMessage client={c} onAdded={(m) => { setFresh(m && m.id); onChange(); }} />
      {messages.length === 0 && <p class="empty">{t('timeline.empty')}</p>}
      <ol class="timeline">
        {messages.slice(0, shown).map((m) => (
          <li key={m.id} class={`msg ${m.direction} ${m.id === fresh ? 'fresh' : ''}`} data-id={m.id}
              ref={m.id === fresh ? freshRef : null}>
            <div class="msg-main">
              <div class="msg-meta">
                <span class="dir">{m.direction === 'incoming' ? (m.author || c.name) : t('timeline.me')}</span>
                <span class="muted small">{formatDateTime(m.sent_at, t.lang)}</span>
                {m.channel && <span class="muted small">· {t.label('channel', m.channel)}</span>}
              </div>
              <Highlighted text={m.body} analysis={m.analysis} />
              {m.direction === 'incoming' && (
                <div class="row wrap msg-actions">
                  <a class="button small" href={`#/clients/${c.id}/reply/${m.id}`}>{t('timeline.reply')}</a>
                  <button type="button" class="small" data-open-case onClick={() => openCase(c, m)}>{t('timeline.case')}</button>
                </div>
              )}
            </div>
            {m.direction === 'incoming' && (
              <aside class="msg-reading">
                <Reading analysis={m.analysis} compact={m.id !== fresh && (m.analysis || {}).escalation_level < 1} />
              </aside>
            )}
          </li>
        ))}
      </ol>
      {messages.length > shown && (
        <button type="button" class="more" onClick={() => setShown(shown + PAGE * 2)}>
          {t('timeline.more', { n: messages.length - shown })}
        </button>
      )}
    </div>
  );
}
