// kalm's browser UI: one page for the VA's app (hash routes) and the client
// portal (/portal/{token}). State lives on the server; the page keeps only
// the CSRF token of its session and the chosen language.
import { render } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import 'uplot/dist/uPlot.min.css';
import './style.css';
import { get, post, del, setCsrf } from './api.js';
import { LangContext, initialLang, saveLang, useT } from './i18n.js';
import { Dashboard, NewClient } from './pages/dashboard.jsx';
import { ClientPage } from './pages/client.jsx';
import { Composer } from './pages/composer.jsx';
import { PhrasesPage } from './pages/phrases.jsx';
import { CasePage, JournalPage } from './pages/case.jsx';
import { Portal } from './pages/portal.jsx';
import { ErrorBox, LangSwitch } from './pages/common.jsx';

function useHash() {
  const [hash, setHash] = useState(location.hash || '#/');
  useEffect(() => {
    const on = () => {
      setHash(location.hash || '#/');
      window.scrollTo(0, 0);
    };
    addEventListener('hashchange', on);
    return () => removeEventListener('hashchange', on);
  }, []);
  return hash;
}

// "#/clients/12/reply/40?x=1" -> {parts: ['clients','12','reply','40'], query}
function parseHash(hash) {
  const [path, q] = hash.replace(/^#/, '').split('?');
  return {
    parts: path.split('/').filter(Boolean),
    query: new URLSearchParams(q || ''),
  };
}

function Login({ onIn }) {
  const t = useT();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState(null);
  const [busy, setBusy] = useState(false);
  async function submit(e) {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const r = await post('/api/v1/session', { email, password });
      setCsrf(r.csrf_token);
      onIn();
    } catch (err) {
      setError(err.status === 401 ? t('login.wrong') : err.status === 429 ? t('login.throttled') : err.message);
    } finally {
      setBusy(false);
    }
  }
  return (
    <main class="auth">
      <div class="auth-card">
        <div class="auth-head"><h1 class="brand">kalm</h1><LangSwitch /></div>
        <p class="muted">{t('login.intro')}</p>
        <form onSubmit={submit}>
          <label>{t('field.email')}<input type="email" name="email" autocomplete="username" required
                 value={email} onInput={(e) => setEmail(e.target.value)} /></label>
          <label>{t('field.password')}<input type="password" name="password" autocomplete="current-password"
                 required value={password} onInput={(e) => setPassword(e.target.value)} /></label>
          {error && <p class="error" role="alert">{error}</p>}
          <button class="primary" disabled={busy}>{t('login.submit')}</button>
        </form>
      </div>
    </main>
  );
}

function Setup({ onIn }) {
  const t = useT();
  const [f, setF] = useState({ workspace: '', name: '', email: '', password: '', again: '' });
  const [error, setError] = useState(null);
  const [busy, setBusy] = useState(false);
  const set = (k) => (e) => setF({ ...f, [k]: e.target.value });
  async function submit(e) {
    e.preventDefault();
    if (f.password !== f.again) return setError(t('setup.mismatch'));
    if (f.password.length < 10) return setError(t('setup.short'));
    setBusy(true);
    setError(null);
    try {
      const r = await post('/api/v1/setup', {
        workspace: f.workspace.trim(), name: f.name.trim(), email: f.email.trim(), password: f.password,
      });
      setCsrf(r.csrf_token);
      onIn();
    } catch (err) {
      setError(err.message);
    } finally {
      setBusy(false);
    }
  }
  return (
    <main class="auth">
      <div class="auth-card">
        <div class="auth-head"><h1 class="brand">kalm</h1><LangSwitch /></div>
        <h2>{t('setup.title')}</h2>
        <p class="muted">{t('setup.intro')}</p>
        <form onSubmit={submit}>
          <label>{t('setup.workspace')}<input name="workspace" required placeholder={t('setup.workspace.hint')}
                 value={f.workspace} onInput={set('workspace')} /></label>
          <label>{t('field.your_name')}<input name="name" autocomplete="name" value={f.name} onInput={set('name')} /></label>
          <label>{t('field.email')}<input type="email" name="email" autocomplete="username" required
                 value={f.email} onInput={set('email')} /></label>
          <label>{t('field.password')}<input type="password" name="password" autocomplete="new-password" required
                 value={f.password} onInput={set('password')} /></label>
          <label>{t('setup.again')}<input type="password" name="again" autocomplete="new-password" required
                 value={f.again} onInput={set('again')} /></label>
          <p class="hint">{t('setup.password.hint')}</p>
          {error && <p class="error" role="alert">{error}</p>}
          <button class="primary" disabled={busy}>{t('setup.submit')}</button>
        </form>
      </div>
    </main>
  );
}

