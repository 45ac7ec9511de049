// Photos from the phone: the customer picks a photo (a real JPEG with a phone's EXIF: maker,
// GPS, orientation), sees the notice and a preview, sends it with a progress bar, survives a
// dropped connection without a duplicate, and the stored photo has lost its hidden data but
// still stands upright.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { request as httpRequest } from 'node:http';
import { serverAndBrowser, newPage, signIn, waitForHydration, CUSTOMER, STAFF, DESKTOP } from './helpers.js';

const HOST = 'demo.localhost';
const run = serverAndBrowser();

/** A big-endian EXIF block as a phone writes it: maker, orientation 6 (portrait), GPS. */
function phoneExif() {
  const make = Buffer.from('PhoneMaker-E2E\0');
  const datum = Buffer.from('GPS-SECRET-WGS84\0');
  const ifd0 = 8;
  const makeAt = ifd0 + 2 + 3 * 12 + 4;
  const gpsAt = makeAt + make.length + (make.length % 2);
  const datumAt = gpsAt + 2 + 12 + 4;
  const tiff = Buffer.alloc(datumAt + datum.length);
  tiff.write('MM', 0, 'latin1');
  tiff.writeUInt16BE(42, 2);
  tiff.writeUInt32BE(ifd0, 4);
  const entry = (at, tag, type, count, value, short = false) => {
    tiff.writeUInt16BE(tag, at);
    tiff.writeUInt16BE(type, at + 2);
    tiff.writeUInt32BE(count, at + 4);
    if (short) tiff.writeUInt16BE(value, at + 8); else tiff.writeUInt32BE(value, at + 8);
  };
  tiff.writeUInt16BE(3, ifd0);
  entry(ifd0 + 2, 0x010f, 2, make.length, makeAt);
  entry(ifd0 + 14, 0x0112, 3, 1, 6, true);
  entry(ifd0 + 26, 0x8825, 4, 1, gpsAt);
  make.copy(tiff, makeAt);
  tiff.writeUInt16BE(1, gpsAt);
  entry(gpsAt + 2, 0x0012, 2, datum.length, datumAt);
  datum.copy(tiff, datumAt);
  return Buffer.concat([Buffer.from('Exif\0\0', 'latin1'), tiff]);
}

/** Sends the run.browser's request to the server on loopback (Node cannot resolve *.localhost
 * as Chromium does) and returns the status, which the run.browser then never gets to see. */
async function deliver(request) {
  const url = new URL(request.url());
  const headers = Object.fromEntries(Object.entries(await request.allHeaders()).filter(([k]) => !k.startsWith(':')));
  const body = request.postDataBuffer();
  return new Promise((done, fail) => {
    const req = httpRequest(
      { host: '127.0.0.1', port: url.port, path: url.pathname, method: request.method(), headers: { ...headers, host: url.host, 'content-length': body.length } },
      (res) => { res.resume(); res.on('end', () => done(res.statusCode)); },
    );
    req.on('error', fail);
    req.end(body);
  });
}

/** A 640×480 JPEG drawn by the run.browser, with the phone's EXIF after SOI. */
async function phonePhoto(page) {
  const base64 = await page.evaluate(() => {
    const c = document.createElement('canvas');
    c.width = 640;
    c.height = 480;
    const g = c.getContext('2d');
    g.fillStyle = '#2a7';
    g.fillRect(0, 0, 640, 480);
    g.fillStyle = '#c33';
    g.fillRect(0, 0, 320, 240);
    return c.toDataURL('image/jpeg', 0.9).split(',')[1];
  });
  const jpeg = Buffer.from(base64, 'base64');
  const exif = phoneExif();
  const length = Buffer.alloc(2);
  length.writeUInt16BE(exif.length + 2);
  return Buffer.concat([jpeg.subarray(0, 2), Buffer.from([0xff, 0xe1]), length, exif, jpeg.subarray(2)]);
}

