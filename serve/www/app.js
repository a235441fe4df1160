// incimap review page: one module, no build step, no framework.
// Served by `incimap serve` (reads and writes through /api/...), or inlined
// by `incimap map -o FILE.html` (read-only: the data is in the page).
// Every text from the store reaches the page through textContent, never
// innerHTML.

const L = window.L;
const TYPES = ['shelling', 'clash', 'evacuation'];
const COLOURS = { shelling: '#d32f2f', clash: '#f57c00', evacuation: '#1976d2' };
const REASONS = ['not an event', 'wrong place', 'wrong type', 'duplicate'];

const dataEl = document.getElementById('incimap-data');
const offline = !!dataEl;
const S = {
  incidents: [],  // as the API gives them
  shown: [],      // after the filters, sorted by confidence ascending
  sel: -1,        // index in shown
  csrf: '',
  picking: false, // the next map click places the selected incident
  markers: new Map(),
};

const $ = (id) => document.getElementById(id);
function el(tag, attrs, ...kids) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (k === 'class') e.className = v;
    else if (k.startsWith('on')) e.addEventListener(k.slice(2), v);
    else e.setAttribute(k, v);
  }
  for (const k of kids) if (k != null) e.append(k);
  return e;
}
function status(msg) { $('status').textContent = msg || ''; }

// ===== Data =====

async function api(path, body) {
  const opt = body === undefined ? {} : {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', 'X-CSRF-Token': S.csrf },
    body: JSON.stringify(body),
  };
  const r = await fetch(path, opt);
  let j = null;
  try { j = await r.json(); } catch (e) { j = { error: r.statusText }; }
  if (!r.ok) { const err = new Error(j.error || r.statusText); err.status = r.status; throw err; }
  return j;
}

async function load() {
  let borders;
  if (offline) {
    const d = JSON.parse(dataEl.textContent);
    S.incidents = d.incidents;
    if (d.title) { $('title').textContent = d.title; document.title = d.title; }
    S.tileUrl = d.tile_url;
    borders = JSON.parse($('incimap-borders').textContent);
    setLexicons(['en', 'fr'].map((l) => JSON.parse($(`incimap-lexicon-${l}`).textContent)));
    document.body.classList.add('offline');
  } else {
    const sess = await api('/api/session');
    S.csrf = sess.csrf;
    S.tileUrl = sess.tile_url;
    S.incidents = (await api('/api/incidents')).incidents;
    borders = await (await fetch('vendor/countries-50m.json')).json();
    setLexicons(await Promise.all(['en', 'fr'].map((l) => fetch(`lexicon/${l}.json`).then((r) => r.json()).catch(() => null))));
  }
  return borders;
}

// Read the incidents again (after a merge or a split, whose ids change);
// select `id` when given and still listed.
async function reload(id) {
  S.incidents = (await api('/api/incidents')).incidents;
  render();
  if (id != null) {
    const k = S.shown.findIndex((x) => x.id === id);
    if (k >= 0) select(k, false);
  }
}

// ===== Map =====

const map = L.map('map', { zoomControl: true, minZoom: 2, maxZoom: 18 }).setView([40.0, 46.0], 7);
const cluster = L.markerClusterGroup({ maxClusterRadius: 35, disableClusteringAtZoom: 11,
                                       showCoverageOnHover: false });
map.addLayer(cluster);

function drawBorders(topo) {
  if (S.tileUrl) L.tileLayer(S.tileUrl, { maxZoom: 18 }).addTo(map);
  const obj = topo.objects.countries || Object.values(topo.objects)[0];
  const fc = window.topojson.feature(topo, obj);
  L.geoJSON(fc, { interactive: false,
                  style: { color: '#607d8b', weight: 1, fillColor: '#f5f5f0', fillOpacity: S.tileUrl ? 0 : 1 } })
    .addTo(map);
  const lines = window.topojson.mesh(topo, obj, (a, b) => a !== b);
  L.geoJSON(lines, { interactive: false, style: { color: '#37474f', weight: 1.5, dashArray: '5 3' } })
    .addTo(map);
}

