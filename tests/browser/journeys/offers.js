// Journey 2: a host cluster's manager creates an offer at /manage/offers (the form refuses a
// missing title at its field first), closes some of its days with a blackout and publishes it;
// the offer is then found by the public search and its public calendar shows the blackout's
// days as not available.
'use strict';

const path = require('node:path');
const assert = require('node:assert/strict');
const { run, journey, expectUrl, expectVisible, submitAndWait, signIn, iso, weekAhead } = require('../lib/journey');
const { parse, pattern } = require('../lib/catalog');
const { REPO } = require('../lib/service');
const { DEMO_PASSWORD } = require('../lib/api');

const OFFER_PAGE = /^\/manage\/offers\/([0-9a-f-]{36})$/;

/** The English messages of the offer pages that `lang` words differently (a missed translation). */
function untranslatedHere(lang) {
  if (lang === 'en') return [];
  const en = parse(path.join(REPO, 'locales', 'en', 'manage_offers.ftl'));
  const other = parse(path.join(REPO, 'locales', lang, 'manage_offers.ftl'));
  const out = [];
  for (const [key, value] of en) {
    if (other.get(key) === value) continue;
    const p = pattern(value);
    if (p) out.push({ key, pattern: p });
  }
  return out;
}

/** Visits the page (the checks of every page) and, on a page in another language, fails on an
 * English message of the offer pages left on it. */
async function visitedHere(t, tab, name, opts) {
  await tab.visited(t, name, opts);
  const english = untranslatedHere(tab.lang);
  if (!english.length) return;
  const found = await tab.page.evaluate((messages) => {
    const patterns = messages.map((m) => ({ key: m.key, re: new RegExp(m.pattern) }));
    const clean = (s) => (s || '').replace(/[\u2068\u2069]/g, '').replace(/\s+/g, ' ').trim();
    const hits = [];
    for (const el of document.body.querySelectorAll('*')) {
      if (el.closest('script, style, template')) continue;
      const texts = [el.checkVisibility && el.checkVisibility() ? el.innerText : ''];
      for (const a of ['aria-label', 'placeholder', 'title', 'alt']) texts.push(el.getAttribute(a));
      for (const text of texts) {
        const s = clean(text);
        const hit = s && patterns.find((m) => m.re.test(s));
        if (hit) hits.push(`"${s}" (${hit.key})`);
      }
    }
    return [...new Set(hits)];
  }, english);
  assert.deepEqual(found, [], `English text on a page in "${tab.lang}" at ${tab.path()}`);
}

/**
 * `p`: the host's manager and its cluster's country, the new offer's title, city and kind, and
 * how many weeks ahead its first open week (`weeksAhead`) and its blackout week (`blackoutWeeksAhead`) are.
 */
