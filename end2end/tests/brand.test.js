// White label in a real browser: two brokers on two hosts, each an installable app in its
// own name and colours; the offline page with the network cut; the owner's colour settings
// with live preview and contrast warning; a hostile SVG logo that comes out harmless.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import {
  serverAndBrowser, newPage, signIn, waitForHydration, BROWSER_ARGS, CUSTOMER, STAFF, DESKTOP,
} from './helpers.js';

const A = 'a.localhost';
const B = 'b.localhost';
const run = serverAndBrowser();

const HOSTILE_SVG = `<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" width="120" height="60" onload="alert('onload')">
  <script>alert('script')</script>
  <rect width="120" height="60" fill="#7c2d12"/>
  <image href="http://127.0.0.1:9/track.png" width="10" height="10"/>
  <a xlink:href="javascript:alert('link')"><text x="10" y="38" fill="#ffffff" font-size="20">Beta</text></a>
</svg>`;

let brokersAdded = false;
/** Broker A is the demo office (its customer Anna) reached at a.localhost; B is another. */
function addBrokers() {
  if (brokersAdded) return;
  const svg = join(run.folio.dataDir, 'hostile.svg');
  writeFileSync(svg, HOSTILE_SVG);
  run.folio.run('broker', 'set', 'demo', '--domain', A, '--primary-color', '#0f766e', '--accent-color', '#fde047');
  run.folio.run('broker', 'add', '--slug', 'b', '--name', 'Beta Vorsorge', '--second-factor', 'optional', '--primary-color', '#7c2d12', '--logo', svg);
  brokersAdded = true;
}

/** Waits until the service worker controls the page. */
async function serviceWorkerReady(page) {
  await page.evaluate(async () => {
    await navigator.serviceWorker.ready;
    if (!navigator.serviceWorker.controller) {
      await new Promise((resolve) => navigator.serviceWorker.addEventListener('controllerchange', resolve, { once: true }));
    }
  });
}

/** What Chromium says stands between the page and installing it as an app. Apps cannot be
 * installed from incognito windows, which Playwright's contexts are, so this asks a browser
 * with a profile of its own. */
async function installabilityErrors(url) {
  const profile = mkdtempSync(join(tmpdir(), 'folio-e2e-profile-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    args: BROWSER_ARGS,
  });
  try {
    const page = context.pages()[0] ?? (await context.newPage());
    await page.goto(url);
    await serviceWorkerReady(page);
    const cdp = await context.newCDPSession(page);
    return (await cdp.send('Page.getInstallabilityErrors')).installabilityErrors;
  } finally {
    await context.close();
    rmSync(profile, { recursive: true, force: true });
  }
}

test('two brokers on two hosts: each its own name, colours, icons and an installable app', async () => {
  addBrokers();
  const expected = {
    [A]: { name: 'Sommer & Partner Versicherungsmakler', color: '#0f766e', rgb: 'rgb(15, 118, 110)', other: 'Beta' },
    [B]: { name: 'Beta Vorsorge', color: '#7c2d12', rgb: 'rgb(124, 45, 18)', other: 'Sommer' },
  };
  for (const host of [A, B]) {
    const { name, color, rgb, other } = expected[host];
    const page = await newPage(run.browser);
    const dialogs = [];
    page.on('dialog', (d) => { dialogs.push(d.message()); d.dismiss(); });
    await page.goto(run.folio.url(host, '/login'));
    await waitForHydration(page);
    assert.equal(await page.title(), name);
    assert.equal(await page.locator('meta[name="theme-color"]').getAttribute('content'), color);
    const button = page.getByRole('button', { name: 'Anmelden', exact: true });
    assert.equal(await button.evaluate((el) => getComputedStyle(el).backgroundColor), rgb);
    const html = await page.content();
    assert.doesNotMatch(html, /folio/i, 'no vendor name in the page');
    assert.ok(!html.includes(other), `nothing of the other broker on ${host}`);

    const manifest = await page.evaluate(async () => (await fetch('/manifest.webmanifest')).json());
    assert.equal(manifest.name, name);
    assert.equal(manifest.theme_color, color);
    assert.doesNotMatch(JSON.stringify(manifest), /folio/i);
    // The 512 px icon: initials on the colour for A, the logo on white for B.
    const corner = await page.evaluate(async (src) => {
      const img = new Image();
      img.src = src;
      await img.decode();
      const canvas = document.createElement('canvas');
      canvas.width = img.width;
      canvas.height = img.height;
      const ctx = canvas.getContext('2d');
      ctx.drawImage(img, 0, 0);
      return { size: img.width, corner: Array.from(ctx.getImageData(0, 0, 1, 1).data) };
    }, manifest.icons[1].src);
    assert.equal(corner.size, 512);
    assert.deepEqual(corner.corner, host === A ? [15, 118, 110, 255] : [255, 255, 255, 255]);

    await serviceWorkerReady(page);
    assert.deepEqual(await installabilityErrors(run.folio.url(host, '/login')), [], `${host} is installable`);
    assert.deepEqual(dialogs, [], 'the hostile logo ran nothing');
    assert.deepEqual(page.cspViolations, []);
    await page.context().close();
  }

  // B's logo came from a hostile SVG: on the page it is a PNG.
  const page = await newPage(run.browser);
  await page.goto(run.folio.url(B, '/login'));
  const logo = page.getByTestId('brand-logo');
  const src = await logo.getAttribute('src');
  const served = await page.evaluate(async (url) => {
    const res = await fetch(url);
    const bytes = new Uint8Array(await res.arrayBuffer());
    return { type: res.headers.get('content-type'), head: Array.from(bytes.slice(0, 4)), text: new TextDecoder('latin1').decode(bytes) };
  }, src);
  assert.equal(served.type, 'image/png');
  assert.deepEqual(served.head, [0x89, 0x50, 0x4e, 0x47], 'a PNG');
  assert.ok(!served.text.includes('script') && !served.text.includes('<svg'));
  assert.ok(await logo.evaluate((img) => img.complete && img.naturalWidth > 0));
  await page.context().close();
});

