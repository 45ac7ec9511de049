// The secure mailbox in a real browser: a claim from the phone with a photo, a draft that
// survives a reload and the consent for health data; the office's inbox, gallery and reply;
// the unread badge; and an address change that staff apply, with both steps in the trail.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { serverAndBrowser, newPage, signIn, waitForHydration, CUSTOMER, STAFF, DESKTOP } from './helpers.js';

const HOST = 'demo.localhost';
// Notices go out within a second, so the test can read them.
const run = serverAndBrowser({ FOLIO_NOTICE_TICK_SECS: '1' });

/** A small JPEG drawn by the browser. */
async function photo(page) {
  const base64 = await page.evaluate(() => {
    const c = document.createElement('canvas');
    c.width = 320;
    c.height = 240;
    const g = c.getContext('2d');
    g.fillStyle = '#36c';
    g.fillRect(0, 0, 320, 240);
    return c.toDataURL('image/jpeg', 0.9).split(',')[1];
  });
  return Buffer.from(base64, 'base64');
}

test('a claim goes from the phone (draft, photo, consent) to the office and the answer comes back', async () => {
  const phone = await newPage(run.browser, { mobile: true });
  await signIn(phone, run.folio, HOST, CUSTOMER);
  await phone.waitForURL(/\/app$/);
  await waitForHydration(phone);
  await phone.getByRole('navigation', { name: 'Hauptnavigation' }).getByRole('link', { name: 'Postfach' }).click();
  // The demo's mailbox holds a few conversations already.
  await phone.getByTestId('conversation').first().waitFor();
  await phone.getByRole('link', { name: 'Neue Nachricht' }).click();
  await phone.getByRole('heading', { name: 'Worum geht es?' }).waitFor();
  await phone.getByRole('link', { name: /Schaden melden/ }).click();
  await phone.getByRole('heading', { name: 'Schaden melden' }).waitFor();

  const contract = await phone.locator('#field-contract_id option', { hasText: 'Private Unfallversicherung' }).getAttribute('value');
  await phone.getByLabel('Vertrag', { exact: true }).selectOption(contract);
  await phone.getByLabel('Wann ist es passiert?').fill('2026-11-20');
  await phone.getByLabel('Wo ist es passiert?').fill('Skipiste Garmisch');
  await phone.getByLabel('Was ist passiert?').fill('Beim Skifahren gestürzt, Knie verletzt.');
  assert.match(await phone.locator('#field-body-hint').textContent(), /keine Gesundheitsdaten/);
  assert.match(await phone.getByTestId('photo-notice').textContent(), /keine Personen/);
  await phone.locator('#attach-files').setInputFiles([{ name: 'IMG_4711.jpg', mimeType: 'image/jpeg', buffer: await photo(phone) }]);
  await phone.getByTestId('attachment-row').getByText('Hochgeladen').waitFor();

  // The draft is kept on the server a moment after typing stops, never in the phone.
  await phone.waitForFunction(async () => {
    const res = await fetch('/api/mailbox/draft', {
      method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' }, body: 'topic=claim',
    });
    return res.ok && (await res.json()).attachments !== '';
  }, null, { polling: 250 });
  await phone.getByTestId('draft-status').getByText(/^Entwurf gespeichert/).waitFor();
  assert.deepEqual(await phone.evaluate(() => Object.keys(localStorage)), []);
  // The app is closed and opened again: nothing typed is lost, the photo is still there.
  await phone.reload();
  await waitForHydration(phone);
  await phone.waitForFunction(() => document.querySelector('#field-place')?.value === 'Skipiste Garmisch');
  assert.equal(await phone.getByLabel('Was ist passiert?').inputValue(), 'Beim Skifahren gestürzt, Knie verletzt.');
  assert.equal(await phone.getByLabel('Vertrag', { exact: true }).inputValue(), contract);
  // The restored photo's row renders a moment after the restored text.
  await phone.getByTestId('attachment-row').first().waitFor();
  assert.equal(await phone.getByTestId('attachment-row').count(), 1);

  // An accident contract: health data only with the recorded consent.
  const consent = phone.getByLabel(/Ich willige ein/);
  await consent.waitFor();
  await phone.getByRole('button', { name: 'Senden', exact: true }).click();
  await phone.getByText('Ohne Ihre Einwilligung können wir Gesundheitsangaben nicht bearbeiten.').waitFor();
  await consent.check();
  await phone.getByRole('button', { name: 'Senden', exact: true }).click();
  await phone.waitForURL(/\/app\/messages\/\d+\?sent=1$/);
  await phone.getByText('Ihre Nachricht ist angekommen.', { exact: false }).waitFor();
  assert.match(await phone.getByTestId('details').textContent(), /Skipiste Garmisch/);
  await phone.getByTestId('attachment-preview').waitFor();
  assert.match(await phone.getByTestId('status').textContent(), /Neu/);
  // The draft is gone once sent.
  await phone.goto(run.folio.url(HOST, '/app/messages/new/claim'));
  await waitForHydration(phone);
  assert.equal(await phone.getByLabel('Wo ist es passiert?').inputValue(), '');

  // The office: an unread claim in the inbox, the photo in the gallery, a reply.
  const desk = await newPage(run.browser, { viewport: DESKTOP });
  await signIn(desk, run.folio, HOST, STAFF);
  await desk.waitForURL(/\/office\/customers/);
  await waitForHydration(desk);
  // Two demo conversations wait unread (a new bank account, Markus's question), and the claim.
  assert.equal(parseInt(await desk.getByTestId('unread-badge').textContent(), 10), 3);
  await desk.getByRole('link', { name: /Postfach/ }).click();
  const row = desk.getByTestId('inbox-row').filter({ hasText: 'Private Unfallversicherung' });
  assert.match(await row.textContent(), /ungelesen/);
  assert.match(await row.textContent(), /Anna Schneider/);
  await row.getByRole('link').click();
  await desk.getByTestId('gallery').waitFor();
  const img = desk.getByTestId('attachment-preview');
  await img.evaluate((el) => (el.complete ? null : new Promise((r) => { el.onload = r; })));
  assert.ok(await img.evaluate((el) => el.naturalWidth > 0), 'the claim photo shows');
  await desk.getByText(/Einwilligung zur Verarbeitung von Gesundheitsdaten erteilt/).waitFor();
  await desk.getByLabel('Ihre Nachricht').fill('Gute Besserung! Wir melden den Schaden heute beim Versicherer.');
  await desk.getByRole('button', { name: 'Senden', exact: true }).click();
  await desk.getByTestId('message').filter({ hasText: 'Gute Besserung' }).waitFor();
  assert.match(await desk.getByTestId('status').textContent(), /In Bearbeitung/);

  // The phone: a badge on the Postfach, the answer in the conversation.
  await phone.goto(run.folio.url(HOST, '/app'));
  await waitForHydration(phone);
  await phone.getByTestId('unread-badge').waitFor();
  const unread = parseInt(await phone.getByTestId('unread-badge').textContent(), 10);
  await phone.getByRole('navigation', { name: 'Hauptnavigation' }).getByRole('link', { name: /Postfach/ }).click();
  await phone.getByTestId('conversation').first().click();
  await phone.getByTestId('message').filter({ hasText: 'Gute Besserung' }).waitFor();
  // Shown, it is read: the page tells the server, and the badge counts one less.
  await phone.waitForFunction((before) => {
    const badge = document.querySelector('[data-testid=unread-badge]');
    return (badge ? parseInt(badge.textContent, 10) : 0) === before - 1;
  }, unread);

  // The notice to the customer says only that something waits, and where to sign in.
  let toAnna = [];
  for (let i = 0; i < 50 && toAnna.length === 0; i++) {
    toAnna = run.folio.mails().filter((m) => m.includes(`To: ${CUSTOMER.email}`) && m.includes('/app/messages'));
    if (toAnna.length === 0) await new Promise((r) => setTimeout(r, 100));
  }
  assert.equal(toAnna.length, 1);
  for (const secret of ['Besserung', 'Knie', 'Unfall', 'Garmisch', 'Schaden']) assert.ok(!toAnna[0].includes(secret), secret);
  assert.deepEqual(phone.cspViolations, []);
  assert.deepEqual(desk.cspViolations, []);
});

