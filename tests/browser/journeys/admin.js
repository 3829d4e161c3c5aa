// The coordinator's pages: the coordinator signs in, looks at the network at a glance, adds a
// cluster with its first manager (whose invitation lands in the mail directory, in the
// manager's language), finds the cluster in the list, and opens the outbox, the people and the
// reports (with their CSV download). On a page in another language than English, no text of
// the area is left in English.
'use strict';

const assert = require('node:assert/strict');
const path = require('node:path');
const { REPO } = require('../lib/service');
const { parse, pattern } = require('../lib/catalog');
const { waitForLink } = require('../lib/mail');
const { run, journey, expectUrl, expectVisible, signIn } = require('../lib/journey');
const { DEMO_PASSWORD } = require('../lib/api');

const COORDINATOR = 'coordinator@softlanding.demo';

/** The area's English messages a page in `lang` would show only if a translation were missed. */
function untranslatedAdmin(lang) {
  if (lang === 'en') return [];
  const en = parse(path.join(REPO, 'locales', 'en', 'admin.ftl'));
  const other = parse(path.join(REPO, 'locales', lang, 'admin.ftl'));
  const out = [];
  for (const [key, value] of en) {
    if (other.get(key) === value) continue;
    const p = pattern(value);
    if (p) out.push({ key, pattern: p });
  }
  return out;
}

/** Visits the page as the run does, then checks that none of its texts is an English one. */
async function seen(t, tab, name, english, options = {}) {
  await tab.visited(t, name, options);
  if (!english.length) return;
  await t.test(`no English left on ${name}`, async () => {
    const found = await tab.page.evaluate((messages) => {
      const out = [];
      for (const el of document.querySelectorAll('main *, title')) {
        const own = [...el.childNodes].some((n) => n.nodeType === 3 && n.textContent.trim());
        if (!own) continue;
        const text = el.textContent.replace(/\s+/g, ' ').trim();
        for (const m of messages) if (new RegExp(m.pattern, 'u').test(text)) out.push(`${m.key}: "${text}"`);
      }
      return out;
    }, english);
    assert.deepEqual(found, [], 'English text on a translated page');
  });
}

/**
 * `p`: the cluster to add (`name`, `country`, `city`, `timezone`, `contactEmail`, `sectors`) and
 * its first manager (`managerEmail`, `managerName`, `managerLocale`).
 */
function adminJourney(lang, p) {
  journey(`the coordinator (${lang}): the network at a glance, a new cluster, outbox, people, reports`, lang, ({ step, tab }) => {
    const english = untranslatedAdmin(lang);

    step('signs in and looks at /admin', async (t) => {
      await signIn(t, tab(), COORDINATOR, DEMO_PASSWORD);
      await expectVisible(tab(), 'a#nav-admin', 'the coordinator has a link to /admin');
      await tab().page.locator('a#nav-admin').click();
      await expectUrl(tab(), (u) => u.pathname === '/admin', 'the overview');
      await expectVisible(tab(), '#glance-clusters', 'the clusters are counted');
      await expectVisible(tab(), '#glance-outbox', 'the outbox is counted');
      await seen(t, tab(), 'admin', english, { phone: true });
    });

    step('adds a cluster and invites its first manager', async (t) => {
      const since = Date.now();
      await tab().page.locator('#admin-nav a[href="/admin/clusters"]').click();
      await expectUrl(tab(), (u) => u.pathname === '/admin/clusters', 'the clusters');
      await seen(t, tab(), 'admin-clusters', english);
      const f = 'form#cluster-form';
      // A first try without the manager's address is told at the field.
      await tab().set(f, 'name', p.name);
      await tab().submit(f);
      await expectVisible(tab(), '#error-summary', 'the problems are summarised');
      await expectVisible(tab(), '#manager_email-error', 'the missing address is told at its field');
      await seen(t, tab(), 'admin-clusters-errors', english, { status: 422 });
      await tab().set(f, 'country', p.country);
      await tab().set(f, 'city', p.city);
      await tab().set(f, 'timezone', p.timezone);
      await tab().set(f, 'contact_email', p.contactEmail);
      await tab().set(f, 'sectors', p.sectors);
      await tab().set(f, 'manager_email', p.managerEmail);
      await tab().set(f, 'manager_name', p.managerName);
      await tab().set(f, 'manager_locale', p.managerLocale);
      await tab().submit(f);
      await expectVisible(tab(), '.flash', 'the cluster is added');
      const listed = await tab().page.locator('#clusters').innerText();
      assert.ok(listed.includes(p.name), `${p.name} is in the list`);
      await seen(t, tab(), 'admin-cluster-added', english);
      const { link, mail } = await waitForLink(run.service.mailDir, {
        to: p.managerEmail,
        base: run.service.base,
        linkPath: '/set-password?token=',
        since,
      });
      assert.ok(mail.subject.includes(p.name), `the invitation names the cluster: "${mail.subject}"`);
      if (p.managerLocale !== 'en') {
        assert.ok(!mail.subject.startsWith('You are invited'), `the invitation is in the manager's language: "${mail.subject}"`);
      }
      assert.ok(link.includes('token='), 'the invitation links to choosing a password');
    });

    step('opens the outbox and filters it', async (t) => {
      await tab().page.locator('#admin-nav a[href="/admin/outbox"]').click();
      await expectUrl(tab(), (u) => u.pathname === '/admin/outbox', 'the outbox');
      await seen(t, tab(), 'admin-outbox', english);
      await tab().set('form#outbox-filter', 'channel', 'email');
      await expectUrl(tab(), (u) => u.searchParams.get('channel') === 'email', 'the emails only', () =>
        tab().submit('form#outbox-filter'),
      );
      await seen(t, tab(), 'admin-outbox-emails', english);
    });

    step('finds the new manager among the people', async (t) => {
      await tab().page.locator('#admin-nav a[href="/admin/users"]').click();
      await expectUrl(tab(), (u) => u.pathname === '/admin/users', 'the people');
      await tab().set('form#users-search', 'email', p.managerEmail);
      await expectUrl(tab(), (u) => u.searchParams.get('email') === p.managerEmail, 'the search', () =>
        tab().submit('form#users-search'),
      );
      const rows = await tab().page.locator('#users tbody tr').allInnerTexts();
      assert.equal(rows.length, 1, `one person matches: ${JSON.stringify(rows)}`);
      assert.ok(rows[0].includes(p.name), `the manager's cluster is named: ${rows[0]}`);
      await seen(t, tab(), 'admin-users', english);
    });

    step('opens the reports and downloads the reciprocity as CSV', async (t) => {
      await tab().page.locator('#admin-nav a[href="/admin/reports"]').click();
      await expectUrl(tab(), (u) => u.pathname === '/admin/reports', 'the reports');
      await expectVisible(tab(), '#reciprocity', 'every partnership is listed');
      await seen(t, tab(), 'admin-reports', english);
      const [download] = await Promise.all([
        tab().page.waitForEvent('download'),
        tab().page.locator('a#reciprocity-csv').click(),
      ]);
      assert.match(download.suggestedFilename(), /^reciprocity-\d{4}-01-01-\d{4}-12-31\.csv$/);
      const file = await download.path();
      const csv = require('node:fs').readFileSync(file, 'utf8');
      assert.ok(csv.startsWith('partnership_id,partnership_state,'), csv.slice(0, 80));
      assert.ok(csv.split('\n').length > 2, 'the demo network has partnerships');
    });
  });
}

module.exports = { adminJourney };
