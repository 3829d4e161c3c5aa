// Two managers of the host, each in a browser context of their own, approve the last places of
// a day at once at /manage: one approval goes through in place, the other request is told in
// place which day has too few places left, and no day is overbooked.
'use strict';

const assert = require('node:assert/strict');
const { Tab } = require('../lib/portal');
const { run, journey, expectVisible, signIn, iso, weekAhead } = require('../lib/journey');
const { DEMO_PASSWORD } = require('../lib/api');

/**
 * `p`: the host's offer (its title; it takes `p.capacity` visitors a day), the host's manager,
 * the visiting SME's member, and how many weeks ahead the day is.
 */
function lastPlaceJourney(lang, p) {
  journey(`the last places (${lang}): two managers approve at once, one is told the day is full`, lang, ({ step }) => {
    const day = iso(weekAhead(p.weeksAhead).monday);
    const requests = [];

    step('two requests for the same day would overbook it together (API)', async () => {
      const offer = run.network.offer(p.offer);
      assert.equal(offer.capacity, p.capacity, `${p.offer} takes ${offer.capacity} a day`);
      for (let i = 0; i < 2; i += 1) {
        const landing = await run.api.as(p.member, 'POST', '/api/v1/landings', {
          offer_id: offer.id,
          start_date: day,
          end_date: day,
          headcount: p.capacity,
          purpose: 'Meet the host cluster’s companies and test the market for our products',
        });
        requests.push(landing.id);
      }
    });

    step('both managers open /manage and approve a request each at the same moment', async (t) => {
      const tabs = [await Tab.open(run.browser, run.seen, lang), await Tab.open(run.browser, run.seen, lang)];
      try {
        for (const tab of tabs) {
          await signIn(t, tab, p.manager, DEMO_PASSWORD);
          await tab.goto('/manage');
          await expectVisible(tab, `#requests-${requests[1]}`, 'both requests wait');
        }
        await tabs[0].visited(t, 'manage-two-waiting');
        // The page's checks leave their marks in its document (axe-core's): start afresh.
        await tabs[0].goto('/manage');
        await Promise.all(
          tabs.map((tab, i) => tab.page.locator(`#requests-${requests[i]} button#approve-${requests[i]}`).click()),
        );
        const outcome = async (tab, id) => {
          const item = tab.page.locator(`#requests-${id}`);
          await item.locator('.done-message, .field-error').first().waitFor({ state: 'visible' });
          return (await item.locator('.done-message').count()) > 0 ? 'approved' : await item.locator('.field-error').innerText();
        };
        const said = [await outcome(tabs[0], requests[0]), await outcome(tabs[1], requests[1])];
        const approved = said.filter((s) => s === 'approved').length;
        assert.equal(approved, 1, `one approval goes through: ${JSON.stringify(said)}`);
        const refused = said.find((s) => s !== 'approved');
        assert.ok(refused.includes(day), `the other is told the full day ${day}: "${refused}"`);
        const loser = said[0] === 'approved' ? tabs[1] : tabs[0];
        await loser.visited(t, 'manage-last-place-refused');
      } finally {
        for (const tab of tabs) await tab.close();
      }
      const days = await run.api.call('GET', `/api/v1/offers/${run.network.offer(p.offer).id}/availability?from=${day}&to=${day}`);
      assert.equal(days[0].booked, p.capacity, `the day holds ${days[0].booked} visitors, no more than its ${p.capacity} places`);
    });
  });
}

module.exports = { lastPlaceJourney };
