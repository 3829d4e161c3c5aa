// The browser side: Debian's chromium through playwright-core, and the checks every visited page
// goes through (the page contract's landmarks, axe-core, same-origin requests, weight, and
// screenshots at 1280 px and, for key pages, 390 px).
'use strict';

const fs = require('node:fs');
const path = require('node:path');
const { chromium } = require('playwright-core');
const { untranslated } = require('./catalog');

const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
const AXE_SOURCE = fs.readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
const WEIGHT_LIMIT = 150 * 1024; // a page and its assets, uncompressed
const DESKTOP = { width: 1280, height: 800 };
const PHONE = { width: 390, height: 844 };
const untranslatedByLang = new Map();
const LOCALES = { en: 'en-US', de: 'de-DE', sv: 'sv-SE', fr: 'fr-FR' };

async function launchBrowser() {
  if (!fs.existsSync(CHROMIUM)) {
    throw new Error(`no browser at ${CHROMIUM}: install Debian's chromium (apt-get install -y chromium)`);
  }
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    // One date format (MM/DD/YYYY) in every context, whatever the page's language, so that
    // typing a date with the keyboard is the same keystrokes everywhere.
    args: ['--no-sandbox', '--lang=en-US'],
  });
}

/** What one run saw: the pages, where the screenshots went, and the numbering per language. */
class Run {
  constructor({ base, screenshotDir }) {
    this.base = base;
    this.screenshotDir = screenshotDir;
    this.pages = [];
    this.counters = new Map();
    fs.rmSync(screenshotDir, { recursive: true, force: true });
    fs.mkdirSync(screenshotDir, { recursive: true });
  }

  nextShot(lang, name) {
    const n = (this.counters.get(lang) || 0) + 1;
    this.counters.set(lang, n);
    const dir = path.join(this.screenshotDir, lang);
    fs.mkdirSync(dir, { recursive: true });
    const stem = `${String(n).padStart(2, '0')}-${name}`;
    return { stem, desktop: path.join(dir, `${stem}.png`), phone: path.join(dir, `${stem}-phone.png`) };
  }

  summary() {
    const rows = this.pages.map((p) => [
      `${p.lang}/${p.stem}`,
      p.path,
      String(p.status ?? '-'),
      p.weight == null ? '-' : `${(p.weight / 1024).toFixed(1)} KB`,
      String(p.requests ?? '-'),
      p.axe == null ? '-' : String(p.axe),
      p.problems.length ? `${p.problems.length} problem(s)` : 'ok',
    ]);
    const head = ['page', 'address', 'status', 'weight', 'requests', 'axe', 'checks'];
    const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
    const line = (r) => r.map((c, i) => c.padEnd(widths[i])).join('  ').trimEnd();
    return [line(head), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
  }
}

/** A failure whose message says it all: no stack trace after it. */
function failure(message) {
  const e = new Error(message);
  e.stack = message;
  return e;
}

function formatAxe(violations) {
  return violations
    .map((v) => {
      const nodes = v.nodes
        .slice(0, 5)
        .map((n) => `      - ${n.target.join(' ')}\n        ${(n.failureSummary || '').replace(/\n/g, '\n        ')}`)
        .join('\n');
      const more = v.nodes.length > 5 ? `\n      ... and ${v.nodes.length - 5} more` : '';
      return `    [${v.impact}] ${v.id}: ${v.help} (${v.helpUrl})\n${nodes}${more}`;
    })
    .join('\n');
}

/**
 * One person's browser in one language: a context and its page, with the checks every visited
 * page goes through.
 */
class Tab {
  static async open(browser, run, lang) {
    const context = await browser.newContext({
      locale: LOCALES[lang],
      viewport: DESKTOP,
      acceptDownloads: true,
    });
    const tab = new Tab(context, await context.newPage(), run, lang);
    await tab.watch();
    return tab;
  }

  constructor(context, page, run, lang) {
    this.context = context;
    this.page = page;
    this.run = run;
    this.lang = lang;
    this.origin = new URL(run.base).origin;
    this.foreign = [];
    this.consoleErrors = [];
    this.lastDocument = null;
  }

