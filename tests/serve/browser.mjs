// browser.mjs -- the review page in a real headless browser (Debian's
// chromium driven by puppeteer-core; nothing is downloaded).
//
//   node browser.mjs review URL EXPECTED_MARKERS SHOTS_DIR SPLIT_ID SPLIT_REPORT
//     opens the page, counts the markers, accepts one pin (a), rejects one
//     (r, reason "wrong place"), moves one by clicking the map (p + click),
//     reloads; then, from the keyboard only, goes to incident SPLIT_ID (j/k),
//     splits report SPLIT_REPORT off it (s, the source's number, Enter),
//     checks that the list and the map show one more incident, reloads, and
//     prints one JSON line: the ids and what the page shows.
//   node browser.mjs offline FILE.html EXPECTED_MARKERS SHOTS_DIR
//     opens the page from file:// with every network request refused and
//     prints what it shows.
// Exits 1 with a message on any failure. NODE_PATH-free: puppeteer-core is
// found through PUPPETEER_DIR (the vendor node_modules).
import { createRequire } from 'node:module';
import path from 'node:path';

const [mode, target, expected, shots, splitId, splitReport] = process.argv.slice(2);
const require = createRequire(path.join(process.env.PUPPETEER_DIR, 'x.js'));
const puppeteer = require('puppeteer-core');

function fail(msg) { console.error(`browser.mjs: ${msg}`); process.exit(1); }

