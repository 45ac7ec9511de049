// The profile (language, sign out everywhere) and the owner's settings (invite a colleague,
// API keys).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  serverAndBrowser, newPage, signIn, waitForHydration, linkIn, shot, CUSTOMER, STAFF, DESKTOP, PHONE,
} from './helpers.js';

const HOST = 'demo.localhost';
const run = serverAndBrowser();

test('a customer switches to English, then signs out on every device', async () => {
  const phone = await newPage(run.browser);
  const tablet = await newPage(run.browser);
  for (const page of [phone, tablet]) {
    await signIn(page, run.folio, HOST, CUSTOMER);
    await page.waitForURL(/\/app$/);
  }
  await phone.getByRole('navigation', { name: 'Hauptnavigation' }).getByRole('link', { name: 'Profil' }).click();
  await phone.getByRole('combobox', { name: 'Sprache' }).selectOption('en');
  await phone.getByRole('button', { name: 'Speichern' }).click();
  await phone.getByRole('heading', { name: 'Profile', level: 1 }).waitFor();
  await phone.getByRole('button', { name: 'Sign out everywhere' }).click();
  await phone.waitForURL(/\/login/);
  await tablet.goto(run.folio.url(HOST, '/app'));
  await tablet.waitForURL(/\/login/);
  assert.deepEqual(phone.cspViolations, []);
  await phone.context().close();
  await tablet.context().close();
});

test('the owner invites a colleague from the settings page', async () => {
  const owner = await newPage(run.browser, { viewport: DESKTOP });
  await signIn(owner, run.folio, HOST, STAFF);
  await owner.waitForURL(/\/office\/customers$/);
  await owner.getByRole('navigation', { name: 'Hauptnavigation' }).getByRole('link', { name: 'Einstellungen' }).click();
  await owner.waitForURL(/\/office\/settings$/);
  await waitForHydration(owner);
  const before = run.folio.mails().length;
  await owner.getByLabel('Name', { exact: true }).fill('Tom Team');
  await owner.getByRole('textbox', { name: 'E-Mail-Adresse', exact: true }).fill('tom.team@sommer-partner.example');
  await owner.getByLabel('Rolle').selectOption('employee');
  await owner.getByRole('button', { name: 'Einladung senden' }).click();
  await owner.getByText('Die Einladung wurde versendet.').waitFor();
  await owner.getByRole('main').getByText('Tom Team', { exact: true }).waitFor();
  assert.equal(run.folio.mails().length, before + 1);

  const colleague = await newPage(run.browser, { viewport: DESKTOP });
  await colleague.goto(linkIn(run.folio.mails().at(-1)));
  await colleague.getByLabel('Neues Passwort', { exact: true }).fill('Toms eigenes Passwort');
  await colleague.getByLabel('Neues Passwort wiederholen').fill('Toms eigenes Passwort');
  await colleague.getByRole('button', { name: 'Passwort speichern und anmelden' }).click();
  await colleague.waitForURL(/\/office\/customers$/);
  await colleague.getByRole('link', { name: 'Schneider, Anna' }).waitFor();
  // An employee sees the team but cannot invite.
  await colleague.goto(run.folio.url(HOST, '/office/settings'));
  await colleague.getByRole('main').getByText('Tom Team', { exact: true }).waitFor();
  assert.equal(await colleague.getByRole('button', { name: 'Einladung senden' }).count(), 0);
  await owner.context().close();
  await colleague.context().close();
});

test('the owner makes an API key, sees it once, and revokes it after confirming', async () => {
  for (const viewport of [DESKTOP, PHONE]) {
    const owner = await newPage(run.browser, { viewport });
    await signIn(owner, run.folio, HOST, STAFF);
    await owner.waitForURL(/\/office\/customers$/);
    await owner.goto(run.folio.url(HOST, '/office/settings'));
    await waitForHydration(owner);
    const keys = owner.getByRole('region', { name: 'API-Schlüssel' });
    const name = `Maklerprogramm ${viewport.width}`;
    await keys.getByLabel('Name (z. B. das Programm)').fill(name);
    await keys.getByRole('button', { name: 'Schlüssel erstellen' }).click();
    const shown = keys.getByRole('textbox', { name: `Neuer Schlüssel „${name}“` });
    await shown.waitFor();
    const key = await shown.inputValue();
    const api = (k) => fetch(run.folio.url('127.0.0.1', '/api/v1/customers'), { headers: { Authorization: `Bearer ${k}` } });
    assert.equal((await api(key)).status, 200);
    await shot(owner, `api-keys-${viewport.width}`);
    const line = keys.getByRole('listitem').filter({ hasText: name });
    await line.locator('summary', { hasText: /^Widerrufen/ }).click();
    await line.getByRole('button', { name: 'Ja, widerrufen' }).click();
    await keys.getByText('Der Schlüssel ist widerrufen.').waitFor();
    assert.equal((await api(key)).status, 401);
    await owner.reload();
    assert.equal(await keys.getByRole('textbox', { name: /Neuer Schlüssel/ }).count(), 0, 'the key is shown only once');
    await keys.getByRole('listitem').filter({ hasText: name }).getByText(/Widerrufen \d/).waitFor();
    assert.deepEqual(owner.cspViolations, []);
    await owner.context().close();
  }
});

