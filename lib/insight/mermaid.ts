// A definition as a Mermaid flowchart, for READMEs and pull requests: Parallel branches and Map
// processors are subgraphs, Choice rules and Catch clauses labelled edges.
import type { MachineDefinition } from '../asl/types';
import { modelDefinition, type ModelMachine, type ModelState } from './model';

/** A Mermaid node id for a state path (Mermaid ids allow letters, digits and underscores). */
function nodeId(path: string): string {
  return `s_${path.replace(/[^A-Za-z0-9]/g, (c) => `_${c.charCodeAt(0).toString(16)}_`)}`;
}

/** Text inside a quoted Mermaid label. */
function label(text: string): string {
  return text.replace(/"/g, '#quot;').replace(/[<>]/g, (c) => (c === '<' ? '#lt;' : '#gt;'));
}

function shape(s: ModelState): string {
  const text = `"${label(s.name)}"`;
  switch (s.type) {
    case 'Choice':
      return `{${text}}`;
    case 'Succeed':
      return `([${text}])`;
    case 'Fail':
      return `[[${text}]]`;
    case 'Wait':
      return `[/${text}/]`;
    default:
      return `[${text}]`;
  }
}

function machineLines(m: ModelMachine, indent: string, out: string[], start: string, end: string): void {
  const id = (name: string) => nodeId(m.parentPath ? `${m.parentPath}/${name}` : name);
  out.push(`${indent}${start} --> ${id(m.startAt)}`);
  for (const s of m.states) {
    if (s.branches.length > 0) {
      out.push(`${indent}subgraph ${nodeId(s.path)} ["${label(`${s.name} (${s.type})`)}"]`);
      s.branches.forEach((b, i) => {
        const bStart = `${nodeId(s.path)}_start${i}((" "))`;
        const bEnd = `${nodeId(s.path)}_end${i}((" "))`;
        machineLines(b, `${indent}  `, out, bStart, bEnd);
      });
      out.push(`${indent}end`);
    } else {
      out.push(`${indent}${nodeId(s.path)}${shape(s)}`);
    }
    const from = nodeId(s.path);
    if (s.next !== undefined) out.push(`${indent}${from} --> ${id(s.next)}`);
    for (const c of s.choices) out.push(`${indent}${from} -->|"${label(c.label)}"| ${id(c.next)}`);
    for (const c of s.catchers) out.push(`${indent}${from} -.->|"catch ${label(c.errorEquals.join(', '))}"| ${id(c.next)}`);
    if (s.definition.End === true || s.type === 'Succeed') out.push(`${indent}${from} --> ${end}`);
  }
}

/** The definition as a Mermaid `flowchart` (paste it into a fenced mermaid block). */
export function toMermaid(definition: MachineDefinition): string {
  const out = ['flowchart TD'];
  machineLines(modelDefinition(definition), '  ', out, 'start((start))', 'finish((end))');
  return `${out.join('\n')}\n`;
}
