// A forgotten password: /forgot-password mails a link, the link lands on /set-password, and the
// new password signs in.
'use strict';

const { run, journey, expectUrl, expectVisible, submitAndWait, signIn } = require('../lib/journey');
const { waitForLink } = require('../lib/mail');

const MEMBER = 'founder@acme-robotics.demo';

function passwordJourney(lang) {
  journey(`a forgotten password (${lang}): the emailed link sets a new one`, lang, ({ step, tab: current }) => {
    const password = `a new password for ${lang} ${Date.now()}`;
    let asked = 0;

    step('asks for a link at /forgot-password', async (t) => {
      const tab = current();
      await tab.goto('/sign-in');
      await expectUrl(tab, (u) => u.pathname === '/forgot-password', 'the sign-in page to link to /forgot-password', () =>
        tab.page.locator('main a[href="/forgot-password"]').first().click(),
      );
      await tab.visited(t, 'forgot-password');
      await tab.set('form#forgot-form', 'email', MEMBER);
      asked = Date.now() - 1000;
      await submitAndWait(tab, 'form#forgot-form');
      await expectVisible(tab, '#reset-sent, .flash', 'the page says the link is on its way');
      await tab.visited(t, 'reset-sent');
    });

    step('sets a new password from the link in the email', async (t) => {
      const tab = current();
      const { link } = await waitForLink(run.service.mailDir, {
        to: MEMBER,
        base: run.service.base,
        linkPath: '/set-password?token=',
        since: asked,
      });
      await tab.page.goto(link);
      await tab.visited(t, 'set-password');
      await tab.set('form#set-password-form', 'new_password', password);
      await tab.set('form#set-password-form', 'confirm_password', password);
      await expectUrl(tab, (u) => u.pathname !== '/set-password', 'the new password to be taken', () =>
        tab.submit('form#set-password-form'),
      );
      await tab.visited(t, 'password-set');
    });

    step('signs in with the new password', (t) => signIn(t, current(), MEMBER, password));
  });
}

module.exports = { passwordJourney };
