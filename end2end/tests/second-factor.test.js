// The second factor as a person meets it: set up an authenticator app on the phone, sign in
// with its code (also without JavaScript), lose the phone and use a recovery code; the
// office resets it after confirming.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { serverAndBrowser, newPage, signIn, waitForHydration, shot, CUSTOMER, STAFF, DESKTOP } from './helpers.js';

const HOST = 'demo.localhost';
const run = serverAndBrowser();

/** What an authenticator app shows for a base32 key at a time (RFC 6238: SHA-1, 6 digits, 30 s). */
function appCode(base32, at = Date.now()) {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let bits = '';
  for (const c of base32.replace(/[\s=]/g, '')) bits += alphabet.indexOf(c).toString(2).padStart(5, '0');
  const key = Buffer.from(bits.match(/.{8}/g).map((b) => parseInt(b, 2)));
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(Math.floor(at / 1000 / 30)));
  const mac = createHmac('sha1', key).update(counter).digest();
  const offset = mac[mac.length - 1] & 0xf;
  return String((mac.readUInt32BE(offset) & 0x7fffffff) % 1_000_000).padStart(6, '0');
}

test('a customer sets up an authenticator app on the phone, signs in with its codes and once with a recovery code', async () => {
  const phone = await newPage(run.browser, { mobile: true });
  await signIn(phone, run.folio, HOST, CUSTOMER);
  await phone.waitForURL(/\/app$/);
  await phone.goto(run.folio.url(HOST, '/app/profile'));
  await waitForHydration(phone);
  const section = phone.getByRole('region', { name: 'Zweiter Faktor' });
  await section.getByText('Die Anmeldung verlangt nur Ihr Passwort.', { exact: false }).waitFor();
  await section.getByRole('button', { name: 'Authenticator-App einrichten' }).click();
  await section.getByRole('img', { name: 'QR-Code mit der App scannen' }).locator('svg').waitFor();
  const key = (await section.locator('[data-key]').textContent()).trim();
  assert.match(key, /^[A-Z2-7]{4}( [A-Z2-7]{4})+$/);
  await shot(phone, 'second-factor-set-up-390');
  // A wrong code says so at the field; the right one shows the recovery codes once.
  await section.getByLabel('Code aus der App').fill('000000');
  await section.getByRole('button', { name: 'Einrichten' }).click();
  await section.getByText('Dieser Code stimmt nicht.', { exact: false }).waitFor();
  await section.getByLabel('Code aus der App').fill(appCode(key));
  await section.getByRole('button', { name: 'Einrichten' }).click();
  const codes = section.locator('[data-recovery-codes] li');
  await codes.first().waitFor();
  assert.equal(await codes.count(), 10);
  const recovery = (await codes.nth(2).textContent()).trim();
  await shot(phone, 'second-factor-recovery-codes-390');
  await section.getByRole('button', { name: 'Ich habe die Codes gesichert – weiter' }).click();
  await section.getByText('Eingerichtet:', { exact: false }).waitFor();
  await section.getByText('Noch 10 unbenutzte Wiederherstellungscodes.').waitFor();
  assert.deepEqual(phone.cspViolations, []);
  await phone.context().close();

  // The next sign-in asks for the code after the password (the set-up's code counts once).
  const again = await newPage(run.browser, { mobile: true });
  await signIn(again, run.folio, HOST, CUSTOMER);
  await again.waitForURL(/\/login\/code$/);
  await again.getByRole('heading', { name: 'Anmeldung bestätigen' }).waitFor();
  await shot(again, 'second-factor-code-390');
  await again.getByLabel('Code', { exact: true }).fill(appCode(key, Date.now() + 30_000));
  await again.getByRole('button', { name: 'Bestätigen' }).click();
  await again.waitForURL(/\/app$/);
  await again.context().close();

  // Without JavaScript, the phone lost: a recovery code.
  const plain = await newPage(run.browser, { javaScriptEnabled: false });
  await signIn(plain, run.folio, HOST, CUSTOMER);
  await plain.waitForURL(/\/login\/code$/);
  await plain.getByLabel('Code', { exact: true }).fill(recovery);
  await plain.getByRole('button', { name: 'Bestätigen' }).click();
  await plain.waitForURL(/\/app$/);
  await plain.getByRole('heading', { name: `Guten Tag, ${CUSTOMER.name}` }).waitFor();
  await plain.context().close();

  // The same recovery code does not work twice.
  const twice = await newPage(run.browser);
  await signIn(twice, run.folio, HOST, CUSTOMER);
  await twice.waitForURL(/\/login\/code$/);
  await waitForHydration(twice);
  await twice.getByLabel('Code', { exact: true }).fill(recovery);
  await twice.getByRole('button', { name: 'Bestätigen' }).click();
  await twice.getByText('Dieser Code stimmt nicht.', { exact: false }).waitFor();
  assert.match(twice.url(), /\/login\/code(\?|$)/);
  await twice.context().close();

  // The office resets it after confirming; then the password alone signs Anna in.
  const office = await newPage(run.browser, { viewport: DESKTOP });
  await signIn(office, run.folio, HOST, STAFF);
  await office.getByRole('link', { name: 'Schneider, Anna' }).click();
  await office.waitForURL(/\/office\/customers\/\d+$/);
  await waitForHydration(office);
  const access = office.getByRole('region', { name: 'Zugang', exact: true });
  await access.getByText('Zweiten Faktor zurücksetzen').click();
  await access.getByText('Alle ihre Sitzungen enden.', { exact: false }).waitFor();
  await shot(office, 'second-factor-reset-1280');
  await access.getByRole('button', { name: 'Ja, zurücksetzen' }).click();
  await access.getByText('Der zweite Faktor wurde zurückgesetzt.').waitFor();
  assert.deepEqual(office.cspViolations, []);
  await office.context().close();
  const after = await newPage(run.browser);
  await signIn(after, run.folio, HOST, CUSTOMER);
  await after.waitForURL(/\/app$/);
  await after.context().close();
});

