// The phrase library: kalm's own sentences per strategy, searchable, in the
// language of the reply.
import { useEffect, useState } from 'preact/hooks';
import { get } from '../api.js';
import { useT } from '../i18n.js';
import { ErrorBox, Loading } from './common.jsx';

const cache = {};

export function PhraseBrowser({ lang, onPick, compact }) {
  const t = useT();
  const [language, setLanguage] = useState(lang === 'en' ? 'en' : 'nl');
  const [phrases, setPhrases] = useState(cache[language] || null);
  const [strategy, setStrategy] = useState('');
  const [register, setRegister] = useState('');
  const [q, setQ] = useState('');
  const [error, setError] = useState(null);
  useEffect(() => { setLanguage(lang === 'en' ? 'en' : 'nl'); }, [lang]);
  useEffect(() => {
    if (cache[language]) return setPhrases(cache[language]);
    setPhrases(null);
    get(`/api/v1/phrases?lang=${language}`).then((r) => {
      cache[language] = r.phrases;
      setPhrases(r.phrases);
    }, setError);
  }, [language]);
  if (error) return <ErrorBox error={error} />;
  if (!phrases) return <Loading />;
  const strategies = [...new Set(phrases.map((p) => p.strategy))].sort((a, b) =>
    t.label('strategy', a).localeCompare(t.label('strategy', b)));
  const words = q.toLowerCase().split(/\s+/).filter(Boolean);
  const shown = phrases.filter((p) => (!strategy || p.strategy === strategy) &&
    (!register || p.register === register || p.register === 'any' || p.register === '-' || p.register === '') &&
    words.every((w) => p.text.toLowerCase().includes(w)));
  return (
    <div class="phrases">
      <div class="row wrap filters">
        <label>{t('phrases.strategy')}
          <select name="strategy" value={strategy} onChange={(e) => setStrategy(e.target.value)}>
            <option value="">{t('phrases.all')}</option>
            {strategies.map((s) => <option value={s}>{t.label('strategy', s)}</option>)}
          </select>
        </label>
        <label>{t('phrases.language')}
          <select name="language" value={language} onChange={(e) => setLanguage(e.target.value)}>
            <option value="nl">Nederlands</option><option value="en">English</option>
          </select>
        </label>
        {language === 'nl' && (
          <label>{t('phrases.register')}
            <select name="register" value={register} onChange={(e) => setRegister(e.target.value)}>
              <option value="">{t('phrases.all')}</option><option value="je">je</option><option value="u">u</option>
            </select>
          </label>
        )}
        <label class="grow">{t('phrases.search')}
          <input type="search" name="q" value={q} onInput={(e) => setQ(e.target.value)} /></label>
      </div>
      <p class="small muted">{t('phrases.count', { n: shown.length })}</p>
      <ul class={`phrase-list ${compact ? 'compact' : ''}`}>
        {shown.slice(0, compact ? 40 : 300).map((p) => (
          <li class="phrase">
            <span class="tag">{t.label('strategy', p.strategy)}</span>
            {(Array.isArray(p.about) ? p.about : String(p.about || '').split(','))
              .filter((a) => a && a !== '-')
              .map((a) => <span class="tag light">{t.label('situation', a)}</span>)}
            <p>{p.text}</p>
            {onPick
              ? <button type="button" class="small" onClick={() => onPick(p.text)}>{t('phrases.insert')}</button>
              : <button type="button" class="small" onClick={() => navigator.clipboard && navigator.clipboard.writeText(p.text)}>{t('action.copy')}</button>}
          </li>
        ))}
      </ul>
    </div>
  );
}

export function PhrasesPage() {
  const t = useT();
  return (
    <section>
      <div class="page-head"><h1>{t('phrases.title')}</h1></div>
      <p class="muted">{t('phrases.intro')}</p>
      <PhraseBrowser lang={t.lang} />
    </section>
  );
}