function markerFor(inc) {
  const rejected = inc.review === 'rejected';
  const m = L.circleMarker([inc.lat, inc.lon], {
    radius: inc.geo_prec >= 3 ? 10 : inc.geo_prec === 2 ? 7 : 5,
    color: rejected ? '#757575' : COLOURS[inc.type],
    fillColor: rejected ? '#bdbdbd' : COLOURS[inc.type],
    fillOpacity: inc.geo_prec >= 3 ? 0.15 : inc.geo_prec === 2 ? 0.5 : 0.9,
    weight: 2,
    dashArray: inc.geo_prec >= 2 ? '3 3' : null,
  });
  m.incId = inc.id;
  m.bindPopup(() => popup(inc), { className: 'inc-pop' });
  m.on('click', () => select(S.shown.findIndex((x) => x.id === inc.id), false));
  return m;
}

// Trigger words per type, from the lexicons (data/lexicon/*.json): the
// phrases of triggers.TYPE (every list but the generic verbs; fire, which
// proposes a clash too, for clashes as well; a final * is any word ending),
// as one case-insensitive regular expression per type.
S.triggers = {};
function setLexicons(lexicons) {
  for (const t of TYPES) {
    const words = new Set();
    for (const lex of lexicons) {
      const all = (lex && lex.triggers) || {};
      const tr = all[t] || {};
      for (const [k, list] of Object.entries(tr)) if (k !== 'verbs' && Array.isArray(list)) for (const w of list) words.add(w);
      if (t === 'clash') for (const w of (all.shelling && all.shelling.fire) || []) words.add(w);
    }
    const alts = [...words].sort((a, b) => b.length - a.length).map((w) =>
      w.replace(/[.?+^$|()[\]{}\\]/g, '\\$&').replace(/\*/g, '\\p{L}*').replace(/ /g, '\\s+'));
    S.triggers[t] = alts.length ? new RegExp(`(?<![\\p{L}\\p{N}])(?:${alts.join('|')})(?![\\p{L}\\p{N}])`, 'giu') : null;
  }
}

// The UTF-16 index of code point `cp` of `text` (the store counts characters
// as code points, like Python and PostgreSQL; a JavaScript string counts
// UTF-16 units).
function cpIndex(text, cp) {
  let i = 0;
  for (let k = 0; k < cp && i < text.length; k++) i += text.codePointAt(i) > 0xffff ? 2 : 1;
  return i;
}

// The evidence with the trigger and the place marked. `spans` is an object
// of the API (a source, or an incident) with `offsets` true: exactly the
// trigger the extractor paired (trigger_start/trigger_end) and the place's
// mention (place_start/place_end), in characters; null when the sentence
// has none. Without them (a report stored before the store's schema 4, a
// layer without offsets) the old search: the place as written and every
// trigger word of `type`.
function highlighted(text, place, type, spans) {
  const span = el('span');
  if (!text) return span;
  const marks = [];
  if (spans && spans.offsets) {
    for (const [a, b, cls] of [[spans.trigger_start, spans.trigger_end, 'trigger'],
                               [spans.place_start, spans.place_end, 'place']])
      if (Number.isInteger(a) && Number.isInteger(b) && b > a) marks.push([cpIndex(text, a), cpIndex(text, b), cls]);
    span.dataset.marks = 'exact';
  } else {
    const lower = text.toLowerCase();
    const re = type && S.triggers[type];
    if (re) for (const m of text.matchAll(re)) marks.push([m.index, m.index + m[0].length, 'trigger']);
    if (place) {
      let at = lower.indexOf(place.toLowerCase());
      while (at >= 0) { marks.push([at, at + place.length, 'place']); at = lower.indexOf(place.toLowerCase(), at + 1); }
    }
    span.dataset.marks = 'search';
  }
  marks.sort((a, b) => a[0] - b[0]);
  let pos = 0;
  for (const [a, b, cls] of marks) {
    if (a < pos) continue;
    span.append(text.slice(pos, a), el('mark', { class: cls }, text.slice(a, b)));
    pos = b;
  }
  span.append(text.slice(pos));
  return span;
}

// An incident's own spans: from the API or the store's offline page; in a
// page made from a layer, those of the source whose sentence is the
// incident's evidence (a layer has no `offsets`: all four null is taken as
// not recorded).
function incidentSpans(inc) {
  if ('offsets' in inc) return inc;
  const s = (inc.sources || []).find((x) => x && x.evidence === inc.evidence);
  const known = s && [s.trigger_start, s.place_start].some(Number.isInteger);
  return known ? { ...s, offsets: true } : null;
}

