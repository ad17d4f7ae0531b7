import type { Command } from 'commander';
import { createReadStream, statSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { parse as parseCsv } from 'csv-parse';
import { loadConfig } from '../../config.ts';
import { Engine } from '../../server/compose.ts';
import { progressBar } from '../progress.ts';

const BATCH = 500;
/** CSV columns that hold lists, written as `a|b|c`. */
const LIST_COLUMNS = new Set(['categories', 'tags']);
const NUMBER_COLUMNS = new Set(['price', 'value']);
const BOOLEAN_COLUMNS = new Set(['available']);

/** Turns one CSV record (all strings) into the JSON shape the API takes; empty cells are absent. */
export function csvRecordToObject(rec: Record<string, string>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const attributes: Record<string, string> = {};
  const properties: Record<string, string> = {};
  for (const [k, raw] of Object.entries(rec)) {
    const v = raw.trim();
    if (v === '') continue;
    if (k.startsWith('attributes.')) attributes[k.slice(11)] = v;
    else if (k.startsWith('properties.')) properties[k.slice(11)] = v;
    else if (LIST_COLUMNS.has(k))
      out[k] = v
        .split('|')
        .map((s) => s.trim())
        .filter(Boolean);
    else if (NUMBER_COLUMNS.has(k)) out[k] = Number(v);
    else if (BOOLEAN_COLUMNS.has(k)) out[k] = /^(true|1|yes)$/i.test(v);
    else if (k === 'timestamp') out[k] = /^\d+$/.test(v) ? Number(v) : v;
    else out[k] = v;
  }
  if (Object.keys(attributes).length) out.attributes = attributes;
  if (Object.keys(properties).length) out.properties = properties;
  return out;
}

/** Reads JSON lines or CSV (by extension) as { line, value } records; a bad line yields an error. */
export async function* readRecords(file: string, onBytes: (n: number) => void): AsyncGenerator<{ line: number; value?: unknown; error?: string }> {
  const input = createReadStream(file);
  input.on('data', (chunk) => onBytes(chunk.length));
  if (/\.csv$/i.test(file)) {
    // `info` gives each record's own line in the file (blank lines and quoted newlines included).
    const parser = input.pipe(parseCsv({ columns: true, skip_empty_lines: true, relax_column_count: true, bom: true, info: true }));
    for await (const { record, info } of parser) yield { line: info.lines, value: csvRecordToObject(record) };
    return;
  }
  let line = 0;
  for await (const text of createInterface({ input, crlfDelay: Infinity })) {
    line++;
    if (!text.trim()) continue;
    try {
      yield { line, value: JSON.parse(text) };
    } catch (e) {
      yield { line, error: `not valid JSON (${(e as Error).message})` };
    }
  }
}

export interface ImportSummary {
  read: number;
  stored: number;
  duplicates: number;
  rejected: Array<{ line: number; error: string }>;
  seconds: number;
}

/** Imports items or events from a file through the same validation as the API. */
export async function importFile(engine: Engine, ws: string, kind: 'items' | 'events', file: string, quiet = false): Promise<ImportSummary> {
  const size = statSync(file).size || 1;
  let bytes = 0;
  const bar = quiet ? null : progressBar(`importing ${kind}`);
  const summary: ImportSummary = { read: 0, stored: 0, duplicates: 0, rejected: [], seconds: 0 };
  let batch: Array<{ line: number; value: unknown }> = [];
  const flush = async () => {
    if (batch.length === 0) return;
    const values = batch.map((b) => b.value);
    if (kind === 'items') {
      const r = await engine.ingest.putItems(ws, values);
      summary.stored += r.upserted;
      for (const x of r.rejected) summary.rejected.push({ line: batch[x.index].line, error: x.error.replace(/^\[\d+\]\.?/, '') });
    } else {
      const r = await engine.ingest.postEvents(ws, values);
      summary.stored += r.accepted;
      summary.duplicates += r.duplicates;
      for (const x of r.rejected) summary.rejected.push({ line: batch[x.index].line, error: x.error.replace(/^\[\d+\]\.?/, '') });
    }
    batch = [];
    bar?.update(bytes / size, `${summary.read.toLocaleString('en')} rows`);
  };
  for await (const rec of readRecords(file, (n) => (bytes += n))) {
    summary.read++;
    if (rec.error) summary.rejected.push({ line: rec.line, error: rec.error });
    else batch.push({ line: rec.line, value: rec.value });
    if (batch.length >= BATCH) await flush();
  }
  await flush();
  summary.seconds = bar ? bar.done(`${summary.read.toLocaleString('en')} rows`) : 0;
  return summary;
}

export function registerImport(program: Command) {
  program
    .command('import')
    .description('import items or events from a CSV or JSON-lines file, through the same validation as the API')
    .argument('<kind>', 'items | events')
    .argument('<file>', 'a .csv file (header row; lists as a|b; attributes.x columns) or JSON lines (.jsonl/.ndjson/.json)')
    .option('-w, --workspace <id>', 'workspace', 'default')
    .action(async (kind: string, file: string, o: { workspace: string }) => {
      if (kind !== 'items' && kind !== 'events') {
        process.stderr.write(`kind must be "items" or "events", got "${kind}"\n`);
        process.exitCode = 2;
        return;
      }
      try {
        statSync(file);
      } catch {
        process.stderr.write(`cannot read ${file}\n`);
        process.exitCode = 2;
        return;
      }
      const engine = await Engine.open(loadConfig());
      try {
        const s = await importFile(engine, o.workspace, kind, file);
        process.stdout.write(
          `${s.read} rows read, ${s.stored} stored, ${s.duplicates} duplicates, ${s.rejected.length} rejected (${s.seconds.toFixed(1)} s)\n`,
        );
        for (const r of s.rejected.slice(0, 20)) process.stdout.write(`  line ${r.line}: ${r.error}\n`);
        if (s.rejected.length > 20) process.stdout.write(`  … and ${s.rejected.length - 20} more\n`);
        if (s.rejected.length > 0) process.exitCode = 1;
      } finally {
        await engine.close();
      }
    });
}
