/// <reference lib="dom" />
// The execution viewer's script, run in the browser. viewer.ts bundles it with esbuild and puts
// it in the page after elkjs's own browser build, so the page needs no network. ELK lays the graph
// out (layered, with Parallel and Map states as compound nodes), this script draws it as SVG and
// wires the details panel and the timeline. Payloads are shown with textContent only, never
// parsed as HTML.
import type ElkConstructor from 'elkjs/lib/elk.bundled.js';
import type { ElkExtendedEdge, ElkNode } from 'elkjs/lib/elk-api';
import type { GraphMachine, GraphState, ViewerData, VisitView } from './viewer-data';

const SVG = 'http://www.w3.org/2000/svg';

function el<K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Record<string, string> = {}, text?: string): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
  if (text !== undefined) e.textContent = text;
  return e;
}

function svg(tag: string, attrs: Record<string, string | number> = {}, text?: string): SVGElement {
  const e = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, String(v));
  if (text !== undefined) e.textContent = text;
  return e;
}

/** The outcome that colours a state: its worst visit, or 'unvisited'. */
function outcomeOf(visits: readonly VisitView[] | undefined): string {
  if (!visits || visits.length === 0) return 'unvisited';
  for (const o of ['failed', 'caught', 'stopped', 'running']) if (visits.some((v) => v.outcome === o)) return o;
  return 'succeeded';
}

interface Built {
  readonly nodes: ElkNode[];
  readonly edges: ElkExtendedEdge[];
  readonly states: Map<string, GraphState>;
}

const NODE_HEIGHT = 40;

function buildElk(machine: GraphMachine, built: Built, into: ElkNode[]): void {
  for (const s of machine.states) {
    built.states.set(s.path, s);
    const width = Math.max(110, s.name.length * 7.4 + 36);
    if (s.branches.length > 0) {
      const children: ElkNode[] = [];
      for (const b of s.branches) buildElk(b, built, children);
      into.push({
        id: s.path,
        labels: [{ text: `${s.name} (${s.type})`, width: (s.name.length + s.type.length + 3) * 7, height: 16 }],
        layoutOptions: { 'elk.padding': '[top=32,left=14,bottom=14,right=14]' },
        children,
      });
    } else {
      into.push({ id: s.path, width, height: NODE_HEIGHT });
    }
    for (const [i, e] of s.edges.entries()) {
      const label = e.label
        ? [{ text: e.label.length > 40 ? `${e.label.slice(0, 39)}…` : e.label, width: Math.min(e.label.length, 40) * 6.2, height: 14 }]
        : undefined;
      built.edges.push({ id: `${s.path}->${e.to}#${i}`, sources: [s.path], targets: [e.to], labels: label });
    }
    if (s.terminal && machine.parentPath === '') built.edges.push({ id: `${s.path}->end`, sources: [s.path], targets: ['end'] });
  }
}

