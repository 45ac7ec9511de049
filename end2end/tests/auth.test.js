// What a person does: sign in and out on a phone and a desktop, get invited, reset a
// password, come back after the session ran out, try another broker's site.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  serverAndBrowser, newPage, signIn, waitForHydration, linkIn, shot, CUSTOMER, STAFF, DESKTOP,
} from './helpers.js';

const HOST = 'demo.localhost';
const run = serverAndBrowser();

test('a customer signs in on a phone, sees the mobile shell, and signs out', async () => {
  const page = await newPage(run.browser);
  await signIn(page, run.folio, HOST, CUSTOMER);
  await page.waitForURL(/\/app$/);
  await assert.doesNotReject(page.getByRole('heading', { name: `Guten Tag, ${CUSTOMER.name}` }).waitFor());
  const nav = page.getByRole('navigation', { name: 'Hauptnavigation' });
  for (const item of ['Übersicht', 'Dokumente', 'Postfach', 'Profil']) {
    assert.equal(await nav.getByRole('link', { name: item }).count(), 1, item);
  }
  assert.equal(await page.title(), 'Sommer & Partner Versicherungsmakler');
  await nav.getByRole('link', { name: 'Profil' }).click();
  await page.getByRole('button', { name: 'Abmelden', exact: true }).click();
  await page.waitForURL(/\/login/);
  await page.getByText('Sie haben sich abgemeldet.').waitFor();
  await page.goto(run.folio.url(HOST, '/app'));
  await page.waitForURL(/\/login/);
  assert.deepEqual(page.cspViolations, []);
  await page.context().close();
});

test('staff sign in on a desktop and see the office shell', async () => {
  const page = await newPage(run.browser, { viewport: DESKTOP });
  await signIn(page, run.folio, HOST, STAFF);
  await page.waitForURL(/\/office\/customers$/);
  const nav = page.getByRole('navigation', { name: 'Hauptnavigation' });
  for (const item of ['Kunden', 'Postfach', 'Katalog', 'Einstellungen']) {
    assert.equal(await nav.getByRole('link', { name: item }).count(), 1, item);
  }
  await page.getByRole('link', { name: 'Schneider, Anna' }).waitFor();
  assert.deepEqual(page.cspViolations, []);
  await page.context().close();
});

test('a wrong password gets a clear message and no session', async () => {
  const page = await newPage(run.browser);
  await signIn(page, run.folio, HOST, { email: CUSTOMER.email, password: 'das-ist-falsch' });
  await page.getByText('E-Mail-Adresse oder Passwort ist nicht richtig.').waitFor();
  assert.match(page.url(), /\/login/);
  await page.goto(run.folio.url(HOST, '/app'));
  await page.waitForURL(/\/login/);
  await page.context().close();
});

test('sign-in works without JavaScript', async () => {
  const page = await newPage(run.browser, { javaScriptEnabled: false });
  await signIn(page, run.folio, HOST, CUSTOMER);
  await page.waitForURL(/\/app$/);
  await page.getByRole('heading', { name: `Guten Tag, ${CUSTOMER.name}` }).waitFor();
  await page.context().close();
});

test('a sign-in form on another site posts to the portal and is refused', async () => {
  const page = await newPage(run.browser, { viewport: DESKTOP });
  const target = run.folio.url(HOST, '/api/auth/login');
  await page.route('http://evil.example/**', (route) => route.fulfill({
    contentType: 'text/html',
    body: `<form method="post" action="${target}"><input name="email" value="${STAFF.email}">`
      + `<input name="password" value="${STAFF.password}"><button>Weiter</button></form>`,
  }));
  await page.goto('http://evil.example/');
  const [res] = await Promise.all([page.waitForResponse(target), page.getByRole('button', { name: 'Weiter' }).click()]);
  assert.equal(res.status(), 403);
  await page.goto(run.folio.url(HOST, '/office/customers'));
  await page.waitForURL(/\/login/);
  await page.context().close();
});

test('the page hydrates: the password can be shown', async () => {
  const page = await newPage(run.browser);
  await page.goto(run.folio.url(HOST, '/login'));
  await waitForHydration(page);
  const input = page.getByLabel('Passwort', { exact: true });
  await input.fill('geheim');
  assert.equal(await input.getAttribute('type'), 'password');
  await page.getByRole('button', { name: 'Anzeigen' }).click();
  assert.equal(await input.getAttribute('type'), 'text');
  await page.getByRole('button', { name: 'Verbergen' }).waitFor();
  assert.deepEqual(page.cspViolations, []);
  await page.context().close();
});

