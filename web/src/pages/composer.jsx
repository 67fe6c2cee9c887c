// The reply composer: the client's message and what kalm reads in it, the
// user's draft reviewed live as they type (findings underlined, the
// replacement one click away), a softer rewrite, suggested replies and the
// phrase library.
import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { post } from '../api.js';
import { useT } from '../i18n.js';
import { debounce, indexToByte, replaceBytes, splitByBytes } from '../util.js';
import { ErrorBox, Highlighted, Reading } from './common.jsx';
import { PhraseBrowser } from './phrases.jsx';

const SEVERITY = { high: 3, medium: 2, low: 1 };

function DraftEditor({ value, onChange, findings, active, onPick, textareaRef }) {
  const t = useT();
  const back = useRef(null);
  const pieces = useMemo(() => splitByBytes(value, findings), [value, findings]);
  const sync = (e) => {
    if (back.current) back.current.scrollTop = e.target.scrollTop;
  };
  // The caret's finding: a click or arrow key inside underlined words opens it.
  const pick = (e) => {
    const byte = indexToByte(value, e.target.selectionStart);
    const hit = findings.filter((f) => f.start <= byte && byte <= f.end && f.end > f.start)
      .sort((a, b) => (SEVERITY[b.severity] || 0) - (SEVERITY[a.severity] || 0) || (a.end - a.start) - (b.end - b.start))[0];
    onPick(hit || null);
  };
  return (
    <div class="editor">
      <div class="backdrop" ref={back} aria-hidden="true">
        {pieces.map((p) => {
          if (!p.marks.length) return p.text;
          const top = p.marks.slice().sort((a, b) => (SEVERITY[b.severity] || 0) - (SEVERITY[a.severity] || 0))[0];
          return <mark class={`f-${top.id} sev-${top.severity} ${p.marks.includes(active) ? 'active' : ''}`}>{p.text}</mark>;
        })}
        {'\n '}
      </div>
      <textarea ref={textareaRef} name="draft" spellcheck={true} aria-label={t('compose.draft')}
                placeholder={t('compose.draft.placeholder')} value={value}
                onInput={(e) => onChange(e.target.value)} onScroll={sync} onClick={pick} onKeyUp={pick} />
    </div>
  );
}

function FindingCard({ f, onApply, active, onFocus }) {
  const t = useT();
  return (
    <li class={`finding card sev-${f.severity} ${active ? 'active' : ''}`} data-finding={f.id} onClick={onFocus}>
      <div class="finding-head">
        <strong>{t.label('finding', f.id)}</strong>
        <span class={`sev sev-${f.severity}`}>{t.label('severity', f.severity)}</span>
      </div>
      {f.text && <q class="quote">{f.text}</q>}
      <p class="small">{f.why}</p>
      {f.replacement && (
        <div class="replacement">
          <span class="small muted">{f.end > f.start && f.text ? t('compose.instead') : t('compose.add')}</span>
          <span class="suggest">{f.replacement}</span>
          <button type="button" class="small primary apply" onClick={(e) => { e.stopPropagation(); onApply(f); }}>
            {f.end > f.start && f.text && f.id !== 'no_acknowledgment' ? t('compose.replace') : t('compose.insert')}
          </button>
        </div>
      )}
    </li>
  );
}