function link(id, url) {
  const u = url || (/^https?:\/\//.test(id) ? id : '');
  return u ? el('a', { href: u, target: '_blank', rel: 'noopener noreferrer' }, id) : el('span', {}, id);
}

function popup(inc) {
  const docs = el('div', { class: 'meta' });
  // each document's own URL: the store's source_urls, or a layer's sources
  const urls = inc.source_urls ||
    Object.fromEntries((inc.sources || []).filter((s) => s && s.url).map((s) => [s.doc_id, s.url]));
  (inc.doc_ids || []).forEach((d, i) => { if (i) docs.append(', '); docs.append(link(d, urls[d])); });
  return el('div', {},
    el('b', {}, `${inc.type} · ${inc.place_name || inc.place} · ${inc.date || 'date unknown'}`),
    el('div', {}, highlighted(inc.evidence, inc.place, inc.type, incidentSpans(inc))),
    el('div', { class: 'meta' }, `confidence ${Number(inc.confidence).toFixed(2)} · ${inc.review}` +
       (inc.claimed_by ? ` · claimed by ${inc.claimed_by}` : '')),
    docs);
}

// ===== Filters =====

function firstDay(d) {
  if (!d) return null;
  return d.length === 4 ? `${d}-01-01` : d.length === 7 ? `${d}-01` : d;
}

function dayList() {
  const days = [...new Set(S.incidents.map((i) => firstDay(i.date)).filter(Boolean))].sort();
  return days;
}

function filters() {
  const types = [...document.querySelectorAll('input[name=type]:checked')].map((x) => x.value);
  const days = S.days || [];
  const slider = $('f-slider');
  const until = days.length && Number(slider.value) < days.length - 1 ? days[Number(slider.value)] : null;
  return { types, from: $('f-from').value, to: $('f-to').value, until,
           conf: Number($('f-conf').value) || 0, country: $('f-country').value, review: $('f-review').value };
}

function passes(i, f) {
  const d = firstDay(i.date);
  if (!f.types.includes(i.type)) return false;
  if (f.from && (!d || d < f.from)) return false;
  if (f.to && (!d || d > f.to)) return false;
  if (f.until && d && d > f.until) return false;
  if (i.confidence < f.conf) return false;
  if (f.country && i.country !== f.country) return false;
  if (f.review && i.review !== f.review) return false;
  return true;
}

// ===== Rendering =====

function render() {
  const keep = S.sel >= 0 && S.shown[S.sel] ? S.shown[S.sel].id : null;
  const f = filters();
  S.shown = S.incidents.filter((i) => passes(i, f))
    .sort((a, b) => a.confidence - b.confidence || a.id - b.id);
  S.sel = keep == null ? (S.shown.length ? 0 : -1) : S.shown.findIndex((x) => x.id === keep);
  if (S.sel < 0 && S.shown.length) S.sel = 0;

  // a pan or zoom still running (j/k, then a split or merge that reloads)
  // must not finish on markers that are gone
  map.stop();
  map.closePopup();
  cluster.clearLayers();
  S.markers.clear();
  const layers = [];
  for (const inc of S.shown) {
    if (inc.lat == null || inc.lon == null) continue;
    const m = markerFor(inc);
    S.markers.set(inc.id, m);
    layers.push(m);
  }
  cluster.addLayers(layers);
  $('map').dataset.markers = String(layers.length);

  const list = $('list');
  list.replaceChildren(...S.shown.map((inc, k) => el('li', {
    'data-id': String(inc.id), class: (k === S.sel ? 'sel ' : '') + inc.review,
    onclick: () => select(k, true) },
    el('span', { class: `sym ${inc.type}` }),
    el('span', {}, `${inc.place_name || inc.place || '?'} · ${inc.date || 'date unknown'}`),
    el('span', { class: 'conf' }, Number(inc.confidence).toFixed(2)),
    el('span', { class: `badge ${inc.review}` }, inc.review))));

  const byType = {}, byReview = {};
  for (const i of S.shown) { byType[i.type] = (byType[i.type] || 0) + 1; byReview[i.review] = (byReview[i.review] || 0) + 1; }
  $('counts').textContent = `${S.shown.length} of ${S.incidents.length} shown · ` +
    TYPES.map((t) => `${t} ${byType[t] || 0}`).join(', ') + ' · ' +
    ['unreviewed', 'accepted', 'edited', 'rejected'].map((r) => `${r} ${byReview[r] || 0}`).join(', ');
  document.body.dataset.shown = String(S.shown.length);
  showDetail();
}

function select(k, pan) {
  if (k < 0 || k >= S.shown.length) return;
  S.sel = k;
  for (const li of $('list').children) li.classList.toggle('sel', li.dataset.id === String(S.shown[k].id));
  const li = $('list').children[k];
  if (li) li.scrollIntoView({ block: 'nearest' });
  const inc = S.shown[k];
  if (pan && inc.lat != null) {
    const m = S.markers.get(inc.id);
    if (m) cluster.zoomToShowLayer(m, () => { if (cluster.hasLayer(m)) m.openPopup(); });
  }
  showDetail();
}

function current() { return S.sel >= 0 ? S.shown[S.sel] : null; }

let detailSeq = 0;
async function showDetail() {
  const inc = current(), box = $('detail');
  if (!inc) { box.hidden = true; return; }
  box.hidden = false;
  const dl = el('dl', {});
  const row = (k, v) => { if (v !== '' && v != null) dl.append(el('dt', {}, k), el('dd', {}, String(v))); };
  row('type', inc.type); row('date', `${inc.date || 'unknown'} (${inc.date_prec})`);
  row('place', `${inc.place_name || ''}${inc.place && inc.place !== inc.place_name ? ` (“${inc.place}”)` : ''}`);
  row('precision', `geo_prec ${inc.geo_prec}`); row('country', `${inc.country} ${inc.admin1 || ''}`);
  row('actors', [inc.actor1, inc.actor2].filter(Boolean).join(' → '));
  row('claimed by', inc.claimed_by); row('fatalities', inc.fatalities);
  row('confidence', Number(inc.confidence).toFixed(3));
  row('review', inc.review + (inc.reason ? ` (${inc.reason})` : '') + (inc.merged_into ? ` into #${inc.merged_into}` : ''));
  const actions = el('div', { class: 'actions' },
    el('button', { type: 'button', onclick: () => act('accept') }, 'accept (a)'),
    el('button', { type: 'button', onclick: () => rejectForm() }, 'reject (r)'),
    el('button', { type: 'button', onclick: () => editForm() }, 'edit (e)'),
    el('button', { type: 'button', onclick: () => startPick() }, 'place by map click (p)'),
    el('button', { type: 'button', onclick: () => mergeForm() }, 'merge into… (m)'),
    el('button', { type: 'button', onclick: () => split() }, 'split checked sources off (s)'),
    el('button', { type: 'button', onclick: () => act('undo') }, 'undo (u)'));
  const sources = el('div', { id: 'sources' }, el('div', { class: 'source' }, highlighted(inc.evidence, inc.place, inc.type, incidentSpans(inc))));
  box.replaceChildren(el('h2', {}, `#${inc.id} ${inc.type} · ${inc.place_name || inc.place}`), actions,
                      el('div', { id: 'form' }), dl, sources);
  if (offline) return;
  const seq = ++detailSeq;
  try {
    const full = await api(`/api/incidents/${inc.id}`);
    if (seq !== detailSeq) return;
    // a checkbox per source of the incident itself (not of one merged into
    // it by a verdict): the checked ones leave it for a new incident (s)
    let nth = 0;
    const own = full.sources.filter((s) => s.own).length;
    sources.replaceChildren(...full.sources.map((s) => el('div', { class: 'source' },
      s.own && own >= 2 ? el('label', { class: 'pick', title: 'check to split this source off (its number toggles it)' },
                 el('input', { type: 'checkbox', class: 'split-pick', value: String(s.report_id) }),
                 ` ${++nth} `) : null,
      highlighted(s.evidence, s.place, inc.type, s),
      el('div', { class: 'meta' }, link(s.doc_id, s.url),
         (s.outlet ? ` · ${s.outlet}` : '') + ` · ${s.published || ''} · date ${s.date || 'unknown'} (${s.date_prec})` +
         (s.claimed_by ? ` · claimed by ${s.claimed_by}` : '') + ` · ${Number(s.confidence).toFixed(2)}`))));
    if (full.verdicts.length)
      sources.append(el('div', { class: 'meta' }, full.verdicts.map((v) => `${v.at.slice(0, 19)} ${v.who} ${v.action}`).join(' · ')));
  } catch (e) { status(e.message); }
}

// ===== Actions =====

function who() { return $('who').value.trim() || 'analyst'; }

async function act(action, extra) {
  const inc = current();
  if (!inc || offline) return;
  try {
    const upd = await api(`/api/incidents/${inc.id}/${action}`, { version: inc.version, who: who(), ...(extra || {}) });
    // a split (or its undo) merges the store's incidents again: new ids
    if (action === 'merge' || action === 'split' || upd.id !== inc.id) {
      await reload(upd.id);
      status(action === 'split' ? `#${inc.id} split: #${upd.parts[0]} stays, #${upd.parts[1]} is new`
                                : `#${inc.id} ${action}: ${upd.review} (now #${upd.id})`);
      return;
    }
    const k = S.incidents.findIndex((x) => x.id === inc.id);
    if (k >= 0) S.incidents[k] = upd;
    status(`#${inc.id} ${action}: ${upd.review}`);
    const at = S.sel;
    render();
    if ((action === 'accept' || action === 'reject') && at + 1 < S.shown.length) select(at + 1, false);
  } catch (e) {
    status(e.status === 409 || e.status === 404 ? `${e.message} (reloaded)` : e.message);
    if (e.status === 409 || e.status === 404) await reload();
  }
}

function formBox(...kids) {
  const f = el('form', { class: 'form' }, ...kids);
  $('form').replaceChildren(f);
  return f;
}

function rejectForm() {
  const sel = el('select', { id: 'reject-reason' }, el('option', { value: '' }, '(no reason)'),
    ...REASONS.map((r) => el('option', { value: r }, r)));
  const f = formBox(el('label', {}, 'reason'), sel, el('button', { type: 'submit', class: 'wide' }, 'reject'));
  f.addEventListener('submit', (ev) => { ev.preventDefault(); act('reject', { reason: sel.value }); });
  // Enter rejects, 1-4 pick a reason and reject: keyboard only
  sel.addEventListener('keydown', (ev) => {
    const n = Number(ev.key);
    if (n >= 1 && n <= REASONS.length) sel.value = REASONS[n - 1];
    if (ev.key === 'Enter' || (n >= 1 && n <= REASONS.length)) { ev.preventDefault(); f.requestSubmit(); }
  });
  sel.focus();
}

function mergeForm() {
  const inp = el('input', { id: 'merge-into', size: '8', placeholder: 'incident #' });
  const f = formBox(el('label', {}, 'merge into #'), inp, el('button', { type: 'submit', class: 'wide' }, 'merge'));
  f.addEventListener('submit', (ev) => { ev.preventDefault(); act('merge', { into: Number(inp.value) }); });
  inp.focus();
}

function editForm() {
  const inc = current();
  if (!inc) return;
  const type = el('select', { id: 'edit-type' }, ...TYPES.map((t) => el('option', t === inc.type ? { selected: '' } : {}, t)));
  const date = el('input', { id: 'edit-date', value: inc.date || '', placeholder: 'YYYY-MM-DD' });
  const a1 = el('input', { id: 'edit-actor1', value: inc.actor1 || '' });
  const a2 = el('input', { id: 'edit-actor2', value: inc.actor2 || '' });
  const q = el('input', { id: 'edit-place', value: inc.place_name || '', placeholder: 'search the gazetteer' });
  const results = el('ul', { id: 'places', class: 'wide' });
  let place = null;
  q.addEventListener('input', async () => {
    if (q.value.length < 2) return;
    try {
      const r = await api(`/api/places?q=${encodeURIComponent(q.value)}`);
      results.replaceChildren(...r.places.map((p) => el('li', { onclick: () => {
        place = p; q.value = p.name; results.replaceChildren(el('li', {}, `→ ${p.name} (${p.country}, ${p.lat.toFixed(3)}, ${p.lon.toFixed(3)})`));
      } }, `${p.name} · ${p.admin1} ${p.country} · pop. ${p.population}`)));
    } catch (e) { results.replaceChildren(el('li', {}, e.message)); }
  });
  const f = formBox(el('label', {}, 'type'), type, el('label', {}, 'date'), date,
    el('label', {}, 'actor 1'), a1, el('label', {}, 'actor 2'), a2,
    el('label', {}, 'place'), q, results, el('button', { type: 'submit', class: 'wide' }, 'save edit'));
  f.addEventListener('submit', (ev) => {
    ev.preventDefault();
    const e = {};
    if (type.value !== inc.type) e.type = type.value;
    if (date.value !== (inc.date || '')) e.date = date.value;
    if (a1.value !== (inc.actor1 || '')) e.actor1 = a1.value;
    if (a2.value !== (inc.actor2 || '')) e.actor2 = a2.value;
    if (place) Object.assign(e, { place_name: place.name, place_id: place.place_id, lon: place.lon,
                                  lat: place.lat, country: place.country, admin1: place.admin1, geo_prec: 1 });
    if (!Object.keys(e).length) { status('nothing changed'); return; }
    act('edit', { edits: e });
  });
  type.focus();
}

// Split: the checked sources leave the incident for a new one. With none
// checked, `s` goes to the first checkbox: space or the source's number
// checks one, Enter (or s) splits, Escape leaves.
function picks() {
  return [...document.querySelectorAll('#sources input.split-pick:checked')].map((x) => Number(x.value));
}

function split() {
  if (!current() || offline) return;
  const boxes = [...document.querySelectorAll('#sources input.split-pick')];
  if (boxes.length < 2) { status(boxes.length ? 'one source: nothing to split' : 'the sources are loading'); return; }
  const chosen = picks();
  if (!chosen.length) {
    boxes[0].focus();
    status('check the sources that leave (their number or space), then Enter');
    return;
  }
  act('split', { reports: chosen });
}

$('detail').addEventListener('keydown', (ev) => {
  if (!ev.target.classList || !ev.target.classList.contains('split-pick')) return;
  const boxes = [...document.querySelectorAll('#sources input.split-pick')];
  const n = Number(ev.key);
  if (n >= 1 && n <= boxes.length) { ev.preventDefault(); boxes[n - 1].checked = !boxes[n - 1].checked; }
  else if (ev.key === 'Enter' || ev.key === 's') { ev.preventDefault(); split(); }
  else if (ev.key === 'Escape') { ev.preventDefault(); ev.target.blur(); }
});

function startPick() {
  if (!current() || offline) return;
  S.picking = true;
  map.getContainer().classList.add('picking');
  status(`click the map to place #${current().id}`);
}

map.on('click', (ev) => {
  if (!S.picking) return;
  S.picking = false;
  map.getContainer().classList.remove('picking');
  const lat = Math.round(ev.latlng.lat * 1e5) / 1e5, lon = Math.round(ev.latlng.lng * 1e5) / 1e5;
  act('edit', { edits: { lon, lat, place_id: '', geo_prec: 1 } });
});

document.addEventListener('keydown', (ev) => {
  if (ev.ctrlKey || ev.metaKey || ev.altKey) return;
  const tag = ev.target.tagName;
  if (tag === 'INPUT' || tag === 'SELECT' || tag === 'TEXTAREA') {
    if (ev.key === 'Escape') { ev.target.blur(); $('form') && $('form').replaceChildren(); }
    return;
  }
  const keys = {
    j: () => select(S.sel + 1, true), k: () => select(S.sel - 1, true),
    a: () => act('accept'), r: () => rejectForm(), e: () => editForm(),
    p: () => startPick(), m: () => mergeForm(), u: () => act('undo'), s: () => split(),
    Escape: () => { S.picking = false; $('form') && $('form').replaceChildren(); },
  };
  if (keys[ev.key]) { ev.preventDefault(); keys[ev.key](); }
});

// ===== Start =====

function initFilters() {
  const countries = [...new Set(S.incidents.map((i) => i.country).filter(Boolean))].sort();
  $('f-country').append(...countries.map((c) => el('option', { value: c }, c)));
  S.days = dayList();
  const slider = $('f-slider');
  slider.max = String(Math.max(0, S.days.length - 1));
  slider.value = slider.max;
  const out = () => { $('slider-out').textContent = S.days.length ? S.days[Number(slider.value)] : ''; };
  out();
  slider.addEventListener('input', () => { out(); render(); });
  $('filters').addEventListener('change', render);
  $('filters').addEventListener('submit', (ev) => ev.preventDefault());
  const saved = offline ? null : window.localStorage.getItem('incimap-who');
  if (saved) $('who').value = saved;
  $('who').addEventListener('change', () => window.localStorage.setItem('incimap-who', who()));
}

load().then((borders) => {
  drawBorders(borders);
  initFilters();
  render();
  const pts = S.shown.filter((i) => i.lat != null).map((i) => [i.lat, i.lon]);
  if (pts.length) map.fitBounds(pts, { padding: [30, 30], maxZoom: 10 });
  document.body.dataset.ready = '1';
}).catch((e) => { status(`cannot load: ${e.message}`); document.body.dataset.ready = 'error'; });
