// The customer folder in a real browser: the customer's overview → contract → document on
// a phone, the documents page's filters, and the office's upload with progress bars and
// its contract form.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  serverAndBrowser, newPage, signIn, waitForHydration, CUSTOMER, STAFF, DESKTOP,
} from './helpers.js';

const HOST = 'demo.localhost';
const run = serverAndBrowser();

test('a customer sees the contracts by line, opens one and its policy on the phone', async () => {
  const page = await newPage(run.browser);
  await signIn(page, run.folio, HOST, CUSTOMER);
  await page.waitForURL(/\/app$/);
  await waitForHydration(page);
  const totals = page.getByRole('region', { name: 'Sie zahlen für Ihre laufenden Verträge' });
  assert.match(await totals.textContent(), /426,50 €\s*im Monat/);
  assert.match(await totals.textContent(), /5\.118,00 € im Jahr/);
  const liability = page.getByRole('region', { name: 'Haftpflicht' });
  assert.equal(await liability.getByRole('link').count(), 2);
  // Ended contracts are folded away until asked for.
  const ended = page.locator('details', { hasText: 'Beendete Verträge (2)' });
  assert.equal(await ended.getByRole('link', { name: /Teilkasko/ }).isVisible(), false);
  await ended.locator('summary').click();
  assert.equal(await ended.getByRole('link', { name: /Teilkasko/ }).isVisible(), true);

  await liability.getByRole('link', { name: /Privathaftpflicht/ }).click();
  await page.getByRole('heading', { name: 'Privathaftpflicht', level: 1 }).waitFor();
  assert.match(await page.getByRole('region', { name: 'Wofür ist dieser Vertrag?' }).textContent(), /Alltag/);
  assert.match(await page.locator('dl').textContent(), /PHV-4711-2020/);
  assert.match(await page.locator('dl').textContent(), /6,90 € monatlich/);
  const policy = page.getByTestId('documents').getByRole('link', { name: 'Versicherungsschein Privathaftpflicht', exact: true });
  const href = await policy.getAttribute('href');
  // Fetched as the page would open it (same origin, the session cookie).
  const res = await page.evaluate(async (url) => {
    const r = await fetch(url);
    const start = new TextDecoder().decode((await r.arrayBuffer()).slice(0, 5));
    return { status: r.status, type: r.headers.get('content-type'), disposition: r.headers.get('content-disposition'), start };
  }, href);
  assert.equal(res.status, 200);
  assert.equal(res.type, 'application/pdf');
  assert.match(res.disposition, /^inline;/);
  assert.equal(res.start, '%PDF-');
  // The page fits the phone: nothing scrolls sideways.
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 0, `page is ${overflow}px wider than the phone`);
  assert.deepEqual(page.cspViolations, []);
  await page.context().close();
});

test('the documents page filters by type and finds by title', async () => {
  const page = await newPage(run.browser);
  await signIn(page, run.folio, HOST, CUSTOMER);
  await page.waitForURL(/\/app$/);
  await page.getByRole('navigation', { name: 'Hauptnavigation' }).getByRole('link', { name: 'Dokumente' }).click();
  await page.getByRole('heading', { name: 'Dokumente', level: 1 }).waitFor();
  const list = page.getByTestId('documents');
  await list.waitFor();
  assert.ok((await list.getByRole('listitem').count()) >= 20);
  await page.getByRole('combobox', { name: 'Art' }).selectOption('invoice');
  await page.getByRole('button', { name: 'Anzeigen' }).click();
  await page.waitForURL(/kind=invoice/);
  await page.waitForFunction(() => [...document.querySelectorAll('[data-testid=documents] li')].every((li) => li.textContent.includes('Beitragsrechnung')));
  await page.getByRole('searchbox', { name: 'Titel durchsuchen' }).fill('gibt es nicht');
  await page.getByRole('button', { name: 'Anzeigen' }).click();
  await page.getByText('Keine Dokumente gefunden').waitFor();
  await page.context().close();
});