  async watch() {
    const { context, page, origin } = this;
    const isForeign = (url) => /^(https?|wss?):$/.test(url.protocol) && url.origin !== origin;
    context.on('request', (req) => {
      const url = new URL(req.url());
      if (isForeign(url)) this.foreign.push(`${req.method()} ${req.url()} (${req.resourceType()})`);
    });
    // Nothing leaves the machine anyway; refusing at once keeps a page from waiting on it.
    await context.route((url) => isForeign(url), (route) => route.abort('blockedbyclient'));
    page.on('response', (res) => {
      const req = res.request();
      if (req.isNavigationRequest() && req.frame() === page.mainFrame()) {
        this.lastDocument = { url: res.url(), status: res.status() };
      }
    });
    page.on('pageerror', (err) => this.consoleErrors.push(`uncaught: ${err.message}`));
    page.on('console', (msg) => {
      if (msg.type() !== 'error') return;
      const where = msg.location().url;
      // A document answered with an error status (404 page, 422 form) is logged by the browser
      // too; the document's status is checked on its own.
      if (/^Failed to load resource/.test(msg.text()) && this.lastDocument && where === this.lastDocument.url) return;
      this.consoleErrors.push(`${msg.text()}${where ? ` (${where})` : ''}`);
    });
    page.setDefaultTimeout(8_000);
    page.setDefaultNavigationTimeout(15_000);
  }

  url(p) {
    return new URL(p, this.run.base).toString();
  }

  path() {
    const u = new URL(this.page.url());
    return u.pathname + u.search;
  }

  /** Opens an address; a status other than `status` throws (the page is missing or broken). */
  async goto(p, { status = 200 } = {}) {
    const res = await this.page.goto(this.url(p));
    const expected = [].concat(status);
    if (!res || !expected.includes(res.status())) {
      throw failure(`GET ${p} answered ${res ? res.status() : 'nothing'}, expected ${expected.join(' or ')}`);
    }
  }

  async close() {
    await this.context.close();
  }

  /**
   * Checks the page the tab is on, as a subtest of `t`: its status (a wrong one throws, and so
   * stops the journey), then the screenshot(s), then the contract's landmarks, axe-core,
   * requests to other origins, console errors and the weight (these fail the subtest only).
   */
  async visited(t, name, { status = 200, phone = false } = {}) {
    const { page } = this;
    await page.waitForLoadState('load');
    const where = this.path();
    const doc = this.lastDocument;
    const record = { lang: this.lang, path: where, status: doc && doc.status, problems: [] };
    this.run.pages.push(record);

    const shot = this.run.nextShot(this.lang, name);
    record.stem = shot.stem;
    await page.screenshot({ path: shot.desktop, fullPage: true });
    if (phone) {
      await page.setViewportSize(PHONE);
      await page.screenshot({ path: shot.phone, fullPage: true });
      await page.setViewportSize(DESKTOP);
    }

    const expected = [].concat(status);
    if (!doc || !expected.includes(doc.status)) {
      const problem = `${where} answered ${doc ? doc.status : 'nothing'}, expected ${expected.join(' or ')}`;
      record.problems.push(problem);
      throw failure(problem);
    }

    const problems = record.problems;
    problems.push(...(await this.contractProblems()));

    const axe = await this.axe();
    record.axe = axe.length;
    if (axe.length) problems.push(`axe-core: ${axe.length} violation(s):\n${formatAxe(axe)}`);

    if (this.foreign.length) {
      problems.push(`requests to other origins:\n${this.foreign.map((f) => `    ${f}`).join('\n')}`);
      this.foreign = [];
    }
    if (this.consoleErrors.length) {
      problems.push(`console errors:\n${this.consoleErrors.map((f) => `    ${f}`).join('\n')}`);
      this.consoleErrors = [];
    }

    const weight = await this.weight();
    record.weight = weight.total;
    record.requests = weight.resources.length + 1;
    if (weight.total > WEIGHT_LIMIT) {
      const list = [{ name: `${where} (document)`, size: weight.document }, ...weight.resources]
        .sort((a, b) => b.size - a.size)
        .map((r) => `    ${(r.size / 1024).toFixed(1).padStart(7)} KB  ${r.name}`)
        .join('\n');
      problems.push(`weighs ${(weight.total / 1024).toFixed(1)} KB uncompressed, above ${WEIGHT_LIMIT / 1024} KB:\n${list}`);
    }

    await t.test(`page ${this.lang}/${shot.stem}: ${where}`, () => {
      if (problems.length) throw failure(`${where} (${this.lang}):\n  - ${problems.join('\n  - ')}`);
    });
  }