async function render(data: ViewerData): Promise<void> {
  const built: Built = { nodes: [], edges: [], states: new Map() };
  const children: ElkNode[] = [
    { id: 'start', width: 18, height: 18 },
    { id: 'end', width: 18, height: 18 },
  ];
  buildElk(data.graph, built, children);
  built.edges.push({ id: 'start->first', sources: ['start'], targets: [data.graph.startAt] });
  // elkjs's browser build, run first on the page, defines the global ELK (viewer.ts).
  const ELK = (globalThis as unknown as { ELK?: typeof ElkConstructor }).ELK;
  if (!ELK) throw new Error('elkjs did not load before the viewer script');
  const elk = new ELK();
  const graphIn: ElkNode = {
    id: 'root',
    layoutOptions: {
      'elk.algorithm': 'layered',
      'elk.direction': 'DOWN',
      'elk.hierarchyHandling': 'INCLUDE_CHILDREN',
      'elk.layered.spacing.nodeNodeBetweenLayers': '36',
      'elk.spacing.nodeNode': '24',
      'elk.edgeRouting': 'ORTHOGONAL',
      'elk.json.edgeCoords': 'ROOT',
      'elk.json.shapeCoords': 'ROOT',
    },
    children,
    edges: built.edges,
  };
  const layout: ElkNode = await elk.layout(graphIn);

  const taken = new Set(data.taken);
  const width = (layout.width ?? 0) + 20;
  const height = (layout.height ?? 0) + 20;
  // Scaled down to the column's width when wider (max-width in the page's style), never up.
  const root = svg('svg', { width, height, viewBox: `0 0 ${width} ${height}`, id: 'graph-svg', role: 'img' }) as SVGSVGElement;
  const defs = svg('defs');
  for (const [id, colour] of [
    ['arrow', '#888'],
    ['arrow-taken', '#1565c0'],
  ] as const) {
    const marker = svg('marker', { id, viewBox: '0 0 10 10', refX: 9, refY: 5, markerWidth: 7, markerHeight: 7, orient: 'auto-start-reverse' });
    marker.appendChild(svg('path', { d: 'M 0 0 L 10 5 L 0 10 z', fill: colour }));
    defs.appendChild(marker);
  }
  root.appendChild(defs);
  const canvas = svg('g', { transform: 'translate(10,10)' });
  root.appendChild(canvas);
  const nodeLayer = svg('g');
  const edgeLayer = svg('g');
  canvas.appendChild(nodeLayer);
  canvas.appendChild(edgeLayer);

  // Shapes and edges come in root coordinates (elk.json.shapeCoords / edgeCoords ROOT).
  const drawNode = (n: ElkNode) => {
    const at = { x: n.x ?? 0, y: n.y ?? 0 };
    const w = n.width ?? 0;
    const h = n.height ?? 0;
    if (n.id === 'start' || n.id === 'end') {
      const g = svg('g', { class: `terminal ${n.id}`, 'data-path': n.id });
      g.appendChild(svg('circle', { cx: at.x + w / 2, cy: at.y + h / 2, r: w / 2, class: n.id === 'end' && data.status === 'SUCCEEDED' ? 'reached' : '' }));
      nodeLayer.appendChild(g);
      return;
    }
    const state = built.states.get(n.id);
    const visits = data.visits[n.id];
    const outcome = outcomeOf(visits);
    const g = svg('g', { class: `node ${n.children ? 'compound' : 'leaf'} ${outcome}`, 'data-path': n.id, 'data-outcome': outcome, tabindex: 0 });
    g.appendChild(svg('rect', { x: at.x, y: at.y, width: w, height: h, rx: n.children ? 4 : 8 }));
    const name = state?.name ?? n.id;
    if (n.children) g.appendChild(svg('text', { x: at.x + 10, y: at.y + 20, class: 'compound-label' }, `${name} (${state?.type ?? ''})`));
    else g.appendChild(svg('text', { x: at.x + w / 2, y: at.y + h / 2 + 4, 'text-anchor': 'middle' }, name));
    const retries = (visits ?? []).reduce((sum, v) => sum + v.retries, 0);
    if (retries > 0)
      g.appendChild(
        svg('text', { x: at.x + w - 4, y: at.y - 3, 'text-anchor': 'end', class: 'badge retry' }, `↻ ${retries} retr${retries === 1 ? 'y' : 'ies'}`),
      );
    if (outcome === 'caught') {
      const err = visits
        ?.flatMap((v) => v.failures)
        .filter((f) => !f.retried)
        .at(-1)?.error;
      g.appendChild(svg('text', { x: at.x + 4, y: at.y - 3, class: 'badge caught' }, `⚠ caught ${err ?? ''}`.trim()));
    }
    const title = svg('title', {}, `${name}: ${outcome}${visits ? `, ${visits.length} visit${visits.length === 1 ? '' : 's'}` : ''}`);
    g.appendChild(title);
    g.addEventListener('click', (ev) => {
      ev.stopPropagation();
      select(n.id);
    });
    nodeLayer.appendChild(g);
    for (const c of n.children ?? []) drawNode(c);
  };
  for (const n of layout.children ?? []) drawNode(n);

  const allEdges: ElkExtendedEdge[] = [...(layout.edges ?? [])];
  for (const e of allEdges) {
    const [from] = e.sources;
    const [to] = e.targets;
    if (from === undefined || to === undefined) continue;
    const key = from === 'start' ? `start->${to}` : `${from}->${to}`;
    const isTaken = taken.has(key);
    const kind = e.id.includes('#') ? built.states.get(from)?.edges[Number(e.id.split('#').pop())]?.kind : 'next';
    for (const sec of e.sections ?? []) {
      const pts = [sec.startPoint, ...(sec.bendPoints ?? []), sec.endPoint];
      const d = pts.map((p, i) => `${i === 0 ? 'M' : 'L'} ${p.x} ${p.y}`).join(' ');
      edgeLayer.appendChild(
        svg('path', {
          d,
          class: `edge ${kind ?? 'next'}${isTaken ? ' taken' : ''}`,
          'data-edge': key,
          'marker-end': `url(#${isTaken ? 'arrow-taken' : 'arrow'})`,
        }),
      );
    }
    for (const l of e.labels ?? []) {
      edgeLayer.appendChild(svg('text', { x: l.x ?? 0, y: (l.y ?? 0) + 11, class: `edge-label${isTaken ? ' taken' : ''}` }, l.text ?? ''));
    }
  }
  const graph = document.getElementById('graph') as HTMLElement;
  graph.replaceChildren(root);
}

function pre(value: unknown): HTMLPreElement {
  return el('pre', {}, value === undefined ? '(none)' : JSON.stringify(value, null, 2));
}

