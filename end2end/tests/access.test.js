// Who sees what (R3) in a real browser: the office gives an insured child access to one
// contract on a signed form (printing the form first), the child signs in and sees that
// contract and what the access rests on, and loses it the moment the office revokes it. A
// company's representative sees all its contracts, its bookkeeper a listed set; a partner
// switches between his folder and hers; the policyholder sees who has access and asks to end it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  serverAndBrowser, newPage, signIn, waitForHydration, linkIn, shot, CUSTOMER, STAFF, DESKTOP, PHONE,
} from './helpers.js';

const HOST = 'demo.localhost';
const run = serverAndBrowser();
const MARKUS = { email: 'markus.schneider@example.com', password: 'Demo-Partner-2026!' };
const THOMAS = { email: 'thomas.berger@example.com', password: 'Demo-Firma-2026!' };
const SABINE = { email: 'sabine.koch@example.com', password: 'Demo-Buchhaltung-2026!' };

/** The titles of the contracts on the overview. */
async function contractTitles(page) {
  await page.locator('main a[href^="/app/contracts/"]').first().waitFor();
  const titles = await page.locator('main a[href^="/app/contracts/"] span.block.font-medium').allTextContents();
  return titles.map((t) => t.trim()).sort();
}

function tinyPdf(text) {
  return Buffer.from(`%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n% ${text}\ntrailer << /Root 1 0 R >>\n%%EOF\n`);
}

