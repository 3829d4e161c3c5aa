// Journeys are chains of steps: once a step fails, the steps after it are skipped (they need what
// it should have done). A page's own checks (axe, weight, origins, landmarks) are subtests of the
// step that visited it: they fail on their own and do not stop the journey.
'use strict';

const { describe, test, before, after } = require('node:test');
const { Tab, failure } = require('./portal');

/** No step waits longer than this, whatever hangs. */
const STEP_TIMEOUT = 120_000;

/** The run's shared state, filled in by the top-level `before` of portal.test.js. */
const run = {};

/**
 * A journey in one language: `build({ step, tab })` declares its steps; `tab()` is the journey's
 * browser tab (its own context), opened before the first step and closed after the last.
 */
function journey(title, lang, build) {
  describe(title, () => {
    let broken = null;
    let tab = null;
    before(async () => {
      tab = await Tab.open(run.browser, run.seen, lang);
    });
    after(async () => {
      if (tab) await tab.close();
    });
    const step = (name, fn) =>
      test(name, { timeout: STEP_TIMEOUT }, async (t) => {
        if (broken) {
          t.skip(`it needs "${broken}"`);
          return;
        }
        try {
          await fn(t);
        } catch (e) {
          broken = name;
          throw e;
        }
      });
    build({ step, tab: () => tab });
  });
}

/** Waits until the tab is on an address `matches` accepts; says where it is otherwise. */
async function expectUrl(tab, matches, what, action) {
  const waiting = tab.page.waitForURL((u) => matches(new URL(u)), { timeout: 15_000 });
  try {
    if (action) await Promise.all([waiting, action()]);
    else await waiting;
  } catch (e) {
    const said = await tab.page
      .evaluate(() =>
        ['#error-summary', '.flash', 'main h1']
          .map((s) => document.querySelector(s))
          .filter(Boolean)
          .map((el) => el.textContent.replace(/\s+/g, ' ').trim())
          .join(' | '),
      )
      .catch(() => '');
    throw failure(`expected ${what}, but the browser is on ${tab.path()}${said ? ` showing "${said}"` : ''} (${e.message.split('\n')[0]})`);
  }
}

async function expectVisible(tab, selector, what) {
  try {
    await tab.page.locator(selector).first().waitFor({ state: 'visible' });
  } catch {
    throw failure(`${what}: no visible ${selector} on ${tab.path()}`);
  }
}

/** Submits a form and waits for the document it leads to (after any redirect). */
async function submitAndWait(tab, form) {
  const page = tab.page;
  const navigated = page.waitForEvent('framenavigated', { predicate: (f) => f === page.mainFrame(), timeout: 15_000 });
  await tab.submit(form);
  try {
    await navigated;
  } catch {
    throw failure(`submitting ${form} on ${tab.path()} led to no new page`);
  }
  await page.waitForLoadState('load');
}

/** Signs in through /sign-in and waits to be sent on. */
async function signIn(t, tab, email, password) {
  await tab.goto('/sign-in');
  await tab.visited(t, 'sign-in');
  await tab.set('form#sign-in-form', 'email', email);
  await tab.set('form#sign-in-form', 'password', password);
  await expectUrl(tab, (u) => u.pathname !== '/sign-in', 'to leave /sign-in once signed in', () =>
    tab.submit('form#sign-in-form'),
  );
  await expectVisible(tab, 'a#nav-landings', 'signed in, the navigation links to the landings');
}

// Days: a landing's days are plain dates in the host's zone; the journeys ask weeks ahead so
// that "today" in any zone is well before them.

function iso(d) {
  return d.toISOString().slice(0, 10);
}

/** Monday `weeks` weeks from now, and the days after it. */
function weekAhead(weeks) {
  const d = new Date();
  d.setUTCHours(12, 0, 0, 0);
  d.setUTCDate(d.getUTCDate() + weeks * 7);
  while (d.getUTCDay() !== 1) d.setUTCDate(d.getUTCDate() + 1);
  const day = (n) => {
    const x = new Date(d);
    x.setUTCDate(x.getUTCDate() + n);
    return x;
  };
  return { monday: day(0), tuesday: day(1), wednesday: day(2) };
}

const LANDING_ID = /^\/landings\/([0-9a-f-]{36})$/;

module.exports = { STEP_TIMEOUT, run, journey, expectUrl, expectVisible, submitAndWait, signIn, iso, weekAhead, LANDING_ID };