test('the office deactivates a customer after confirming, and her open session ends', async () => {
  const anna = await newPage(run.browser);
  await signIn(anna, run.folio, HOST, CUSTOMER);
  await anna.waitForURL(/\/app$/);
  for (const viewport of [DESKTOP, PHONE]) {
    const office = await newPage(run.browser, { viewport });
    await signIn(office, run.folio, HOST, STAFF);
    await office.getByRole('link', { name: 'Schneider, Anna' }).click();
    await office.waitForURL(/\/office\/customers\/\d+$/);
    await waitForHydration(office);
    const access = office.getByRole('region', { name: 'Zugang', exact: true });
    await access.getByText('Zugang deaktivieren').click();
    await access.getByText('Alle Sitzungen enden sofort').waitFor();
    await shot(office, `deactivate-${viewport.width}`);
    await access.getByRole('button', { name: 'Ja, deaktivieren' }).click();
    await office.getByText('Zugang deaktiviert').first().waitFor();
    await anna.goto(run.folio.url(HOST, '/app/documents'));
    await anna.waitForURL(/\/login/);
    await office.getByRole('button', { name: 'Zugang wieder aktivieren' }).click();
    await access.getByText('Zugang deaktivieren').waitFor();
    await signIn(anna, run.folio, HOST, CUSTOMER);
    await anna.waitForURL(/\/app$/);
    assert.deepEqual(office.cspViolations, []);
    await office.context().close();
  }
  await anna.context().close();
});

test('on a shared phone the next person finds no draft; the customer finds hers on another device', async () => {
  // Fields by id: the first test of this file switched Anna's language to English.
  const saved = /^(Entwurf gespeichert|Draft saved)/;
  const phone = await newPage(run.browser, { mobile: true });
  await signIn(phone, run.folio, HOST, CUSTOMER);
  await phone.waitForURL(/\/app$/);
  await phone.goto(run.folio.url(HOST, '/app/messages/new/question'));
  await waitForHydration(phone);
  await phone.locator('#field-body').fill('Bin ich beim Umzug versichert?');
  await phone.getByTestId('draft-status').getByText(saved).waitFor();
  assert.deepEqual(await phone.evaluate(() => Object.keys(localStorage)), [], 'nothing kept on the phone');
  await phone.goto(run.folio.url(HOST, '/app/profile'));
  await waitForHydration(phone);
  await phone.locator('form[action$="/logout"] button[type=submit]').click();
  await phone.waitForURL(/\/login/);
  await signIn(phone, run.folio, HOST, { email: 'markus.schneider@example.com', password: 'Demo-Partner-2026!' });
  await phone.waitForURL(/\/app$/);
  await phone.goto(run.folio.url(HOST, '/app/messages/new/question'));
  await waitForHydration(phone);
  await phone.waitForLoadState('networkidle');
  assert.equal(await phone.locator('#field-body').inputValue(), '');
  await phone.context().close();

  const desktop = await newPage(run.browser, { viewport: DESKTOP });
  await signIn(desktop, run.folio, HOST, CUSTOMER);
  await desktop.waitForURL(/\/app$/);
  await desktop.goto(run.folio.url(HOST, '/app/messages/new/question'));
  await waitForHydration(desktop);
  await desktop.waitForFunction(() => document.querySelector('#field-body')?.value === 'Bin ich beim Umzug versichert?');
  await desktop.getByTestId('draft-status').getByText(/^(Ihr Entwurf ist wieder da|Your draft is back)/).waitFor();
  await desktop.context().close();
});

test('the owner deactivates a colleague after confirming, never herself, restores him, then deletes his account', async () => {
  // Tom Team was invited by the test above.
  const owner = await newPage(run.browser, { viewport: DESKTOP });
  await signIn(owner, run.folio, HOST, STAFF);
  await owner.waitForURL(/\/office\/customers$/);
  await owner.goto(run.folio.url(HOST, '/office/settings'));
  await waitForHydration(owner);
  const team = owner.getByRole('region', { name: 'Team' });
  const tom = team.getByRole('listitem').filter({ hasText: 'Tom Team' });
  const self = team.getByRole('listitem').filter({ hasText: STAFF.email });
  assert.equal(await self.getByText('Zugang deaktivieren').count(), 0);
  await tom.getByText('Zugang deaktivieren').click();
  await tom.getByRole('button', { name: 'Ja, deaktivieren' }).click();
  await team.getByRole('listitem').filter({ hasText: 'Tom Team' }).getByText(/Zugang deaktiviert/).waitFor();
  await team.getByRole('listitem').filter({ hasText: 'Tom Team' }).getByRole('button', { name: 'Zugang wieder aktivieren' }).click();
  await team.getByRole('listitem').filter({ hasText: 'Tom Team' }).getByText('Zugang deaktivieren').waitFor();
  // Deleting asks first, names the colleague for screen readers, and takes him off the team.
  assert.equal(await self.getByText('Konto löschen').count(), 0);
  await tom.locator('summary', { hasText: /^Konto löschen/ }).click();
  await tom.getByText(/Im Protokoll bleibt der Name/).waitFor();
  await tom.getByRole('button', { name: 'Ja, Konto löschen' }).click();
  await team.getByText('Das Konto ist gelöscht.').waitFor();
  await shot(owner, 'team-deleted');
  assert.equal(await team.getByRole('listitem').filter({ hasText: 'Tom Team' }).count(), 0);
  await owner.context().close();
});