const browser = await puppeteer.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  headless: true,
  args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--no-first-run',
         '--window-size=1400,900'],
});
const timer = setTimeout(() => { console.error('browser.mjs: timed out'); process.exit(1); }, 90000);
try {
  const page = await browser.newPage();
  await page.setViewport({ width: 1400, height: 900 });
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
  const outside = [];
  await page.setRequestInterception(true);
  page.on('request', (r) => {
    const u = r.url();
    const local = mode === 'offline' ? u.startsWith('file://') || u.startsWith('data:')
                                     : u.startsWith(target) || u.startsWith('data:');
    if (local) r.continue(); else { outside.push(u); r.abort(); }
  });
  const ready = async () => {
    try {
      await page.waitForFunction(() => document.body.dataset.ready, { timeout: 30000 });
    } catch (e) {
      fail(`the page never got ready; errors: ${errors.join(' | ')}; refused: ${outside.join(', ')}`);
    }
    const r = await page.evaluate(() => document.body.dataset.ready);
    if (r !== '1') fail(`the page did not load: ${await page.$eval('#status', (e) => e.textContent)}`);
  };
  const markers = () => page.$eval('#map', (e) => Number(e.dataset.markers));
  const listIds = () => page.$$eval('#list li', (ls) => ls.map((l) => Number(l.dataset.id)));
  const badge = (id) => page.$eval(`#list li[data-id="${id}"] .badge`, (e) => e.textContent);

  if (mode === 'offline') {
    await page.goto(`file://${path.resolve(target)}`, { waitUntil: 'load' });
    await ready();
    const n = await markers();
    const rows = (await listIds()).length;
    await page.screenshot({ path: path.join(shots, 'offline-map.png') });
    // a popup with its evidence and source link
    await page.click('#list li');
    await page.waitForSelector('.leaflet-popup-content', { timeout: 10000 });
    const popup = await page.$eval('.leaflet-popup-content', (e) => e.textContent);
    const triggers = await page.$$eval('.leaflet-popup-content mark.trigger', (ms) => ms.map((m) => m.textContent));
    const marks = await page.$eval('.leaflet-popup-content [data-marks]', (e) => e.dataset.marks);
    const links = await page.$$eval('.leaflet-popup-content a', (as) => as.map((a) => a.href));
    // type toggle: shelling off
    await page.click('input[name=type][value=shelling]');
    const withoutShelling = await markers();
    await page.click('input[name=type][value=shelling]');
    // the time slider at its first day
    await page.$eval('#f-slider', (s) => { s.value = '0'; s.dispatchEvent(new Event('input')); });
    const atFirstDay = await markers();
    await page.screenshot({ path: path.join(shots, 'offline-slider.png') });
    console.log(JSON.stringify({ markers: n, rows, popup, links, triggers, marks, withoutShelling,
                                 atFirstDay, outside, errors }));
    if (!triggers.length) fail('no trigger word marked in the popup');
    if (n !== Number(expected)) fail(`offline page shows ${n} markers, expected ${expected}`);
    if (outside.length) fail(`the offline page asked for ${outside.join(', ')}`);
    if (errors.length) fail(`errors in the page: ${errors.join(' | ')}`);
  } else {
    await page.goto(target, { waitUntil: 'load' });
    await ready();
    const n = await markers();
    await page.screenshot({ path: path.join(shots, 'review-start.png') });
    if (n !== Number(expected)) fail(`the page shows ${n} markers, the store has ${expected}`);
    const ids = await listIds();
    if (ids.length < 3) fail(`only ${ids.length} incidents listed`);
    const sel = () => page.$eval('#list li.sel', (e) => Number(e.dataset.id));
    const settled = async (id, want) => {
      await page.waitForFunction((i, w) => {
        const b = document.querySelector(`#list li[data-id="${i}"] .badge`);
        return b && b.textContent === w;
      }, { timeout: 10000 }, id, want);
    };
    // 1. accept the first (the least confident) with the keyboard
    await page.focus('#list');
    const first = await sel();
    await page.keyboard.press('a');
    await settled(first, 'accepted');
    // 2. the selection moved on: reject it, reason "wrong place"
    const second = await sel();
    if (second === first) fail('the selection did not move on after accept');
    await page.keyboard.press('r');
    await page.waitForSelector('#reject-reason');
    await page.select('#reject-reason', 'wrong place');
    await page.keyboard.press('Enter');
    await settled(second, 'rejected');
    // 3. j to the next one, p, then a click on the map moves it
    const third = await sel();
    if (third === second || third === first) fail('the selection did not move on after reject');
    await page.$eval('#form', (f) => f.replaceChildren());
    await page.focus('#list');
    await page.keyboard.press('p');
    const box = await (await page.$('#map')).boundingBox();
    const click = { x: box.x + box.width * 0.3, y: box.y + box.height * 0.7 };
    await page.mouse.click(click.x, click.y);
    await settled(third, 'edited');
    await page.screenshot({ path: path.join(shots, 'review-done.png') });
    // 4. reload: the verdicts come from the store
    await page.reload({ waitUntil: 'load' });
    await ready();
    const after = { accepted: await badge(first), rejected: await badge(second),
                    moved: await badge(third) };
    const counts = await page.$eval('#counts', (e) => e.textContent);
    const markersAfter = await markers();
    // the detail panel shows the sources with the place highlighted
    await page.click(`#list li[data-id="${first}"]`);
    await page.waitForSelector('#sources .source .meta', { timeout: 10000 });
    const marked = await page.$$eval('#sources mark.place', (ms) => ms.length);
    const triggers = await page.$$eval('#sources mark.trigger', (ms) => ms.map((m) => m.textContent));
    await page.screenshot({ path: path.join(shots, 'review-reloaded.png') });
    // issue 21: the sources of a known report mark exactly its trigger and
    // its place; a report stored without offsets falls back to the search
    const marksOf = async (id, doc) => {
      await page.click(`#list li[data-id="${id}"]`);
      await page.waitForFunction((d) => [...document.querySelectorAll('#sources .source .meta')]
        .some((m) => m.textContent.startsWith(d)), { timeout: 10000 }, doc);
      return page.$$eval('#sources .source', (ss, d) => {
        const s = ss.find((x) => x.querySelector('.meta') && x.querySelector('.meta').textContent.startsWith(d));
        return { mode: s.querySelector('[data-marks]').dataset.marks,
                 triggers: [...s.querySelectorAll('mark.trigger')].map((m) => m.textContent),
                 places: [...s.querySelectorAll('mark.place')].map((m) => m.textContent) };
      }, doc);
    };
    const exact = await marksOf(process.env.EXACT_ID, process.env.EXACT_DOC);
    await page.screenshot({ path: path.join(shots, 'review-exact-marks.png') });
    const legacy = await marksOf(process.env.LEGACY_ID, process.env.LEGACY_DOC);
    // 5. split from the keyboard: k to the top, j to the incident, s, the
    // number of the source that leaves, Enter
    await page.focus('#list');
    // (a key at a time, as a person reads: each move pans the map)
    const total = (await listIds()).length;
    const pause = () => new Promise((r) => setTimeout(r, 300));
    const order = await listIds();
    const step = order.indexOf(Number(splitId)) < order.indexOf(await sel()) ? 'k' : 'j';
    for (let i = 0; i < total && (await sel()) !== Number(splitId); i++) {
      await page.keyboard.press(step);
      await pause();
    }
    if ((await sel()) !== Number(splitId)) fail(`j/k never reached incident ${splitId}`);
    await page.waitForFunction(() => document.querySelectorAll('#sources input.split-pick').length >= 2,
                               { timeout: 20000 });
    await pause();
    const values = await page.$$eval('#sources input.split-pick', (bs) => bs.map((b) => b.value));
    const nth = values.indexOf(String(splitReport)) + 1;
    if (nth < 1) fail(`report ${splitReport} is not among the sources' checkboxes ${values}`);
    await page.keyboard.press('s');
    const focused = await page.evaluate(() => document.activeElement.className);
    if (focused !== 'split-pick') fail(`s did not go to the sources' checkboxes (focus: ${focused})`);
    await page.keyboard.press(String(nth));
    await page.screenshot({ path: path.join(shots, 'split-checked.png') });
    await page.keyboard.press('Enter');
    await page.waitForFunction((m) => Number(document.getElementById('map').dataset.markers) === m,
                               { timeout: 10000 }, markersAfter + 1)
      .catch(() => fail(`the map does not show ${markersAfter + 1} markers after the split`));
    const splitStatus = await page.$eval('#status', (e) => e.textContent);
    const rowsSplit = (await listIds()).length;
    await page.screenshot({ path: path.join(shots, 'split-done.png') });
    await page.reload({ waitUntil: 'load' });
    await ready();
    const markersSplit = await markers();
    const rowsReloaded = (await listIds()).length;
    await page.screenshot({ path: path.join(shots, 'split-reloaded.png') });
    console.log(JSON.stringify({ markers: n, first, second, third, after, counts, markersAfter,
                                 marked, triggers, exact, legacy, outside, errors,
                                 split: { status: splitStatus, rows: rowsSplit, markers: markersSplit,
                                          rowsReloaded, rowsBefore: total } }));
    if (rowsSplit !== total + 1 || rowsReloaded !== total + 1 || markersSplit !== markersAfter + 1)
      fail(`after the split: ${rowsSplit} rows, ${rowsReloaded} after reload, ${markersSplit} markers (${total} rows before)`);
    if (!/split: #\d+ stays, #\d+ is new/.test(splitStatus)) fail(`split status: ${splitStatus}`);
    if (!marked) fail('the place is not marked in the evidence');
    if (exact.mode !== 'exact' || exact.triggers.join('|') !== process.env.EXACT_TRIGGER ||
        exact.places.join('|') !== process.env.EXACT_PLACE)
      fail(`${process.env.EXACT_DOC}: marked ${JSON.stringify(exact)}, expected the trigger ` +
           `${process.env.EXACT_TRIGGER} and the place ${process.env.EXACT_PLACE} exactly`);
    if (legacy.mode !== 'search' || !legacy.triggers.length)
      fail(`${process.env.LEGACY_DOC} (no offsets stored): marked ${JSON.stringify(legacy)}, expected the word search`);
    if (after.accepted !== 'accepted' || after.rejected !== 'rejected' || after.moved !== 'edited')
      fail(`after reload: ${JSON.stringify(after)}`);
    if (errors.length) fail(`errors in the page: ${errors.join(' | ')}`);
    if (outside.length) fail(`the page asked for ${outside.join(', ')}`);
  }
} catch (e) {
  fail(String(e && e.stack || e));
} finally {
  clearTimeout(timer);
  await browser.close();
}