export function Composer({ client, message }) {
  const t = useT();
  const [incoming, setIncoming] = useState(message ? message.body : '');
  const [draft, setDraft] = useState('');
  const [review, setReview] = useState(null);
  const [reply, setReply] = useState(null);
  const [active, setActive] = useState(null);
  const [error, setError] = useState(null);
  const [ms, setMs] = useState(null);
  const [showPhrases, setShowPhrases] = useState(false);
  const textarea = useRef(null);
  const seq = useRef(0);
  const analysis = message ? message.analysis : reply ? { ...reply, signals: [] } : null;

  // Live review: debounced; only the newest answer is shown.
  const runReview = useMemo(() => debounce(async (text, replyTo) => {
    const id = ++seq.current;
    if (!text.trim()) {
      setReview(null);
      return;
    }
    const t0 = performance.now();
    try {
      const r = await post('/api/v1/review', { draft: text, reply_to: replyTo, rewrite: true });
      if (id !== seq.current) return;
      setMs(Math.round(performance.now() - t0));
      setReview(r);
      setError(null);
    } catch (e) {
      if (id === seq.current) setError(e);
    }
  }, 150), []);
  useEffect(() => { runReview(draft, incoming); }, [draft, incoming]);
  useEffect(() => () => runReview.cancel(), []);

  // Suggested replies for the client's message.
  const loadReply = useMemo(() => debounce(async (text) => {
    if (!text.trim()) return setReply(null);
    try {
      const body = { text };
      if (client && client.register) body.register = client.register;
      setReply(await post('/api/v1/reply', body));
    } catch (e) {
      setError(e);
    }
  }, 400), []);
  useEffect(() => { loadReply(incoming); }, [incoming]);

  const findings = (review && review.findings) || [];
  function apply(f) {
    let next;
    if (f.id === 'no_acknowledgment' || !(f.end > f.start && f.text)) {
      // An opening that acknowledges goes first, after a greeting line.
      const m = /^(hoi|hallo|hi|hey|beste|dear|hello|goedemorgen|goedemiddag)[^\n]*\n+/i.exec(draft);
      const at = m ? m[0].length : 0;
      next = draft.slice(0, at) + f.replacement + (draft.slice(at).startsWith('\n') ? '' : ' ') + draft.slice(at);
    } else {
      // Keep a capital where the replaced words had one ("Zoals ik al zei"
      // -> "Kort samengevat").
      let r = f.replacement;
      if (/^\p{Lu}/u.test(f.text) && /^\p{Ll}/u.test(r)) r = r[0].toUpperCase() + r.slice(1);
      next = replaceBytes(draft, f.start, f.end, r);
    }
    setDraft(next);
    setActive(null);
  }
  function insert(text) {
    const el = textarea.current;
    const at = el ? el.selectionStart : draft.length;
    const sep = at > 0 && !/\s$/.test(draft.slice(0, at)) ? ' ' : '';
    setDraft(draft.slice(0, at) + sep + text + draft.slice(at));
  }
  const wait = (review && review.verdict === 'wait') || (reply && reply.cool_down);
  const placeholders = /\{[a-z_]+\}/.test(draft);

  return (
    <div class="composer">
      <div class="composer-grid">
        <section class="incoming card">
          <h2>{client ? t('compose.their_message', { name: client.name }) : t('compose.their_message_any')}</h2>
          {message ? (
            <>
              <Highlighted text={message.body} analysis={message.analysis} />
              <Reading analysis={message.analysis} />
            </>
          ) : (
            <>
              <textarea name="incoming" rows={6} placeholder={t('compose.incoming.placeholder')} value={incoming}
                        onInput={(e) => setIncoming(e.target.value)} />
              {reply && <Reading analysis={analysis} />}
            </>
          )}
        </section>

        <section class="draft-side">
          {wait && (
            <div class="wait card" role="status">
              <strong>{t('compose.wait.title')}</strong>
              <p>{(review && review.verdict === 'wait' && review.verdict_why) || t('compose.wait.text')}</p>
              {reply && reply.receipt && (
                <div class="receipt">
                  <span class="small muted">{t('compose.receipt')}</span>
                  <p class="suggest">{reply.receipt}</p>
                  <button type="button" class="small" onClick={() => navigator.clipboard && navigator.clipboard.writeText(reply.receipt)}>
                    {t('action.copy')}</button>
                </div>
              )}
            </div>
          )}
          <div class="card">
            <div class="draft-head">
              <h2>{t('compose.your_reply')}</h2>
              <span class={`verdict v-${review ? review.verdict : 'none'}`} data-verdict={review ? review.verdict : ''}>
                {review ? t.label('verdict', review.verdict) : t('compose.type')}
              </span>
            </div>
            <DraftEditor value={draft} onChange={setDraft} findings={findings} active={active} onPick={setActive}
                         textareaRef={textarea} />
            <div class="draft-foot small muted">
              {review && <span>{t('compose.words', { n: review.words })}</span>}
              {ms != null && <span title={t('compose.ms.title')}>{t('compose.ms', { ms })}</span>}
              {placeholders && <span class="warn">{t('compose.placeholders')}</span>}
              <button type="button" class="link" onClick={() => setShowPhrases(!showPhrases)}>{t('compose.phrases')}</button>
            </div>
            <ErrorBox error={error} />
          </div>

          {findings.length > 0 && (
            <ul class="findings">
              {findings.map((f) => (
                <FindingCard key={`${f.id}:${f.start}:${f.end}`} f={f} onApply={apply} active={f === active} onFocus={() => setActive(f)} />
              ))}
            </ul>
          )}
          {review && findings.length === 0 && draft.trim() && (
            <p class="ok">{t('compose.clean')}</p>
          )}
          {review && review.good && review.good.length > 0 && (
            <ul class="good">
              {review.good.map((g) => <li>✓ {t.label('good', g.id)}</li>)}
            </ul>
          )}
          {review && review.rewrite && review.rewrite.edits.length > 0 && (
            <div class="rewrite card">
              <h3>{t('compose.rewrite')}</h3>
              <p class="suggest pre">{review.rewrite.text}</p>
              <button type="button" class="small" onClick={() => setDraft(review.rewrite.text.replace(/\n$/, ''))}>{t('compose.use_rewrite')}</button>
            </div>
          )}
          {showPhrases && (
            <div class="card">
              <PhraseBrowser lang={(review && review.language) || (client && client.language) || t.lang} onPick={insert} compact />
            </div>
          )}
        </section>
      </div>

      {reply && reply.variants && reply.variants.length > 0 && (
        <section class="suggestions">
          <h2>{t('compose.suggestions')}</h2>
          <div class="variants">
            {reply.variants.map((v) => (
              <div key={v.id} class="variant card" data-variant={v.id}>
                <h3>{t.label('variant', v.id)}</h3>
                <p class="suggest pre">{v.text}</p>
                {v.missing && v.missing.length > 0 && (
                  <p class="small muted">{t('compose.fill_in', { list: v.missing.map((m) => `{${m}}`).join(', ') })}</p>
                )}
                <button type="button" class="small" onClick={() => setDraft(v.text)}>{t('compose.use')}</button>
              </div>
            ))}
          </div>
        </section>
      )}
    </div>
  );
}