function ms(n: number | undefined): string {
  if (n === undefined) return '–';
  return n >= 1000 ? `${(n / 1000).toFixed(n % 1000 === 0 ? 0 : 3)} s` : `${n} ms`;
}

let data: ViewerData;

function select(path: string): void {
  document.querySelectorAll('.node.selected').forEach((n) => {
    n.classList.remove('selected');
  });
  document.querySelector(`.node[data-path="${CSS.escape(path)}"]`)?.classList.add('selected');
  const panel = document.getElementById('details') as HTMLElement;
  const visits = data.visits[path] ?? [];
  const children: HTMLElement[] = [el('h2', {}, path)];
  if (visits.length === 0) children.push(el('p', { class: 'muted' }, 'Not entered in this execution.'));
  visits.forEach((v, i) => {
    const box = el('section', { class: `visit ${v.outcome}`, 'data-visit': String(i) });
    const where = v.iteration !== undefined ? ` (Map iteration ${v.iteration})` : '';
    box.appendChild(el('h3', {}, `Visit ${i + 1}${where}: ${v.outcome}`));
    const duration = v.exitedAt !== undefined ? v.exitedAt - v.enteredAt : undefined;
    box.appendChild(
      el(
        'p',
        { class: 'timing' },
        `entered +${ms(v.enteredAt)}, exited ${v.exitedAt !== undefined ? `+${ms(v.exitedAt)}` : '–'}, took ${ms(duration)}; ${v.attempts > 0 ? `${v.attempts} attempt${v.attempts === 1 ? '' : 's'}` : ''}${v.retries > 0 ? ` (${v.retries} retr${v.retries === 1 ? 'y' : 'ies'})` : ''}`,
      ),
    );
    for (const f of v.failures) {
      box.appendChild(
        el(
          'p',
          { class: `error ${f.retried ? 'retried' : 'final'}` },
          `${f.retried ? 'retried after' : v.outcome === 'caught' ? 'caught' : 'failed with'} ${f.error ?? '(no error name)'}${f.cause ? `: ${f.cause}` : ''} [${f.event}]`,
        ),
      );
    }
    box.appendChild(el('h4', {}, 'Input'));
    box.appendChild(Object.assign(pre(v.input), { className: 'input' }));
    box.appendChild(el('h4', {}, 'Output'));
    box.appendChild(Object.assign(pre(v.output), { className: 'output' }));
    children.push(box);
  });
  panel.replaceChildren(...children);
  document.querySelectorAll('#timeline tr.selected').forEach((r) => {
    r.classList.remove('selected');
  });
  document.querySelectorAll(`#timeline tr[data-state="${CSS.escape(path)}"]`).forEach((r) => {
    r.classList.add('selected');
  });
}

function timeline(): void {
  const body = el('tbody');
  for (const e of data.events) {
    const row = el('tr', e.state ? { 'data-state': e.state } : {});
    row.appendChild(el('td', { class: 'num' }, String(e.id)));
    row.appendChild(el('td', { class: 'num' }, `+${ms(e.at)}`));
    row.appendChild(el('td', { class: /Failed|TimedOut|Aborted/.test(e.type) ? 'bad' : '' }, e.type));
    row.appendChild(el('td', {}, e.state ?? ''));
    row.appendChild(el('td', { class: 'summary' }, e.summary));
    if (e.state) row.addEventListener('click', () => select(e.state as string));
    body.appendChild(row);
  }
  const table = el('table');
  const head = el('thead');
  const hr = el('tr');
  for (const h of ['#', 'time', 'event', 'state', 'details']) hr.appendChild(el('th', {}, h));
  head.appendChild(hr);
  table.append(head, body);
  (document.getElementById('timeline') as HTMLElement).replaceChildren(table);
}

function header(): void {
  const h = document.getElementById('summary') as HTMLElement;
  const status = el('span', { class: `status ${data.status}`, id: 'status' }, data.status);
  const parts: HTMLElement[] = [el('h1', {}, data.title), status, el('span', {}, ` started ${data.startDate}, took ${ms(data.durationMs)}`)];
  if (data.error) {
    const full = `${data.error}${data.cause ? `: ${data.cause}` : ''}`;
    parts.push(el('p', { class: 'error', title: full }, full.length > 240 ? `${full.slice(0, 239)}…` : full));
  }
  h.replaceChildren(...parts);
}

async function main(): Promise<void> {
  data = JSON.parse((document.getElementById('stepwise-data') as HTMLScriptElement).textContent ?? '{}') as ViewerData;
  header();
  timeline();
  try {
    await render(data);
    document.body.dataset.ready = 'true';
  } catch (e) {
    (document.getElementById('graph') as HTMLElement).textContent = `The graph could not be laid out: ${(e as Error).message}`;
    document.body.dataset.ready = 'error';
    throw e;
  }
}

void main();
