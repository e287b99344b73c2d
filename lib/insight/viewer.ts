// The execution viewer: one self-contained HTML file per execution. The page's scripts, elkjs
// (the Eclipse Layout Kernel compiled to JavaScript, in its own browser build) and the viewer
// client (bundled with esbuild when the first page is generated), are inlined, so the file opens
// offline and its Content-Security-Policy forbids every request.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildSync } from 'esbuild';
import type { ExecutionResult } from '../asl';
import type { MachineDefinition } from '../asl/types';
import { definitionOf } from './definitions';
import { viewerData, type ViewerData } from './viewer-data';

let bundled: string | undefined;

/**
 * The page's script: elkjs's browser build (it defines the global `ELK`), then the viewer client
 * (built once per process; ~1.7 MB in all). elkjs is taken as published rather than bundled again:
 * esbuild spent about 0.9 s on its 1.6 MB for every process that wrote a page, and Chromium
 * evaluates the published build faster than esbuild's module wrapper around it.
 */
export function viewerScript(): string {
  if (bundled !== undefined) return bundled;
  // From the TypeScript source in this repository, from the compiled file in the package.
  const entry = [join(__dirname, 'viewer-client.ts'), join(__dirname, 'viewer-client.js')].find((f) => existsSync(f));
  if (!entry) throw new Error(`The viewer's script is missing next to ${__filename}: reinstall stepwise`);
  const out = buildSync({
    entryPoints: [entry],
    bundle: true,
    write: false,
    format: 'iife',
    platform: 'browser',
    target: 'es2020',
    minify: true,
    logLevel: 'silent',
  });
  const client = out.outputFiles[0]?.text;
  if (!client) throw new Error('esbuild produced no viewer script');
  // elkjs's build ends in a UMD wrapper: in a page without module or define, it sets window.ELK.
  const elk = readFileSync(require.resolve('elkjs/lib/elk.bundled.js'), 'utf8');
  bundled = `${elk}\n;${client}`;
  return bundled;
}

/** JSON safe inside a <script> element. */
function scriptJson(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, '\\u003c')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}

