/* helmrec report script (embedded into the page by the build; src/render/html.c).
 * Draws the overview table and the closed release sections from the "ov"
 * data block, filters and sorts the table, and draws a release's section
 * from its embedded JSON the first time it is opened.  Builds DOM nodes with
 * textContent only (never innerHTML), loads nothing. */
(function () {
  'use strict';
  var SVGNS = 'http://www.w3.org/2000/svg';
  function el(tag, attrs, text) {
    var e = document.createElement(tag);
    if (attrs) for (var k in attrs) e.setAttribute(k, attrs[k]);
    if (text !== undefined && text !== null) e.textContent = String(text);
    return e;
  }
  function svg(tag, attrs, text) {
    var e = document.createElementNS(SVGNS, tag);
    for (var k in attrs) e.setAttribute(k, attrs[k]);
    if (text !== undefined) e.textContent = String(text);
    return e;
  }
  function statusSpan(st) { return el('span', { 'class': 'st st-' + st }, st); }
  function pre(text) { return el('pre', null, text); }
  function collapsible(title, child, open) {
    var d = el('details'); if (open) d.open = true;
    d.appendChild(el('summary', null, title)); d.appendChild(child); return d;
  }
  function table(head, rows) {
    var t = el('table'), th = el('thead'), tr = el('tr'), tb = el('tbody');
    head.forEach(function (h) { tr.appendChild(el('th', null, h)); });
    th.appendChild(tr); t.appendChild(th);
    rows.forEach(function (r) {
      var row = el('tr');
      r.forEach(function (c) {
        var cell = el('td');
        if (c instanceof Node) cell.appendChild(c); else cell.textContent = c === undefined || c === null ? '' : String(c);
        row.appendChild(cell);
      });
      tb.appendChild(row);
    });
    t.appendChild(tb); return t;
  }
  function rollbackTarget(d) { var m = /^Rollback to (\d+)/.exec(d || ''); return m ? +m[1] : 0; }

  /* ---- timeline: one box per revision, rollbacks as arcs to their target ---- */
  function timeline(revs) {
    var W = 96, H = 26, top = 44, n = revs.length, width = Math.max(n * W + 20, 300);
    var s = svg('svg', { width: width, height: top + H + 40, role: 'img', 'aria-label': 'revision timeline' });
    var defs = svg('defs', {}), m = svg('marker', { id: 'arrow', viewBox: '0 0 10 10', refX: '9', refY: '5',
      markerWidth: '7', markerHeight: '7', orient: 'auto-start-reverse' });
    m.appendChild(svg('path', { d: 'M0,0 L10,5 L0,10 z', fill: '#8250df' })); defs.appendChild(m); s.appendChild(defs);
    var pos = {};
    revs.forEach(function (r, i) { pos[r.v] = 10 + i * W; });
    revs.forEach(function (r, i) {
      var x = pos[r.v], g = svg('g', {});
      var t = svg('title', {}, 'revision ' + r.v + ': ' + r.st + (r.cv ? ', chart ' + r.cv : '') +
        (r.av ? ', app ' + r.av : '') + (r.d ? ' — ' + r.d : ''));
      g.appendChild(t);
      g.appendChild(svg('rect', { x: x, y: top, width: W - 10, height: H, rx: 4, 'class': r.st }));
      g.appendChild(svg('text', { x: x + 4, y: top + 17 }, 'v' + r.v));
      g.appendChild(svg('text', { x: x, y: top + H + 14 }, (r.st || '').slice(0, 15)));
      g.appendChild(svg('text', { x: x, y: top + H + 28 }, (r.cv || '').slice(0, 15)));
      s.appendChild(g);
      var to = rollbackTarget(r.d);
      if (to && pos[to] !== undefined) {
        var x1 = x + (W - 10) / 2, x2 = pos[to] + (W - 10) / 2, h = Math.min(40, 12 + Math.abs(x1 - x2) / 8);
        s.appendChild(svg('path', { 'class': 'rb', d: 'M' + x1 + ',' + top + ' C' + x1 + ',' + (top - h) + ' ' + x2 + ',' +
          (top - h) + ' ' + x2 + ',' + top, 'marker-end': 'url(#arrow)' }));
      }
    });
    var div = el('div', { 'class': 'timeline' }); div.appendChild(s); return div;
  }

  function findingItem(f) {
    var li = el('li', { 'class': 'sev-' + f.sev });
    li.appendChild(el('b', null, f.sev.toUpperCase() + ' '));
    li.appendChild(el('code', null, f.rule));
    li.appendChild(document.createTextNode((f.revs.length ? ' revision ' + f.revs.join(',') : '') + ': ' + f.msg));
    if (f.ev) li.appendChild(el('div', { 'class': 'meta' }, 'evidence: ' + f.ev));
    if (f.fix) li.appendChild(el('div', { 'class': 'meta' }, 'fix: ' + f.fix));
    return li;
  }

  function revisionBody(r, box) {
    var dl = el('dl', { 'class': 'kv' });
    [['chart', (r.ch || '') + (r.cv ? '-' + r.cv : '')], ['app version', r.av], ['updated', r.t], ['description', r.d],
     ['deleted', r.del], ['storage', r.drv], ['seen live', r.live ? 'yes' : 'no (recovered)'],
     ['conflict', r.conflict ? 'yes: another body for this revision is live' : '']].forEach(function (kv) {
      if (kv[1]) { dl.appendChild(el('dt', null, kv[0])); dl.appendChild(el('dd', null, kv[1])); }
    });
    box.appendChild(dl);
    box.appendChild(el('h3', null, 'User-supplied values'));
    box.appendChild(r.vals ? pre(r.vals) : el('p', { 'class': 'meta' }, 'none'));
    box.appendChild(el('h3', null, 'Manifest (' + r.res.length + ' resources)'));
    if (r.res.length) box.appendChild(table(['kind', 'name', 'namespace', 'template', 'text'], r.res.map(function (x) {
      return [x[0], x[1], x[2], x[3], collapsible('show', pre(x[4]))];
    })));
    if (r.hooks.length) {
      box.appendChild(el('h3', null, 'Hooks'));
      box.appendChild(table(['name', 'kind', 'events', 'weight', 'last run', 'template', 'text'], r.hooks.map(function (h) {
        return [h.name, h.kind, h.events, h.weight, h.phase, h.path, collapsible('show', pre(h.text))];
      })));
    }
    if (r.notes) { box.appendChild(el('h3', null, 'Notes')); box.appendChild(collapsible('show notes', pre(r.notes))); }
    if (r.diff !== undefined) {
      box.appendChild(el('h3', null, 'Changes since the previous revision (' + r.nch + ')'));
      box.appendChild(r.diff ? pre(r.diff) : el('p', { 'class': 'meta' }, 'no change'));
    }
    box.appendChild(el('h3', null, 'Seen in'));
    box.appendChild(table(['input', 'driver', 'object namespace', 'object', 'location', 'state', 'datastore revision'],
      r.seen.map(function (s) { return [s[0], s[1], s[2], s[3], s[4], s[5], s[6] === '0' ? '' : s[6]]; })));
  }

  /* A release's data: JSON, or gzip'd JSON in base64 (data-z="gzip") inflated by the browser itself. */
  function loadData(src) {
    if (src.getAttribute('data-z') !== 'gzip') return Promise.resolve(JSON.parse(src.textContent));
    var bin = atob(src.textContent), u = new Uint8Array(bin.length);
    for (var k = 0; k < bin.length; k++) u[k] = bin.charCodeAt(k);
    return new Response(new Blob([u]).stream().pipeThrough(new DecompressionStream('gzip'))).text().then(JSON.parse);
  }
  /* ---- findings: the "fd" data block, worst first ---- */
  /* fd[k] = [severity 1..3, rule, namespace, release, [revisions], message, evidence, remedy, section index or -1] */
  var SEV = ['', 'info', 'warning', 'error'];
  var fdSrc = document.getElementById('fd'), fd = fdSrc ? JSON.parse(fdSrc.textContent) : [], byRel = {};
  fd.forEach(function (x) {
    var f = { sev: SEV[x[0]], rule: x[1], ns: x[2], rel: x[3], revs: x[4], msg: x[5], ev: x[6], fix: x[7] };
    (byRel[x[8]] = byRel[x[8]] || []).push(f);
  });
  (function worst() {
    var box = document.getElementById('worst'), count = document.getElementById('fcount'), n = [0, 0, 0, 0], WORST = 25;
    fd.forEach(function (x) { n[x[0] & 3]++; });
    if (count) count.textContent = n[3] + ' error, ' + n[2] + ' warning, ' + n[1] + ' info';
    if (!box) return;
    if (!fd.length) { box.appendChild(el('p', null, 'No findings.')); return; }
    var ul = el('ul');
    fd.slice(0, WORST).forEach(function (x) {
      var li = el('li', { 'class': 'sev-' + SEV[x[0]] });
      li.appendChild(el('b', null, SEV[x[0]])); li.appendChild(document.createTextNode(' '));
      li.appendChild(el('code', null, x[1]));
      li.appendChild(document.createTextNode(' ' + x[2] + '/' + x[3] + (x[4].length ? ' revision ' + x[4].join(',') : '') +
        ': ' + x[5]));
      ul.appendChild(li); ul.appendChild(document.createTextNode('\n'));
    });
    box.appendChild(ul);
    if (fd.length > WORST) box.appendChild(el('p', null, 'More in each release\'s section.'));
  })();

  var openRevs = false;   /* #revs=all: draw every revision too (printing, checking) */
  function drawRelease(det) {
    var i = det.getAttribute('data-i'), src = document.getElementById('j-' + i), body = det.querySelector('.body');
    if (!src || body.getAttribute('data-done')) return;
    body.setAttribute('data-done', '1');
    loadData(src).then(function (d) { d.f = byRel[i] || []; drawData(d, body); }, function (e) {
      body.appendChild(el('p', { 'class': 'warn' }, 'cannot read this release\'s data: ' + e));
    });
  }
  function drawData(d, body) {
    var texts = {};
    /* a text written as 0 is the same as in the revision before (oldest first) */
    function same(key, v) { if (v === 0) return texts[key]; texts[key] = v; return v; }
    d.r.forEach(function (r) {
      r.res.forEach(function (x) { x[4] = same('r\t' + x[0] + '\t' + x[2] + '\t' + x[1] + '\t' + x[3], x[4]); });
      r.hooks.forEach(function (h) { h.text = same('h\t' + h.name + '\t' + h.path, h.text); });
      if (r.notes !== undefined) r.notes = same('notes', r.notes);
    });
    body.appendChild(timeline(d.r));
    if (d.f.length) {
      body.appendChild(el('h3', null, 'Findings'));
      var ul = el('ul', { 'class': 'findings' });
      d.f.forEach(function (f) { ul.appendChild(findingItem(f)); });
      body.appendChild(ul);
    }
    body.appendChild(el('h3', null, 'Revisions'));
    d.r.slice().reverse().forEach(function (r) {
      var rd = el('details', { 'class': 'rev' }), sm = el('summary');
      sm.appendChild(el('b', null, 'revision ' + r.v + ' ')); sm.appendChild(statusSpan(r.st));
      sm.appendChild(document.createTextNode(' ' + (r.ch || '') + (r.cv ? '-' + r.cv : '') + (r.av ? ' (app ' + r.av + ')' : '') +
        (r.t ? ' · ' + r.t : '') + (r.d ? ' · ' + r.d : '')));
      var mine = d.f.filter(function (f) { return f.revs.indexOf(r.v) >= 0; });
      if (mine.length) sm.appendChild(el('span', { 'class': 'sev-' + mine[0].sev }, ' · ' + mine.length + ' finding' + (mine.length > 1 ? 's' : '')));
      rd.appendChild(sm);
      if (mine.length) { var fl = el('ul', { 'class': 'findings' }); mine.forEach(function (f) { fl.appendChild(findingItem(f)); }); rd.appendChild(fl); }
      var box = el('div');
      rd.appendChild(box);
      rd.addEventListener('toggle', function () { if (rd.open && !box.firstChild) revisionBody(r, box); });
      body.appendChild(rd);
      if (openRevs) { rd.open = true; revisionBody(r, box); }
    });
  }

  /* ---- overview: one row per release from the "ov" data block, then filter, sort ---- */
  /* ov[i] = [namespace, name, chart, app version, status, revisions, last deployed, worst severity, findings, text] */
  var ovSrc = document.getElementById('ov'), ov = ovSrc ? JSON.parse(ovSrc.textContent) : [];
  var tbody = document.querySelector('#rels tbody'), relList = document.getElementById('rel-list');
  var rows = [], frag = document.createDocumentFragment();
  ov.forEach(function (o, i) {
    var tr = el('tr', { 'data-i': i, 'data-st': o[4] }), td;
    tr.appendChild(el('td', null, o[0]));
    td = el('td'); td.appendChild(el('a', { href: '#rel-' + i }, o[1])); tr.appendChild(td);
    tr.appendChild(el('td', null, o[2])); tr.appendChild(el('td', null, o[3]));
    td = el('td'); td.appendChild(statusSpan(o[4])); tr.appendChild(td);
    tr.appendChild(el('td', { 'class': 'num' }, o[5])); tr.appendChild(el('td', null, o[6]));
    td = el('td', { 'class': 'num', 'data-v': o[7] ? String(o[7] * 1000000 + o[8]) : '0' });
    if (o[7]) td.appendChild(el('span', { 'class': 'sev-' + SEV[o[7]] }, o[9]));
    tr.appendChild(td);
    tr._text = [o[0], o[1], o[2], o[3], o[4], o[5], o[6], o[9]].join(' ').toLowerCase();
    rows.push(tr); frag.appendChild(tr); frag.appendChild(document.createTextNode('\n'));
  });
  tbody.appendChild(frag);
  var rowOf = rows.slice();   /* by release index (rows is re-ordered by sorting) */
  /* The release sections (closed <details>), made in slices after the table so the page shows at once. */
  var made = 0;
  function makeSections(upto) {
    var f = document.createDocumentFragment();
    for (; made < upto && made < ov.length; made++) {
      var o = ov[made], d = el('details', { 'class': 'rel', id: 'rel-' + made, 'data-i': made }), sm = el('summary');
      sm.appendChild(statusSpan(o[4])); sm.appendChild(document.createTextNode(' '));
      sm.appendChild(el('b', null, o[0] + '/' + o[1])); sm.appendChild(document.createTextNode(' '));
      sm.appendChild(el('span', { 'class': 'meta' }, o[5] + ' revision' + (o[5] === 1 ? '' : 's') + ', ' +
        o[8] + ' finding' + (o[8] === 1 ? '' : 's')));
      d.appendChild(sm); d.appendChild(el('div', { 'class': 'body' }));
      if (rowOf[made].hasAttribute('hidden')) d.setAttribute('hidden', '');
      f.appendChild(d); f.appendChild(document.createTextNode('\n'));
    }
    relList.appendChild(f);
  }
  function section(i) { makeSections(+i + 1); return document.getElementById('rel-' + i); }
  function moreSections() { makeSections(made + 250); if (made < ov.length) setTimeout(moreSections, 0); }
  var q = document.getElementById('q'), sel = document.getElementById('status'), shown = document.getElementById('shown');
  var seen = {};
  ov.forEach(function (o) { seen[o[4]] = 1; });
  Object.keys(seen).sort().forEach(function (s) { sel.appendChild(el('option', { value: s }, s)); });
  function apply() {
    var words = q.value.toLowerCase().split(/\s+/).filter(Boolean), st = sel.value, n = 0;
    rows.forEach(function (r) {
      var ok = (!st || r.getAttribute('data-st') === st) && words.every(function (w) { return r._text.indexOf(w) >= 0; });
      if (ok) { r.removeAttribute('hidden'); n++; } else r.setAttribute('hidden', '');
      var i = r.getAttribute('data-i'), sec = i < made ? document.getElementById('rel-' + i) : null;
      if (sec) { if (ok) sec.removeAttribute('hidden'); else sec.setAttribute('hidden', ''); }
    });
    shown.textContent = n + ' of ' + rows.length + ' releases shown';
  }
  function fromHash() {
    var h = location.hash.replace(/^#/, '');
    if (/^rel-\d+$/.test(h)) { var d = section(h.slice(4)); if (d) { d.open = true; drawRelease(d); d.scrollIntoView(); } return; }
    h.split('&').forEach(function (kv) {
      var p = kv.split('='), v = decodeURIComponent((p[1] || '').replace(/\+/g, ' '));
      if (p[0] === 'revs') openRevs = v === 'all';
      else if (p[0] === 'q') q.value = v; else if (p[0] === 'status') sel.value = v; else if (p[0] === 'open' && v) {
        /* open=N opens release section N; open=all every section (for printing or checking) */
        if (v === 'all') makeSections(ov.length); else section(v);
        Array.prototype.forEach.call(document.querySelectorAll(v === 'all' ? 'details.rel' : '#rel-' + v), function (det) {
          det.open = true; drawRelease(det);
        });
      }
    });
    apply();
  }
  q.addEventListener('input', apply); sel.addEventListener('change', apply);
  window.addEventListener('hashchange', fromHash);
  var heads = document.querySelectorAll('#rels th');
  Array.prototype.forEach.call(heads, function (th, col) {
    th.addEventListener('click', function () {
      var dir = th.getAttribute('aria-sort') === 'ascending' ? -1 : 1;
      Array.prototype.forEach.call(heads, function (h) { h.removeAttribute('aria-sort'); });
      th.setAttribute('aria-sort', dir > 0 ? 'ascending' : 'descending');
      function key(r) { var c = r.children[col]; return c.getAttribute('data-v') || c.textContent; }
      var num = col === 5 || col === 7;
      rows.sort(function (a, b) {
        var x = key(a), y = key(b);
        return dir * (num ? (+x || 0) - (+y || 0) : x.localeCompare(y, undefined, { numeric: true }));
      });
      var frag = document.createDocumentFragment(); rows.forEach(function (r) { frag.appendChild(r); }); tbody.appendChild(frag);
    });
  });
  document.addEventListener('toggle', function (e) {
    var t = e.target; if (t.classList && t.classList.contains('rel') && t.open) drawRelease(t);
  }, true);
  /* printing: draw and open the sections still shown so the PDF holds them */
  window.addEventListener('beforeprint', function () {
    openRevs = true;
    makeSections(ov.length);
    Array.prototype.forEach.call(document.querySelectorAll('details.rel:not([hidden])'), function (d) {
      d.open = true; drawRelease(d);
    });
  });
  fromHash();
  moreSections();
})();
