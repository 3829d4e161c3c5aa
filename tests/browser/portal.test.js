// The portal in a real browser: one service on a fresh database with the demo network, one
// chromium, and the journeys of PORTAL.md in English and in German.
//
//   node --test --test-reporter=spec portal.test.js     (or `./test --browser-only` at the root)
//
// Environment: TEST_DATABASE_URL (a PostgreSQL server: a database of its own is created and
// dropped), SOFTLANDING_BIN (default <target>/debug/softlanding), CHROMIUM_PATH (default
// /usr/bin/chromium), SCREENSHOT_DIR (default <target>/portal-screenshots).
'use strict';

const path = require('node:path');
const { before, after } = require('node:test');
const { startService, REPO } = require('./lib/service');
const { launchBrowser, Run } = require('./lib/portal');
const { Api } = require('./lib/api');
const { run } = require('./lib/journey');
const { publicPages, languageSwitcher } = require('./journeys/public');
const { requestJourney } = require('./journeys/request');
const { keyboardJourney, formErrorJourney } = require('./journeys/keyboard');
const { passwordJourney } = require('./journeys/password');
const { lastPlaceJourney } = require('./journeys/manage');
// /manage/offers: journey 2.
const { offerJourney } = require('./journeys/offers');
const { adminJourney } = require('./journeys/admin');
const { clusterJourney } = require('./journeys/cluster'); // the managers' cluster pages

const targetDir = process.env.CARGO_TARGET_DIR ? path.resolve(REPO, process.env.CARGO_TARGET_DIR) : path.join(REPO, 'target');
const screenshotDir = path.resolve(process.env.SCREENSHOT_DIR || path.join(targetDir, 'portal-screenshots'));

before(async () => {
  run.seen = new Run({ base: 'http://127.0.0.1', screenshotDir });
  run.service = await startService({ logFile: path.join(screenshotDir, 'server.log') });
  run.seen.base = run.service.base;
  run.api = new Api(run.service.base);
  run.network = await run.api.demoNetwork();
  run.browser = await launchBrowser();
  console.log(`# service on ${run.service.base} (${run.service.backend}), browser ${run.browser.version()}`);
});

after(async () => {
  if (run.browser) await run.browser.close();
  if (run.service) await run.service.stop();
  if (run.seen && run.seen.pages.length) {
    console.log(`\n# pages visited\n${run.seen.summary().replace(/^/gm, '# ')}`);
  }
  console.log(`# screenshots: ${screenshotDir}`);
});

publicPages();
languageSwitcher();

for (const lang of ['en', 'de']) {
  const english = lang === 'en';
  requestJourney(lang, {
    weeksAhead: english ? 3 : 4,
    sme: english ? 'Fjord Analytics AB' : 'Schwarzwald Sensorik GmbH',
    country: english ? 'SE' : 'DE',
    sector: 'software',
    website: english ? 'https://www.fjord-analytics.example/' : 'https://www.schwarzwald-sensorik.example/',
    homeCluster: english ? 'Kista Science City' : 'CyberForum',
    homeManager: english ? 'manager@kista.demo' : 'manager@cyberforum.demo',
    contactName: english ? 'Ingrid Berg' : 'Jörg Schäfer',
    contactEmail: english ? 'ingrid@fjord-analytics.example' : 'joerg@schwarzwald-sensorik.example',
    password: 'a long password for the portal',
    offer: english ? 'Hot desk at the CyberForum hub' : "Desk in Kista's innovation house",
    hostManager: english ? 'manager@cyberforum.demo' : 'manager@kista.demo',
    search: english
      ? { country: 'DE', kind: 'desk_space', leavesOut: "Desk in Kista's innovation house" }
      : { country: 'SE', kind: 'desk_space', leavesOut: 'Hot desk at the CyberForum hub' },
    purpose: english
      ? 'Meet Karlsruhe software companies and test the German market for our analytics'
      : 'Schwedische Partner in Kista treffen und den Markt für unsere Sensorik erkunden',
  });
  keyboardJourney(lang, { weeksAhead: english ? 5 : 6 });
  formErrorJourney(lang, { weeksAhead: english ? 7 : 8 });
  passwordJourney(lang);
}

lastPlaceJourney('en', {
  weeksAhead: 9,
  offer: "Introductions to Karlsruhe's IT companies",
  capacity: 2,
  manager: 'manager@cyberforum.demo',
  member: 'ceo@nordicsensors.demo',
});

// /manage/offers: journey 2, in English and in Swedish.
offerJourney('en', {
  weeksAhead: 11,
  blackoutWeeksAhead: 12,
  manager: 'manager@cyberforum.demo',
  country: 'DE',
  kind: 'meeting_room',
  title: 'Meeting room for visiting teams at the CyberForum hub',
  description: 'A meeting room for up to four visitors, with a screen and coffee, next to our co-working space.',
  city: 'Karlsruhe',
  languages: 'en, de',
  reason: 'The hub is closed for maintenance',
});
offerJourney('sv', {
  weeksAhead: 11,
  blackoutWeeksAhead: 12,
  manager: 'manager@kista.demo',
  country: 'SE',
  kind: 'meeting_room',
  title: 'Mötesrum för besökande team i Kista',
  description: 'Ett mötesrum för upp till fyra besökare, med skärm och kaffe, intill vårt kontorshotell.',
  city: 'Stockholm',
  languages: 'sv, en',
  reason: 'Huset är stängt för underhåll',
});
// The coordinator's pages (/admin).
for (const lang of ['en', 'sv']) {
  const english = lang === 'en';
  adminJourney(lang, {
    name: english ? 'Lindholmen Science Park' : 'Umeå Biotech Incubator',
    country: 'SE',
    city: english ? 'Göteborg' : 'Umeå',
    timezone: 'Europe/Stockholm',
    contactEmail: english ? 'hello@lindholmen.example' : 'hej@umea-biotech.example',
    sectors: english ? 'ict, automotive' : 'biotech',
    managerEmail: english ? 'karin@lindholmen.example' : 'sven@umea-biotech.example',
    managerName: english ? 'Karin Berg' : 'Sven Öberg',
    managerLocale: english ? 'en' : 'sv',
  });
}
// The managers' cluster and reports pages, in English and in Swedish.
clusterJourney('en', {
  manager: 'manager@cyberforum.demo',
  invitee: { name: 'Bea Baker', email: 'bea.baker@cyberforum.demo' },
  client: 'Our CRM',
  hook: 'http://127.0.0.1:9/hook',
});
clusterJourney('sv', {
  manager: 'manager@kista.demo',
  invitee: { name: 'Sara Lind', email: 'sara.lind@kista.demo' },
  client: 'Vårt CRM',
  hook: 'http://127.0.0.1:9/krok',
});
