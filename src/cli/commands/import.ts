import type { Command } from 'commander';
import { closeSync, createReadStream, openSync, readSync, statSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { parse as parseCsv } from 'csv-parse';
import { loadConfig } from '../../config.ts';
import { describeIssue } from '../../domain/errors.ts';
import { EventInput, Item } from '../../domain/schemas.ts';
import { Engine } from '../../server/compose.ts';
import { newDataFolderWarning } from './doctor.ts';
import { progressBar } from '../progress.ts';
import { detectDecimalComma, detectDelimiter, firstLine } from './import-detect.ts';
import { type ImportKind, type Mapping, type Preset, PRESETS as PRODUCT_PRESETS, mapRecord, parseConstants, parseMapping } from './import-mapping.ts';
import { SEGMENT_WAREHOUSE } from './import-segment.ts';

/** Every preset by name: product exports, and event exports of the tracking tools shops run. */
export const PRESETS: Record<string, Preset> = { ...PRODUCT_PRESETS, segment: SEGMENT_WAREHOUSE, rudderstack: SEGMENT_WAREHOUSE };

const BATCH = 500;
/** Records read before the first is mapped, to tell a decimal comma from a decimal point. */
const SAMPLE = 200;

export interface ImportOptions {
  /** `field=column` pairs (`--map`). */
  map?: string[];
  /** `shopify` or `woocommerce`. */
  preset?: string;
  /** `field=value` constants (`--set`). */
  set?: string[];
  /** The CSV delimiter; guessed from the header when absent. */
  delimiter?: string;
  /** `comma` or `dot`; guessed from the numbers when absent. */
  decimal?: 'comma' | 'dot';
}

/** How a file is read and mapped, settled before the first row (the decimal mark after the sample). */
export interface ImportPlan {
  kind: ImportKind;
  format: 'csv' | 'jsonl';
  delimiter: string;
  decimalComma?: boolean;
  mapping: Mapping;
  constants: Record<string, string>;
  preset?: Preset;
  /** JSON lines with no mapping, preset or constant go to the API as they are. */
  raw: boolean;
}

/** Reads the first bytes of a file (the header line, the first character of JSON lines). */
function head(file: string, bytes = 64 * 1024): string {
  const fd = openSync(file, 'r');
  try {
    const buf = Buffer.alloc(bytes);
    return buf.subarray(0, readSync(fd, buf, 0, bytes, 0)).toString('utf8');
  } finally {
    closeSync(fd);
  }
}

/** Settles the format, delimiter, mapping and constants; throws a message naming the bad option. */
export function planImport(kind: ImportKind, file: string, o: ImportOptions = {}): ImportPlan {
  const start = head(file);
  const format = /\.(jsonl|ndjson|json)$/i.test(file) ? 'jsonl' : /\.(csv|tsv|txt)$/i.test(file) ? 'csv' : start.trimStart().startsWith('{') ? 'jsonl' : 'csv';
  let preset: Preset | undefined;
  if (o.preset !== undefined) {
    preset = PRESETS[o.preset.toLowerCase()];
    if (!preset) throw new Error(`--preset: "${o.preset}" is not one of ${Object.keys(PRESETS).join(', ')}`);
    if (preset.kind !== kind) throw new Error(`--preset ${o.preset} is for ${preset.kind}, not ${kind}`);
  }
  const delimiter = o.delimiter === undefined ? detectDelimiter(firstLine(start)) : o.delimiter === '\\t' || o.delimiter === 'tab' ? '\t' : o.delimiter;
  if (delimiter.length !== 1) throw new Error(`--delimiter: one character expected (or "tab"), got "${delimiter}"`);
  const mapping = { ...(preset?.columns ?? {}), ...parseMapping(kind, o.map ?? []) };
  const constants = parseConstants(kind, o.set ?? []);
  const decimalComma = o.decimal === undefined ? undefined : o.decimal === 'comma';
  const raw = format === 'jsonl' && !preset && !o.map?.length && !o.set?.length && decimalComma === undefined;
  return { kind, format, delimiter: format === 'csv' ? delimiter : ',', decimalComma, mapping, constants, preset, raw };
}

/** Reads CSV or JSON lines as { line, value } records; a line that is not JSON yields an error. */
export async function* readRecords(file: string, plan: Pick<ImportPlan, 'format' | 'delimiter'>, onBytes: (n: number) => void = () => {}) {
  const input = createReadStream(file);
  input.on('data', (chunk) => onBytes(chunk.length));
  if (plan.format === 'csv') {
    // `info` gives each record's own line in the file (blank lines and quoted newlines included).
    const parser = input.pipe(
      parseCsv({ columns: true, delimiter: plan.delimiter, skip_empty_lines: true, relax_column_count: true, relax_quotes: true, bom: true, info: true }),
    );
    for await (const { record, info } of parser) yield { line: info.lines as number, value: record as Record<string, unknown> };
    return;
  }
  let line = 0;
  for await (const text of createInterface({ input, crlfDelay: Infinity })) {
    line++;
    if (!text.trim()) continue;
    try {
      yield { line, value: JSON.parse(text) as unknown };
    } catch (e) {
      yield { line, error: `not valid JSON (${(e as Error).message})` };
    }
  }
}

/** The columns that feed amounts (price, value): the mapped ones and those named so. */
function amountColumns(plan: ImportPlan): string[] {
  const out = ['price', 'value'];
  for (const f of ['price', 'value']) out.push(...(plan.mapping[f] ?? []));
  return out;
}

export interface MappedRecord {
  line: number;
  value?: Record<string, unknown> | unknown;
  error?: string;
  /** A further record of the same row (an order's next product): not a row read. */
  more?: boolean;
}

/**
 * The file's records as the API takes them. The first records are read ahead to settle the decimal
 * mark (unless given); rows a preset leaves out are counted in `seen.skipped`, not yielded.
 */
export async function* mappedRecords(
  file: string,
  plan: ImportPlan,
  seen: { ignored: Set<string>; skipped: number },
  onBytes?: (n: number) => void,
): AsyncGenerator<MappedRecord> {
  const records = readRecords(file, plan, onBytes)[Symbol.asyncIterator]();
  const ahead: Array<{ line: number; value?: unknown; error?: string }> = [];
  if (plan.decimalComma === undefined && !plan.raw) {
    while (ahead.length < SAMPLE) {
      const next = await records.next();
      if (next.done) break;
      ahead.push(next.value);
    }
    const cols = amountColumns(plan);
    const sample = ahead.flatMap((r) => (r.value && typeof r.value === 'object' ? cols.map((c) => (r.value as Record<string, unknown>)[c]) : []));
    plan.decimalComma = detectDecimalComma(sample.filter((v): v is string => typeof v === 'string'));
  }
  const map = (r: { line: number; value?: unknown; error?: string }): MappedRecord[] => {
    if (r.error !== undefined || plan.raw) return [r];
    if (r.value === null || typeof r.value !== 'object' || Array.isArray(r.value)) return [{ line: r.line, error: 'expected a JSON object' }];
    const rec = r.value as Record<string, unknown>;
    if (plan.preset?.expand) {
      const x = plan.preset.expand(rec);
      if ('error' in x) return [{ line: r.line, error: x.error }];
      if ('ignored' in x) {
        seen.skipped++;
        return [];
      }
      return x.events.map((value, i) => ({ line: r.line, value, more: i > 0 }));
    }
    const value = mapRecord(rec, { ...plan, decimalComma: plan.decimalComma ?? false }, seen.ignored);
    if (value === null) seen.skipped++;
    return value ? [{ line: r.line, value }] : [];
  };
  for (const r of ahead) yield* map(r);
  for await (const r of { [Symbol.asyncIterator]: () => records }) yield* map(r);
}

/**
 * Items repeated in a file: a catalogue lists an item once per category it is in (the IKEA scrape),
 * a Shopify export once per variant and image. Later rows with a title add their categories and tags
 * to the item's; rows without one (a Shopify image row) add nothing.
 */
export function itemMerger() {
  const seen = new Map<string, { categories: string[]; tags: string[] }>();
  let merged = 0;
  return {
    get merged() {
      return merged;
    },
    get distinct() {
      return seen.size;
    },
    /** The row to store, or null when it only repeats an item. */
    take(v: unknown): unknown {
      if (!v || typeof v !== 'object') return v;
      const item = v as Record<string, unknown>;
      if (typeof item.id !== 'string') return v;
      const before = seen.get(item.id);
      if (before && item.title === undefined) {
        merged++;
        return null;
      }
      const lists = (k: 'categories' | 'tags') => (Array.isArray(item[k]) ? (item[k] as unknown[]).filter((x): x is string => typeof x === 'string') : []);
      const now = {
        categories: [...new Set([...(before?.categories ?? []), ...lists('categories')])],
        tags: [...new Set([...(before?.tags ?? []), ...lists('tags')])],
      };
      seen.set(item.id, now);
      if (!before) return v;
      merged++;
      return { ...item, ...(now.categories.length ? { categories: now.categories } : {}), ...(now.tags.length ? { tags: now.tags } : {}) };
    },
  };
}

export interface ImportSummary {
  read: number;
  stored: number;
  duplicates: number;
  rejected: Array<{ line: number; error: string }>;
  /** Rows that repeated an item already read (their categories merged into it). */
  merged: number;
  /** Distinct item ids read (items only). */
  distinct: number;
  /** Rows a preset leaves out (WooCommerce variations, a warehouse's page views and unmapped events). */
  skipped: number;
  ignoredColumns: string[];
  seconds: number;
}

/** Imports items or events from a file through the same validation as the API. */
export async function importFile(engine: Engine, ws: string, plan: ImportPlan, file: string, quiet = false): Promise<ImportSummary> {
  const size = statSync(file).size || 1;
  let bytes = 0;
  const bar = quiet ? null : progressBar(`importing ${plan.kind}`);
  const seen = { ignored: new Set<string>(), skipped: 0 };
  const summary: ImportSummary = { read: 0, stored: 0, duplicates: 0, rejected: [], merged: 0, distinct: 0, skipped: 0, ignoredColumns: [], seconds: 0 };
  const merger = itemMerger();
  let batch: Array<{ line: number; value: unknown }> = [];
  const flush = async () => {
    if (batch.length === 0) return;
    const values = batch.map((b) => b.value);
    if (plan.kind === 'items') {
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
  for await (const rec of mappedRecords(file, plan, seen, (n) => (bytes += n))) {
    if (!rec.more) summary.read++;
    if (rec.error) {
      summary.rejected.push({ line: rec.line, error: rec.error });
      continue;
    }
    const value = plan.kind === 'items' ? merger.take(rec.value) : rec.value;
    if (value !== null) batch.push({ line: rec.line, value });
    if (batch.length >= BATCH) await flush();
  }
  await flush();
  summary.merged = merger.merged;
  summary.distinct = merger.distinct;
  summary.skipped = seen.skipped;
  summary.ignoredColumns = [...seen.ignored];
  summary.seconds = bar ? bar.done(`${summary.read.toLocaleString('en')} rows`) : 0;
  return summary;
}

/** What `--dry-run` prints: how the file is read, then its first rows as Afín would store them. */
export async function dryRun(plan: ImportPlan, file: string, rows: number): Promise<string[]> {
  const seen = { ignored: new Set<string>(), skipped: 0 };
  const shown: string[] = [];
  let n = 0;
  for await (const rec of mappedRecords(file, plan, seen)) {
    if (n++ >= rows) break;
    if (rec.error) {
      shown.push(`line ${rec.line}: rejected: ${rec.error}`);
      continue;
    }
    const r = (plan.kind === 'items' ? Item : EventInput).safeParse(rec.value);
    if (!r.success) {
      shown.push(`line ${rec.line}: rejected: ${describeIssue(r.error).message}`);
      continue;
    }
    const stored = plan.kind === 'items' ? { ...r.data, available: (r.data as { available?: boolean }).available ?? true } : r.data;
    shown.push(`line ${rec.line}: ${JSON.stringify(stored)}`);
  }
  return [describePlan(plan, [...seen.ignored]), ...shown];
}

/** One line saying how the file was read. */
export function describePlan(plan: ImportPlan, ignored: string[]): string {
  const how =
    plan.format === 'csv'
      ? `CSV, delimiter ${plan.delimiter === '\t' ? 'tab' : `"${plan.delimiter}"`}, decimal ${plan.decimalComma ? 'comma' : 'point'}`
      : `JSON lines${plan.raw ? '' : `, decimal ${plan.decimalComma ? 'comma' : 'point'}`}`;
  const mapped = Object.entries(plan.mapping)
    .map(([f, cols]) => `${f}=${cols.join('|')}`)
    .join(', ');
  return `reading ${plan.kind}: ${how}${mapped ? `; mapping ${mapped}` : ''}${ignored.length ? `; ignored columns: ${ignored.join(', ')}` : ''}`;
}

const collect = (v: string, prev: string[] = []) => [...prev, v];

export function registerImport(program: Command) {
  program
    .command('import')
    .description('import items or events from a CSV or JSON-lines file, through the same validation as the API')
    .argument('<kind>', 'items | events')
    .argument('<file>', 'a .csv file (header row; lists as a|b; attributes.x columns) or JSON lines (.jsonl/.ndjson/.json)')
    .option('-w, --workspace <id>', 'workspace', 'default')
    .option('-m, --map <pairs>', 'field=column pairs, comma-separated, e.g. id=item_id,title=name,categories=category (repeatable)', collect)
    .option('-p, --preset <name>', `a known export's columns: ${Object.keys(PRESETS).join(', ')}`)
    .option('-s, --set <field=value>', 'a value for every row, e.g. currency=SAR (repeatable)', collect)
    .option('-d, --delimiter <char>', 'the CSV delimiter (default: guessed from the header: , ; tab |)')
    .option('--decimal <mark>', 'comma or dot (default: guessed from the numbers)')
    .option('--dry-run [rows]', 'print how the file is read and its first rows as Afín would store them; store nothing')
    .action(
      async (
        kind: string,
        file: string,
        o: { workspace: string; map?: string[]; preset?: string; set?: string[]; delimiter?: string; decimal?: string; dryRun?: boolean | string },
      ) => {
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
        if (o.decimal !== undefined && o.decimal !== 'comma' && o.decimal !== 'dot') {
          process.stderr.write(`--decimal: "comma" or "dot", got "${o.decimal}"\n`);
          process.exitCode = 2;
          return;
        }
        let plan: ImportPlan;
        try {
          plan = planImport(kind, file, { map: o.map, preset: o.preset, set: o.set, delimiter: o.delimiter, decimal: o.decimal as ImportOptions['decimal'] });
        } catch (e) {
          process.stderr.write(`${(e as Error).message}\n`);
          process.exitCode = 2;
          return;
        }
        if (o.dryRun !== undefined) {
          const rows = o.dryRun === true ? 5 : Number(o.dryRun);
          if (!Number.isInteger(rows) || rows < 1) {
            process.stderr.write(`--dry-run: a number of rows (1 or more), got "${o.dryRun}"\n`);
            process.exitCode = 2;
            return;
          }
          for (const line of await dryRun(plan, file, rows)) process.stdout.write(`${line}\n`);
          return;
        }
        const cfg = loadConfig();
        const fresh = newDataFolderWarning(cfg);
        if (fresh) process.stderr.write(fresh);
        const engine = await Engine.open(cfg);
        try {
          const s = await importFile(engine, o.workspace, plan, file);
          process.stdout.write(`${describePlan(plan, s.ignoredColumns)}\n`);
          process.stdout.write(
            `${s.read} rows read, ${s.stored} stored, ${s.duplicates} duplicates, ${s.rejected.length} rejected (${s.seconds.toFixed(1)} s)\n`,
          );
          if (s.merged)
            process.stdout.write(
              `  ${s.merged} rows repeated an id already read (${s.distinct} distinct ids): their categories and tags were merged into it\n`,
            );
          if (s.skipped)
            process.stdout.write(`  ${s.skipped} rows left out by the preset (${plan.preset?.expand ? 'calls Afín does not record' : 'variations'})\n`);
          for (const r of s.rejected.slice(0, 20)) process.stdout.write(`  line ${r.line}: ${r.error}\n`);
          if (s.rejected.length > 20) process.stdout.write(`  … and ${s.rejected.length - 20} more\n`);
          if (s.rejected.length > 0) process.exitCode = 1;
        } finally {
          await engine.close();
        }
      },
    );
}