test('a customer sends a photo from the phone: notice, preview, progress, no duplicate after a dropped connection, no hidden data', async () => {
  const page = await newPage(run.browser, { mobile: true });
  await signIn(page, run.folio, HOST, CUSTOMER);
  await page.waitForURL(/\/app$/);
  await page.getByRole('navigation', { name: 'Hauptnavigation' }).getByRole('link', { name: 'Dokumente' }).click();
  await page.getByRole('heading', { name: 'Fotos und Dokumente senden' }).waitFor();
  await waitForHydration(page);
  // The notice comes before the first photo (R5.2).
  assert.match(await page.getByTestId('photo-notice').textContent(), /keine Personen/);
  assert.equal(await page.locator('#photo-camera').getAttribute('capture'), 'environment');
  assert.equal(await page.locator('#photo-camera').getAttribute('accept'), 'image/*');
  await page.getByTestId('documents').waitFor();
  const before = await page.getByTestId('documents').locator('li').count();

  const photo = await phonePhoto(page);
  assert.ok(photo.includes('GPS-SECRET-WGS84'), 'the test photo carries its secrets');
  await page.locator('#photo-files').setInputFiles([
    { name: 'IMG_20261123_101112.jpg', mimeType: 'image/jpeg', buffer: photo },
    { name: 'IMG_20261123_101113.jpg', mimeType: 'image/jpeg', buffer: photo },
  ]);
  const rows = page.getByTestId('upload-row');
  assert.equal(await rows.count(), 2);
  // Each photo shows its preview before it is sent; one can still be taken out.
  const preview = rows.nth(0).getByTestId('photo-preview');
  await preview.evaluate((img) => (img.complete ? null : new Promise((r) => { img.onload = r; })));
  assert.ok(await preview.evaluate((img) => img.naturalWidth > 0));
  await rows.nth(1).getByRole('button', { name: /Entfernen/ }).click();
  assert.equal(await rows.count(), 1);
  await rows.nth(0).getByLabel('Was ist zu sehen? (freiwillig)').fill('Wasserschaden Küche');

  // The first attempt reaches the server but its answer is lost on the way back.
  let attempts = 0;
  let firstAnswer;
  await page.route('**/files/upload', async (route) => {
    attempts += 1;
    if (attempts === 1) {
      firstAnswer = await deliver(route.request());
      await route.abort('connectionreset');
    } else {
      await route.continue();
    }
  });
  await page.getByRole('button', { name: 'Senden', exact: true }).click();
  await rows.nth(0).getByRole('alert').waitFor();
  assert.match(await rows.nth(0).getByRole('alert').textContent(), /Verbindung wurde unterbrochen/);
  await rows.nth(0).getByRole('button', { name: 'Erneut versuchen' }).click();
  await rows.nth(0).getByText('Hochgeladen').waitFor();
  await rows.nth(0).locator('progress').evaluate((el) => new Promise((done, fail) => {
    const started = Date.now();
    const check = () => (el.value === 100 ? done() : Date.now() - started > 5000 ? fail(new Error(`progress ${el.value}`)) : setTimeout(check, 50));
    check();
  }));
  await page.getByText('Gesendet. Ihr Makler findet die Dateien jetzt in Ihrem Ordner.').waitFor();
  assert.equal(attempts, 2);
  assert.equal(firstAnswer, 201, 'the first attempt was stored');

  // Exactly one new document, shown with its preview, upright (portrait).
  const list = page.getByTestId('documents');
  const item = list.locator('li', { hasText: 'Wasserschaden Küche' });
  await item.waitFor();
  assert.equal(await list.locator('li').count(), before + 1);
  assert.match(await item.textContent(), /Von Ihnen gesendet/);
  const thumb = item.getByTestId('preview');
  await thumb.evaluate((img) => (img.complete && img.naturalWidth ? null : new Promise((r, f) => { img.onload = r; img.onerror = f; })));
  const size = await thumb.evaluate((img) => [img.naturalWidth, img.naturalHeight]);
  assert.deepEqual(size, [360, 480]);

  // The stored photo: no maker, no GPS, still a portrait photo.
  const href = await item.getByRole('link', { name: 'Wasserschaden Küche', exact: true }).getAttribute('href');
  const stored = await page.evaluate(async (url) => {
    const r = await fetch(url);
    const bytes = new Uint8Array(await r.arrayBuffer());
    const img = await createImageBitmap(new Blob([bytes], { type: 'image/jpeg' }));
    return { type: r.headers.get('content-type'), text: new TextDecoder('latin1').decode(bytes), size: [img.width, img.height] };
  }, href);
  assert.equal(stored.type, 'image/jpeg');
  for (const secret of ['PhoneMaker-E2E', 'GPS-SECRET-WGS84']) assert.ok(!stored.text.includes(secret), `${secret} survived`);
  assert.deepEqual(stored.size, [480, 640]);
  // The page fits the phone: nothing scrolls sideways.
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 0, `page is ${overflow}px wider than the phone`);
  assert.deepEqual(page.cspViolations, []);
  await page.context().close();

  // The office sees it in Anna's folder, marked as sent by her.
  const office = await newPage(run.browser, { viewport: DESKTOP });
  await signIn(office, run.folio, HOST, STAFF);
  await office.waitForURL(/\/office\/customers$/);
  await office.getByRole('link', { name: 'Schneider, Anna' }).click();
  const row = office.getByTestId('office-documents').locator('li', { hasText: 'Wasserschaden Küche' });
  await row.waitFor();
  assert.match(await row.textContent(), /Vom Kunden gesendet/);
  await office.context().close();
});