function offerJourney(lang, p) {
  journey(`journey 2 (${lang}): a manager creates an offer, closes days and publishes it`, lang, ({ step, tab: current }) => {
    const open = weekAhead(p.weeksAhead);
    const closed = weekAhead(p.blackoutWeeksAhead);
    const until = new Date(closed.monday);
    until.setUTCDate(until.getUTCDate() + 42);
    let id = null;

    step('the manager signs in and opens their offers', async (t) => {
      const tab = current();
      await signIn(t, tab, p.manager, DEMO_PASSWORD);
      await tab.goto('/manage/offers');
      await expectVisible(tab, 'a#new-offer', 'the list offers to create an offer');
      await visitedHere(t, tab, 'manage-offers');
      await expectUrl(tab, (u) => u.pathname === '/manage/offers/new', 'a#new-offer to lead to the form', () =>
        tab.page.locator('a#new-offer').click(),
      );
      await visitedHere(t, tab, 'manage-offer-new', { phone: true });
    });

    step('a missing title is told at its field, and the rest stays', async (t) => {
      const tab = current();
      const f = 'form#offer-form';
      await tab.set(f, 'kind', p.kind);
      await tab.set(f, 'description', p.description);
      await tab.set(f, 'city', p.city);
      await tab.set(f, 'capacity', '4');
      await tab.set(f, 'available_from', iso(open.monday));
      await tab.set(f, 'available_until', iso(until));
      await tab.set(f, 'max_stay_days', '5');
      await tab.set(f, 'languages', p.languages);
      await tab.set(f, 'sectors', 'software');
      await submitAndWait(tab, f);
      await expectVisible(tab, '#error-summary a[href="#title"]', 'the summary links to the title');
      await expectVisible(tab, '#title-error', 'the title says what is wrong');
      assert.equal(await tab.field(f, 'title').getAttribute('aria-invalid'), 'true');
      assert.equal(await tab.field(f, 'city').inputValue(), p.city, 'the city typed stays');
      await visitedHere(t, tab, 'manage-offer-new-errors', { status: 422 });
    });

    step('with its title, the offer is created as a draft and its page shown', async (t) => {
      const tab = current();
      const f = 'form#offer-form';
      await tab.set(f, 'title', p.title);
      await expectUrl(tab, (u) => OFFER_PAGE.test(u.pathname), 'the new offer’s page', () => tab.submit(f));
      [, id] = OFFER_PAGE.exec(new URL(tab.page.url()).pathname);
      await expectVisible(tab, '.flash', 'the page says the offer is created');
      await expectVisible(tab, 'button#publish-offer', 'a draft can be published');
      assert.equal(await tab.page.locator('button#pause-offer').count(), 0, 'a draft cannot be paused');
      await expectVisible(tab, `#calendar td[data-date="${iso(open.monday)}"][data-remaining="4"]`, 'the calendar shows the open days');
      await visitedHere(t, tab, 'manage-offer-draft', { phone: true });
      const offer = await run.api.as(p.manager, 'GET', `/api/v1/offers/${id}`);
      assert.equal(offer.state, 'draft');
      assert.equal(offer.title, p.title);
      assert.equal(offer.capacity, 4);
      assert.deepEqual(offer.open_weekdays, [1, 2, 3, 4, 5]);
    });

    step('a blackout closes Monday to Wednesday of a later week', async (t) => {
      const tab = current();
      const f = 'form#blackout-form';
      await tab.set(f, 'start_date', iso(closed.monday));
      await tab.set(f, 'end_date', iso(closed.wednesday));
      await tab.set(f, 'reason', p.reason);
      await submitAndWait(tab, f);
      await expectVisible(tab, '#blackout-list li', 'the blackout is listed');
      const cell = `#calendar td[data-date="${iso(closed.monday)}"]`;
      await expectVisible(tab, `${cell}.blackout`, 'the calendar marks the blackout’s days');
      await visitedHere(t, tab, 'manage-offer-blackout');
    });

    step('the manager publishes it', async (t) => {
      const tab = current();
      await submitAndWait(tab, 'form#publish-form');
      await expectVisible(tab, 'button#pause-offer', 'a published offer can be paused');
      assert.equal(await tab.page.locator('button#publish-offer').count(), 0, 'it is published already');
      await visitedHere(t, tab, 'manage-offer-published');
      const offer = await run.api.call('GET', `/api/v1/offers/${id}`);
      assert.equal(offer.state, 'published', 'anyone now reads the offer');
    });

    step('the public search finds it', async (t) => {
      const tab = current();
      await tab.goto('/offers');
      const f = 'form#search-form';
      await tab.set(f, 'country', p.country);
      await tab.set(f, 'kind', p.kind);
      await tab.set(f, 'from', iso(open.monday));
      await tab.set(f, 'to', iso(open.wednesday));
      await tab.set(f, 'headcount', '2');
      await tab.page.locator('button#search-submit').click();
      await tab.settle();
      await expectUrl(tab, (u) => u.pathname === '/offers' && u.searchParams.get('from') === iso(open.monday), 'the search’s address');
      await expectVisible(tab, `#results a.offer-link[href="/offers/${id}"]`, `the search finds "${p.title}"`);
      await tab.visited(t, 'offers-new-offer');
    });

    step('its public page shows the blackout’s days as not available', async (t) => {
      const tab = current();
      await tab.goto(`/offers/${id}?month=${iso(closed.monday).slice(0, 7)}`);
      const cell = (d) => `#calendar td[data-date="${iso(d)}"]`;
      await expectVisible(tab, cell(closed.monday), 'the calendar shows the blackout’s month');
      for (const d of [closed.monday, closed.wednesday]) {
        assert.equal(await tab.page.locator(cell(d)).getAttribute('class'), 'closed', `${iso(d)} is not available`);
        assert.equal(await tab.page.locator(cell(d)).getAttribute('data-remaining'), null);
      }
      const thursday = new Date(closed.monday);
      thursday.setUTCDate(thursday.getUTCDate() + 3);
      if (iso(thursday).slice(0, 7) === iso(closed.monday).slice(0, 7)) {
        assert.equal(await tab.page.locator(cell(thursday)).getAttribute('data-remaining'), '4', 'the day after the blackout is open');
      }
      await tab.visited(t, 'offer-public-blackout');
    });
  });
}

module.exports = { offerJourney };
