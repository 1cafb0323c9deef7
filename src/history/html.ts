// `quorum history --html FILE`: one self-contained page (inline CSS, JavaScript and SVG; nothing
// fetched) with a timeline per non-linearizable partition. The summary and the text timeline are in
// the HTML itself; the script draws the lanes and bars from the data embedded in the page, shows an
// op's details on hover or click, and zooms. `#pK-opN` in the address selects op N of section K.
import { difference, layoutPartition, laneName, roleText, summaryText, type BadPartition, type Ranges, verdictText } from './timeline-layout.js';
import { renderExplanation } from './timeline.js';

const esc = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** The data the page's script draws from, one entry per section. */
function pageData(items: readonly BadPartition[]) {
  return items.map((item) => {
    const l = layoutPartition(item.explanation);
    const e = item.explanation;
    return {
      span: l.span,
      offending: e.offending,
      lanes: l.lanes.map(laneName),
      ops: l.ops.map((o) => ({
        id: o.id,
        lane: o.lane,
        from: o.from,
        to: o.to,
        open: o.open,
        role: o.role,
        ...(o.order !== undefined ? { order: o.order } : {}),
        text: o.text,
        status: o.status,
        what: roleText(o, e),
        ...(o.source !== undefined ? { source: o.source } : {}),
      })),
    };
  });
}

/** The state after the prefix and the state the offending op needs, their difference marked. */
function statesHtml(state: string, needs: string | undefined): string {
  if (needs === undefined) return `<div class="states"><div><span class="lbl">state</span> ${esc(state)}</div></div>`;
  const d = difference(state, needs);
  const marked = (x: string, ranges: Ranges) => {
    let out = '';
    let at = 0;
    for (const [a, b] of ranges) {
      out += `${esc(x.slice(at, a))}<mark>${esc(x.slice(a, b))}</mark>`;
      at = b;
    }
    return out + esc(x.slice(at));
  };
  return `<div class="states"><div><span class="lbl">state</span> ${marked(state, d.a)}</div><div><span class="lbl">needs</span> ${marked(needs, d.b)}</div></div>`;
}

export interface HistoryHtmlOptions {
  /** The command's model name, shown in the title. */
  readonly model: string;
  /** Files checked, and how many were linearizable (for the heading). */
  readonly files: number;
}

export function historyHtml(items: readonly BadPartition[], opts: HistoryHtmlOptions): string {
  const sections = items
    .map((item, k) => {
      const e = item.explanation;
      const s = summaryText(e);
      const where = item.partitions > 1 ? `partition ${e.partition + 1} of ${item.partitions} (${e.ops.length} ops)` : `${e.ops.length} ops`;
      return `<section class="partition" id="p${k + 1}" data-index="${k}">
<h2><span class="bad">✘</span> ${esc(item.file)} <span class="where">${esc(verdictText(item))} · ${esc(where)}</span></h2>
<p class="summary">${esc(s.prefix)}</p>
<p class="summary offending-text">${esc(s.offending)}</p>
${s.others ? `<p class="summary others">${esc(s.others)}</p>` : ''}
${statesHtml(e.state, e.needs)}
<div class="toolbar"><button type="button" data-zoom="-1" title="zoom out">−</button><button type="button" data-zoom="1" title="zoom in">+</button><button type="button" data-zoom="0" title="fit the partition">fit</button><button type="button" data-show="offending" title="go to the op that cannot be placed">✘ op</button><span class="window"></span></div>
<div class="timeline"><svg class="names" xmlns="http://www.w3.org/2000/svg"></svg><div class="scroll"><svg class="plot" xmlns="http://www.w3.org/2000/svg"></svg></div></div>
<div class="details" aria-live="polite"></div>
<details class="text"><summary>As text</summary><pre>${esc(renderExplanation(e, { partitions: item.partitions }).join('\n'))}</pre></details>
</section>`;
    })
    .join('\n');
  const data = JSON.stringify(pageData(items)).replace(/</g, '\\u003c');
  const title = `quorum history: ${items.length} non-linearizable partition${items.length === 1 ? '' : 's'}`;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(title)}</title>
