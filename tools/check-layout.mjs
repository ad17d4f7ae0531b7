#!/usr/bin/env node
// The layout's rules, checked from the imports themselves (type-only imports count: they couple too).
// `node tools/check-layout.mjs` prints every broken rule and exits 1, or prints a one-line summary.
// Run by `npm test` and so by CI. The rules and the layers are README's "Layout".
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';

/** Each top folder of src/ by layer: a file may import only from its own layer or a lower one. */
const LAYERS = [
  ['domain', 'stats', 'text', 'client'],
  ['store', 'bus', 'llm', 'http', 'catalog'],
  [
    'ingest',
    'profile',
    'privacy',
    'keys',
    'recommend',
    'converse',
    'simulate',
    'experiment',
    'present',
    'generate',
    'integrations',
    'predict',
    'nudge',
    'insights',
  ],
  ['eval', 'worker'],
  ['server'],
  ['cli'],
];
/** Files directly in src/ (config.ts) sit with the infrastructure. */
const ROOT_LAYER = 1;

/** The src/ folder to check: the project's, or another (the layout test plants circles in a copy). */
const src = path.resolve(process.argv[2] ?? path.join(path.dirname(new URL(import.meta.url).pathname), '..', 'src'));

/** Pure cores: algorithms over plain data, seeded; nothing here may reach a disk, a socket or a process. */
const PURE = ['domain', 'stats', 'text', path.join('recommend', 'models'), path.join('recommend', 'pipeline'), path.join('converse', 'nlu')];
/** Pure cores that start worker threads for arithmetic on shared memory only (no disk, socket or process). */
const COMPUTE_THREADS = new Set([path.join('recommend', 'models', 'als-threads.ts')]);
const IO = /(?:from|import)\s*\(?\s*['"](?:node:)?(fs|fs\/promises|net|http|https|dgram|child_process|worker_threads|cluster|pg|better-sqlite3|nats)['"]/;

function walk(dir, out = []) {
  for (const name of readdirSync(dir)) {
    const p = path.join(dir, name);
    if (statSync(p).isDirectory()) walk(p, out);
    else if (/\.(ts|mts|mjs)$/.test(name)) out.push(p);
  }
  return out;
}

const IMPORT = /(?:^|[\s;])(?:import|export)\s+(?:type\s+)?(?:[\w*{}\s,$]+?\s+from\s+)?['"](\.{1,2}\/[^'"]+)['"]|import\(\s*['"](\.{1,2}\/[^'"]+)['"]\s*\)/g;

/** The relative imports of each file, as paths relative to src/. */
function graph() {
  const edges = new Map();
  for (const file of walk(src)) {
    const from = path.relative(src, file);
    const text = readFileSync(file, 'utf8')
      .replace(/\/\*[\s\S]*?\*\//g, '')
      .replace(/^\s*\/\/.*$/gm, '');
    if (PURE.some((p) => from.startsWith(p + path.sep)) && IO.test(text) && !COMPUTE_THREADS.has(from))
      problems.push(`${from}: a pure core imports I/O (${IO.exec(text)[1]})`);
    const to = new Set();
    for (const m of text.matchAll(IMPORT)) {
      const target = path.relative(src, path.resolve(path.dirname(file), m[1] ?? m[2]));
      if (!target.startsWith('..')) to.add(target);
    }
    edges.set(from, [...to]);
  }
  return edges;
}

const sliceOf = (f) => (f.includes(path.sep) ? f.split(path.sep)[0] : '.');
const layerOf = (slice) => (slice === '.' ? ROOT_LAYER : LAYERS.findIndex((l) => l.includes(slice)));

/** Strongly connected components with more than one node (Tarjan), each as a list. */
function circles(nodes, next) {
  let index = 0;
  const idx = new Map(),
    low = new Map(),
    onStack = new Set(),
    stack = [],
    out = [];
  const visit = (v) => {
    idx.set(v, index);
    low.set(v, index);
    index++;
    stack.push(v);
    onStack.add(v);
    for (const w of next(v)) {
      if (!idx.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v), low.get(w)));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v), idx.get(w)));
    }
    if (low.get(v) === idx.get(v)) {
      const comp = [];
      let w;
      do {
        w = stack.pop();
        onStack.delete(w);
        comp.push(w);
      } while (w !== v);
      if (comp.length > 1) out.push(comp.sort());
    }
  };
  for (const v of nodes) if (!idx.has(v)) visit(v);
  return out;
}

const problems = [];
const edges = graph();
for (const [from, tos] of edges) {
  const s = sliceOf(from);
  if (layerOf(s) < 0) problems.push(`${from}: src/${s}/ has no layer in tools/check-layout.mjs`);
  for (const to of tos) {
    if (!edges.has(to)) {
      problems.push(`${from}: imports ${to}, which does not exist`);
      continue;
    }
    const t = sliceOf(to);
    if (t !== s && layerOf(s) >= 0 && layerOf(t) > layerOf(s)) problems.push(`${from}: imports ${to} (src/${t}/ is above src/${s}/)`);
  }
}
for (const c of circles([...edges.keys()], (v) => (edges.get(v) ?? []).filter((w) => edges.has(w)))) problems.push(`file circle: ${c.join(' -> ')}`);
const sliceEdges = new Map();
for (const [from, tos] of edges) {
  const s = sliceOf(from);
  for (const to of tos) if (sliceOf(to) !== s) sliceEdges.set(s, new Set([...(sliceEdges.get(s) ?? []), sliceOf(to)]));
}
const slices = [...new Set([...edges.keys()].map(sliceOf))];
for (const c of circles(slices, (v) => [...(sliceEdges.get(v) ?? [])])) problems.push(`slice circle: ${c.join(' <-> ')}`);

if (problems.length) {
  for (const p of problems) console.error(p);
  console.error(`check-layout: ${problems.length} problem(s) in ${edges.size} files`);
  process.exit(1);
}
console.log(`check-layout: ${edges.size} files, ${slices.length} folders, no circles, no import from a lower layer to a higher one`);
