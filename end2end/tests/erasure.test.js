// Erasing a customer (Art. 17): the owner sees what will happen, confirms, and the folder goes
// at once or is locked while documents must be kept. The retention period in the settings.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { serverAndBrowser, newPage, signIn, waitForHydration, shot, CUSTOMER, STAFF, DESKTOP, PHONE } from './helpers.js';

const HOST = 'demo.localhost';
const run = serverAndBrowser();

test('the owner sets the retention period, erases a customer without contracts and locks one with running contracts', async () => {
  // A broker system delivered a customer without contracts.
  const key = run.folio.run('apikey', 'create', '--broker', 'demo').trim().split('\n').at(-1).trim();
  const put = await fetch(run.folio.url('127.0.0.1', '/api/v1/customers/E-1'), {
    method: 'PUT',
    headers: { Authorization: `Bearer ${key}`, 'Content-Type': 'application/json' },
    body: JSON.stringify({ first_name: 'Erika', last_name: 'Beispiel', email: 'erika.beispiel@example.com' }),
  });
  assert.equal(put.status, 201);

  const owner = await newPage(run.browser, { viewport: DESKTOP });
  await signIn(owner, run.folio, HOST, STAFF);
  await owner.waitForURL(/\/office\/customers$/);
  await owner.goto(run.folio.url(HOST, '/office/settings'));
  await waitForHydration(owner);
  const retention = owner.getByRole('region', { name: 'Aufbewahrung' });
  assert.equal(await retention.getByLabel('Aufbewahrungsfrist').inputValue(), '10');
  await retention.getByLabel('Aufbewahrungsfrist').selectOption('6');
  await retention.getByRole('button', { name: 'Speichern' }).click();
  await retention.getByText('Gespeichert.').waitFor();

  // Erika goes completely, after the owner confirmed.
  await owner.goto(run.folio.url(HOST, '/office/customers?q=Beispiel'));
  await owner.getByRole('link', { name: 'Beispiel, Erika' }).click();
  await waitForHydration(owner);
  const erase = owner.getByRole('region', { name: 'Kunde löschen' });
  await erase.getByText('Es läuft keine Aufbewahrungsfrist.').waitFor();
  await erase.getByText('Kunde löschen …').click();
  await shot(owner, 'erase-customer-desktop');
  await erase.getByRole('button', { name: 'Ja, endgültig löschen' }).click();
  await owner.waitForURL(/\/office\/customers$/);
  await owner.goto(run.folio.url(HOST, '/office/customers?q=Beispiel'));
  await owner.getByRole('main').waitFor();
  assert.equal(await owner.getByRole('link', { name: 'Beispiel, Erika' }).count(), 0);

  // Anna's contracts run: her folder is locked, on a phone-sized window too.
  const phone = await newPage(run.browser, { viewport: PHONE });
  await signIn(phone, run.folio, HOST, STAFF);
  await phone.waitForURL(/\/office\/customers$/);
  await phone.getByRole('link', { name: 'Schneider, Anna' }).click();
  await waitForHydration(phone);
  const lock = phone.getByRole('region', { name: 'Kunde löschen' });
  await lock.getByText('Es laufen noch Verträge.', { exact: false }).waitFor();
  await lock.getByText('Akte sperren …').click();
  await shot(phone, 'lock-customer-phone');
  await lock.getByRole('button', { name: 'Ja, sperren und später löschen' }).click();
  await phone.getByText('Die Akte ist jetzt gesperrt', { exact: false }).waitFor();
  await phone.reload();
  await phone.getByText('Gesperrt seit', { exact: false }).waitFor();
  await shot(phone, 'locked-customer-phone');
  assert.deepEqual(owner.cspViolations, []);
  await owner.context().close();
  await phone.context().close();

  // Anna can no longer sign in.
  const anna = await newPage(run.browser);
  await signIn(anna, run.folio, HOST, CUSTOMER);
  await anna.getByText('Dieser Zugang ist deaktiviert', { exact: false }).waitFor();
  await anna.context().close();
});
