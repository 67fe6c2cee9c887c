// The client's tasks: what the VA does, what waits on the client, what is
// done. The client sees the same board through the portal.
import { useEffect, useState } from 'preact/hooks';
import { get, patch, post } from '../api.js';
import { translate, useT } from '../i18n.js';
import { formatDate } from '../util.js';
import { ErrorBox, Loading, UpdateList } from './common.jsx';

export function TasksTab({ client }) {
  const t = useT();
  const [tasks, setTasks] = useState(null);
  const [error, setError] = useState(null);
  const [title, setTitle] = useState('');
  const [deadline, setDeadline] = useState('');
  const [waiting, setWaiting] = useState(false);
  const base = `/api/v1/clients/${client.id}/tasks`;
  const load = () => get(base).then((r) => setTasks(r.tasks), setError);
  useEffect(() => { load(); }, [client.id]);

  async function add(e) {
    e.preventDefault();
    if (!title.trim()) return;
    setError(null);
    try {
      const body = { title: title.trim(), waiting_on_client: waiting };
      if (deadline) body.deadline = `${deadline}T17:00:00${offset(deadline)}`;
      await post(base, body);
      setTitle('');
      setDeadline('');
      setWaiting(false);
      load();
    } catch (err) {
      setError(err);
    }
  }
  async function change(task, body) {
    setError(null);
    try {
      await patch(`${base}/${task.id}`, body);
      load();
    } catch (err) {
      setError(err);
    }
  }
  if (!tasks) return error ? <ErrorBox error={error} retry={load} /> : <Loading />;
  const now = Date.now() / 1000;
  const groups = [
    ['open', tasks.filter((x) => !x.done_at && !x.waiting_on_client_since)],
    ['waiting', tasks.filter((x) => !x.done_at && x.waiting_on_client_since)],
    ['done', tasks.filter((x) => x.done_at)],
  ];
  return (
    <div class="tasks-tab">
      <form class="card row wrap add-task" onSubmit={add}>
        <label class="grow">{t('tasks.title')}<input name="title" value={title} onInput={(e) => setTitle(e.target.value)} /></label>
        <label>{t('tasks.deadline')}<input type="date" name="deadline" value={deadline} onInput={(e) => setDeadline(e.target.value)} /></label>
        <label class="check"><input type="checkbox" checked={waiting} onChange={(e) => setWaiting(e.target.checked)} />{t('tasks.waiting')}</label>
        <button class="primary" disabled={!title.trim()}>{t('tasks.add')}</button>
      </form>
      <ErrorBox error={error} />
      <div class="board">
        {groups.map(([id, list]) => (
          <section class={`column col-${id}`}>
            <h2>{t(`tasks.col.${id}`)} <span class="muted">{list.length}</span></h2>
            {list.length === 0 && <p class="muted small">{t('tasks.none')}</p>}
            <ul>
              {list.map((x) => (
                <li key={x.id} class="task card" data-task={x.title}>
                  <label class="check">
                    <input type="checkbox" checked={!!x.done_at} onChange={() => change(x, { done: !x.done_at })} />
                    <span class={x.done_at ? 'done' : ''}>{x.title}</span>
                  </label>
                  <div class="small muted">
                    {x.deadline && (
                      <span class={!x.done_at && x.deadline < now ? 'late' : ''}>{t('tasks.due', { when: formatDate(x.deadline, t.lang) })}</span>
                    )}
                    {!x.done_at && (
                      <button type="button" class="link" onClick={() => change(x, { waiting_on_client: !x.waiting_on_client_since })}>
                        {x.waiting_on_client_since ? t('tasks.unwait') : t('tasks.wait')}
                      </button>
                    )}
                  </div>
                </li>
              ))}
            </ul>
          </section>
        ))}
      </div>
      <UpdatesPanel client={client} />
    </div>
  );
}

// "+01:00" for a date in the browser's zone (winter and summer differ).
function offset(date) {
  const off = -new Date(`${date}T12:00:00`).getTimezoneOffset();
  const pad = (n) => String(Math.abs(n)).padStart(2, '0');
  return `${off >= 0 ? '+' : '-'}${pad(Math.trunc(off / 60))}:${pad(off % 60)}`;
}

const KINDS = ['started', 'approach', 'progress', 'delivered'];

// A template in the client's language and form of address.
function template(client, kind) {
  const lang = client.language === 'en' ? 'en' : 'nl';
  const key = `updates.tpl.${kind}${client.register === 'u' ? '.u' : ''}`;
  return translate(lang, key);
}

// Status updates: the agreed rhythm, a new update from a template, and the
// ones given so far (what the client sees in the portal).
function UpdatesPanel({ client }) {
  const t = useT();
  const [updates, setUpdates] = useState(null);
  const [terms, setTerms] = useState(null);
  const [kind, setKind] = useState('started');
  const [text, setText] = useState(() => template(client, 'started'));
  const [next, setNext] = useState('');
  const [error, setError] = useState(null);
  const [done, setDone] = useState(false);
  const base = `/api/v1/clients/${client.id}`;
  const load = () => get(`${base}/updates`).then((r) => setUpdates(r.updates), setError);
  useEffect(() => {
    load();
    get(`${base}/agreement`).then((a) => setTerms(a.terms), () => setTerms({}));
  }, [client.id]);

  function pickKind(k) {
    // Replace the text only while it is still an untouched template.
    if (!text.trim() || KINDS.some((x) => template(client, x) === text)) setText(template(client, k));
    setKind(k);
  }
  async function send(e) {
    e.preventDefault();
    setError(null);
    setDone(false);
    try {
      const body = { kind, text: text.trim() };
      if (next) body.next_update_at = `${next}T17:00:00${offset(next)}`;
      await post(`${base}/updates`, body);
      setText(template(client, kind));
      setNext('');
      setDone(true);
      load();
    } catch (err) {
      setError(err);
    }
  }
  const days = terms ? [
    ...(terms.update_weekdays || []).map((d) => t.label('day', d)),
    ...(terms.update_end_of_day ? [t('agreement.end_of_day')] : []),
  ] : [];
  const open = /\{[a-z_]+\}|…/.test(text);
  return (
    <section class="updates card">
      <h2>{t('updates.title')}</h2>
      <p class="hint">{t('updates.hint')}</p>
      {terms && <p class="small">{days.length ? t('updates.rhythm', { days: days.join(', ') }) : t('updates.rhythm_none')}</p>}
      <form onSubmit={send}>
        <div class="seg" role="group" aria-label={t('updates.kind')}>
          {KINDS.map((k) => (
            <button type="button" class={kind === k ? 'on' : ''} data-kind={k} onClick={() => pickKind(k)}>
              {t(`updates.kind.${k}`)}</button>
          ))}
        </div>
        <label>{t('updates.text')}
          <textarea name="update" rows={3} value={text} onInput={(e) => setText(e.target.value)} /></label>
        {open && <p class="small warn">{t('compose.placeholders')}</p>}
        <div class="row wrap">
          <label>{t('updates.next')}<input type="date" name="next_update" value={next} onInput={(e) => setNext(e.target.value)} /></label>
          <button class="primary" disabled={!text.trim()}>{t('updates.send')}</button>
        </div>
      </form>
      {done && <p class="ok" role="status">{t('updates.sent')}</p>}
      <ErrorBox error={error} />
      {updates && updates.length === 0 && <p class="muted small">{t('updates.none')}</p>}
      {updates && updates.length > 0 && (
        <UpdateList updates={updates} at={(u) => u.created_at} max={10} />
      )}
    </section>
  );
}
