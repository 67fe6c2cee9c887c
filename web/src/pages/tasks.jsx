// The client's tasks: what the VA does, what waits on the client, what is
// done. The client sees the same board through the portal.
import { useEffect, useState } from 'preact/hooks';
import { get, patch, post } from '../api.js';
import { useT } from '../i18n.js';
import { formatDate } from '../util.js';
import { ErrorBox, Loading } from './common.jsx';

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
                <li class="task card" data-task={x.title}>
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
    </div>
  );
}

// "+01:00" for a date in the browser's zone (winter and summer differ).
function offset(date) {
  const off = -new Date(`${date}T12:00:00`).getTimezoneOffset();
  const pad = (n) => String(Math.abs(n)).padStart(2, '0');
  return `${off >= 0 ? '+' : '-'}${pad(Math.trunc(off / 60))}:${pad(off % 60)}`;
}