test('an address change stays a request until the office applies it, edited, with both steps in the trail', async () => {
  const phone = await newPage(run.browser, { mobile: true });
  await signIn(phone, run.folio, HOST, CUSTOMER);
  await phone.waitForURL(/\/app$/);
  await phone.goto(run.folio.url(HOST, '/app/messages/new/address'));
  await waitForHydration(phone);
  await phone.getByLabel('Straße und Hausnummer').fill('Neue Straße 5');
  await phone.getByLabel('PLZ', { exact: true }).fill('8046');
  await phone.getByLabel('Ort', { exact: true }).fill('Muenchen');
  await phone.getByLabel('Gültig ab').fill('2026-12-01');
  await phone.getByRole('button', { name: 'Senden', exact: true }).click();
  await phone.getByText('Diese Postleitzahl passt nicht zum gewählten Land.').waitFor();
  await phone.getByLabel('PLZ', { exact: true }).fill('80469');
  await phone.getByRole('button', { name: 'Senden', exact: true }).click();
  await phone.waitForURL(/\/app\/messages\/\d+\?sent=1$/);
  assert.match(await phone.getByTestId('details').textContent(), /Neue Straße 5, 80469 Muenchen/);

  const desk = await newPage(run.browser, { viewport: DESKTOP });
  await signIn(desk, run.folio, HOST, STAFF);
  await desk.waitForURL(/\/office\/customers/);
  await desk.goto(run.folio.url(HOST, '/office/messages?topic=address'));
  await waitForHydration(desk);
  await desk.getByTestId('inbox-row').first().getByRole('link').click();
  const request = desk.getByTestId('change-request');
  await request.waitFor();
  assert.equal((await desk.getByTestId('current-street').textContent()).trim(), 'Lindenstraße 12');
  assert.equal(await desk.getByLabel('Ort', { exact: true }).inputValue(), 'Muenchen');
  await desk.getByLabel('Ort', { exact: true }).fill('München');
  await desk.getByRole('button', { name: 'Änderung übernehmen' }).click();
  await desk.getByTestId('applied').waitFor();
  assert.match(await desk.getByTestId('applied').textContent(), /Jana Sommer/);
  assert.match(await desk.getByTestId('status').textContent(), /Erledigt/);

  await desk.getByRole('link', { name: 'Anna Schneider' }).click();
  await desk.getByText('Neue Straße 5, 80469 München', { exact: false }).waitFor();
  const trail = await desk.locator('section[aria-labelledby="audit-heading"]').textContent();
  assert.match(trail, /Änderung beantragt/);
  assert.match(trail, /Änderung übernommen/);
});