test('an iPhone photo in HEIC is refused with what to do, and nothing is stored', async () => {
  const page = await newPage(run.browser, { mobile: true });
  await signIn(page, run.folio, HOST, CUSTOMER);
  await page.waitForURL(/\/app$/);
  await page.goto(run.folio.url(HOST, '/app/documents'));
  await waitForHydration(page);
  await page.getByTestId('documents').waitFor();
  const before = await page.getByTestId('documents').locator('li').count();
  const heic = Buffer.alloc(200);
  heic.writeUInt32BE(24, 0);
  heic.write('ftypheic\0\0\0\0mif1heic', 4, 'latin1');
  await page.locator('#photo-camera').setInputFiles({ name: 'IMG_0001.HEIC', mimeType: 'image/heic', buffer: heic });
  await page.getByRole('button', { name: 'Senden', exact: true }).click();
  const alert = page.getByTestId('upload-row').getByRole('alert');
  await alert.waitFor();
  assert.match(await alert.textContent(), /HEIC/);
  await page.reload();
  await page.getByTestId('documents').waitFor();
  assert.equal(await page.getByTestId('documents').locator('li').count(), before);
  await page.context().close();
});

test('without JavaScript a customer still sends a photo, with the plain form', async () => {
  const page = await newPage(run.browser, { javaScriptEnabled: false });
  await signIn(page, run.folio, HOST, CUSTOMER);
  await page.waitForURL(/\/app$/);
  await page.goto(run.folio.url(HOST, '/app/documents'));
  assert.match(await page.getByTestId('photo-notice').textContent(), /keine Personen/);
  // A JPEG made by a browser with JS (the page under test has none).
  const helper = await newPage(run.browser);
  await helper.goto(run.folio.url(HOST, '/login'));
  const photo = await phonePhoto(helper);
  await helper.context().close();
  await page.locator('#photo-files').setInputFiles({ name: 'IMG_0002.jpg', mimeType: 'image/jpeg', buffer: photo });
  await page.getByLabel('Was ist zu sehen? (freiwillig)').fill('Kratzer an der Tür');
  await page.getByRole('button', { name: 'Senden', exact: true }).click();
  await page.waitForURL(/\/app\/documents\?uploaded=1$/);
  await page.getByText('Gesendet. Ihr Makler findet die Dateien jetzt in Ihrem Ordner.').waitFor();
  const item = page.getByTestId('documents').locator('li', { hasText: 'Kratzer an der Tür' });
  assert.match(await item.textContent(), /Von Ihnen gesendet/);
  await page.context().close();
});
