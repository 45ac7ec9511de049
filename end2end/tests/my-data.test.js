// "Meine Daten" (Art. 15): the customer downloads everything stored about her from the
// profile and opens the report; the office makes the same copy on her page.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { serverAndBrowser, newPage, signIn, waitForHydration, shot, CUSTOMER, STAFF, DESKTOP } from './helpers.js';

const HOST = 'demo.localhost';
const run = serverAndBrowser();

test('a customer downloads her data from the profile, opens the report, and the office makes the same copy', async () => {
  const phone = await newPage(run.browser);
  await signIn(phone, run.folio, HOST, CUSTOMER);
  await phone.waitForURL(/\/app$/);
  await phone.goto(run.folio.url(HOST, '/app/profile'));
  await waitForHydration(phone);
  const section = phone.getByRole('region', { name: 'Meine Daten' });
  await shot(phone, 'profile-my-data-phone');
  const [download] = await Promise.all([
    phone.waitForEvent('download'),
    section.getByRole('button', { name: 'Meine Daten herunterladen (ZIP)' }).click(),
  ]);
  assert.match(download.suggestedFilename(), /^meine-daten-\d{4}-\d{2}-\d{2}\.zip$/);
  const zip = await download.path();
  const dir = mkdtempSync(join(tmpdir(), 'folio-my-data-'));
  execFileSync('python3', ['-c', 'import sys, zipfile; zipfile.ZipFile(sys.argv[1]).extractall(sys.argv[2])', zip, dir]);
  const data = JSON.parse(readFileSync(join(dir, 'data.json'), 'utf8'));
  assert.equal(data.account.email, CUSTOMER.email);
  assert.ok(data.sessions.some((s) => s.device === 'Chrome · Linux'), JSON.stringify(data.sessions));
  assert.ok(data.documents.length > 0 && existsSync(join(dir, data.documents[0].file)));
  // The report opens in the browser, in her language, and prints.
  const report = await newPage(run.browser);
  await report.goto(`file://${join(dir, 'report.html')}`);
  await report.getByRole('heading', { name: 'Ihre Daten bei Sommer & Partner Versicherungsmakler', level: 1 }).waitFor();
  await report.getByRole('heading', { name: 'Verträge', level: 2 }).waitFor();
  await shot(report, 'my-data-report-phone');
  await report.context().close();
  assert.deepEqual(phone.cspViolations, []);
  await phone.context().close();

  const office = await newPage(run.browser, { viewport: DESKTOP });
  await signIn(office, run.folio, HOST, STAFF);
  await office.waitForURL(/\/office\/customers$/);
  await office.getByRole('link', { name: 'Schneider, Anna' }).click();
  const copy = office.getByRole('region', { name: 'Auskunft (Art. 15 DSGVO)' });
  await copy.waitFor();
  await shot(office, 'office-customer-my-data-desktop');
  const [officeDownload] = await Promise.all([
    office.waitForEvent('download'),
    copy.getByRole('button', { name: 'Auskunft herunterladen (ZIP)' }).click(),
  ]);
  const bytes = readFileSync(await officeDownload.path());
  assert.equal(bytes.subarray(0, 2).toString(), 'PK');
  await office.context().close();
});