function esc(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

const STYLE = `
*{box-sizing:border-box}body{margin:0;font:13px/1.4 system-ui,-apple-system,Segoe UI,Roboto,sans-serif;color:#1f2328;background:#fff}
header{padding:10px 16px;border-bottom:1px solid #d0d7de;display:flex;align-items:baseline;gap:12px;flex-wrap:wrap}
header h1{font-size:16px;margin:0}.status{font-weight:600;padding:1px 8px;border-radius:10px;color:#fff}
.status.SUCCEEDED{background:#2e7d32}.status.FAILED,.status.TIMED_OUT{background:#c62828}.status.ABORTED,.status.RUNNING{background:#6e7781}
header .error{flex-basis:100%;margin:4px 0 0;color:#c62828}
main{display:grid;grid-template-columns:minmax(0,1fr) 400px;align-items:start}
#graph{overflow-x:auto;padding:8px;border-right:1px solid #d0d7de}#graph svg{max-width:100%;height:auto}#details{position:sticky;top:0;max-height:100vh;overflow:auto;padding:8px 12px}
#details h2{font-size:14px;margin:4px 0;word-break:break-all}#details h3{font-size:13px;margin:8px 0 2px}#details h4{margin:6px 0 2px;font-size:12px;color:#57606a}
#details pre{background:#f6f8fa;border:1px solid #d0d7de;border-radius:4px;padding:6px;max-height:220px;overflow:auto;margin:0;font-size:12px}
.visit{border-top:1px solid #eaeef2;padding-top:4px}.visit.caught h3{color:#bc4c00}.visit.failed h3{color:#c62828}
p.error{color:#c62828;margin:2px 0;overflow-wrap:anywhere}p.error.retried{color:#bc4c00}.muted{color:#6e7781}
#timeline{max-height:360px;overflow:auto;border-top:1px solid #d0d7de}#timeline table{border-collapse:collapse;width:100%}
#timeline th{position:sticky;top:0;background:#f6f8fa;text-align:left;font-weight:600}
#timeline td,#timeline th{padding:2px 8px;border-bottom:1px solid #eaeef2;white-space:nowrap}#timeline td.summary{white-space:normal;color:#57606a}
#timeline td.num{text-align:right;font-variant-numeric:tabular-nums}#timeline td.bad{color:#c62828}
#timeline tr[data-state]{cursor:pointer}#timeline tr.selected{background:#ddf4ff}
.node{cursor:pointer}.node rect{fill:#f6f8fa;stroke:#afb8c1;stroke-width:1.2}.node text{font-size:12px;fill:#57606a}
.node.compound rect{fill:#fbfcfd;stroke-dasharray:4 3}.node.compound text.compound-label{font-weight:600}
.node.succeeded rect{fill:#e8f5e9;stroke:#2e7d32;stroke-width:2}.node.succeeded text{fill:#1b5e20}
.node.caught rect{fill:#fff3e0;stroke:#ef6c00;stroke-width:2.5}.node.caught text{fill:#bc4c00}
.node.failed rect{fill:#ffebee;stroke:#c62828;stroke-width:2.5}.node.failed text{fill:#b71c1c}
.node.stopped rect{fill:#f6f8fa;stroke:#6e7781;stroke-width:2;stroke-dasharray:3 2}
.node.compound.succeeded rect,.node.compound.caught rect,.node.compound.failed rect{fill-opacity:.35}
.node.selected rect{stroke:#0969da;stroke-width:3.5}.node:focus{outline:none}
.badge{font-size:11px;font-weight:600}.badge.retry{fill:#8250df}.badge.caught{fill:#bc4c00}
.edge{fill:none;stroke:#afb8c1;stroke-width:1.2}.edge.catch{stroke-dasharray:5 3}.edge.taken{stroke:#1565c0;stroke-width:2.5}
.edge-label{font-size:10px;fill:#6e7781}.edge-label.taken{fill:#1565c0;font-weight:600}
.terminal circle{fill:#fff;stroke:#57606a;stroke-width:2}.terminal.start circle{fill:#57606a}.terminal.end circle.reached{fill:#2e7d32;stroke:#2e7d32}
.legend{display:flex;gap:12px;font-size:12px;color:#57606a}.legend [class^="l-"]::before{content:"";display:inline-block;width:10px;height:10px;margin-right:4px;border:2px solid;vertical-align:-1px}
.legend .l-ok::before{background:#e8f5e9;border-color:#2e7d32}.legend .l-caught::before{background:#fff3e0;border-color:#ef6c00}.legend .l-failed::before{background:#ffebee;border-color:#c62828}.legend .l-no::before{background:#f6f8fa;border-color:#afb8c1}
`;

/** Options of the viewer. */
export interface ExecutionHtmlOptions {
  /** The definition the execution ran (found automatically for runs of a LocalWorkflow). */
  readonly definition?: MachineDefinition;
  /** The page title. @default 'Stepwise execution' */
  readonly title?: string;
}

/** The page for a prepared `ViewerData`. */
export function viewerHtml(data: ViewerData): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data:">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(data.title)}: ${esc(data.status)}</title>
<style>${STYLE}</style>
</head>
<body>
<header id="summary"><h1>${esc(data.title)}</h1></header>
<div class="legend" style="padding:4px 16px"><span class="l-ok">succeeded</span><span class="l-caught">caught error</span><span class="l-failed">failed</span><span class="l-no">not entered</span><span>↻ retries · blue edges: path taken · click a state for its input and output</span></div>
<main><div id="graph">Laying out the graph…</div><aside id="details"><p class="muted">Click a state to see its input, output, error and timing.</p></aside></main>
<section id="timeline"></section>
<script type="application/json" id="stepwise-data">${scriptJson(data)}</script>
<script>${viewerScript().replace(/<\/script/gi, '<\\/script')}</script>
</body>
</html>
`;
}

/** The HTML page of one execution. */
export function renderExecutionHtml(result: ExecutionResult, options: ExecutionHtmlOptions = {}): string {
  const definition = options.definition ?? definitionOf(result);
  if (!definition) {
    throw new Error('renderExecutionHtml needs the definition the execution ran: pass { definition } (results of LocalWorkflow.run carry it automatically)');
  }
  if (result.history.length === 0) throw new Error('The execution kept no history (history: false): the viewer draws from the history, run it with history on');
  return viewerHtml(viewerData(definition, result, options.title));
}

/**
 * Writes one self-contained HTML file showing an execution: the state machine as a graph, the
 * path taken coloured by outcome, retries and caught errors marked, each state's input, output,
 * error and timing on click, and the timeline of events. Opens offline.
 * @example
 * const result = await orders.run(order);
 * writeExecutionHtml(result, 'order.html');
 */
export function writeExecutionHtml(result: ExecutionResult, file: string, options: ExecutionHtmlOptions = {}): void {
  writeFileSync(file, renderExecutionHtml(result, options));
}
