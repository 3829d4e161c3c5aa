// Journey 3: the request form completed with the keyboard alone (Tab, typing, Space, Enter: no
// clicks and no `fill`), and a form error shown at its field and summarised at the top.
'use strict';

const assert = require('node:assert/strict');
const { run, journey, expectUrl, expectVisible, submitAndWait, signIn, iso, weekAhead, LANDING_ID } = require('../lib/journey');

const SME_MEMBER = 'ceo@nordicsensors.demo';
const OFFER = 'Hot desk at the CyberForum hub';

/** MM/DD/YYYY keystrokes: the browser runs with one date format (see launchBrowser). */
function dateKeys(d) {
  const [y, m, day] = iso(d).split('-');
  return `${m}${day}${y}`;
}

/** Describes the focused element, and whether its focus can be seen. */
function focused(page) {
  return page.evaluate(() => {
    const el = document.activeElement;
    if (!el || el === document.body) return null;
    const s = getComputedStyle(el);
    const outline = s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) > 0;
    return {
      tag: el.tagName.toLowerCase(),
      name: el.getAttribute('name'),
      type: el.getAttribute('type'),
      id: el.id,
      cls: el.className,
      form: el.form ? el.form.id : null,
      visible: outline || s.boxShadow !== 'none',
    };
  });
}

function describeEl(f) {
  if (!f) return 'nothing';
  return `${f.tag}${f.id ? `#${f.id}` : ''}${f.name ? `[name=${f.name}]` : ''}${f.type ? `[type=${f.type}]` : ''}`;
}

function keyboardJourney(lang, { weeksAhead }) {
  journey(`journey 3 (${lang}): the request form with the keyboard alone`, lang, ({ step, tab: current }) => {
    const days = weekAhead(weeksAhead);
    const purpose = 'Meet the region\'s robotics integrators and test our sensors with two pilot customers';

    step('signs in as a member of a verified SME', (t) => signIn(t, current(), SME_MEMBER, 'softlanding-demo'));

    step('completes /landings/new with Tab, typing, Space and Enter', async (t) => {
      const tab = current();
      const { page } = tab;
      const offer = run.network.offer(OFFER);
      await tab.goto(`/landings/new?offer_id=${offer.id}`);
      await tab.visited(t, 'keyboard-landing-new');
      const unseen = [];

      await page.keyboard.press('Tab');
      const first = await focused(page);
      assert.ok(first && /\bskip-link\b/.test(first.cls), `the first Tab focuses ${describeEl(first)}, not the skip link a.skip-link`);

      /** Presses Tab until the focused element is what `want` accepts. */
      const tabTo = async (what, want) => {
        for (let i = 0; i < 120; i++) {
          await page.keyboard.press('Tab');
          const f = await focused(page);
          if (f && want(f)) {
            if (!f.visible) unseen.push(describeEl(f));
            return;
          }
        }
        throw new Error(`120 presses of Tab never reached ${what}`);
      };
      const field = (name) => (f) => f.form === 'landing-form' && f.name === name;

      await tabTo('start_date', field('start_date'));
      await page.keyboard.type(dateKeys(days.monday));
      await tabTo('end_date', field('end_date'));
      await page.keyboard.type(dateKeys(days.tuesday));
      await tabTo('headcount', field('headcount'));
      await page.keyboard.press('ControlOrMeta+A');
      await page.keyboard.type('1');
      await tabTo('purpose', field('purpose'));
      await page.keyboard.type(purpose);
      let services = [];
      if ((await tab.field('form#landing-form', 'requested_services').count()) > 0) {
        await tabTo('a requested_services checkbox', field('requested_services'));
        await page.keyboard.press('Space');
        services = await page.evaluate(() => [...document.querySelectorAll('#landing-form [name=requested_services]:checked')].map((e) => e.value));
        assert.equal(services.length, 1, 'Space did not tick the checkbox');
      }

      const values = await page.evaluate(() => {
        const v = (n) => document.querySelector(`#landing-form [name=${n}]`).value;
        return { start: v('start_date'), end: v('end_date'), headcount: v('headcount') };
      });
      assert.deepEqual(values, { start: iso(days.monday), end: iso(days.tuesday), headcount: '1' }, 'the typed values are not what the fields hold');

      await tabTo('the submit button', (f) => f.form === 'landing-form' && f.type === 'submit');
      await expectUrl(tab, (u) => LANDING_ID.test(u.pathname), 'Enter on the button to send the request to /landings/{id}', () =>
        page.keyboard.press('Enter'),
      );
      await expectVisible(tab, '#landing-state[data-state="pending_approval"]', 'the landing waits for approval');
      await tab.visited(t, 'keyboard-landing-pending');

      const id = LANDING_ID.exec(new URL(page.url()).pathname)[1];
      const landing = await run.api.as(SME_MEMBER, 'GET', `/api/v1/landings/${id}`);
      assert.deepEqual(
        {
          offer_id: landing.offer_id,
          start_date: landing.start_date,
          end_date: landing.end_date,
          headcount: landing.headcount,
          purpose: landing.purpose,
          requested_services: landing.requested_services,
        },
        {
          offer_id: offer.id,
          start_date: iso(days.monday),
          end_date: iso(days.tuesday),
          headcount: 1,
          purpose,
          requested_services: services,
        },
        'the landing the API shows is not the one typed',
      );
      assert.deepEqual(unseen, [], `focus cannot be seen (no outline, no box-shadow) on: ${unseen.join(', ')}`);
    });
  });
}

