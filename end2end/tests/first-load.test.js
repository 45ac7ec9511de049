// What a phone downloads: the customer's first visit (sign-in, then the overview) counted in
// bytes on the wire, as Chromium's network log reports them; the front end's files come
// compressed, and a later visit takes them from the browser's cache.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { serverAndBrowser, newPage, signIn, waitForHydration, CUSTOMER, STAFF, DESKTOP } from './helpers.js';

const HOST = 'demo.localhost';
const run = serverAndBrowser();

/** The budget for the first visit's scripts, wasm and styles, compressed. The goal of the
 * "fast on a phone" issue is 250 KB; this is today's size with a small margin, so a change
 * that makes the first load bigger fails here and has to say why. 582 KB on 2026-12-02 (the
 * customer's bundle without the office's pages); 643 KB later that day with the second
 * factor and passkeys (the code page, the app's set-up, the profile's two sections and
 * `passkeys.js`: +61 KB), the first pages to move into a bundle loaded only where needed. */
const BUDGET_BYTES = Number(process.env.FOLIO_FIRST_LOAD_BUDGET || 660_000);

/** Records every response of the page: its URL, encoding, bytes on the wire and whether
 * it came from the cache. */
async function recordNetwork(page) {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Network.enable');
  const byId = new Map();
  cdp.on('Network.responseReceived', ({ requestId, response }) => {
    byId.set(requestId, {
      url: new URL(response.url).pathname,
      encoding: response.headers['content-encoding'] || response.headers['Content-Encoding'] || '',
      cacheControl: response.headers['cache-control'] || response.headers['Cache-Control'] || '',
      cached: response.fromDiskCache || response.fromMemoryCache || false,
      worker: response.fromServiceWorker || false,
      bytes: 0,
      finished: false,
    });
  });
  cdp.on('Network.requestServedFromCache', ({ requestId }) => {
    const r = byId.get(requestId);
    if (r) r.cached = true;
  });
  cdp.on('Network.loadingFinished', ({ requestId, encodedDataLength }) => {
    const r = byId.get(requestId);
    if (r) Object.assign(r, { bytes: encodedDataLength, finished: true });
  });
  cdp.on('Network.loadingFailed', ({ requestId }) => {
    const r = byId.get(requestId);
    if (r) r.finished = true;
  });
  return {
    responses: () => [...byId.values()],
    /** The responses once each has finished loading: the page can be hydrated before the
     * browser has reported the last bytes of the wasm it ran. */
    async settled() {
      for (let i = 0; i < 100 && [...byId.values()].some((r) => !r.finished); i++) {
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      return [...byId.values()];
    },
    clear: () => byId.clear(),
  };
}

/** The office's bundle: `/assets/{version}/pkg/office/…`. */
const isOfficeFile = (r) => r.url.includes('/pkg/office/');
const isAppFile = (r) => /\.(js|wasm|css)$/.test(r.url) && r.url !== '/register-sw.js' && r.url !== '/sw.js';

test('the first visit on a phone stays within its budget, and the next one downloads no code again', async () => {
  // Without the service worker: once it controls the page (it claims it as soon as it is
  // installed, which races the wasm's download) the page's files come from the worker's
  // cache and the page itself reports no bytes for them.
  const page = await newPage(run.browser, { mobile: true, serviceWorkers: 'block' });
  const network = await recordNetwork(page);
  // A person takes a few seconds to sign in, and the front end loads meanwhile. (Signing in
  // at once left the download unfinished, and the browser reported none of its bytes.)
  await page.goto(run.folio.url(HOST, '/login'));
  await waitForHydration(page);
  await signIn(page, run.folio, HOST, CUSTOMER);
  await page.waitForURL(/\/app$/);
  await waitForHydration(page);
  await page.getByRole('region', { name: 'Sie zahlen für Ihre laufenden Verträge' }).waitFor();

  const files = (await network.settled()).filter(isAppFile);
  const total = files.reduce((sum, r) => sum + r.bytes, 0);
  const list = files.map((r) => `${r.url} ${r.encoding || 'identity'} ${r.bytes}`).join('\n');
  console.log(`first visit: ${files.length} files of the front end, ${total} bytes on the wire\n${list}`);
  assert.ok(files.some((r) => r.url.endsWith('.wasm') && r.bytes > 100_000), `the wasm, counted:\n${list}`);
  assert.ok(!files.some(isOfficeFile), `the office's bundle stays off a customer's phone:\n${list}`);
  // The broker's colours (`/brand.css`, a few hundred bytes) are the one file of their own.
  for (const r of files.filter((f) => f.url !== '/brand.css')) {
    assert.ok(r.url.startsWith('/assets/'), `served under the build's version: ${r.url}`);
    assert.match(r.encoding, /^(br|gzip)$/, `compressed: ${r.url}`);
    assert.match(r.cacheControl, /immutable/, `kept: ${r.url}`);
  }
  assert.ok(total <= BUDGET_BYTES, `${total} bytes is over the budget of ${BUDGET_BYTES}:\n${list}`);

  await page.context().close();

  // The next visit of the overview takes the code from the cache. (In a browser of its own:
  // one that blocks service workers keeps nothing in its HTTP cache either.)
  const phone = await newPage(run.browser, { mobile: true });
  await signIn(phone, run.folio, HOST, CUSTOMER);
  await phone.waitForURL(/\/app$/);
  await waitForHydration(phone);
  const later = await recordNetwork(phone);
  await phone.goto(run.folio.url(HOST, '/app'));
  await waitForHydration(phone);
  const again = later.responses().filter(isAppFile);
  assert.ok(again.length > 0);
  console.log(again.map((r) => `${r.url} cached=${r.cached} worker=${r.worker} ${r.bytes}`).join('\n'));
  for (const r of again.filter((f) => f.url !== '/brand.css')) assert.ok(r.cached, `from the cache: ${r.url}`);
  // Nor does a customer's page reach the office's bundle later.
  assert.ok(!again.some(isOfficeFile));
  await phone.context().close();
});

test("the office's pages start the office's bundle, and it works there", async () => {
  const page = await newPage(run.browser, { viewport: DESKTOP });
  const network = await recordNetwork(page);
  await signIn(page, run.folio, HOST, STAFF);
  await page.waitForURL(/\/office\/customers/);
  await waitForHydration(page);
  const files = network.responses().filter(isAppFile);
  const list = files.map((r) => `${r.url} ${r.encoding || 'identity'} ${r.bytes}`).join('\n');
  assert.ok(files.some((r) => isOfficeFile(r) && r.url.endsWith('.wasm')), list);
  // The office's bundle knows the office's pages: its links move without loading a page.
  await page.evaluate(() => { window.stillHere = true; });
  await page.getByRole('link', { name: /Postfach/ }).first().click();
  await page.waitForURL(/\/office\/messages$/);
  assert.equal(await page.evaluate(() => window.stillHere), true, 'moved inside the office bundle');

  // From a page of the customer's bundle into the office: the page loads afresh, with the
  // office's bundle. (/set-password with a used link offers the sign-in page, which sends a
  // signed-in member of staff on to the office.)
  await page.goto(run.folio.url(HOST, '/set-password/used-link'));
  await waitForHydration(page);
  network.clear();
  await page.evaluate(() => { window.stillHere = true; });
  await page.locator('a[href="/login"]').first().click();
  await page.waitForURL(/\/office\/customers$/);
  await waitForHydration(page);
  assert.equal(await page.evaluate(() => window.stillHere), undefined, 'a fresh page');
  assert.ok(network.responses().some((r) => isOfficeFile(r) && r.url.endsWith('.js')));
  await page.context().close();
});
