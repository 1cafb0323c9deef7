// The --html page: self-contained, and drawn by its own script in a real headless Chromium (the DOM
// read back after the scripts ran). Without a chromium binary the browser tests are skipped.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { historyHtml } from './html.js';
import { badPartitionsOf, sharedHistoriesPresent, SHARED_HISTORIES } from './test-histories.js';
import { layoutPartition, type BadPartition } from './timeline-layout.js';
import type { Explanation } from './types.js';

const CHROMIUM = ['chromium', 'chromium-browser', 'google-chrome'].find((b) => spawnSync(b, ['--version']).status === 0);
if (!CHROMIUM) console.warn('skipping the headless browser checks of the --html page: no chromium (or chromium-browser) on PATH (Debian: apt-get install chromium)');
if (!sharedHistoriesPresent) console.warn(`skipping the shared histories: ${SHARED_HISTORIES}expected.tsv is absent`);

const work = mkdtempSync(join(tmpdir(), 'quorum-html-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

let pages = 0;
/** The page's DOM after its scripts ran, as headless Chromium serializes it. */
function domAfterScripts(html: string, hash = ''): string {
  const file = join(work, `page-${++pages}.html`);
  writeFileSync(file, html);
  const r = spawnSync(
    CHROMIUM!,
    ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', `--user-data-dir=${join(work, 'profile')}`, '--window-size=1200,900', '--dump-dom', pathToFileURL(file).href + hash],
    { encoding: 'utf8', maxBuffer: 64 << 20 },
  );
  if (r.status !== 0) throw new Error(`chromium failed (${r.status}): ${r.stderr}`);
  return r.stdout;
}

/** The serialized sections, in order. */
const sections = (dom: string): string[] => dom.split('<section class="partition"').slice(1);
const count = (s: string, re: RegExp): number => (s.match(re) ?? []).length;
const unescape = (s: string) => s.replace(/&quot;/g, '"').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');

describe('historyHtml', () => {
  const e: Explanation = {
    partition: 0,
    ops: [
      { id: 0, process: 1, status: 'ok', call: 0, ret: 1, text: 'write "</script><b>x</b>" & more' },
      { id: 1, process: 2, status: 'ok', call: 2, ret: 3, text: 'read 2' },
    ],
    prefix: [0],
    state: '"</script>"',
    offending: 1,
    needs: 'value = 2',
    candidates: [{ id: 1, legal: false }],
  };
  const crafted: BadPartition[] = [{ file: 'odd <file>.edn', partitions: 1, explanation: e }];

  it('is self-contained: nothing fetched, no external script, style or font', () => {
    const html = historyHtml(crafted, { model: 'register', files: 1 });
    expect(html.replaceAll('http://www.w3.org/2000/svg', '')).not.toMatch(/https?:\/\//);
    expect(html).not.toMatch(/<link|<img|\ssrc=|@import|url\(/);
    // Op texts cannot end the data script or inject markup.
    expect(html).not.toContain('<b>x</b>');
    expect(html.match(/<\/script>/g)).toHaveLength(2);
  });

  it('marks where the state after the prefix and the state the offending op needs differ', () => {
    const html = historyHtml(crafted, { model: 'register', files: 1 });
    expect(html).toContain('<span class="lbl">state</span> <mark>&quot;&lt;/script&gt;&quot;</mark>');
    expect(html).toContain('<span class="lbl">needs</span> <mark>value = 2</mark>');
  });

  describe.skipIf(!CHROMIUM)('in headless Chromium', () => {
    it('text that looks like markup is shown as text', () => {
      const dom = domAfterScripts(historyHtml(crafted, { model: 'register', files: 1 }), '#p1-op0');
      expect(dom).toContain('data-drawn="1"');
      expect(dom).toContain('odd &lt;file&gt;.edn');
      expect(dom).not.toContain('<b>x</b>');
      const [s] = sections(dom);
      expect(count(s!, /<g class="op /g)).toBe(2);
      const details = unescape(/<div class="details"[^>]*>([^<]*)<\/div>/.exec(s!)![1]!);
      expect(details).toContain('p1  write "</script><b>x</b>" & more');
    });

    describe.skipIf(!sharedHistoriesPresent)('on the shared histories', () => {
      const items = sharedHistoriesPresent
        ? [...badPartitionsOf('knossos/cas-register/bad/bad-analysis.edn', 'cas-register'), ...badPartitionsOf('porcupine/kv/c10-bad.txt', 'kv')]
        : [];
      const layouts = items.map((i) => layoutPartition(i.explanation));

      it('draws every lane and op of each partition, the offending op marked and selected, its details shown', () => {
        expect(items).toHaveLength(9); // 1 + the 8 of c10-bad's 10 partitions
        const dom = domAfterScripts(historyHtml(items, { model: 'cas-register, kv', files: 2 }));
        expect(dom).toContain('data-drawn="9"');
        const ss = sections(dom);
        expect(ss).toHaveLength(9);
        ss.forEach((s, k) => {
          const l = layouts[k]!;
          const off = l.ops[l.offending]!;
          const where = `section ${k + 1}`;
          expect(count(s, /<g class="lane" data-lane="\d+" data-name="/g), where).toBe(l.lanes.length);
          expect(count(s, /<g class="op /g), where).toBe(l.ops.length);
          const marked = [...s.matchAll(/<g class="op offending[^"]*" data-op="(\d+)"/g)].map((m) => Number(m[1]));
          expect(marked, where).toEqual([off.id]);
          expect(s, where).toMatch(new RegExp(`<g class="op offending selected" data-op="${off.id}"`));
          // Every prefix op carries its order.
          expect(count(s, /<g class="op prefix[^"]*" data-op="\d+" data-index="\d+" data-role="prefix" data-order="\d+"/g), where).toBe(items[k]!.explanation.prefix.length);
          const details = unescape(/<div class="details"[^>]*>([^<]*)<\/div>/.exec(s)![1]!);
          expect(details, where).toContain(off.text);
          expect(details, where).toContain('cannot be placed after the prefix');
          // Hover text of each op (the SVG title).
          expect(count(s, /<title>/g), where).toBe(l.ops.length);
        });
        // The first section: bad-analysis, p21's read 2 (#1–#6 numbered in the bars).
        expect(ss[0]).toContain('knossos/cas-register/bad/bad-analysis.edn');
        for (let i = 1; i <= 6; i++) expect(ss[0]).toMatch(new RegExp(`data-order="${i}"><rect [^>]*></rect><text [^>]*>${i}</text>`));
      });

      it('hovering an op shows its details in the tooltip and the details line', () => {
        const l = layouts[2]!; // c10-bad, partition 2
        const op = l.ops.find((o) => o.role === 'other')!;
        // The test's own script, after the page's: a mouse over the op's bar as the browser sends it.
        const hover = `<script>document.querySelectorAll('section.partition')[2].querySelector('.op[data-op="${op.id}"] rect').dispatchEvent(new MouseEvent('mouseover', { bubbles: true, clientX: 50, clientY: 50 }));</script>`;
        const dom = domAfterScripts(historyHtml(items, { model: 'kv', files: 2 }).replace('</body>', `${hover}</body>`));
        const tooltip = /<div id="tooltip"([^>]*)>([^<]*)<\/div>/.exec(dom)!;
        expect(tooltip[1]).not.toContain('hidden');
        expect(unescape(tooltip[2]!)).toContain(`p${op.process}  ${op.text}\nnot reached: the search found no linearizable prefix that includes it`);
        const details = unescape(/<div class="details"[^>]*>([^<]*)<\/div>/.exec(sections(dom)[2]!)![1]!);
        expect(details).toContain(op.text);
      });

      it('#pK-opN selects op N of section K', () => {
        const l = layouts[1]!; // c10-bad, partition 1
        const op = l.ops.find((o) => o.role === 'prefix' && o.order === 3)!;
        const dom = domAfterScripts(historyHtml(items, { model: 'kv', files: 2 }), `#p2-op${op.id}`);
        const s = sections(dom)[1]!;
        expect(s).toMatch(new RegExp(`<g class="op prefix selected" data-op="${op.id}"`));
        const details = unescape(/<div class="details"[^>]*>([^<]*)<\/div>/.exec(s)![1]!);
        expect(details).toContain(`p${op.process}  ${op.text}`);
        expect(details).toContain(`#3 of the ${items[1]!.explanation.prefix.length} ops of the linearizable prefix`);
      });
    });
  });
});
