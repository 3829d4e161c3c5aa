// A cluster's manager looks after the cluster at /manage/cluster: invites a manager, creates an
// API client and sees its secret once, adds a webhook and opens its delivery log; then opens
// /manage/reports and downloads the reciprocity as CSV. In a language other than English, no
// message of the cluster pages' own catalog is left in English.
'use strict';

const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const { run, journey, expectUrl, expectVisible, submitAndWait, signIn } = require('../lib/journey');
const { DEMO_PASSWORD } = require('../lib/api');
const { parse, pattern } = require('../lib/catalog');
const { REPO } = require('../lib/service');

/** The English messages of the cluster pages that `lang` words otherwise, as patterns. */
function untranslatedHere(lang) {
  if (lang === 'en') return [];
  const file = (l) => path.join(REPO, 'locales', l, 'manage_cluster.ftl');
  const en = parse(file('en'));
  const other = parse(file(lang));
  const out = [];
  for (const [key, value] of en) {
    if (other.get(key) === value) continue;
    const p = pattern(value);
    if (p) out.push({ key, pattern: p });
  }
  return out;
}

/** Asserts no element of the page is wholly an English message of the cluster pages. */
async function noEnglish(tab) {
  const english = untranslatedHere(tab.lang);
  if (!english.length) return;
  const found = await tab.page.evaluate((patterns) => {
    const res = patterns.map((m) => ({ key: m.key, re: new RegExp(m.pattern) }));
    const out = [];
    for (const el of document.querySelectorAll('main *, title')) {
      const text = (el.textContent || '').replace(/\s+/g, ' ').trim();
      if (!text) continue;
      for (const m of res) if (m.re.test(text)) out.push(`${m.key}: "${text}"`);
    }
    return out;
  }, english);
  assert.deepEqual(found, [], `English left on a ${tab.lang} page ${tab.path()}`);
}

/**
 * `p`: the manager (demo account), the person they invite, a name for the API client and the
 * webhook's address (the browser tests' service runs in development, where private targets are
 * allowed).
 */
function clusterJourney(lang, p) {
  journey(`the cluster's pages (${lang}): invite, API client, webhook and its log, reports as CSV`, lang, ({ step, tab }) => {
    let webhookPath = null;

    step('the manager signs in and opens /manage/cluster', async (t) => {
      await signIn(t, tab(), p.manager, DEMO_PASSWORD);
      await tab().goto('/manage/cluster');
      await expectVisible(tab(), '#cluster-form', 'the profile form');
      await expectVisible(tab(), '#managers li', 'the managers');
      await tab().visited(t, 'cluster', { phone: true });
      await noEnglish(tab());
    });

    step('invites a manager, who is then listed as invited', async (t) => {
      await tab().set('form#invite-form', 'invite_name', p.invitee.name);
      await tab().set('form#invite-form', 'invite_email', p.invitee.email);
      await submitAndWait(tab(), 'form#invite-form');
      await expectVisible(tab(), '.flash', 'the invitation is confirmed');
      const managers = await tab().page.locator('#managers').innerText();
      assert.ok(managers.includes(p.invitee.email), `the invited manager is listed: ${managers}`);
      await tab().visited(t, 'cluster-invited');
      await noEnglish(tab());
    });

    step('creates an API client and sees its secret once', async (t) => {
      await tab().set('form#client-form', 'client_name', p.client);
      await submitAndWait(tab(), 'form#client-form');
      await expectVisible(tab(), '#created-client-secret', 'the new secret');
      const secret = (await tab().page.locator('#created-client-secret').innerText()).trim();
      assert.ok(secret.length > 20, `a secret is shown: ${secret}`);
      await tab().visited(t, 'cluster-client-secret');
      await noEnglish(tab());
      await tab().goto('/manage/cluster');
      const html = await tab().page.content();
      assert.ok(!html.includes(secret), 'the secret is not shown again');
      assert.ok((await tab().page.locator('#clients').innerText()).includes(p.client), 'the client is listed');
    });

    step('adds a webhook and sees its whsec_ secret once', async (t) => {
      await tab().page.locator('a#webhooks-link').click();
      await expectUrl(tab(), (u) => u.pathname === '/manage/cluster/webhooks', 'the webhooks page');
      await tab().visited(t, 'webhooks');
      await noEnglish(tab());
      // Without an event the form is refused at the field.
      await tab().set('form#webhook-form', 'url', p.hook);
      await submitAndWait(tab(), 'form#webhook-form');
      await expectVisible(tab(), '#events-error', 'the events are asked for');
      await expectVisible(tab(), '#error-summary a[href="#events"]', 'the summary links to the events');
      await tab().visited(t, 'webhooks-error', { status: 422 });
      await noEnglish(tab());
      await tab().page.locator('#events-landing-all').check();
      await tab().set('form#webhook-form', 'description', p.client);
      await submitAndWait(tab(), 'form#webhook-form');
      await expectVisible(tab(), '#created-webhook-secret', 'the new signing secret');
      const secret = (await tab().page.locator('#created-webhook-secret').innerText()).trim();
      assert.ok(secret.startsWith('whsec_'), `a whsec_ secret: ${secret}`);
      await tab().visited(t, 'webhook-secret');
      await noEnglish(tab());
      webhookPath = await tab().page.locator('a#webhook-link').getAttribute('href');
    });

    step('sends a test event and reads it in the delivery log', async (t) => {
      await tab().goto(webhookPath);
      await submitAndWait(tab(), 'form#test-form');
      await expectVisible(tab(), '#deliveries li.delivery', 'the test delivery in the log');
      // The worker's first attempt (the address refuses) shows with its error.
      for (let i = 0; i < 40; i += 1) {
        if (await tab().page.locator('#deliveries table.attempts tbody tr').count()) break;
        await tab().page.waitForTimeout(250);
        await tab().goto(webhookPath);
      }
      await expectVisible(tab(), '#deliveries table.attempts tbody tr', 'an attempt in the log');
      await tab().visited(t, 'webhook-log', { phone: true });
      await noEnglish(tab());
    });

    step('opens /manage/reports and downloads the reciprocity as CSV', async (t) => {
      await tab().goto('/manage/reports');
      await expectVisible(tab(), '#reciprocity, #reciprocity-heading', 'the reciprocity');
      await tab().visited(t, 'reports', { phone: true });
      await noEnglish(tab());
      const [download] = await Promise.all([
        tab().page.waitForEvent('download'),
        tab().page.locator('a#reciprocity-csv').click(),
      ]);
      assert.match(download.suggestedFilename(), /^reciprocity-\d{4}-01-01-\d{4}-12-31\.csv$/);
      const file = await download.path();
      const first = fs.readFileSync(file, 'utf8').split(/\r?\n/)[0];
      assert.ok(first.startsWith('partnership_id,partnership_state,cluster_a_id'), `the header comes first: ${first}`);
    });
  });
}

module.exports = { clusterJourney };