test('a customer of A sees only A; the offline page shows with the network cut; nothing private is cached', async () => {
  addBrokers();
  const page = await newPage(run.browser, { mobile: true });
  await signIn(page, run.folio, A, CUSTOMER);
  await page.waitForURL(/\/app$/);
  await waitForHydration(page);
  const header = page.locator('header');
  assert.match(await header.textContent(), /Sommer & Partner/);
  assert.equal(await header.evaluate((el) => getComputedStyle(el).backgroundColor), 'rgb(15, 118, 110)');
  assert.doesNotMatch(await page.content(), /Beta Vorsorge|folio/i);
  // The broker's contact card on the profile page.
  await page.getByRole('navigation', { name: 'Hauptnavigation' }).getByRole('link', { name: 'Profil' }).click();
  await page.getByRole('heading', { name: 'Ihr Makler' }).waitFor();
  assert.equal(await page.getByRole('link', { name: '+49 89 2345 6780' }).getAttribute('href'), 'tel:+498923456780');

  await serviceWorkerReady(page);
  await page.goto(run.folio.url(A, '/app/documents'));
  await page.getByRole('heading', { name: 'Dokumente', level: 1 }).waitFor();
  await run.folio.halt();
  try {
    await page.goto(run.folio.url(A, '/app'));
    await page.getByRole('heading', { name: 'Keine Internetverbindung' }).waitFor();
    assert.match(await page.locator('header').textContent(), /Sommer & Partner/);
    assert.equal(await page.locator('header').evaluate((el) => getComputedStyle(el).backgroundColor), 'rgb(15, 118, 110)');
    const cached = await page.evaluate(async () => {
      const paths = [];
      for (const name of await caches.keys()) {
        const cache = await caches.open(name);
        for (const request of await cache.keys()) paths.push(new URL(request.url).pathname);
      }
      return paths;
    });
    assert.ok(cached.includes('/offline'));
    for (const path of cached) {
      assert.ok(path === '/offline' || path === '/brand.css' || path.startsWith('/assets/'), `nothing private cached: ${path}`);
    }
  } finally {
    await run.folio.resume();
  }
  await page.getByRole('link', { name: 'Erneut versuchen' }).click();
  await page.waitForURL(/\/app$/);
  await page.getByRole('heading', { name: `Guten Tag, ${CUSTOMER.name}` }).waitFor();

  // Anna has no account at B.
  const other = await newPage(run.browser);
  await signIn(other, run.folio, B, CUSTOMER);
  await other.getByText('E-Mail-Adresse oder Passwort ist nicht richtig.').waitFor();
  await other.context().close();
  await page.context().close();
});