test('the office grants an insured child one contract on a signed form, and revoking takes effect at once', async () => {
  const desk = await newPage(run.browser, { viewport: DESKTOP });
  await signIn(desk, run.folio, HOST, STAFF);
  await desk.waitForURL(/\/office\/customers$/);
  await desk.getByRole('link', { name: 'Schneider, Anna' }).click();
  await waitForHydration(desk);
  const section = desk.locator('#access');
  await section.getByRole('heading', { name: 'Zugänge' }).waitFor();
  // The demo's partner is there, on his mandate, with the form.
  const markus = section.getByTestId('grant').filter({ hasText: 'Markus Schneider' });
  await markus.getByText('Andere Person').waitFor();
  await markus.getByRole('link', { name: 'Formular ansehen' }).waitFor();

  await section.getByText('Zugang hinzufügen').click();
  const form = section.getByTestId('grant-form');
  await form.getByLabel(/Versicherte Person/).check();
  await form.getByLabel(/Kinderunfallversicherung/).check();
  const person = form.locator('fieldset', { hasText: 'Person, die Zugang erhält' });
  await person.getByLabel('Vorname').fill('Lena');
  await person.getByLabel('Nachname').fill('Schneider');
  await person.getByLabel('Geburtsdatum').fill('2012-09-01');
  await person.getByLabel('Straße und Hausnummer').fill('Lindenstraße 12');
  await person.getByLabel('PLZ').fill('80331');
  await person.getByLabel('Ort', { exact: true }).fill('München');
  await person.getByLabel('E-Mail-Adresse').fill('lena.schneider@example.com');
  // The requester is the policyholder, filled in from her record.
  const requester = form.locator('fieldset', { hasText: 'Antragsteller' });
  assert.equal(await requester.getByLabel('Vorname').inputValue(), 'Anna');
  assert.equal(await requester.getByLabel('Geburtsdatum').inputValue(), '1986-04-12');
  await form.getByLabel('Datum des Antrags').fill('2026-11-02');

  // The form to print comes as a PDF, filled with what was entered.
  const [pdf] = await Promise.all([
    desk.context().waitForEvent('response', (r) => r.url().endsWith('/office/mandate-form')),
    form.getByTestId('print-mandate').click(),
  ]);
  assert.equal(pdf.status(), 200);
  assert.equal(pdf.headers()['content-type'], 'application/pdf');
  // Chromium shows it in its viewer; what it says is checked in server/tests/api/access.rs.
  assert.match(pdf.headers()['content-disposition'], /Vollmacht Schneider\.pdf/);
  await shot(desk, 'office-grant-form-desktop');

  // Without the signed form, no access: the message says why and nothing typed is lost.
  await form.getByRole('button', { name: 'Zugang anlegen' }).click();
  await form.getByText('Für diesen Zugang ist das unterschriebene Vollmachtsformular nötig.').waitFor();
  assert.equal(await person.getByLabel('Vorname').inputValue(), 'Lena');
  await form.getByLabel('Unterschriebenes Formular (PDF oder Foto)').setInputFiles({
    name: 'Vollmacht Lena.pdf', mimeType: 'application/pdf', buffer: tinyPdf('unterschrieben'),
  });
  const before = run.folio.mails().length;
  await form.getByRole('button', { name: 'Zugang anlegen' }).click();
  await section.getByText('Zugang angelegt.').waitFor();
  const lena = section.getByTestId('grant').filter({ hasText: 'Lena Schneider' });
  await lena.getByText('Eingeladen').waitFor();
  await lena.getByText(/Versicherte Person: Kinderunfallversicherung/).waitFor();
  await shot(desk, 'office-access-desktop');

  // Lena gets the invitation, chooses her password and sees that one contract.
  const mails = run.folio.mails();
  assert.equal(mails.length, before + 1);
  assert.match(mails.at(-1), /To: lena\.schneider@example\.com/);
  const phone = await newPage(run.browser, { viewport: PHONE, mobile: true });
  await phone.goto(linkIn(mails.at(-1)));
  await phone.getByLabel('Neues Passwort', { exact: true }).fill('Lenas eigenes Passwort');
  await phone.getByLabel('Neues Passwort wiederholen').fill('Lenas eigenes Passwort');
  await phone.getByRole('button', { name: 'Passwort speichern und anmelden' }).click();
  await phone.waitForURL(/\/app$/);
  await waitForHydration(phone);
  assert.deepEqual(await contractTitles(phone), ['Kinderunfallversicherung']);
  const basis = phone.getByTestId('access-basis');
  await basis.getByText('Sie sehen den Ordner von Anna Schneider.').waitFor();
  await basis.getByText('Ihr Zugang beruht auf der Vollmacht vom 02.11.2026.').waitFor();
  await phone.getByRole('heading', { name: 'Verträge, die Sie sehen' }).waitFor();
  await phone.getByRole('region', { name: 'Beiträge dieser Verträge' }).waitFor();
  const mandate = await basis.getByRole('link', { name: 'Vollmacht ansehen' }).getAttribute('href');
  assert.equal(await phone.evaluate(async (url) => (await fetch(url)).status, mandate), 200);
  await shot(phone, 'phone-insured-overview');
  // Her documents are that contract's and her form; her mailbox only asks questions.
  await phone.getByRole('navigation', { name: 'Hauptnavigation' }).getByRole('link', { name: 'Dokumente' }).click();
  await phone.getByRole('link', { name: 'Versicherungsschein Kinderunfallversicherung', exact: true }).waitFor();
  assert.equal(await phone.getByRole('link', { name: 'Versicherungsschein Hausratversicherung', exact: true }).count(), 0);
  assert.equal(await phone.getByText('Foto aufnehmen').count(), 0, 'no uploads into someone else\'s folder');
  await phone.goto(run.folio.url(HOST, '/app/messages/new'));
  await phone.getByRole('heading', { name: 'Worum geht es?' }).waitFor();
  assert.equal(await phone.getByRole('link', { name: /Schaden melden/ }).count(), 0);
  await phone.getByRole('link', { name: /Frage stellen/ }).waitFor();

  // The office revokes after confirming; Lena's next page has no folder.
  await lena.locator('summary', { hasText: 'Zugang beenden' }).click();
  await lena.getByText('Zugang von Lena Schneider wirklich beenden?', { exact: false }).waitFor();
  await lena.getByRole('button', { name: 'Zugang beenden' }).click();
  await section.getByText('Der Zugang ist beendet.').waitFor();
  await lena.getByText(/Beendet am/).waitFor();
  await phone.goto(run.folio.url(HOST, '/app'));
  await phone.getByTestId('no-folder').waitFor();
  assert.equal(await phone.locator('a[href^="/app/contracts/"]').count(), 0);
  await desk.context().close();
  await phone.context().close();
});