  /** What every page carries, per the page contract; and no English text on another language's page. */
  async contractProblems() {
    if (!untranslatedByLang.has(this.lang)) untranslatedByLang.set(this.lang, untranslated(this.lang));
    const english = untranslatedByLang.get(this.lang);
    return this.page.evaluate(({ lang, english }) => {
      const out = [];
      const q = (s) => document.querySelector(s);
      const htmlLang = document.documentElement.getAttribute('lang');
      if (htmlLang !== lang) out.push(`<html lang="${htmlLang}">, expected "${lang}"`);
      const skip = q('a.skip-link');
      if (!skip) out.push('no skip link a.skip-link');
      else if (skip.getAttribute('href') !== '#main') out.push(`a.skip-link points to ${skip.getAttribute('href')}, expected #main`);
      if (!q('header nav')) out.push('no <header> with a <nav>');
      const main = q('main#main');
      if (!main) out.push('no <main id="main">');
      else if (main.querySelectorAll('h1').length !== 1) out.push(`<main> holds ${main.querySelectorAll('h1').length} <h1>, expected one`);
      if (!q('footer')) out.push('no <footer>');
      if (!q('footer form#language-form select[name=locale]')) out.push('no language switcher footer form#language-form with select[name=locale]');
      if (!q('a#nav-offers')) out.push('no a#nav-offers in the navigation');
      for (const form of document.querySelectorAll('form')) {
        if ((form.getAttribute('method') || 'get').toLowerCase() === 'post' && !form.querySelector('input[type=hidden][name=csrf_token]')) {
          out.push(`form${form.id ? `#${form.id}` : ''} posts without a hidden csrf_token`);
        }
      }
      if (english.length) {
        const patterns = english.map((m) => ({ key: m.key, re: new RegExp(m.pattern) }));
        const clean = (t) => (t || '').replace(/[\u2068\u2069]/g, '').replace(/\s+/g, ' ').trim();
        const found = new Map();
        const look = (text, where) => {
          const t = clean(text);
          if (!t) return;
          const hit = patterns.find((m) => m.re.test(t));
          if (hit && !found.has(hit.key)) found.set(hit.key, `"${t}" (${hit.key}${where})`);
        };
        for (const el of document.body.querySelectorAll('*')) {
          if (el.closest('script, style, template')) continue;
          if (el.checkVisibility && el.checkVisibility()) look(el.innerText, '');
          for (const a of ['aria-label', 'placeholder', 'title', 'alt']) {
            if (el.hasAttribute(a)) look(el.getAttribute(a), `, ${a}`);
          }
          if (el.matches('input[type=submit], input[type=button]')) look(el.value, ', value');
        }
        look(document.title, ', <title>');
        if (found.size) {
          const list = [...found.values()];
          out.push(`${found.size} English text(s) on a page in "${lang}" (untranslated?): ${list.slice(0, 12).join('; ')}${list.length > 12 ? '; ...' : ''}`);
        }
      }
      return out;
    }, { lang: this.lang, english });
  }

  async axe() {
    const { page } = this;
    // The CSP allows only same-origin scripts, so axe goes in through the DevTools protocol
    // rather than a <script> element.
    if (!(await page.evaluate(() => typeof window.axe !== 'undefined'))) {
      await page.evaluate(AXE_SOURCE);
    }
    return page.evaluate(async () => {
      const result = await window.axe.run(document, { resultTypes: ['violations'] });
      return result.violations.map((v) => ({
        id: v.id,
        impact: v.impact,
        help: v.help,
        helpUrl: v.helpUrl,
        nodes: v.nodes.map((n) => ({ target: n.target, failureSummary: n.failureSummary })),
      }));
    });
  }

  /** The document and every subresource it loaded (cached ones too), uncompressed. */
  async weight() {
    const w = await this.page.evaluate(() => {
      const nav = performance.getEntriesByType('navigation')[0];
      const resources = performance
        .getEntriesByType('resource')
        .map((r) => ({ name: r.name, size: r.decodedBodySize }));
      return { document: nav ? nav.decodedBodySize : 0, resources };
    });
    w.total = w.document + w.resources.reduce((sum, r) => sum + r.size, 0);
    return w;
  }

  // Form helpers: the contract names fields by `name`, and labels are translated.

  field(form, name) {
    return this.page.locator(`${form} [name="${name}"]`);
  }

  /** Sets a field whatever its kind: select (by value), checkbox, date or text. */
  async set(form, name, value) {
    const el = this.field(form, name).first();
    const kind = await el.evaluate((e) => `${e.tagName.toLowerCase()}:${(e.getAttribute('type') || '').toLowerCase()}`);
    if (kind.startsWith('select')) await el.selectOption(String(value));
    else if (kind === 'input:checkbox' || kind === 'input:radio') await el.check();
    else await el.fill(String(value));
    await this.settle();
  }

  /**
   * Waits for htmx to finish what a change started, as a person's pace would: a form that updates
   * in place (the search) drops a request made while another is in flight.
   */
  async settle() {
    await this.page.waitForTimeout(30);
    await this.page.waitForFunction(() => !document.querySelector('.htmx-request'), null, { timeout: 8_000 });
  }

  async submit(form) {
    await this.page.locator(`${form} [type=submit], ${form} button:not([type])`).first().click();
  }
}

module.exports = { launchBrowser, Run, Tab, failure, formatAxe, LOCALES, WEIGHT_LIMIT };