test('a question from a contract, a new bank account, a missing contract and a letter from the office', async () => {
  const phone = await newPage(run.browser, { mobile: true });
  await signIn(phone, run.folio, HOST, CUSTOMER);
  await phone.waitForURL(/\/app$/);
  await waitForHydration(phone);

  // A question straight from a contract's page: the contract is already chosen.
  await phone.getByRole('link', { name: /Privathaftpflicht/ }).first().click();
  await phone.getByRole('link', { name: 'Frage zu diesem Vertrag' }).click();
  await phone.getByRole('heading', { name: 'Frage stellen' }).waitFor();
  await waitForHydration(phone);
  assert.match(await phone.getByLabel(/^Vertrag/).locator('option:checked').textContent(), /Privathaftpflicht/);
  await phone.getByLabel('Ihre Frage').fill('Bin ich auch im Ausland versichert?');
  await phone.getByRole('button', { name: 'Senden', exact: true }).click();
  await phone.waitForURL(/\/app\/messages\/\d+\?sent=1$/);
  await phone.getByTestId('message').filter({ hasText: 'Ausland' }).waitFor();

  // A new bank account: the IBAN is checked before anything is sent.
  await phone.goto(run.folio.url(HOST, '/app/messages/new'));
  await waitForHydration(phone);
  await phone.getByRole('link', { name: /Neue Bankverbindung mitteilen/ }).click();
  await phone.getByLabel('Kontoinhaber').fill('Anna Schneider');
  await phone.getByLabel('IBAN', { exact: true }).fill('DE89 3704 0044 0532 0130 01');
  await phone.getByLabel('Gültig ab').fill('2027-01-01');
  await phone.getByRole('button', { name: 'Senden', exact: true }).click();
  await phone.getByText('Diese IBAN ist nicht gültig.', { exact: false }).waitFor();
  await phone.getByLabel('IBAN', { exact: true }).fill('DE89 3704 0044 0532 0130 00');
  await phone.getByRole('button', { name: 'Senden', exact: true }).click();
  await phone.waitForURL(/\/app\/messages\/\d+\?sent=1$/);
  assert.match(await phone.getByTestId('details').textContent(), /DE89 3704 0044 0532 0130 00/);

  // A contract missing from the folder: a photo of its first page is required.
  await phone.goto(run.folio.url(HOST, '/app/messages/new/missing_contract'));
  await waitForHydration(phone);
  await phone.getByLabel(/^Versicherer/).fill('Allianz');
  await phone.getByRole('button', { name: 'Senden', exact: true }).click();
  await phone.getByText('Bitte fügen Sie mindestens ein Foto oder eine Datei hinzu.').waitFor();
  await phone.locator('#attach-files').setInputFiles([{ name: 'seite1.jpg', mimeType: 'image/jpeg', buffer: await photo(phone) }]);
  await phone.getByTestId('attachment-row').getByText('Hochgeladen').waitFor();
  await phone.getByRole('button', { name: 'Senden', exact: true }).click();
  await phone.waitForURL(/\/app\/messages\/\d+\?sent=1$/);
  await phone.getByTestId('attachment-preview').waitFor();

  // The office: the bank account goes into the record; the missing contract becomes one.
  const desk = await newPage(run.browser, { viewport: DESKTOP });
  await signIn(desk, run.folio, HOST, STAFF);
  await desk.waitForURL(/\/office\/customers/);
  await desk.goto(run.folio.url(HOST, '/office/messages?topic=bank'));
  await waitForHydration(desk);
  await desk.getByTestId('inbox-row').first().getByRole('link').click();
  await desk.getByTestId('change-request').waitFor();
  await desk.getByRole('button', { name: 'Änderung übernehmen' }).click();
  await desk.getByTestId('applied').waitFor();

  await desk.goto(run.folio.url(HOST, '/office/messages?topic=missing_contract'));
  await waitForHydration(desk);
  await desk.getByTestId('inbox-row').first().getByRole('link').click();
  await desk.getByTestId('gallery').waitFor();
  // Assigned to herself, it is in "mine"; closed and reopened, it says so.
  await desk.getByLabel('Zuständig').selectOption({ label: 'Jana Sommer' });
  await desk.getByRole('button', { name: 'Zuweisen' }).click();
  await desk.getByRole('button', { name: 'Als erledigt markieren' }).click();
  await desk.getByRole('button', { name: 'Wieder öffnen' }).waitFor();
  assert.match(await desk.getByTestId('status').textContent(), /Erledigt/);
  await desk.getByRole('button', { name: 'Wieder öffnen' }).click();
  await desk.getByRole('button', { name: 'Als erledigt markieren' }).waitFor();
  assert.match(await desk.getByTestId('status').textContent(), /In Bearbeitung/);
  const here = desk.url();
  await desk.goto(run.folio.url(HOST, '/office/messages'));
  await waitForHydration(desk);
  await desk.getByLabel('Zuständig').selectOption('me');
  await desk.getByLabel('Anliegen').selectOption('missing_contract');
  await desk.getByRole('button', { name: 'Filtern' }).click();
  await desk.waitForURL(/assignee=me/);
  const mine = desk.getByTestId('inbox-row');
  assert.equal(await mine.count(), 1);
  assert.match(await mine.textContent(), /Jana Sommer/);
  await desk.goto(here);
  await waitForHydration(desk);
  await desk.getByTestId('create-contract').click();
  await desk.waitForURL(/\/contracts\/new\?insurer=Allianz$/);
  await waitForHydration(desk);
  assert.equal(await desk.locator('[name="form[insurer]"]').inputValue(), 'Allianz');

  // The office writes first, with a letter; the customer gets it with the file.
  await desk.goto(run.folio.url(HOST, '/office/customers'));
  await desk.getByRole('link', { name: /Schneider, Anna/ }).click();
  await desk.getByText('DE89 3704 0044 0532 0130 00').waitFor();
  await desk.getByRole('link', { name: 'Nachricht schreiben' }).click();
  await waitForHydration(desk);
  await desk.getByLabel('Betreff').fill('Ihre Beitragsanpassung 2027');
  await desk.getByLabel('Ihre Nachricht').fill('Anbei das Schreiben Ihres Versicherers.');
  const pdf = Buffer.from('%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n');
  await desk.locator('#attach-files').setInputFiles([{ name: 'Beitragsanpassung.pdf', mimeType: 'application/pdf', buffer: pdf }]);
  await desk.getByTestId('attachment-row').getByText('Hochgeladen').waitFor();
  await desk.getByRole('button', { name: 'Senden', exact: true }).click();
  await desk.waitForURL(/\/office\/messages\/\d+$/);
  await desk.getByTestId('gallery').getByText('Beitragsanpassung').waitFor();

  await phone.goto(run.folio.url(HOST, '/app/messages'));
  await waitForHydration(phone);
  const letter = phone.getByTestId('conversation').filter({ hasText: 'Ihre Beitragsanpassung 2027' });
  assert.match(await letter.textContent(), /ungelesen/);
  await letter.click();
  await phone.getByTestId('gallery').getByText('Beitragsanpassung').waitFor();
  assert.deepEqual(phone.cspViolations, []);
  assert.deepEqual(desk.cspViolations, []);
});