function Shell({ me, onOut, children, section }) {
  const t = useT();
  const [open, setOpen] = useState(false);
  async function logout() {
    try { await del('/api/v1/session'); } catch (e) { /* gone already */ }
    onOut();
  }
  const link = (href, key, id) => (
    <a href={href} class={section === id ? 'on' : ''} onClick={() => setOpen(false)}>{t(key)}</a>
  );
  return (
    <div class="shell">
      <header class="top">
        <a class="brand" href="#/">kalm</a>
        <button class="menu-toggle" type="button" aria-expanded={open} onClick={() => setOpen(!open)}>
          {t('nav.menu')}
        </button>
        <nav class={open ? 'open' : ''}>
          {link('#/', 'nav.clients', 'clients')}
          {link('#/compose', 'nav.compose', 'compose')}
          {link('#/phrases', 'nav.phrases', 'phrases')}
          {link('#/journal', 'nav.journal', 'journal')}
        </nav>
        <div class="top-right">
          <LangSwitch />
          <span class="who" title={me.user && me.user.email}>{me.workspace.name}</span>
          <button type="button" class="link" onClick={logout}>{t('nav.logout')}</button>
        </div>
      </header>
      <main class="page">{children}</main>
    </div>
  );
}

function VaApp({ me, onOut }) {
  const hash = useHash();
  const { parts, query } = parseHash(hash);
  let page, section = 'clients';
  if (parts[0] === 'clients' && parts[1] === 'new') {
    page = <NewClient />;
  } else if (parts[0] === 'clients' && /^\d+$/.test(parts[1] || '')) {
    page = <ClientPage id={Number(parts[1])} tab={parts[2] || 'timeline'} sub={parts[3]} query={query} />;
  } else if (parts[0] === 'cases' && /^\d+$/.test(parts[1] || '')) {
    page = <CasePage id={Number(parts[1])} />;
  } else if (parts[0] === 'journal') {
    section = 'journal';
    page = <JournalPage />;
  } else if (parts[0] === 'compose') {
    section = 'compose';
    page = <Composer />;
  } else if (parts[0] === 'phrases') {
    section = 'phrases';
    page = <PhrasesPage />;
  } else {
    page = <Dashboard />;
  }
  return <Shell me={me} onOut={onOut} section={section}>{page}</Shell>;
}

function App() {
  const [lang, setLangState] = useState(initialLang());
  const setLang = (l) => {
    saveLang(l);
    setLangState(l);
  };
  useEffect(() => { document.documentElement.lang = lang; }, [lang]);
  const portal = /^\/portal\/([0-9a-f]{32})\/?$/.exec(location.pathname);
  const [me, setMe] = useState(undefined);  // undefined: loading; null: logged out
  const [setupNeeded, setSetupNeeded] = useState(false);
  const [error, setError] = useState(null);

  async function load() {
    setError(null);
    try {
      const s = await get('/api/v1/session');
      setCsrf(s.csrf_token);
      setMe(s);
    } catch (e) {
      if (e.status !== 401) return setError(e);
      try {
        const su = await get('/api/v1/setup');
        setSetupNeeded(su.needed);
        setMe(null);
      } catch (e2) {
        setError(e2);
      }
    }
  }
  useEffect(() => {
    if (!portal) load();
  }, []);

  let body;
  if (portal) body = <Portal token={portal[1]} />;
  else if (error) body = <main class="auth"><ErrorBox error={error} retry={load} /></main>;
  else if (me === undefined) body = <main class="auth"><p class="muted">…</p></main>;
  else if (me === null) body = setupNeeded ? <Setup onIn={load} /> : <Login onIn={load} />;
  else body = <VaApp me={me} onOut={() => { setCsrf(null); load(); }} />;
  return <LangContext.Provider value={{ lang, setLang }}>{body}</LangContext.Provider>;
}

render(<App />, document.getElementById('app'));
