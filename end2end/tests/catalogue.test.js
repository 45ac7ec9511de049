// The office shapes the catalogue in the browser; the customer's folder follows at once.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { serverAndBrowser, newPage, signIn, waitForHydration, CUSTOMER, STAFF, DESKTOP } from './helpers.js';

const HOST = 'demo.localhost';
const run = serverAndBrowser();

test('staff rename a product, move a line up and delete a product in use', async () => {
  const page = await newPage(run.browser, { viewport: DESKTOP });
  await signIn(page, run.folio, HOST, STAFF);
  await page.waitForURL(/\/office\/customers$/);
  await page.getByRole('link', { name: 'Katalog' }).click();
  await page.getByRole('heading', { name: 'Katalog', level: 1 }).waitFor();
  await waitForHydration(page);

  const product = page.getByRole('listitem', { name: 'Privathaftpflicht' });
  await product.locator('summary', { hasText: 'Bearbeiten' }).click();
  await product.getByLabel('Name des Produkts').fill('Privathaftpflicht Komfort');
  await product.getByLabel('Text für Kunden').fill('Zahlt, wenn Sie jemandem aus Versehen schaden.');
  await product.getByRole('button', { name: 'Speichern' }).click();
  await page.getByRole('listitem', { name: 'Privathaftpflicht Komfort' }).waitFor();

  await page.getByRole('button', { name: 'Nach oben: Hausrat', exact: true }).click();
  await page.waitForFunction(() => document.querySelector('[data-testid=catalogue] > li h2')?.textContent.startsWith('Hausrat'));

  // Deleting a product that contracts use asks where they go.
  const bike = page.getByRole('listitem', { name: 'Fahrradversicherung' });
  await bike.locator('summary', { hasText: 'Löschen' }).click();
  assert.match(await bike.textContent(), /1 Verträge nutzen dieses Produkt/);
  await bike.getByRole('combobox').selectOption({ label: 'Hausratversicherung' });
  await bike.getByRole('button', { name: 'Löschen' }).click();
  await bike.waitFor({ state: 'detached' });
  assert.deepEqual(page.cspViolations, []);

  const phone = await newPage(run.browser);
  await signIn(phone, run.folio, HOST, CUSTOMER);
  await phone.waitForURL(/\/app$/);
  const first = phone.getByRole('region', { name: 'Hausrat' });
  // The bike's contract now is a Hausratversicherung: two of them, no bike insurance left.
  assert.equal(await first.getByRole('link', { name: /Hausratversicherung/ }).count(), 2);
  assert.equal(await phone.getByRole('link', { name: /Fahrradversicherung/ }).count(), 0);
  const order = await phone.locator('main section[aria-label]').evaluateAll((s) => s.map((x) => x.getAttribute('aria-label')));
  assert.deepEqual(order.slice(0, 2), ['Hausrat', 'Haftpflicht']);
  await phone.getByRole('link', { name: /Privathaftpflicht Komfort/ }).click();
  await phone.getByText('Zahlt, wenn Sie jemandem aus Versehen schaden.').waitFor();
  await phone.context().close();
  await page.context().close();
});
