// An idle session ends: the next page sends the person to sign in, saying why.
import { test, before, after } from 'node:test';
import { startFolio, launchBrowser, newPage, signIn, CUSTOMER } from './helpers.js';

const HOST = 'demo.localhost';
let folio;
let browser;

before(async () => {
  folio = await startFolio({ FOLIO_SESSION_IDLE_SECS: '2' });
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await folio?.stop();
});

test('an expired session sends you to sign-in', async () => {
  const page = await newPage(browser);
  await signIn(page, folio, HOST, CUSTOMER);
  await page.waitForURL(/\/app$/);
  await new Promise((r) => setTimeout(r, 3500));
  await page.goto(folio.url(HOST, '/app/documents'));
  await page.waitForURL(/\/login\?expired=1/);
  await page.getByText('Ihre Sitzung ist abgelaufen.').waitFor();
  await page.context().close();
});