test('the office uploads several files with a progress bar each, and a bad file says why', async () => {
  const page = await newPage(run.browser, { viewport: DESKTOP });
  await signIn(page, run.folio, HOST, STAFF);
  await page.waitForURL(/\/office\/customers$/);
  await waitForHydration(page);
  await page.getByRole('link', { name: 'Schneider, Anna' }).click();
  await page.getByRole('heading', { name: 'Dokumente hochladen' }).waitFor();
  await waitForHydration(page);
  const contact = await page.getByRole('region', { name: 'Kontaktdaten' }).textContent();
  assert.match(contact, /Lindenstraße 12, 80331 München, Deutschland/);
  assert.match(contact, /12\.04\.1986/);
  const pdf = Buffer.from('%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n'.padEnd(400_000, ' '));
  await page.locator('#upload-files').setInputFiles([
    { name: 'Police_Hausrat_2027.pdf', mimeType: 'application/pdf', buffer: pdf },
    { name: 'notizen.txt', mimeType: 'text/plain', buffer: Buffer.from('Nur ein Text') },
  ]);
  const rows = page.getByTestId('upload-row');
  assert.equal(await rows.count(), 2);
  // The title and type are guessed from the name and can be changed.
  const first = rows.nth(0);
  assert.equal(await first.getByLabel('Titel').inputValue(), 'Police Hausrat 2027');
  assert.equal(await first.getByLabel('Art').inputValue(), 'policy');
  await first.getByLabel('Vertrag').selectOption({ label: 'Hausratversicherung · HR-882310' });
  await page.getByRole('button', { name: 'Hochladen', exact: true }).click();
  await first.getByText('Hochgeladen').waitFor();
  // The bar ends full (its update may land a frame after the text).
  await first.locator('progress').evaluate((el) => new Promise((done, fail) => {
    const started = Date.now();
    const check = () => (el.value === 100 ? done() : Date.now() - started > 5000 ? fail(new Error(`progress ${el.value}`)) : setTimeout(check, 50));
    check();
  }));
  const second = rows.nth(1);
  await second.getByRole('alert').waitFor();
  assert.match(await second.getByRole('alert').textContent(), /PDF-Dokumente und Fotos als JPEG, PNG oder WebP/);
  assert.equal(await second.getByRole('button', { name: 'Erneut versuchen' }).isVisible(), true);
  // The list shows the new document with its contract, without reloading the page.
  const office = page.getByTestId('office-documents');
  await office.getByRole('link', { name: 'Police Hausrat 2027', exact: true }).waitFor();
  assert.match(await office.locator('li', { hasText: 'Police Hausrat 2027' }).textContent(), /Hausratversicherung · HR-882310/);

  // Deleting asks first.
  const item = office.locator('li', { hasText: 'Police Hausrat 2027' });
  await item.locator('summary').click();
  assert.match(await item.textContent(), /endgültig löschen/);
  await item.getByRole('button', { name: 'Löschen' }).click();
  await page.getByText('Das Dokument wurde gelöscht.').waitFor();
  await office.getByRole('link', { name: 'Police Hausrat 2027', exact: true }).waitFor({ state: 'detached' });
  assert.deepEqual(page.cspViolations, []);
  await page.context().close();
});

test('the office drops a file onto the uploader; title and type come from its name', async () => {
  const page = await newPage(run.browser, { viewport: DESKTOP });
  await signIn(page, run.folio, HOST, STAFF);
  await page.waitForURL(/\/office\/customers$/);
  await page.getByRole('link', { name: 'Schneider, Anna' }).click();
  await page.getByRole('heading', { name: 'Dokumente hochladen' }).waitFor();
  await waitForHydration(page);
  const pdf = '%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n';
  await page.getByTestId('drop-zone').evaluate((zone, text) => {
    const data = new DataTransfer();
    data.items.add(new File([text], 'Schreiben_Kuendigung.pdf', { type: 'application/pdf' }));
    zone.dispatchEvent(new DragEvent('drop', { dataTransfer: data, bubbles: true, cancelable: true }));
  }, pdf);
  const row = page.getByTestId('upload-row');
  assert.equal(await row.count(), 1);
  assert.equal(await row.getByLabel('Titel').inputValue(), 'Schreiben Kuendigung');
  assert.equal(await row.getByLabel('Art').inputValue(), 'letter');
  await page.getByRole('button', { name: 'Hochladen', exact: true }).click();
  await row.getByText('Hochgeladen').waitFor();
  await page.getByTestId('office-documents').getByRole('link', { name: 'Schreiben Kuendigung', exact: true }).waitFor();
  await page.context().close();
});

test('the office adds a contract and the customer sees it at once', async () => {
  const page = await newPage(run.browser, { viewport: DESKTOP });
  await signIn(page, run.folio, HOST, STAFF);
  await page.waitForURL(/\/office\/customers$/);
  await page.getByRole('link', { name: 'Schneider, Anna' }).click();
  await page.getByRole('link', { name: 'Vertrag anlegen' }).click();
  await page.getByRole('heading', { name: 'Vertrag anlegen', level: 1 }).waitFor();
  await waitForHydration(page);
  await page.getByLabel('Sparte').selectOption({ label: 'Wohngebäude' });
  await page.getByLabel('Produkt').selectOption({ label: 'Elementarschadenversicherung' });
  await page.getByLabel('Versicherer').fill('Hanse Allgemeine Versicherung AG');
  await page.getByLabel('Versicherungsscheinnummer').fill('EL-2027-1');
  await page.getByLabel('Zahlweise').selectOption('monthly');
  // A premium that is no amount is refused at its field, and nothing is lost.
  await page.getByLabel('Beitrag').fill('zwanzig');
  await page.getByRole('button', { name: 'Vertrag speichern' }).click();
  await page.getByText('Bitte geben Sie einen Betrag wie 12,50 ein.').waitFor();
  assert.equal(await page.getByLabel('Versicherer').inputValue(), 'Hanse Allgemeine Versicherung AG');
  await page.getByLabel('Beitrag').fill('19,90');
  await page.getByRole('button', { name: 'Vertrag speichern' }).click();
  await page.getByText('Der Vertrag wurde gespeichert.').waitFor();
  assert.match(await page.getByRole('region', { name: 'Verträge' }).textContent(), /EL-2027-1/);

  const phone = await newPage(run.browser);
  await signIn(phone, run.folio, HOST, CUSTOMER);
  await phone.waitForURL(/\/app$/);
  const buildings = phone.getByRole('region', { name: 'Wohngebäude' });
  assert.match(await buildings.textContent(), /Elementarschadenversicherung[\s\S]*19,90 € monatlich/);
  await phone.context().close();
  await page.context().close();
});
