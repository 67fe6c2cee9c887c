// End-to-end tests of the web UI: a real `kalm serve` on port 0 with a fresh
// SQLite database, driven through Debian's chromium by playwright-core.
// Walks first run, login, a client with an agreement, an angry message, a
// defensive reply fixed by a suggested replacement, and the client portal;
// then takes the screenshots of docs/screenshots (nl/en, desktop/phone).
//
// Env: KALM_BIN (the kalm binary), CHROMIUM (default /usr/bin/chromium),
// KALM_SCREENSHOTS (folder for the screenshots; default: none taken).
import { spawn } from 'node:child_process';
import { mkdtempSync, mkdirSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import assert from 'node:assert/strict';
import { chromium } from 'playwright-core';

const here = dirname(fileURLToPath(import.meta.url));
const KALM = process.env.KALM_BIN || join(here, '../../build/kalm');
const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
const SHOTS = process.env.KALM_SCREENSHOTS || '';

let failures = 0;
async function step(name, fn) {
  const t0 = Date.now();
  try {
    await fn();
    console.log(`ok   ${name} (${Date.now() - t0} ms)`);
  } catch (e) {
    failures++;
    console.log(`FAIL ${name}\n${e.stack || e}`);
    throw e;
  }
}

// ---- every text key the UI uses exists in both languages ----
async function checkDictionaries() {
  const src = join(here, '../../web/src');
  const { nl } = await import(join(src, 'lang/nl.js'));
  const { en } = await import(join(src, 'lang/en.js'));
  const files = [];
  const walk = (d) => readdirSync(d, { withFileTypes: true }).forEach((f) =>
    f.isDirectory() ? walk(join(d, f.name)) : /\.jsx?$/.test(f.name) && files.push(join(d, f.name)));
  walk(src);
  const used = new Set();
  for (const f of files)
    for (const m of readFileSync(f, 'utf8').matchAll(/\bt[p]?\('([a-z_.]+)'/g)) used.add(m[1]);
  assert.ok(used.size > 100, `only ${used.size} keys found: the scan is broken`);
  const missing = [...used].filter((k) => !(k in nl) || !(k in en));
  assert.deepEqual(missing, [], 'keys without a text');
  assert.deepEqual(Object.keys(nl).filter((k) => !(k in en)), [], 'Dutch keys without English');
  assert.deepEqual(Object.keys(en).filter((k) => !(k in nl)), [], 'English keys without Dutch');
  const vars = (s) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort().join();
  for (const k of Object.keys(nl)) assert.equal(vars(nl[k]), vars(en[k]), `placeholders of ${k}`);
}

function startServer(dir) {
  return new Promise((resolve, reject) => {
    const p = spawn(KALM, ['serve', '--port', '0', '--db', `sqlite:${join(dir, 'kalm.db')}`],
      { env: { ...process.env, HOME: dir, XDG_DATA_HOME: dir }, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    const timer = setTimeout(() => reject(new Error(`kalm serve did not start: ${out}`)), 20000);
    p.stdout.on('data', (d) => {
      out += d;
      const m = /serves on (http:\/\/[^/\s]+)\//.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve({ proc: p, url: m[1], out: () => out });
      }
    });
    p.stderr.on('data', (d) => { out += d; });
    p.on('exit', (code) => reject(new Error(`kalm serve exited (${code}): ${out}`)));
  });
}

const PASSWORD = 'rustig-aan-2026';
const EMAIL = 'eva@voorbeeld.nl';
const ANGRY = 'Hoi Eva, waarom is het verslag NOG steeds niet af?! Ik had het gisteren al nodig. ' +
  'Dit is echt onacceptabel, ik reken erop dat het vandaag klaar is.';
const DEFENSIVE = 'Hoi Sanne,\n\nZoals ik al zei wacht ik nog op jouw cijfers. Ik kijk er binnenkort naar.\n\nGroetjes, Eva';

// A WhatsApp export (Android, Dutch) of eight weeks with a client who checks
// in often, also in the evening, and asks for work outside the agreement.
function demoChat() {
  const lines = [];
  const pad = (n) => String(n).padStart(2, '0');
  const stamp = (d) => `${pad(d.getDate())}-${pad(d.getMonth() + 1)}-${d.getFullYear()} ${pad(d.getHours())}:${pad(d.getMinutes())}`;
  const says = [
    ['Mark', 'Goedemorgen Eva, wil je vandaag de offertes voor de beurs nalopen?', 9, 5],
    ['Eva', 'Goedemorgen Mark! Ja, die heb je vóór 15:00 van me.', 9, 20],
    ['Mark', 'Hoe staat het ervoor? Ik zie nog niks.', 21, 40],
    ['Mark', 'Kun je ook even mijn privémail opruimen? Dat is snel gedaan toch.', 22, 5],
    ['Eva', 'Dank voor je bericht. De offertes staan klaar in de gedeelde map.', 9, 10],
    ['Mark', 'Waarom duurt dit zo lang?! Ik had het echt gisteren al nodig.', 20, 15],
    ['Mark', 'Laat je even weten of het gelukt is?', 22, 30],
    ['Eva', 'Het is gelukt, alles staat klaar. Morgen om 10:00 stuur ik de planning.', 9, 0],
  ];
  const start = new Date();
  start.setDate(start.getDate() - 8 * 7 - ((start.getDay() + 6) % 7));  // a Monday
  for (let week = 0; week < 8; week++) {
    for (let i = 0; i < says.length; i++) {
      if (week < 3 && i % 3 === 2) continue;  // it gets busier over time
      const d = new Date(start);
      d.setDate(d.getDate() + week * 7 + Math.floor(i / 2));
      d.setHours(says[i][2], says[i][3] + week, 0, 0);
      lines.push(`${stamp(d)} - ${says[i][0]}: ${says[i][1]}`);
    }
  }
  return lines.join('\n') + '\n';
}

async function main() {
  await step('every text key has a Dutch and an English text', checkDictionaries);

  const dir = mkdtempSync(join(tmpdir(), 'kalm-e2e-'));
  const server = await startServer(dir);
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking',
      '--disable-component-update', '--disable-sync'],
  });
  const problems = [];
  // Failed requests a step makes on purpose; anything else is a problem.
  let expected = /status of 401/;
  const watch = (page) => {
    page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
    page.on('console', (m) => {
      // A CSP violation or script error shows here; failed requests the test
      // makes on purpose (401 before login, a wrong password) are expected.
      if (m.type() === 'error' && !expected.test(m.text())) problems.push(`console: ${m.text()}`);
    });
  };
  try {
    const context = await browser.newContext({ viewport: { width: 1280, height: 860 }, locale: 'nl-NL', timezoneId: 'Europe/Amsterdam' });
    const page = await context.newPage();
    watch(page);
    page.setDefaultTimeout(20000);
    const base = server.url;
    let portalUrl = '';
    let caseUrl = '';

    await step('first run makes the owner account in the browser', async () => {
      await page.goto(base + '/');
      await page.getByRole('heading', { name: 'Welkom bij kalm' }).waitFor();
      await page.fill('input[name=workspace]', 'VA Eva Jansen');
      await page.fill('input[name=name]', 'Eva');
      await page.fill('input[name=email]', EMAIL);
      await page.fill('input[name=password]', PASSWORD);
      await page.fill('input[name=again]', 'something-else');
      await page.click('button.primary');
      await page.getByText('De twee wachtwoorden zijn niet gelijk.').waitFor();
      await page.fill('input[name=again]', PASSWORD);
      await page.click('button.primary');
      await page.getByRole('heading', { name: 'Nog geen klanten' }).waitFor();
    });

    await step('log out, a wrong password is refused, log in again', async () => {
      await page.getByRole('button', { name: 'Uitloggen' }).click();
      await page.getByRole('button', { name: 'Inloggen' }).waitFor();
      // After logging out the first-run form is gone for good.
      assert.equal(await page.locator('input[name=workspace]').count(), 0);
      await page.fill('input[name=email]', EMAIL);
      await page.fill('input[name=password]', 'niet-het-goede-wachtwoord');
      await page.getByRole('button', { name: 'Inloggen' }).click();
      await page.getByText('Dat e-mailadres of wachtwoord klopt niet.').waitFor();
      await page.fill('input[name=password]', PASSWORD);
      await page.getByRole('button', { name: 'Inloggen' }).click();
      await page.getByRole('heading', { name: 'Je klanten' }).waitFor();
      // A reload keeps the session (the CSRF token comes back from the server).
      await page.reload();
      await page.getByRole('heading', { name: 'Je klanten' }).waitFor();
    });

    await step('add a client with an agreement and send it for confirmation', async () => {
      await page.getByRole('link', { name: 'Eerste klant toevoegen' }).click();
      await page.fill('input[name=name]', 'Sanne de Vries');
      await page.fill('input[name=company]', 'Bakkerij Sanne');
      await page.getByRole('button', { name: 'Klant toevoegen' }).click();
      await page.getByRole('heading', { name: 'Sanne de Vries' }).waitFor();
      await page.fill('textarea[name=scope]', 'Inbox bijhouden\nAgenda beheren\nMaandverslag maken');
      await page.fill('input[name=rate]', '45');
      await page.fill('input[name=out_of_scope_rate]', '60');
      await page.fill('input[name=reaction_hours]', '24');
      await page.fill('textarea[name=notes]', 'PRIVE: korting maximaal 2 uur');
      await page.getByRole('button', { name: 'Concept bewaren' }).click();
      await page.getByText('Versie 1 is bewaard.').waitFor();
      await page.locator('.version-list li[data-version="1"]').getByText('concept').waitFor();
      await page.getByRole('button', { name: 'Ter bevestiging sturen' }).click();
      const link = page.locator('input[name=portal_url]');
      await link.waitFor();
      portalUrl = await link.inputValue();
      assert.match(portalUrl, /\/portal\/[0-9a-f]{32}$/);
      await page.locator('.version-list li[data-version="1"]').getByText(/verstuurd op/).waitFor();
    });

    await step('paste an angry message and see its flags', async () => {
      await page.getByRole('tab', { name: 'Tijdlijn' }).click();
      await page.fill('textarea[name=message]', ANGRY);
      await page.getByRole('button', { name: 'Analyseren en bewaren' }).click();
      const msg = page.locator('.msg.incoming').first();
      await msg.locator('mark.ev').first().waitFor();
      const signals = await msg.locator('.chip').evaluateAll((els) => els.map((e) => e.dataset.signal));
      assert.ok(signals.includes('emotion.anger'), `signals: ${signals}`);
      assert.ok(signals.includes('complaint.late'), `signals: ${signals}`);
      const marked = await msg.locator('mark.ev').allTextContents();
      assert.ok(marked.some((m) => /onacceptabel/.test(m)), `marks: ${marked}`);
      const strategies = await msg.locator('[data-strategy]').evaluateAll((els) => els.map((e) => e.dataset.strategy));
      assert.ok(strategies.includes('cool_down'), `strategies: ${strategies}`);
      assert.ok(strategies.includes('acknowledge'), `strategies: ${strategies}`);
      await msg.locator('.escalation.l2, .escalation.l3').waitFor();
    });

    await step('write a defensive reply and apply a suggested replacement', async () => {
      await page.locator('.msg.incoming').first().getByRole('link', { name: 'Antwoord schrijven' }).click();
      await page.getByRole('heading', { name: 'Bericht van Sanne de Vries' }).waitFor();
      // Typed as a person types: the review runs while typing, debounced.
      await page.locator('textarea[name=draft]').pressSequentially(DEFENSIVE, { delay: 5 });
      const defensive = page.locator('.finding[data-finding=defensive]');
      await defensive.waitFor();
      await page.locator('.editor mark').first().waitFor();
      await page.locator('.wait').waitFor();  // heated message: the wait notice
      assert.equal(await page.locator('[data-verdict]').getAttribute('data-verdict'), 'wait');
      const first = defensive.filter({ has: page.locator('q.quote', { hasText: 'Zoals ik al zei' }) });
      const suggestion = (await first.locator('.suggest').textContent()).trim();
      assert.ok(suggestion.length > 0);
      await first.getByRole('button', { name: 'Vervangen' }).click();
      const draft = page.locator('textarea[name=draft]');
      await page.waitForFunction(() => !document.querySelector('textarea[name=draft]').value.includes('Zoals ik al zei'));
      const fixed = await draft.inputValue();
      // At the start of a sentence the replacement keeps the capital.
      assert.ok(fixed.toLowerCase().includes(suggestion.toLowerCase()), 'the replacement is in the draft');
      assert.ok(fixed.includes(suggestion[0].toUpperCase() + suggestion.slice(1)), fixed);
      // Reviewed again: that finding is gone.
      await first.waitFor({ state: 'detached' });
      // Clicking inside an underlined word opens its finding.
      // ("Ik kijk er binnenkort naar" is vague: no date, no next step.)
      await page.locator('.finding[data-finding=vague]').waitFor();
      const value = await draft.inputValue();
      const at = value.indexOf('binnenkort');
      await draft.evaluate((el, i) => { el.focus(); el.setSelectionRange(i, i); el.click(); }, at + 2);
      await page.locator('.finding.active[data-finding=vague]').waitFor();
      await page.locator('.variant').first().waitFor();  // suggested replies
    });

    await step('a complaint case from the angry message to the journal', async () => {
      expected = /status of (401|409)/;  // an incomplete step
      await page.goto(base + '/#/');
      await page.locator('.client-card[data-client="Sanne de Vries"] a').click();
      await page.locator('.msg.incoming').first().locator('[data-open-case]').click();
      await page.locator('.step-card[data-current=land]').waitFor();
      await page.locator('.countdown').waitFor();  // heated: cool down first
      await page.locator('[data-next]').click();
      await page.locator('.error-box').getByText('Voor de volgende stap nog nodig: je eerste reactie.').waitFor();
      await page.locator('input[name=reaction][value=defensive]').check();
      await page.locator('[data-next]').click();
      await page.locator('.step-card[data-current=reflect]').waitFor();
      await page.locator('.hint-box').first().waitFor();  // from the analysis
      await page.fill('textarea[name=q6]', 'Het verslag was een dag te laat; dat erken ik. Onacceptabel was het niet.');
      await page.locator('[data-next]').click();
      await page.locator('.step-card[data-current=prepare]').waitFor();
      await page.fill('textarea[name=summary]', 'Het verslag kwam later dan je verwachtte, en je had het gisteren nodig.');
      await page.fill('input[name=proposal_text]', 'Een uur korting op deze maand');
      await page.fill('input[name=proposal_eur]', '45');
      await page.fill('input[name=maximum_text]', 'GRENSJE twee uur korting');
      await page.fill('input[name=maximum_eur]', '30');
      await page.locator('[data-next]').click();
      await page.locator('.error-box').getByText(/meer waard dan je grens/).waitFor();  // 45 > 30
      await page.fill('input[name=maximum_eur]', '90');
      await page.getByRole('button', { name: 'Gespreksplan maken' }).click();
      await page.locator('[data-private]').getByText(/GRENSJE/).waitFor();
      await page.locator('[data-next]').click();
      await page.locator('.step-card[data-current=conversation]').waitFor();
      await page.locator('input[name=outcome][value=resolved]').check();
      await page.fill('input[name=action]', 'Het verslag opleveren');
      await page.fill('input[name=action_due]', '2026-12-04');
      await page.locator('.step-card').getByRole('button', { name: 'Toevoegen' }).click();
      await page.fill('input[name=follow_up]', '2026-12-11');
      await page.getByRole('button', { name: 'Bevestigingsmail maken' }).click();
      const mail = await page.locator('[data-mail]').textContent();
      assert.match(mail, /Het verslag opleveren/);
      assert.doesNotMatch(mail, /GRENSJE|Onacceptabel was het niet/);
      await page.locator('[data-next]').click();
      await page.locator('.step-card[data-current=evaluate]').waitFor();
      await page.fill('input[name=trigger]', 'hoofdletters in de app');
      await page.locator('.step-card').getByRole('button', { name: 'Toevoegen' }).click();
      await page.fill('textarea[name=next_time]', 'Een dag eerder laten weten als het later wordt.');
      await page.locator('[data-next]').click();
      await page.locator('[data-closed]').waitFor();
      await page.getByRole('link', { name: 'Dagboek' }).first().click();
      await page.fill('input[name=journal_q]', 'hoofdletters');
      await page.locator('.journal li').getByText('Een dag eerder laten weten').waitFor();
      // The agreed action is on the task board now.
      await page.goto(base + '/#/');
      await page.locator('.client-card[data-client="Sanne de Vries"] a').click();
      await page.getByRole('tab', { name: 'Taken' }).click();
      await page.locator('.task[data-task="Het verslag opleveren"]').waitFor();
      expected = /status of 401/;
    });

    await step('the client confirms the agreement through the portal link', async () => {
      const anon = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, locale: 'nl-NL', timezoneId: 'Europe/Amsterdam' });
      const p = await anon.newPage();
      watch(p);
      await p.goto(portalUrl);
      await p.getByText('Maandverslag maken').waitFor();
      assert.equal(await p.getByText('PRIVE').count(), 0, 'the VA notes leaked');
      await p.locator('input[name=read]').check();
      await p.getByRole('button', { name: 'Afspraken bevestigen' }).click();
      await p.locator('[data-state=confirmed]').waitFor();
      if (SHOTS) await shot(p, 'portal', 'nl', 'phone');
      await anon.close();
      // A wrong token is a missing page.
      const q = await browser.newPage();
      await q.goto(base + '/portal/' + '0'.repeat(32));
      await q.getByRole('heading', { name: 'Deze pagina bestaat niet' }).waitFor();
      await q.close();
      await page.goto(base + '/#/');
      await page.locator('.client-card').getByText('Afspraken v1 bevestigd').waitFor();
    });

    await step('tasks: add one, mark it waiting and done', async () => {
      await page.locator('.client-card a').first().click();
      await page.getByRole('tab', { name: 'Taken' }).click();
      await page.fill('input[name=title]', 'Maandverslag oktober');
      await page.getByRole('button', { name: 'Toevoegen' }).click();
      const task = page.locator('.col-open .task[data-task="Maandverslag oktober"]');
      await task.waitFor();
      await task.getByRole('button', { name: 'wacht op klant' }).click();
      await page.locator('.col-waiting .task[data-task="Maandverslag oktober"]').waitFor();
      await page.fill('input[name=title]', 'Nieuwsbrief november');
      await page.getByRole('button', { name: 'Toevoegen' }).click();
      // The task moves to another column: click, then look for it there.
      await page.locator('.col-open .task[data-task="Nieuwsbrief november"] input[type=checkbox]').click();
      await page.locator('.col-done .task[data-task="Nieuwsbrief november"]').waitFor();
      // A status update from a template; the client reads it in the portal.
      await page.locator('.updates button[data-kind=progress]').click();
      const text = page.locator('textarea[name=update]');
      assert.match(await text.inputValue(), /^Tussenstand \{task\}/);
      await text.fill('Tussenstand maandverslag: de cijfers zijn verwerkt, de grafieken volgen morgen.');
      await page.getByRole('button', { name: 'Update plaatsen' }).click();
      await page.locator('.update-list li[data-kind=progress]').waitFor();
      const anon = await browser.newContext({ locale: 'nl-NL', timezoneId: 'Europe/Amsterdam' });
      const p = await anon.newPage();
      watch(p);
      await p.goto(portalUrl);
      await p.getByText('de grafieken volgen morgen').waitFor();
      await anon.close();
    });

    await step('upload a WhatsApp export; its patterns are charted', async () => {
      await page.goto(base + '/#/clients/new');
      await page.fill('input[name=name]', 'Mark Peeters');
      await page.fill('input[name=company]', 'Peeters Events');
      await page.getByRole('button', { name: 'Klant toevoegen' }).click();
      await page.fill('textarea[name=scope]', 'Offertes nalopen\nPlanning maken');
      await page.getByRole('button', { name: 'Ter bevestiging sturen' }).click();
      await page.locator('input[name=portal_url]').waitFor();
      // Confirmed by mail: the VA records it.
      await page.reload();
      await page.getByRole('button', { name: 'Bevestigd per mail of telefoon?' }).click();
      await page.locator('.version-list li[data-version="1"]').getByText(/bevestigd op/).waitFor();
      await page.getByRole('tab', { name: 'Tijdlijn' }).click();
      await page.getByRole('button', { name: 'Export inlezen' }).click();
      await page.setInputFiles('input[name=file]', {
        name: 'WhatsApp-chat met Mark.txt', mimeType: 'text/plain', buffer: Buffer.from(demoChat()),
      });
      await page.fill('input[name=me]', 'Eva');
      await page.getByRole('button', { name: 'Inlezen', exact: true }).click();
      const report = page.locator('.report');
      await report.waitFor();
      assert.match(await report.textContent(), /^\d{2,} berichten ingelezen, 0 waren er al/);
      await page.locator('.msg.outgoing').first().waitFor();
      await page.getByRole('tab', { name: 'Patronen' }).click();
      await page.locator('.pattern.flagged[data-pattern=after_hours]').waitFor();
      // uPlot draws after the page renders: wait for the second chart.
      await page.locator('.chart canvas').nth(1).waitFor();
      assert.equal(await page.locator('.chart canvas').count(), 2);
      await page.goto(base + '/#/');
      await page.locator('.client-card[data-client="Mark Peeters"] .flags .chip').first().waitFor();
    });

    await step('write a reply without a client, and search the phrase library', async () => {
      await page.getByRole('link', { name: 'Antwoord schrijven' }).click();
      await page.fill('textarea[name=incoming]', 'Kun je vanavond nog even de offerte aanpassen? Dat is toch zo gedaan.');
      await page.locator('.variant').first().waitFor();  // suggestions for it
      await page.locator('textarea[name=draft]').fill('Nee, dat kan niet.');
      await page.locator('.finding').first().waitFor();
      await page.getByRole('button', { name: 'Zinnen zoeken' }).click();
      await page.locator('.phrases select[name=strategy]').selectOption('boundary');
      const first = page.locator('.phrase-list .phrase').first();
      await first.waitFor();
      const phrase = (await first.locator('p').textContent()).trim();
      await first.getByRole('button', { name: 'Invoegen' }).click();
      assert.ok((await page.locator('textarea[name=draft]').inputValue()).includes(phrase));
      await page.getByRole('link', { name: 'Zinnen' }).click();
      await page.locator('.phrases select[name=strategy]').selectOption('acknowledge');
      await page.fill('.phrases input[name=q]', 'begrijp');
      const tags = await page.locator('.phrase-list .phrase .tag:not(.light)').allTextContents();
      assert.ok(tags.length > 0, 'no acknowledging phrase with "begrijp"');
      assert.ok(tags.every((x) => x === 'Erken het gevoel'), tags.join());
    });

    await step('a case opened by hand waits at its step', async () => {
      await page.goto(base + '/#/');
      await page.locator('.client-card[data-client="Mark Peeters"] a').click();
      await page.getByRole('tab', { name: 'Klachtzaken' }).click();
      await page.fill('input[name=case_title]', 'Berichten op zondagavond');
      await page.getByRole('button', { name: 'Zaak openen' }).click();
      await page.locator('input[name=reaction][value=calm]').check();
      await page.locator('[data-next]').click();
      await page.locator('.step-card[data-current=reflect]').waitFor();
      await page.fill('textarea[name=q1]', 'Hij vraagt drie keer per avond hoe het ervoor staat.');
      await page.getByRole('button', { name: 'Bewaren', exact: true }).click();
      await page.locator('.step-card button[data-next]').waitFor();
      caseUrl = page.url();
      // Closing early asks for the reason in the page; reopening undoes it.
      await page.getByRole('button', { name: 'Zaak sluiten' }).click();
      await page.fill('input[name=close_reason]', 'Eerst zelf de werktijden op de website zetten');
      await page.locator('.close-form button.primary').click();
      await page.locator('[data-closed]').waitFor();
      await page.getByText('Gesloten: Eerst zelf de werktijden op de website zetten').waitFor();
      await page.getByRole('button', { name: 'Zaak heropenen' }).click();
      await page.locator('.step-card[data-current=reflect]').waitFor();
    });

    await step('the language switch turns the UI English', async () => {
      await page.goto(base + '/#/');
      await page.getByRole('heading', { name: 'Je klanten' }).waitFor();
      await page.locator('.lang-switch button[data-lang=en]').click();
      await page.getByRole('heading', { name: 'Your clients' }).waitFor();
      await page.reload();
      await page.getByRole('heading', { name: 'Your clients' }).waitFor();
      await page.locator('.lang-switch button[data-lang=nl]').click();
      await page.getByRole('heading', { name: 'Je klanten' }).waitFor();
    });

    if (SHOTS) await step('screenshots of every main page (nl/en, desktop/phone)', async () => {
      await screenshots(browser, base, portalUrl, caseUrl);
    });

    assert.deepEqual(problems, [], 'errors in the browser console');
  } finally {
    await browser.close();
    server.proc.kill('SIGTERM');
    rmSync(dir, { recursive: true, force: true });
  }
}

