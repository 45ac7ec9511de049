// Passkeys as a person uses them, with Chromium's virtual authenticator (DevTools protocol)
// standing in for the phone's fingerprint: add one in the profile, sign in with it instead
// of the password, remove it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { serverAndBrowser, newPage, signIn, waitForHydration, shot, CUSTOMER } from './helpers.js';

const HOST = 'demo.localhost';
const run = serverAndBrowser();

/** A platform authenticator that keeps passkeys and verifies the person at once. */
async function authenticator(page) {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('WebAuthn.enable');
  const { authenticatorId } = await cdp.send('WebAuthn.addVirtualAuthenticator', {
    options: {
      protocol: 'ctap2', transport: 'internal', hasResidentKey: true, hasUserVerification: true,
      isUserVerified: true, automaticPresenceSimulation: true,
    },
  });
  return { cdp, authenticatorId };
}

test('a customer adds a passkey on the phone, signs in with it instead of the password, and removes it', async () => {
  const phone = await newPage(run.browser, { mobile: true });
  const { cdp, authenticatorId } = await authenticator(phone);
  await signIn(phone, run.folio, HOST, CUSTOMER);
  await phone.waitForURL(/\/app$/);
  await phone.goto(run.folio.url(HOST, '/app/profile'));
  await waitForHydration(phone);
  const section = phone.getByRole('region', { name: 'Passkeys' });
  await section.getByText('Noch kein Passkey.').waitFor();
  await section.getByLabel('Name des Passkeys').fill('Pixel 9');
  await section.getByRole('button', { name: 'Passkey hinzufügen' }).click();
  await section.getByText('Pixel 9', { exact: true }).waitFor();
  const { credentials } = await cdp.send('WebAuthn.getCredentials', { authenticatorId });
  assert.equal(credentials.length, 1);
  assert.equal(credentials[0].isResidentCredential, true);
  assert.equal(credentials[0].rpId, 'demo.localhost');
  await shot(phone, 'passkeys-profile-390');

  // Signed out, the sign-in page offers the passkey; no password is typed.
  await phone.locator('form[action$="/logout"] button[type=submit]').click();
  await phone.waitForURL(/\/login/);
  await waitForHydration(phone);
  await shot(phone, 'passkeys-sign-in-390');
  await phone.getByRole('button', { name: 'Mit Passkey anmelden' }).click();
  await phone.waitForURL(/\/app$/);
  await phone.getByRole('heading', { name: `Guten Tag, ${CUSTOMER.name}` }).waitFor();

  // Removed after confirming, it no longer signs in.
  await phone.goto(run.folio.url(HOST, '/app/profile'));
  await waitForHydration(phone);
  await section.getByText('zuletzt benutzt am', { exact: false }).waitFor();
  await section.locator('summary', { hasText: /^Entfernen/ }).click();
  await section.getByRole('button', { name: 'Ja, entfernen' }).click();
  await section.getByText('Noch kein Passkey.').waitFor();
  await phone.locator('form[action$="/logout"] button[type=submit]').click();
  await phone.waitForURL(/\/login/);
  await waitForHydration(phone);
  await phone.getByRole('button', { name: 'Mit Passkey anmelden' }).click();
  await phone.getByText('Das hat nicht geklappt.', { exact: false }).waitFor();
  assert.match(phone.url(), /\/login/);
  assert.deepEqual(phone.cspViolations, []);
  await phone.context().close();
});