test('staff invite a customer; the link sets a password and signs in', async () => {
  const staff = await newPage(run.browser, { viewport: DESKTOP });
  await signIn(staff, run.folio, HOST, STAFF);
  await staff.waitForURL(/\/office\/customers$/);
  await waitForHydration(staff);
  await staff.getByText('Kunde einladen').click();
  await staff.getByLabel('Vorname').fill('Clara');
  await staff.getByLabel('Nachname').fill('Neumann');
  const email = staff.getByRole('textbox', { name: 'E-Mail-Adresse', exact: true });
  const before = run.folio.mails().length;
  // The browser itself refuses an address without @ and says so at the field.
  await email.fill('kein-mail');
  await staff.getByRole('button', { name: 'Einladung senden' }).click();
  assert.equal(await email.evaluate((el) => el.validity.typeMismatch), true);
  assert.match(staff.url(), /\/office\/customers$/);
  assert.equal(run.folio.mails().length, before);
  await email.fill('clara.neumann@example.com');
  await staff.getByRole('button', { name: 'Einladung senden' }).click();
  await staff.waitForURL(/\/office\/customers\/\d+/);
  await staff.getByText('Die Einladung wurde versendet.').waitFor();
  const mails = run.folio.mails();
  assert.equal(mails.length, before + 1);
  const mail = mails.at(-1);
  assert.match(mail, /To: clara\.neumann@example\.com/);
  assert.doesNotMatch(mail, /Passwort:/);

  const customer = await newPage(run.browser);
  await customer.goto(linkIn(mail));
  await customer.getByText('clara.neumann@example.com').waitFor();
  await customer.getByLabel('Neues Passwort', { exact: true }).fill('kurz');
  await customer.getByLabel('Neues Passwort wiederholen').fill('kurz');
  await customer.getByRole('button', { name: 'Passwort speichern und anmelden' }).click();
  await customer.getByText('Das Passwort muss mindestens 12 Zeichen lang sein.').waitFor();
  await customer.getByLabel('Neues Passwort', { exact: true }).fill('Claras langes Passwort');
  await customer.getByLabel('Neues Passwort wiederholen').fill('Claras langes Passwort');
  await customer.getByRole('button', { name: 'Passwort speichern und anmelden' }).click();
  await customer.waitForURL(/\/app$/);
  await customer.getByRole('heading', { name: 'Guten Tag, Clara Neumann' }).waitFor();
  await staff.context().close();
  await customer.context().close();
});

test('a reset link works once; the second use fails', async () => {
  const staff = await newPage(run.browser, { viewport: DESKTOP });
  await signIn(staff, run.folio, HOST, STAFF);
  await staff.waitForURL(/\/office\/customers$/);
  await staff.getByRole('link', { name: 'Schneider, Anna' }).click();
  await waitForHydration(staff);
  const before = run.folio.mails().length;
  await staff.getByRole('button', { name: 'Link zum Zurücksetzen des Passworts senden' }).click();
  await staff.getByText('Der Link wurde versendet.').waitFor();
  assert.equal(run.folio.mails().length, before + 1);
  const link = linkIn(run.folio.mails().at(-1));

  const customer = await newPage(run.browser);
  await customer.goto(link);
  await customer.getByLabel('Neues Passwort', { exact: true }).fill('Annas neues Passwort');
  await customer.getByLabel('Neues Passwort wiederholen').fill('Annas neues Passwort');
  await customer.getByRole('button', { name: 'Passwort speichern und anmelden' }).click();
  await customer.waitForURL(/\/app$/);
  await customer.goto(link);
  await customer.getByText('Dieser Link ist abgelaufen oder wurde bereits verwendet').waitFor();
  // Put the demo password back for the other tests.
  run.folio.run('demo');
  await staff.context().close();
  await customer.context().close();
});

test('a customer of one broker cannot sign in at another broker\'s site', async () => {
  run.folio.run('broker', 'add', '--slug', 'nord', '--name', 'Nordlicht Finanz', '--second-factor', 'optional');
  const page = await newPage(run.browser);
  await page.goto(run.folio.url('nord.localhost', '/login'));
  await page.getByText('Nordlicht Finanz').first().waitFor();
  assert.equal(await page.getByText('Sommer').count(), 0);
  await signIn(page, run.folio, 'nord.localhost', CUSTOMER);
  await page.getByText('E-Mail-Adresse oder Passwort ist nicht richtig.').waitFor();
  await page.context().close();
});

// Last in this file: it puts an account in its protected state (and its own sign-in ends it).
test('after many wrong passwords the right one earns a mailed link, and the link signs in', async () => {
  const markus = { email: 'markus.schneider@example.com', password: 'Demo-Partner-2026!' };
  const page = await newPage(run.browser);
  for (let i = 0; i < 5; i++) {
    await signIn(page, run.folio, HOST, { email: markus.email, password: `Geraten-${i}-falsch` });
    await page.getByText('E-Mail-Adresse oder Passwort ist nicht richtig.').waitFor();
  }
  const before = run.folio.mails().length;
  await signIn(page, run.folio, HOST, markus);
  await page.getByText('Falls das Passwort richtig war, haben wir Ihnen eben einen Link zur Anmeldung').waitFor();
  assert.match(page.url(), /\/login/);
  await shot(page, 'sign-in-protected');
  assert.equal(run.folio.mails().length, before + 1);
  const link = run.folio.mails().at(-1).match(/https?:\/\/\S+\/sign-in\/\S+/)[0];

  await page.goto(link);
  await page.getByRole('heading', { name: 'Anmeldung abschließen' }).waitFor();
  await page.getByText(markus.email).waitFor();
  await shot(page, 'sign-in-link');
  await page.getByRole('button', { name: 'Jetzt anmelden' }).click();
  await page.waitForURL(/\/app$/);
  await page.goto(link);
  await page.getByText('Dieser Link ist abgelaufen oder wurde bereits verwendet').waitFor();
  assert.deepEqual(page.cspViolations, []);
  await page.context().close();
});
