// The office imports a portfolio: choose a file, see the preview, confirm, follow the
// progress bar, read the report; the same file again changes nothing.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { serverAndBrowser, newPage, signIn, waitForHydration, shot, STAFF, DESKTOP, PHONE } from './helpers.js';

const HOST = 'demo.localhost';
const run = serverAndBrowser();

/** A CSV as a broker system exports it: `count` customers with one contract each. */
function portfolio(count) {
  const rows = ['Kundennummer;Vorname;Nachname;Geburtsdatum;E-Mail;Versicherer;Sparte;Versicherungsschein-Nr;Beitrag;Zahlweise;Beginn'];
  for (let i = 1; i <= count; i++) {
    const day = String((i % 28) + 1).padStart(2, '0');
    rows.push(`E2E-${i};Jörg;Müller-${i};${day}.03.1970;;Hanse Allgemeine;Hausrat;HR-E2E-${i};${(i % 90) + 5},50;monatlich;01.01.2024`);
  }
  return rows.join('\r\n') + '\r\n';
}

test('the office previews a CSV, imports it with a progress bar, and a second run changes nothing', async () => {
  const file = join(run.folio.dataDir, 'bestand.csv');
  writeFileSync(file, portfolio(20000));
  const page = await newPage(run.browser, { viewport: DESKTOP });
  await signIn(page, run.folio, HOST, STAFF);
  await page.waitForURL(/\/office\/customers$/);
  await page.getByRole('link', { name: 'Import' }).click();
  await page.getByRole('heading', { name: 'Bestand importieren', level: 1 }).waitFor();
  await waitForHydration(page);
  await shot(page, 'import-choose-desktop');

  await page.getByLabel('Datei (GDV oder CSV)').setInputFiles(file);
  await page.getByRole('button', { name: 'Vorschau anzeigen' }).click();
  await page.waitForURL(/\/office\/import\?id=\d+$/);
  await page.getByRole('heading', { name: 'Vorschau' }).waitFor({ timeout: 60_000 });
  const counts = page.getByTestId('import-counts');
  assert.match(await counts.textContent(), /Neue Kunden\s*20\.000/);
  assert.match(await counts.textContent(), /Neue Verträge\s*20\.000/);
  assert.match(await page.textContent('main'), /Zeile 2: Jörg Müller-1/);
  await shot(page, 'import-preview-desktop');
  await waitForHydration(page);

  // Whether the progress bar showed while the import ran.
  await page.evaluate(() => {
    window.sawProgress = false;
    new MutationObserver(() => {
      if (document.querySelector('[data-testid=import-progress]')) window.sawProgress = true;
    }).observe(document.body, { childList: true, subtree: true });
  });
  await page.getByRole('button', { name: 'Jetzt importieren' }).click();
  await page.getByRole('heading', { name: 'Import abgeschlossen' }).waitFor({ timeout: 120_000 });
  assert.equal(await page.evaluate(() => window.sawProgress), true, 'the progress bar showed');
  assert.match(await page.getByTestId('import-counts').textContent(), /Neue Verträge\s*20\.000/);
  // The list of recent imports follows: this one is imported, no longer a preview.
  await page.locator('section[aria-labelledby=recent-imports] li', { hasText: 'importiert' }).waitFor();
  assert.equal(await page.locator('section[aria-labelledby=recent-imports] li', { hasText: 'Vorschau' }).count(), 0);
  await shot(page, 'import-done-desktop');
  const download = page.waitForEvent('download');
  await page.getByRole('link', { name: 'Bericht herunterladen' }).click();
  const report = await (await download).path();
  assert.match((await import('node:fs')).readFileSync(report, 'utf8'), /Neue Kunden: 20000/);

  // The customers are in the office's list.
  await page.goto(run.folio.url(HOST, '/office/customers?q=M%C3%BCller-19999'));
  await page.getByRole('link', { name: /Müller-19999/ }).waitFor();

  // The same file again, on a phone: nothing to do, no button to import.
  const phone = await newPage(run.browser, { viewport: PHONE });
  await signIn(phone, run.folio, HOST, STAFF);
  await phone.waitForURL(/\/office\/customers$/);
  await phone.goto(run.folio.url(HOST, '/office/import'));
  await phone.getByLabel('Datei (GDV oder CSV)').setInputFiles(file);
  await phone.getByRole('button', { name: 'Vorschau anzeigen' }).click();
  await phone.getByText('Die Datei ändert nichts').waitFor({ timeout: 60_000 });
  assert.match(await phone.getByTestId('import-counts').textContent(), /Unveränderte Verträge\s*20\.000/);
  assert.equal(await phone.getByRole('button', { name: 'Jetzt importieren' }).count(), 0);
  const width = await phone.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(width <= PHONE.width, `no sideways scrolling on a phone (${width}px)`);
  await shot(phone, 'import-unchanged-phone');
  assert.deepEqual(page.cspViolations, []);
  await phone.context().close();
  await page.context().close();
});