<style>${CSS}</style>
</head>
<body>
<header>
<h1>${esc(title)}</h1>
<p>Model ${esc(opts.model)} · ${opts.files} histor${opts.files === 1 ? 'y' : 'ies'} checked. One lane per process, a bar from each op's invocation to its completion, time in events of the partition.</p>
<p class="legend"><span class="key prefix">3</span> #3 of the longest linearizable prefix found <span class="key offending">✘</span> cannot be placed after it <span class="key candidate">?</span> could come next <span class="key other"></span> not reached <span class="key other open"></span> never completed</p>
</header>
<main>
${sections || '<p>No non-linearizable partition.</p>'}
</main>
<div id="tooltip" hidden></div>
<script type="application/json" id="quorum-data">${data}</script>
<script>${SCRIPT}</script>
</body>
</html>
`;
}

const CSS = `
body { font: 14px/1.4 system-ui, sans-serif; margin: 1.5em; color: #222; background: #fff; }
h1 { font-size: 1.3em; margin: 0 0 .3em; }
h2 { font-size: 1.1em; margin: 1.6em 0 .4em; font-family: ui-monospace, monospace; }
h2 .where { font-weight: normal; color: #666; font-family: system-ui, sans-serif; }
.bad { color: #c62828; }
.summary { margin: .2em 0; font-family: ui-monospace, monospace; font-size: 13px; }
.offending-text { color: #b71c1c; }
.others { color: #8a6d00; }
.legend .key { display: inline-block; min-width: 2.2em; height: 1.2em; line-height: 1.2em; text-align: center; border-radius: 3px; margin: 0 .2em 0 .8em; font-size: 12px; vertical-align: middle; }
.key.prefix { background: #c8e6c9; border: 1px solid #2e7d32; }
.key.offending { background: #ef5350; border: 2px solid #b71c1c; color: #fff; font-weight: bold; }
.key.candidate { background: #fff3c4; border: 1px solid #c79a00; }
.key.other { background: #eee; border: 1px solid #999; }
.key.open { background: linear-gradient(to right, #eee, #fff); border-right-style: dashed; }
.states { font: 12px/1.5 ui-monospace, monospace; margin: .4em 0; padding: .3em .6em; background: #fafafa; border: 1px solid #eee; word-break: break-all; }
.states .lbl { display: inline-block; width: 3.5em; color: #888; }
.states div:first-child mark { background: #fff3c4; } .states div + div mark { background: #ffcdd2; }
.toolbar { margin: .5em 0 .2em; }
.toolbar button { font: inherit; min-width: 2.2em; margin-right: .3em; }
.toolbar .window { color: #666; margin-left: .6em; font-size: 12px; }
.timeline { display: flex; border: 1px solid #ccc; border-radius: 4px; }
.timeline .names { flex: none; background: #fafafa; border-right: 1px solid #ddd; }
.timeline .scroll { overflow-x: auto; flex: 1; }
svg text { font: 11px ui-monospace, monospace; dominant-baseline: middle; }
.lane-bg { fill: #fff; } .lane:nth-child(even) .lane-bg { fill: #f7f7f7; }
.names text { fill: #444; }
.op rect { stroke-width: 1; rx: 3; cursor: pointer; }
.op.prefix rect { fill: #c8e6c9; stroke: #2e7d32; }
.op.offending rect { fill: #ef5350; stroke: #b71c1c; stroke-width: 2.5; }
.op.offending text { fill: #fff; font-weight: bold; }
.op.candidate rect { fill: #fff3c4; stroke: #c79a00; }
.op.other rect { fill: #eee; stroke: #999; }
.op.open rect { stroke-dasharray: 4 2; }
.op.selected rect { stroke: #1565c0; stroke-width: 3; }
.op text { pointer-events: none; text-anchor: middle; fill: #222; }
.axis line { stroke: #bbb; } .axis text { fill: #777; text-anchor: middle; }
.axis .marker { fill: #ef5350; opacity: .25; }
.details { font-family: ui-monospace, monospace; font-size: 13px; margin: .4em 0; padding: .4em .6em; border-left: 4px solid #1565c0; background: #f3f7fc; min-height: 3.6em; white-space: pre-wrap; }
#tooltip { position: fixed; pointer-events: none; background: #263238; color: #fff; padding: .4em .6em; border-radius: 4px; font: 12px/1.4 ui-monospace, monospace; max-width: 40em; white-space: pre-wrap; z-index: 10; }
details.text pre { font-size: 12px; overflow-x: auto; }
`;

// Plain ES2017 in the page; no library.
const SCRIPT = `
(function () {
  var NS = 'http://www.w3.org/2000/svg';
  var LANE_H = 24, AXIS_H = 26, NAME_W = 0;
  var ZOOMS = [0.5, 1, 2, 4, 6, 8, 12, 16, 24, 32, 48];
  var data = JSON.parse(document.getElementById('quorum-data').textContent);
  var tooltip = document.getElementById('tooltip');

  function el(name, attrs, parent) {
    var e = document.createElementNS(NS, name);
    for (var k in attrs) e.setAttribute(k, attrs[k]);
    if (parent) parent.appendChild(e);
    return e;
  }
  function detailText(p, o) {
    var when = o.open ? 'invoked at event ' + o.from + ', never completed (' + o.status + ')' : 'invoked at event ' + o.from + ', completed at event ' + o.to;
    return p.lanes[o.lane] + '  ' + o.text + '\\n' + o.what + '\\n' + when + (o.source ? ' · ' + o.source : '');
  }
  function label(o) { return o.role === 'offending' ? '✘' : o.order !== undefined ? String(o.order) : o.role === 'candidate' ? '?' : ''; }

  function Section(section, p) {
    var names = section.querySelector('svg.names');
    var plot = section.querySelector('svg.plot');
    var scroll = section.querySelector('.scroll');
    var details = section.querySelector('.details');
    var windowText = section.querySelector('.window');
    var selected = p.ops.findIndex(function (o) { return o.id === p.offending; });
    var self = this;
    var height = p.lanes.length * LANE_H + AXIS_H;

    function fitZoom() {
      var w = scroll.clientWidth || 900;
      for (var z = ZOOMS.length - 1; z > 0; z--) if ((p.span + 1) * ZOOMS[z] + 20 <= w) return z;
      return 0;
    }
    // The whole partition when its bars are still wide enough to read, else a readable zoom around the ✘ op.
    var zoom = ZOOMS[fitZoom()] >= 12 ? fitZoom() : ZOOMS.indexOf(16);

    // Lane names stay in view while the plot scrolls.
    names.setAttribute('width', NAME_W);
    names.setAttribute('height', height);
    p.lanes.forEach(function (name, k) {
      var g = el('g', { 'class': 'lane', 'data-lane': k }, names);
      el('rect', { 'class': 'lane-bg', x: 0, y: k * LANE_H, width: NAME_W, height: LANE_H }, g);
      var t = el('text', { x: 8, y: k * LANE_H + LANE_H / 2 }, g);
      t.textContent = name;
    });

    function select(i, scrollTo) {
      selected = i;
      var o = p.ops[i];
      details.textContent = detailText(p, o);
      var old = plot.querySelector('.op.selected');
      if (old) old.classList.remove('selected');
      var g = plot.querySelector('.op[data-index="' + i + '"]');
      if (g) g.classList.add('selected');
      if (scrollTo) {
        var px = ZOOMS[zoom];
        var mid = ((o.from + (o.open ? p.span : o.to)) / 2) * px;
        scroll.scrollLeft = Math.max(0, mid - scroll.clientWidth / 2);
      }
    }
    this.select = select;

    function draw() {
      var px = ZOOMS[zoom];
      var width = (p.span + 1) * px + 20;
      while (plot.firstChild) plot.removeChild(plot.firstChild);
      plot.setAttribute('width', width);
      plot.setAttribute('height', height);
      var lanes = el('g', { 'class': 'lanes' }, plot);
      p.lanes.forEach(function (name, k) {
        var g = el('g', { 'class': 'lane', 'data-lane': k, 'data-name': name }, lanes);
        el('rect', { 'class': 'lane-bg', x: 0, y: k * LANE_H, width: width, height: LANE_H }, g);
      });
      var axis = el('g', { 'class': 'axis' }, plot);
      var y0 = p.lanes.length * LANE_H;
      var off = p.ops.find(function (o) { return o.id === p.offending; });
      if (off) el('rect', { 'class': 'marker', x: 10 + off.from * px, y: 0, width: Math.max(3, ((off.open ? p.span : off.to) - off.from) * px), height: y0 }, axis);
      el('line', { x1: 0, y1: y0 + 2, x2: width, y2: y0 + 2 }, axis);
      var every = 1;
      while (every * px < 40) every = every * (String(every)[0] === '2' ? 2.5 : 2);
      for (var r = 0; r <= p.span; r += every) {
        el('line', { x1: 10 + r * px, y1: y0 + 2, x2: 10 + r * px, y2: y0 + 7 }, axis);
        var t = el('text', { x: 10 + r * px, y: y0 + 17 }, axis);
        t.textContent = String(r);
      }
      var ops = el('g', { 'class': 'ops' }, plot);
      p.ops.forEach(function (o, i) {
        var g = el('g', { 'class': 'op ' + o.role + (o.open ? ' open' : ''), 'data-op': o.id, 'data-index': i, 'data-role': o.role }, ops);
        if (o.order !== undefined) g.setAttribute('data-order', o.order);
        var x = 10 + o.from * px, w = Math.max(4, ((o.open ? p.span : o.to) - o.from) * px);
        el('rect', { x: x, y: o.lane * LANE_H + 4, width: w, height: LANE_H - 8 }, g);
        var l = label(o);
        if (l && w >= l.length * 7 + 4) {
          var t = el('text', { x: x + w / 2, y: o.lane * LANE_H + LANE_H / 2 }, g);
          t.textContent = l;
        }
        var title = el('title', {}, g);
        title.textContent = detailText(p, o);
      });
      windowText.textContent = (px >= 1 ? px + ' px' : '1/' + 1 / px + ' px') + ' per event · ' + p.span + ' events · ' + p.ops.length + ' ops · ' + p.lanes.length + ' lanes';
      select(selected, false);
    }

    function setZoom(z) {
      var px = ZOOMS[zoom];
      var centre = (scroll.scrollLeft + scroll.clientWidth / 2) / px;
      zoom = Math.max(0, Math.min(ZOOMS.length - 1, z));
      draw();
      scroll.scrollLeft = Math.max(0, centre * ZOOMS[zoom] - scroll.clientWidth / 2);
    }

    section.querySelector('.toolbar').addEventListener('click', function (ev) {
      var b = ev.target.closest('button');
      if (!b) return;
      if (b.dataset.show === 'offending') return select(p.ops.findIndex(function (o) { return o.id === p.offending; }), true);
      var d = Number(b.dataset.zoom);
      setZoom(d === 0 ? fitZoom() : zoom + d);
    });
    plot.addEventListener('mouseover', function (ev) {
      var g = ev.target.closest('.op');
      if (!g) return;
      var o = p.ops[Number(g.dataset.index)];
      tooltip.textContent = detailText(p, o);
      tooltip.hidden = false;
      details.textContent = detailText(p, o);
    });
    plot.addEventListener('mousemove', function (ev) {
      tooltip.style.left = Math.min(ev.clientX + 14, window.innerWidth - tooltip.offsetWidth - 4) + 'px';
      tooltip.style.top = ev.clientY + 16 + 'px';
    });
    plot.addEventListener('mouseout', function (ev) {
      if (!ev.target.closest('.op')) return;
      tooltip.hidden = true;
      details.textContent = detailText(p, p.ops[selected]);
    });
    plot.addEventListener('click', function (ev) {
      var g = ev.target.closest('.op');
      if (g) select(Number(g.dataset.index), false);
    });
    draw();
    select(selected, true);
  }

  // The name column fits the longest lane name.
  var longest = 4;
  data.forEach(function (p) { p.lanes.forEach(function (n) { longest = Math.max(longest, n.length); }); });
  NAME_W = longest * 7 + 16;
  var sections = [];
  document.querySelectorAll('section.partition').forEach(function (s) {
    sections.push(new Section(s, data[Number(s.dataset.index)]));
  });
  function fromHash() {
    var m = /^#p(\\d+)-op(\\d+)$/.exec(location.hash);
    if (!m) return;
    var k = Number(m[1]) - 1, s = sections[k];
    if (!s) return;
    var i = data[k].ops.findIndex(function (o) { return o.id === Number(m[2]); });
    if (i >= 0) s.select(i, true);
  }
  window.addEventListener('hashchange', fromHash);
  fromHash();
  document.body.setAttribute('data-drawn', String(sections.length));
})();
`;