test('the owner picks colours with a live preview and contrast warning, uploads a logo and adds a domain', async () => {
  const page = await newPage(run.browser, { viewport: DESKTOP });
  const dialogs = [];
  page.on('dialog', (d) => { dialogs.push(d.message()); d.dismiss(); });
  await signIn(page, run.folio, 'demo.localhost', STAFF);
  await page.waitForURL(/\/office\/customers$/);
  await page.getByRole('link', { name: 'Einstellungen' }).click();
  await page.getByRole('heading', { name: 'Erscheinungsbild' }).waitFor();
  await waitForHydration(page);

  const primary = page.getByLabel('Hauptfarbe');
  const contrast = page.getByTestId('contrast');
  await primary.fill('#fef9c3');
  assert.equal(await page.getByTestId('preview-header').getAttribute('fill'), '#fef9c3');
  await contrast.getByText('Links in der Hauptfarbe sind auf weißem Grund schwer lesbar').waitFor();
  await primary.fill('#7c2d12');
  await contrast.getByText('Die Farben sind gut lesbar').waitFor();
  assert.equal(await page.getByTestId('preview-header').getAttribute('fill'), '#7c2d12');
  await page.getByLabel('Öffnungszeiten').fill('Mo–Fr 9–17 Uhr');
  // The browser itself refuses what is no address at all; the server what is no web address.
  const imprint = page.getByLabel('Link zu Ihrem Impressum');
  await imprint.fill('www.ohne-https.example');
  await page.getByRole('region', { name: 'Erscheinungsbild' }).getByRole('button', { name: 'Speichern', exact: true }).click();
  assert.equal(await imprint.evaluate((el) => el.validity.typeMismatch), true);
  await imprint.fill('ftp://www.sommer-partner.example/impressum');
  await page.getByRole('region', { name: 'Erscheinungsbild' }).getByRole('button', { name: 'Speichern', exact: true }).click();
  await page.getByText('Bitte geben Sie eine vollständige Internetadresse ein').waitFor();
  assert.equal(await imprint.getAttribute('aria-invalid'), 'true');
  await page.getByLabel('Link zu Ihrem Impressum').fill('https://www.sommer-partner.example/impressum');
  await page.getByRole('region', { name: 'Erscheinungsbild' }).getByRole('button', { name: 'Speichern', exact: true }).click();
  await page.waitForURL(/saved=1/);
  await page.getByText('Gespeichert. Ihre Kunden sehen die Änderungen ab sofort.').waitFor();
  const save = page.getByRole('region', { name: 'Erscheinungsbild' }).getByRole('button', { name: 'Speichern', exact: true });
  assert.equal(await save.evaluate((el) => getComputedStyle(el).backgroundColor), 'rgb(124, 45, 18)');

  await page.getByLabel('Logo-Datei').setInputFiles({ name: 'logo.svg', mimeType: 'image/svg+xml', buffer: Buffer.from(HOSTILE_SVG) });
  await page.getByRole('button', { name: 'Logo hochladen' }).click();
  await page.getByText('Das Logo wurde gespeichert.').waitFor();
  const current = page.getByTestId('logo-current');
  assert.ok(await current.evaluate((img) => img.complete && img.naturalWidth > 0));
  await page.getByLabel('Logo-Datei').setInputFiles({ name: 'brief.pdf', mimeType: 'application/pdf', buffer: Buffer.from('%PDF-1.4\n%%EOF\n') });
  await page.getByRole('button', { name: 'Logo hochladen' }).click();
  await page.getByText('Dieses Dateiformat wird nicht unterstützt').waitFor();
  // Removing the logo asks first; then the initials are back.
  const logoSection = page.getByRole('region', { name: 'Logo' });
  await waitForHydration(page);
  await logoSection.getByText('Logo entfernen').click();
  await logoSection.getByRole('button', { name: 'Ja, entfernen' }).click();
  await logoSection.getByText('Noch kein Logo.').waitFor();

  await waitForHydration(page);
  await page.getByLabel('Domain', { exact: true }).fill('portal.sommer-partner.example');
  await page.getByRole('button', { name: 'Domain hinzufügen' }).click();
  const portal = page.getByTestId('domains').getByRole('listitem').filter({ hasText: 'portal.sommer-partner.example' });
  await portal.getByText('im DNS noch nicht gefunden').waitFor();
  assert.match(await portal.textContent(), /portal\.sommer-partner\.example CNAME demo\.localhost/);
  const snippet = await page.getByLabel('HTML-Code').inputValue();
  // The sign-in page at the office's first own domain (a.localhost or localhost here).
  assert.match(snippet, new RegExp(`^<a href="http://(a\\.)?localhost:${run.folio.port}/login"`));
  assert.match(snippet, /background:#7c2d12;color:#ffffff[^>]*>Zum Kundenportal<\/a>$/);
  await page.context().grantPermissions(['clipboard-read', 'clipboard-write']);
  await page.getByRole('button', { name: 'Code kopieren' }).click();
  await page.getByText('Kopiert.').waitFor();
  assert.equal(await page.evaluate(() => navigator.clipboard.readText()), snippet);
  await portal.locator('summary').click();
  await portal.getByRole('button', { name: 'Ja, entfernen' }).click();
  await portal.waitFor({ state: 'detached' });

  assert.deepEqual(dialogs, []);
  assert.deepEqual(page.cspViolations, []);
  await page.context().close();
});
