// An idle session ends: the next page sends the person to sign in, saying why.
import { test } from 'node:test';
import { serverAndBrowser, newPage, signIn, CUSTOMER } from './helpers.js';

const HOST = 'demo.localhost';
const run = serverAndBrowser({ FOLIO_SESSION_IDLE_SECS: '2' });

test('an expired session sends you to sign-in', async () => {
  const page = await newPage(run.browser);
  await signIn(page, run.folio, HOST, CUSTOMER);
  await page.waitForURL(/\/app$/);
  await new Promise((r) => setTimeout(r, 3500));
  await page.goto(run.folio.url(HOST, '/app/documents'));
  await page.waitForURL(/\/login\?expired=1/);
  await page.getByText('Ihre Sitzung ist abgelaufen.').waitFor();
  await page.context().close();
});