test('the owner sets the sign-in rule; a customer without a factor sets one up before getting in', async () => {
  const owner = await newPage(run.browser, { viewport: DESKTOP });
  await signIn(owner, run.folio, HOST, STAFF);
  await owner.waitForURL(/\/office\/customers$/);
  await owner.goto(run.folio.url(HOST, '/office/settings'));
  await waitForHydration(owner);
  const rule = owner.getByRole('region', { name: 'Anmeldung' });
  await rule.getByLabel('Kunden').selectOption('required');
  await rule.getByRole('button', { name: 'Speichern' }).click();
  await rule.getByText('Gespeichert.').waitFor();
  await shot(owner, 'second-factor-rule-1280');
  await owner.context().close();

  const markus = { email: 'markus.schneider@example.com', password: 'Demo-Partner-2026!' };
  const phone = await newPage(run.browser, { mobile: true });
  await signIn(phone, run.folio, HOST, markus);
  await phone.waitForURL(/\/login\/code$/);
  await phone.getByText('Ihr Maklerbüro verlangt für diesen Zugang einen zweiten Faktor.', { exact: false }).waitFor();
  await waitForHydration(phone);
  const key = (await phone.locator('[data-key]').textContent()).trim();
  await phone.getByLabel('Code aus der App').fill(appCode(key));
  await phone.getByRole('button', { name: 'Einrichten' }).click();
  await phone.locator('[data-recovery-codes] li').first().waitFor();
  await shot(phone, 'second-factor-required-390');
  await phone.getByRole('link', { name: 'Ich habe die Codes gesichert – weiter' }).click();
  await phone.waitForURL(/\/app$/);
  await phone.goto(run.folio.url(HOST, '/app/profile'));
  await phone.getByText('Ihr Maklerbüro verlangt den zweiten Faktor', { exact: false }).waitFor();
  assert.deepEqual(phone.cspViolations, []);
  await phone.context().close();
});