test('a company: the representative sees everything, the bookkeeper a listed set until revoked', async () => {
  const rep = await newPage(run.browser, { viewport: PHONE, mobile: true });
  await signIn(rep, run.folio, HOST, THOMAS);
  await rep.waitForURL(/\/app$/);
  await waitForHydration(rep);
  assert.deepEqual(await contractTitles(rep), ['Betriebshaftpflicht', 'Glasversicherung', 'KFZ-Haftpflicht', 'Rechtsschutz']);
  await rep.getByText('Sie sehen den Ordner von Berger Haustechnik GmbH.').waitFor();
  assert.equal(await rep.getByTestId('folder-switcher').count(), 0, 'one folder, no switcher');
  await rep.getByRole('navigation', { name: 'Hauptnavigation' }).getByRole('link', { name: 'Profil' }).click();
  const who = rep.getByTestId('who-has-access');
  await who.getByText('Sabine Koch · Andere Person für die Firma').waitFor();
  await rep.getByRole('heading', { name: 'Ihre Zugänge' }).waitFor();
  await shot(rep, 'phone-representative-profile');

  const books = await newPage(run.browser, { viewport: PHONE, mobile: true });
  await signIn(books, run.folio, HOST, SABINE);
  await books.waitForURL(/\/app$/);
  await waitForHydration(books);
  assert.deepEqual(await contractTitles(books), ['Betriebshaftpflicht', 'KFZ-Haftpflicht']);
  await books.getByText('Ihr Zugang beruht auf der Vollmacht vom 03.02.2026.').waitFor();
  await shot(books, 'phone-bookkeeper-overview');

  // The office ends the bookkeeper's access; her next request shows no folder.
  const desk = await newPage(run.browser, { viewport: DESKTOP });
  await signIn(desk, run.folio, HOST, STAFF);
  await desk.waitForURL(/\/office\/customers$/);
  await desk.getByRole('link', { name: 'Berger Haustechnik GmbH' }).click();
  await waitForHydration(desk);
  const sabine = desk.locator('#access').getByTestId('grant').filter({ hasText: 'Sabine Koch' });
  await sabine.locator('summary', { hasText: 'Zugang beenden' }).click();
  await sabine.getByRole('button', { name: 'Zugang beenden' }).click();
  await desk.getByText('Der Zugang ist beendet.').waitFor();
  await books.reload();
  await books.getByTestId('no-folder').waitFor();
  // The representative still sees everything.
  await rep.goto(run.folio.url(HOST, '/app'));
  assert.equal((await contractTitles(rep)).length, 4);
  for (const page of [rep, books, desk]) await page.context().close();
});

test('a partner switches between his folder and hers; she sees who has access and asks to end it', async () => {
  const markus = await newPage(run.browser, { viewport: PHONE, mobile: true });
  await signIn(markus, run.folio, HOST, MARKUS);
  await markus.waitForURL(/\/app$/);
  await waitForHydration(markus);
  assert.deepEqual(await contractTitles(markus), ['Berufsrechtsschutz', 'Berufsunfähigkeitsversicherung']);
  const switcher = markus.getByTestId('folder-switcher');
  assert.deepEqual((await switcher.locator('option').allTextContents()).map((t) => t.trim()), ['Meine Verträge', 'Anna Schneider']);
  await switcher.getByLabel('Ordner').selectOption({ label: 'Anna Schneider' });
  await switcher.getByRole('button', { name: 'Anzeigen' }).click();
  await markus.getByText('Sie sehen den Ordner von Anna Schneider.').waitFor();
  assert.deepEqual(await contractTitles(markus), ['Hausratversicherung', 'Privatrechtsschutz']);
  await shot(markus, 'phone-partner-switcher');
  // A contract of hers that he was not given does not exist for him.
  await markus.goto(run.folio.url(HOST, '/app/contracts/1'));
  await markus.getByRole('alert').waitFor();

  const anna = await newPage(run.browser, { viewport: PHONE, mobile: true });
  await signIn(anna, run.folio, HOST, CUSTOMER);
  await anna.waitForURL(/\/app$/);
  await waitForHydration(anna);
  assert.equal(await anna.getByTestId('folder-switcher').count(), 0);
  await anna.getByRole('navigation', { name: 'Hauptnavigation' }).getByRole('link', { name: 'Profil' }).click();
  const who = anna.getByTestId('who-has-access');
  const grant = who.getByTestId('grant-on-my-folder').filter({ hasText: 'Markus Schneider' });
  await grant.getByText('Sieht: Hausratversicherung · HR-882310, Privatrechtsschutz · RS-300455').waitFor();
  await grant.getByRole('link', { name: 'Formular ansehen' }).waitFor();
  await shot(anna, 'phone-who-has-access');
  await grant.getByRole('button', { name: 'Beenden lassen' }).click();
  await who.getByText('Ihre Bitte ist in Ihrem Postfach.', { exact: false }).waitFor();
  await who.getByRole('link', { name: '→' }).click();
  await anna.getByText('Bitte beenden Sie den Zugang von Markus Schneider', { exact: false }).waitFor();
  await markus.context().close();
  await anna.context().close();
});

test('Belgian customers read Folio in Dutch and French', async () => {
  for (const [locale, submit, title] of [['nl-BE', 'Aanmelden', 'Aanmelden'], ['fr-BE', 'Se connecter', 'Se connecter']]) {
    const page = await newPage(run.browser, { locale });
    await page.goto(run.folio.url(HOST, '/login'));
    await page.getByRole('button', { name: submit, exact: true }).waitFor();
    assert.equal(await page.locator('html').getAttribute('lang'), locale.slice(0, 2));
    assert.ok((await page.title()).length > 0, title);
    await page.context().close();
  }
});
