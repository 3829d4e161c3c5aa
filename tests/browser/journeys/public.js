// What anyone sees without signing in, and the footer's language switcher. These steps do not
// depend on each other, so one failing does not skip the others.
'use strict';

const assert = require('node:assert/strict');
const { describe, test, before, after } = require('node:test');
const { STEP_TIMEOUT, run, expectUrl, expectVisible, submitAndWait } = require('../lib/journey');

function publicPages() {
  describe('pages anyone sees (en)', { timeout: 10 * STEP_TIMEOUT }, () => {
    let tab;
    before(async () => {
      const { Tab } = require('../lib/portal');
      tab = await Tab.open(run.browser, run.seen, 'en');
    });
    after(async () => tab && tab.close());

    test('/ : what the network is, a search box and the clusters', async (t) => {
      await tab.goto('/');
      await tab.visited(t, 'home', { phone: true });
      await expectVisible(tab, 'form#home-search [name=q]', 'the home page has a search box');
      const text = await tab.page.locator('main').innerText();
      const missing = run.network.clusters.map((c) => c.name).filter((n) => !text.includes(n));
      assert.deepEqual(missing, [], 'the home page does not name every cluster');
    });

    test('/ : the search box leads to /offers with the words', async (t) => {
      await tab.goto('/');
      await tab.set('form#home-search', 'q', 'desk');
      await expectUrl(
        tab,
        (u) => u.pathname === '/offers' && u.searchParams.get('q') === 'desk',
        '/offers?q=desk',
        () => tab.submit('form#home-search'),
      );
      const desk = run.network.offer('Hot desk at the CyberForum hub');
      const briefing = run.network.offer('Nordic telecom market briefing');
      await expectVisible(tab, `#results a.offer-link[href="/offers/${desk.id}"]`, '"desk" finds the hot desk');
      assert.equal(await tab.page.locator(`#results a.offer-link[href="/offers/${briefing.id}"]`).count(), 0, '"desk" also finds the market briefing');
      await tab.visited(t, 'offers-q');
    });

    test('/offers : every published offer', async (t) => {
      await tab.goto('/offers');
      await tab.visited(t, 'offers', { phone: true });
      const hrefs = await tab.page.locator('#results li.offer a.offer-link').evaluateAll((as) => as.map((a) => a.getAttribute('href')));
      const missing = run.network.offers.filter((o) => !hrefs.includes(`/offers/${o.id}`)).map((o) => o.title);
      assert.deepEqual(missing, [], 'offers missing from /offers');
    });

    test('/offers/{id} : the offer, its calendar, and "request a landing" asks to sign in first', async (t) => {
      const offer = run.network.offer('Hot desk at the CyberForum hub');
      await tab.goto(`/offers/${offer.id}`);
      await tab.visited(t, 'offer', { phone: true });
      const h1 = (await tab.page.locator('main h1').textContent()) || '';
      assert.ok(h1.includes(offer.title), `<h1> reads "${h1.trim()}"`);
      // Nothing is booked yet: an open day has every place free.
      await expectVisible(tab, `#calendar td[data-date][data-remaining="${offer.capacity}"]`, 'an open day shows all places free');
      const href = await tab.page.locator('a#request-landing').getAttribute('href');
      assert.equal(href, `/landings/new?offer_id=${offer.id}`);
      await expectUrl(tab, (u) => u.pathname === '/sign-in', 'an anonymous request to go to /sign-in first', () =>
        tab.page.locator('a#request-landing').click(),
      );
      await tab.visited(t, 'sign-in-first');
    });

    test('/clusters and /clusters/{id} : the directory and a cluster with its offers', async (t) => {
      await tab.goto('/clusters');
      await tab.visited(t, 'clusters');
      const links = tab.page.locator('li.cluster a.cluster-link');
      assert.equal(await links.count(), run.network.clusters.length, 'the directory does not list every cluster');
      const cf = run.network.cluster('CyberForum');
      await expectUrl(tab, (u) => u.pathname === `/clusters/${cf.id}`, `/clusters/${cf.id}`, () =>
        tab.page.locator(`li.cluster a.cluster-link[href="/clusters/${cf.id}"]`).click(),
      );
      await tab.visited(t, 'cluster');
      const own = run.network.offers.filter((o) => o.cluster_id === cf.id);
      const hrefs = await tab.page.locator('a.offer-link').evaluateAll((as) => as.map((a) => a.getAttribute('href')));
      const missing = own.filter((o) => !hrefs.includes(`/offers/${o.id}`)).map((o) => o.title);
      assert.deepEqual(missing, [], "the cluster's page misses offers");
    });

    for (const [path, name, form] of [
      ['/sign-in', 'sign-in', 'form#sign-in-form'],
      ['/sign-up', 'sign-up', 'form#sign-up-form'],
      ['/forgot-password', 'forgot-password', 'form#forgot-form'],
    ]) {
      test(`${path} : ${form}`, async (t) => {
        await tab.goto(path);
        await tab.visited(t, name);
        await expectVisible(tab, form, `${path} has its form`);
      });
    }

    test('an unknown offer is a 404 page that looks like the portal', async (t) => {
      await tab.goto('/offers/00000000-0000-4000-8000-000000000000', { status: 404 });
      await tab.visited(t, 'not-found', { status: 404 });
    });
  });
}

function languageSwitcher() {
  describe('the language switcher (en → de)', { timeout: STEP_TIMEOUT }, () => {
    let tab;
    before(async () => {
      const { Tab } = require('../lib/portal');
      tab = await Tab.open(run.browser, run.seen, 'en');
    });
    after(async () => tab && tab.close());

    test('the footer form switches to German, and the choice stays', async (t) => {
      await tab.goto('/');
      await tab.page.locator('form#language-form select[name=locale]').selectOption('de');
      await submitAndWait(tab, 'form#language-form');
      tab.lang = 'de';
      await tab.visited(t, 'home-switched');
      await tab.goto('/offers');
      await tab.visited(t, 'offers-switched');
    });
  });
}

module.exports = { publicPages, languageSwitcher };