function formErrorJourney(lang, { weeksAhead }) {
  journey(`form errors (${lang}): a too-short purpose is shown at its field`, lang, ({ step, tab: current }) => {
    const days = weekAhead(weeksAhead);

    step('signs in as a member of a verified SME', (t) => signIn(t, current(), SME_MEMBER, 'softlanding-demo'));

    step('a purpose of 9 characters gives #purpose-error and #error-summary', async (t) => {
      const tab = current();
      const { page } = tab;
      const offer = run.network.offer(OFFER);
      await tab.goto(`/landings/new?offer_id=${offer.id}`);
      const f = 'form#landing-form';
      await tab.set(f, 'start_date', iso(days.monday));
      await tab.set(f, 'end_date', iso(days.tuesday));
      await tab.set(f, 'headcount', '1');
      await tab.set(f, 'purpose', 'Too short');
      // The browser's own validation (minlength) may stop this before it leaves; the server's
      // answer is what this checks, so the form goes as a browser without that check sends it.
      await page.evaluate(() => {
        document.querySelector('#landing-form').noValidate = true;
      });
      await submitAndWait(tab, f);
      assert.equal(new URL(page.url()).pathname, '/landings/new', `the refused request went on to ${tab.path()}`);
      await tab.visited(t, 'landing-form-error', { status: [200, 400, 422], phone: true });

      const found = await page.evaluate(() => {
        const summary = document.querySelector('#error-summary');
        const error = document.querySelector('#purpose-error');
        const input = document.querySelector('#landing-form [name=purpose]');
        const targets = summary
          ? [...summary.querySelectorAll('a[href^="#"]')].map((a) => {
              const el = document.getElementById(decodeURIComponent(a.getAttribute('href').slice(1)));
              return el ? el.getAttribute('name') || el.id : `(nothing with id ${a.getAttribute('href')})`;
            })
          : [];
        return {
          summary: !!summary,
          summaryRole: summary && summary.getAttribute('role'),
          summaryLinks: targets,
          error: error ? error.textContent.trim() : null,
          invalid: input && input.getAttribute('aria-invalid'),
          describedBy: input && [input.getAttribute('aria-describedby'), input.getAttribute('aria-errormessage')].join(' ').split(/\s+/),
          kept: {
            purpose: input && input.value,
            start: document.querySelector('#landing-form [name=start_date]').value,
          },
        };
      });
      assert.ok(found.summary, 'no #error-summary');
      assert.equal(found.summaryRole, 'alert', '#error-summary is not role="alert"');
      assert.ok(found.summaryLinks.includes('purpose'), `#error-summary links to ${JSON.stringify(found.summaryLinks)}, not to the purpose field`);
      assert.ok(found.error, 'no #purpose-error, or it is empty');
      assert.equal(found.invalid, 'true', 'the purpose field is not aria-invalid="true"');
      assert.ok(found.describedBy.includes('purpose-error'), 'the purpose field does not point to #purpose-error (aria-describedby)');
      assert.deepEqual(found.kept, { purpose: 'Too short', start: iso(days.monday) }, 'the form did not keep what was entered');
    });
  });
}

module.exports = { keyboardJourney, formErrorJourney };
