// The UI's words, Dutch first and English on the switch. Texts that come
// from the analyzer and the coach (advice, phrases) are in the message's own
// language and come from data/; these are the labels around them.
import { createContext } from 'preact';
import { useContext } from 'preact/hooks';
import { nl } from './lang/nl.js';
import { en } from './lang/en.js';

export const dictionaries = { nl, en };

export function initialLang() {
  try {
    const saved = localStorage.getItem('kalm.lang');
    if (saved === 'nl' || saved === 'en') return saved;
  } catch (e) { /* storage may be off */ }
  return 'nl';
}

export function saveLang(lang) {
  try { localStorage.setItem('kalm.lang', lang); } catch (e) { /* ignore */ }
  document.documentElement.lang = lang;
}

// t(KEY, {n: 3}) -> the text with {n} filled in; a missing key shows as
// itself so that it is seen and fixed (a test checks none is missing).
export function translate(lang, key, vars) {
  let s = dictionaries[lang][key];
  if (s === undefined) s = dictionaries.nl[key];
  if (s === undefined) return key;
  if (vars) s = s.replace(/\{(\w+)\}/g, (m, k) => (k in vars ? String(vars[k]) : m));
  return s;
}

export const LangContext = createContext({ lang: 'nl', setLang() {} });

export function useT() {
  const { lang, setLang } = useContext(LangContext);
  const t = (key, vars) => translate(lang, key, vars);
  // A label of a kind ("signal", "strategy", ...) for an id, or the id.
  t.label = (kind, id) => {
    const k = `${kind}.${id}`;
    const s = dictionaries[lang][k] ?? dictionaries.nl[k];
    return s === undefined ? id : s;
  };
  t.lang = lang;
  t.setLang = setLang;
  return t;
}