test('the customer withdraws her health consent in the profile and the office sees it on the claim', async () => {
  // The claim of the first test carries Anna's consent.
  const phone = await newPage(run.browser, { mobile: true });
  await signIn(phone, run.folio, HOST, CUSTOMER);
  await phone.waitForURL(/\/app$/);
  await phone.goto(run.folio.url(HOST, '/app/profile'));
  await waitForHydration(phone);
  const consents = phone.getByRole('region', { name: 'Einwilligungen' });
  const consent = consents.getByTestId('consent').filter({ hasText: 'Private Unfallversicherung' });
  const link = await consent.getByRole('link').getAttribute('href');
  await consent.locator('summary', { hasText: /^Einwilligung widerrufen/ }).click();
  await consent.getByText(/Bearbeitung verzögern/).waitFor();
  await consent.getByRole('button', { name: 'Ja, widerrufen' }).click();
  await consents.getByText('Die Einwilligung ist widerrufen.').waitFor();
  await consents.getByTestId('consent').filter({ hasText: 'Private Unfallversicherung' }).getByText(/Einwilligung widerrufen am/).waitFor();
  assert.deepEqual(phone.cspViolations, []);

  const desk = await newPage(run.browser, { viewport: DESKTOP });
  await signIn(desk, run.folio, HOST, STAFF);
  await desk.waitForURL(/\/office\/customers/);
  await desk.goto(run.folio.url(HOST, link.replace('/app/', '/office/')));
  await desk.getByTestId('consent-withdrawn').waitFor();
  assert.match(await desk.getByTestId('consent-withdrawn').textContent(), /widerrufen am/);
  await phone.context().close();
  await desk.context().close();
});

