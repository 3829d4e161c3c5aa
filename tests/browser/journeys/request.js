// Journey 1: an SME signs up, confirms its address, is verified by its home cluster, signs in,
// searches, opens an offer and requests a landing; the host approves it in the portal; the SME sees
// it approved and downloads the .ics. The managers' decisions are taken at /manage, each in a
// browser context of its own.
'use strict';

const assert = require('node:assert/strict');
const fs = require('node:fs');
const { run, journey, expectUrl, expectVisible, submitAndWait, signIn, iso, weekAhead, LANDING_ID } = require('../lib/journey');
const { Tab } = require('../lib/portal');

/** Every demo account's password (`softlanding seed-demo`). */
const DEMO_PASSWORD = 'softlanding-demo';
const { waitForLink } = require('../lib/mail');

/**
 * `p`: the SME (name, country, home cluster and its manager, contact), the offer it lands at
 * (title, the host's manager, the search that finds it and an offer that search leaves out),
 * and how many weeks ahead it lands.
 */
function requestJourney(lang, p) {
  journey(`journey 1 (${lang}): an SME signs up, requests a landing and sees it approved`, lang, ({ step, tab: current }) => {
    const days = weekAhead(p.weeksAhead);
    let offer;
    let landingId;

    step('signs up at /sign-up', async (t) => {
      const tab = current();
      offer = run.network.offer(p.offer);
      await tab.goto('/sign-up');
      await tab.visited(t, 'sign-up', { phone: true });
      const f = 'form#sign-up-form';
      await tab.set(f, 'name', p.sme);
      await tab.set(f, 'country', p.country);
      await tab.set(f, 'sector', p.sector);
      await tab.set(f, 'website', p.website);
      await tab.set(f, 'employees', '12');
      await tab.set(f, 'home_cluster_id', run.network.cluster(p.homeCluster).id);
      await tab.set(f, 'contact_name', p.contactName);
      await tab.set(f, 'contact_email', p.contactEmail);
      await tab.set(f, 'password', p.password);
      await expectUrl(tab, (u) => u.pathname === '/sign-up/done', 'the sign-up to go on to /sign-up/done', () => tab.submit(f));
      await expectVisible(tab, '#sign-up-done', 'the sign-up is done');
      await tab.visited(t, 'sign-up-done');
    });

    step('confirms the address from the link in the email', async (t) => {
      const tab = current();
      const { link, mail } = await waitForLink(run.service.mailDir, {
        to: p.contactEmail,
        base: run.service.base,
        linkPath: '/confirm-email?token=',
      });
      // Emails go out in the recipient's language: the German sign-up's differs from the English one's.
      run.confirmationSubjects = { ...run.confirmationSubjects, [lang]: mail.subject };
      const english = run.confirmationSubjects.en;
      if (lang !== 'en' && english) {
        await t.test(`the email is in the sign-up's language (${lang})`, () => {
          assert.notEqual(mail.subject, english, `the email's subject is the English one: "${english}"`);
        });
      }
      await tab.page.goto(link);
      await tab.visited(t, 'confirm-email');
      await submitAndWait(tab, 'form#confirm-email-form');
      await expectVisible(tab, '#email-confirmed', 'the address is confirmed');
      await tab.visited(t, 'email-confirmed');
    });

    step(`the home cluster's manager verifies the SME at /manage`, async (t) => {
      const manager = await Tab.open(run.browser, run.seen, lang);
      try {
        await signIn(t, manager, p.homeManager, DEMO_PASSWORD);
        await manager.goto('/manage');
        await expectVisible(manager, '#sign-ups li.item', 'an SME waits to be verified');
        await manager.visited(t, 'manage-home', { phone: true });
        const item = manager.page.locator('#sign-ups li.item', { hasText: p.sme });
        const id = await item.getAttribute('id');
        await item.locator('button[id^="verify-"]').click();
        await expectVisible(manager, `#${id} .done-message`, 'the SME is verified in place');
      } finally {
        await manager.close();
      }
    });

    step('signs in from the confirmation page', async (t) => {
      const tab = current();
      await expectUrl(tab, (u) => u.pathname === '/sign-in', 'a#go-sign-in to lead to /sign-in', () =>
        tab.page.locator('a#go-sign-in').click(),
      );
      await tab.visited(t, 'sign-in');
      await tab.set('form#sign-in-form', 'email', p.contactEmail);
      await tab.set('form#sign-in-form', 'password', p.password);
      await expectUrl(tab, (u) => u.pathname !== '/sign-in', 'to leave /sign-in once signed in', () =>
        tab.submit('form#sign-in-form'),
      );
      await expectVisible(tab, 'a#nav-landings', 'signed in, the navigation links to the landings');
      await expectVisible(tab, 'a#nav-sme', 'signed in as an SME member, the navigation links to /sme');
      await tab.visited(t, 'signed-in');
    });

    step('searches for the offer at /offers', async (t) => {
      const tab = current();
      await expectUrl(tab, (u) => u.pathname === '/offers', 'a#nav-offers to lead to /offers', () =>
        tab.page.locator('a#nav-offers').click(),
      );
      await tab.visited(t, 'offers');
      const f = 'form#search-form';
      await tab.set(f, 'country', p.search.country);
      await tab.set(f, 'kind', p.search.kind);
      await tab.set(f, 'from', iso(days.monday));
      await tab.set(f, 'to', iso(days.wednesday));
      await tab.set(f, 'headcount', '2');
      await tab.page.locator('button#search-submit').click();
      await tab.settle();
      // The results (and the address, for going back) are those of every filter set above.
      const asked = { country: p.search.country, kind: p.search.kind, from: iso(days.monday), to: iso(days.wednesday), headcount: '2' };
      await expectUrl(
        tab,
        (u) => u.pathname === '/offers' && Object.entries(asked).every(([k, v]) => u.searchParams.get(k) === v),
        `/offers?${new URLSearchParams(asked)}`,
      );
      const wanted = `#results li.offer a.offer-link[href="/offers/${offer.id}"]`;
      await expectVisible(tab, wanted, `the search finds "${p.offer}"`);
      const other = run.network.offer(p.search.leavesOut);
      const others = await tab.page.locator(`#results a.offer-link[href="/offers/${other.id}"]`).count();
      assert.equal(others, 0, `the search (country ${p.search.country}) still lists "${p.search.leavesOut}"`);
      await tab.visited(t, 'offers-found');
    });

    step('opens the offer', async (t) => {
      const tab = current();
      await expectUrl(tab, (u) => u.pathname === `/offers/${offer.id}`, 'the result to open the offer', () =>
        tab.page.locator(`#results a.offer-link[href="/offers/${offer.id}"]`).first().click(),
      );
      const h1 = (await tab.page.locator('main h1').textContent()) || '';
      assert.ok(h1.includes(p.offer), `the offer's <h1> reads "${h1.trim()}", not its title "${p.offer}"`);
      await expectVisible(tab, '#calendar td[data-date][data-remaining]', 'the calendar shows free places');
      await tab.visited(t, 'offer', { phone: true });
    });

    step('requests a landing at /landings/new', async (t) => {
      const tab = current();
      await expectUrl(
        tab,
        (u) => u.pathname === '/landings/new' && u.searchParams.get('offer_id') === offer.id,
        `a#request-landing to lead to /landings/new?offer_id=${offer.id}`,
        () => tab.page.locator('a#request-landing').click(),
      );
      await tab.visited(t, 'landing-new', { phone: true });
      const f = 'form#landing-form';
      await tab.set(f, 'start_date', iso(days.monday));
      await tab.set(f, 'end_date', iso(days.wednesday));
      await tab.set(f, 'headcount', '2');
      await tab.set(f, 'purpose', p.purpose);
      const services = tab.field(f, 'requested_services');
      if ((await services.count()) > 0) await services.first().check();
      await expectUrl(tab, (u) => LANDING_ID.test(u.pathname), 'the request to lead to /landings/{id}', () => tab.submit(f));
      landingId = LANDING_ID.exec(new URL(tab.page.url()).pathname)[1];
      await expectVisible(tab, '#landing-state[data-state="pending_approval"]', 'the landing waits for approval');
      await expectVisible(tab, 'ol#timeline li', 'the landing has a timeline');
      await tab.visited(t, 'landing-pending');
    });

    step(`the host's manager approves at /manage, in place`, async (t) => {
      const manager = await Tab.open(run.browser, run.seen, lang);
      try {
        await signIn(t, manager, p.hostManager, DEMO_PASSWORD);
        await manager.goto('/manage');
        const item = `#requests-${landingId}`;
        await expectVisible(manager, `${item} .day-places li`, 'the request shows the free places of its days');
        await manager.visited(t, 'manage-host', { phone: true });
        await manager.page.locator(`${item} button#approve-${landingId}`).click();
        await expectVisible(manager, `${item} .done-message`, 'the request is approved in place');
        await manager.visited(t, 'manage-approved');
      } finally {
        await manager.close();
      }
    });

    step('sees the landing approved', async (t) => {
      const tab = current();
      await expectUrl(tab, (u) => u.pathname === '/landings', 'a#nav-landings to lead to /landings', () =>
        tab.page.locator('a#nav-landings').click(),
      );
      await expectVisible(tab, `table#landings tr[data-landing-id="${landingId}"]`, 'the landing is listed');
      await tab.visited(t, 'landings');
      await expectUrl(tab, (u) => u.pathname === `/landings/${landingId}`, 'the row to open the landing', () =>
        tab.page.locator(`tr[data-landing-id="${landingId}"] a.landing-link`).first().click(),
      );
      await expectVisible(tab, '#landing-state[data-state="approved"]', 'the landing is approved');
      await tab.visited(t, 'landing-approved', { phone: true });
    });

    step('downloads the .ics', async () => {
      const tab = current();
      const link = tab.page.locator('a#ics-download');
      const href = await link.getAttribute('href');
      assert.equal(new URL(href, tab.page.url()).pathname, `/landings/${landingId}/calendar.ics`, 'a#ics-download links elsewhere');
      const [download] = await Promise.all([tab.page.waitForEvent('download'), link.click()]);
      const text = fs.readFileSync(await download.path(), 'utf8');
      assert.ok(text.startsWith('BEGIN:VCALENDAR'), `the download starts with ${JSON.stringify(text.slice(0, 40))}`);
      assert.ok(text.includes(iso(days.monday).replace(/-/g, '')), `the .ics does not hold the first day ${iso(days.monday)}`);
    });

    step('finds its company at /sme and its account at /account', async (t) => {
      const tab = current();
      await expectUrl(tab, (u) => u.pathname === '/sme', 'a#nav-sme to lead to /sme', () => tab.page.locator('a#nav-sme').click());
      await tab.visited(t, 'sme');
      await expectForms(t, tab, {
        'form#sme-form': ['etag', 'name', 'country', 'sector', 'website', 'employees'],
        'form#invite-form': ['invite_name', 'invite_email'],
      });
      await expectUrl(tab, (u) => u.pathname === '/account', 'a#nav-account to lead to /account', () =>
        tab.page.locator('a#nav-account').click(),
      );
      await tab.visited(t, 'account');
      await expectForms(t, tab, {
        'form#account-form': ['name', 'locale'],
        'form#password-form': ['current_password', 'new_password'],
        'form#sign-out-everywhere-form': [],
      });
    });

    step('signs out', async (t) => {
      const tab = current();
      await submitAndWait(tab, 'form#sign-out-form');
      await expectVisible(tab, 'a#nav-sign-in', 'signed out, the navigation offers to sign in');
      await tab.visited(t, 'signed-out');
      await tab.goto('/landings');
      assert.equal(new URL(tab.page.url()).pathname, '/sign-in', `/landings after signing out shows ${tab.path()}, not /sign-in`);
    });
  });
}

/** The page contract's forms and their fields' names, each form a subtest that does not stop the journey. */
async function expectForms(t, tab, forms) {
  for (const [form, names] of Object.entries(forms)) {
    await t.test(`${form} has ${names.length ? names.join(', ') : 'its button'}`, async () => {
      assert.equal(await tab.page.locator(form).count(), 1, `no ${form} on ${tab.path()}`);
      const missing = [];
      for (const name of names) if ((await tab.field(form, name).count()) === 0) missing.push(name);
      const present = await tab.page
        .locator(`${form} [name]`)
        .evaluateAll((els) => [...new Set(els.map((e) => e.getAttribute('name')))].filter((n) => n !== 'csrf_token'));
      assert.deepEqual(missing, [], `${form} has no field named ${missing.join(', ')} (its fields: ${present.join(', ')})`);
    });
  }
}

module.exports = { requestJourney, expectForms };