async function shot(page, name, lang, size) {
  mkdirSync(SHOTS, { recursive: true });
  await page.screenshot({ path: join(SHOTS, `${name}-${lang}-${size}.png`) });
}

async function screenshots(browser, base, portalUrl, caseUrl) {
  const sizes = { desktop: { width: 1280, height: 860 }, phone: { width: 390, height: 844 } };
  for (const lang of ['nl', 'en']) {
    for (const [size, viewport] of Object.entries(sizes)) {
      const opts = { viewport, deviceScaleFactor: 1, isMobile: size === 'phone',
        locale: lang === 'en' ? 'en-GB' : 'nl-NL', timezoneId: 'Europe/Amsterdam' };
      const ctx = await browser.newContext(opts);
      const p = await ctx.newPage();
      await p.goto(base + '/');
      await p.evaluate((l) => localStorage.setItem('kalm.lang', l), lang);
      await p.goto(base + '/');
      await p.fill('input[name=email]', EMAIL);
      await p.fill('input[name=password]', PASSWORD);
      await p.locator('button.primary').click();
      await p.locator('.client-card').first().waitFor();
      await shot(p, 'dashboard', lang, size);
      await p.locator('.client-card[data-client="Mark Peeters"] a').click();
      await p.locator('.msg').first().waitFor();
      await shot(p, 'client', lang, size);
      const id = /#\/clients\/(\d+)/.exec(p.url())[1];
      await p.goto(`${base}/#/clients/${id}/agreement`);
      await p.locator('textarea[name=scope]').waitFor();
      await shot(p, 'agreement', lang, size);
      await p.goto(`${base}/#/clients/${id}/tasks`);
      await p.locator('.updates textarea').waitFor();
      await shot(p, 'tasks', lang, size);
      const msgId = await (async () => {
        await p.goto(`${base}/#/clients/${id}`);
        return p.locator('.msg.incoming').first().getAttribute('data-id');
      })();
      await p.goto(`${base}/#/clients/${id}/reply/${msgId}`);
      await p.locator('textarea[name=draft]').fill(lang === 'en'
        ? 'Hi Mark,\n\nAs I said, I already sent it yesterday!! I will look at it soon.\n\nBest, Eva'
        : 'Hoi Mark,\n\nZoals ik al zei heb ik het gisteren al gestuurd!! Ik kijk er binnenkort naar.\n\nGroetjes, Eva');
      await p.locator('.finding').first().waitFor();
      if (size === 'phone') await p.locator('.draft-head').evaluate((el) => { el.scrollIntoView({ block: 'start' }); window.scrollBy(0, -70); });
      else await p.evaluate(() => window.scrollTo(0, 0));
      await shot(p, 'composer', lang, size);
      await p.goto(caseUrl);
      await p.locator('.step-card').waitFor();
      await shot(p, 'case', lang, size);
      await p.goto(`${base}/#/journal`);
      await p.locator('.journal li').first().waitFor();
      await shot(p, 'journal', lang, size);
      await p.goto(`${base}/#/clients/${id}/patterns`);
      await p.locator('.pattern').first().waitFor();
      await shot(p, 'patterns', lang, size);
      await ctx.close();
      if (!(lang === 'nl' && size === 'phone')) {
        const anon = await browser.newContext(opts);
        const q = await anon.newPage();
        await q.goto(portalUrl);
        await q.evaluate((l) => localStorage.setItem('kalm.lang', l), lang);
        await q.goto(portalUrl);
        await q.locator('[data-state]').waitFor();
        await shot(q, 'portal', lang, size);
        await anon.close();
      }
    }
  }
}

main().then(() => {
  console.log(failures ? `${failures} failed` : 'all passed');
  process.exit(failures ? 1 : 0);
}, (e) => {
  console.log(`stopped: ${e.message}`);
  process.exit(1);
});