test('when the draft cannot be saved the form says so, and saves it once the connection is back', async () => {
  const phone = await newPage(run.browser, { mobile: true });
  await signIn(phone, run.folio, HOST, CUSTOMER);
  await phone.waitForURL(/\/app$/);
  await phone.goto(run.folio.url(HOST, '/app/messages/new/missing_contract'));
  await waitForHydration(phone);
  const status = phone.getByTestId('draft-status');
  await phone.route('**/api/mailbox/save-draft', (route) => route.abort('internetdisconnected'));
  await phone.locator('#field-insurer').fill('Hanse Leben');
  await status.getByText(/^Der Entwurf konnte nicht gespeichert werden/).waitFor();
  assert.equal(await phone.locator('#field-insurer').inputValue(), 'Hanse Leben', 'what was typed stays');
  await phone.unroute('**/api/mailbox/save-draft');
  await phone.locator('#field-insurer').fill('Hanse Lebensversicherung');
  await status.getByText(/^Entwurf gespeichert/).waitFor();
  // Emptied, the draft is gone again (the next test finds a blank form).
  await phone.locator('#field-insurer').fill('');
  await phone.waitForFunction(async () => {
    const res = await fetch('/api/mailbox/draft', {
      method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' }, body: 'topic=missing_contract',
    });
    return res.ok && (await res.json()).insurer === '';
  }, null, { polling: 250 });
  await phone.context().close();
});
