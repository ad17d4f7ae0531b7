import type { Command } from 'commander';
import { createWriteStream } from 'node:fs';
import type { Writable } from 'node:stream';
import { once } from 'node:events';
import { loadConfig } from '../../config.ts';
import type { StoredEvent, StoredItem } from '../../domain/schemas.ts';
import { Engine } from '../../server/compose.ts';

export const EXPORT_KINDS = ['events', 'items', 'profiles'] as const;
export type ExportKind = (typeof EXPORT_KINDS)[number];

/** An event as `POST /v1/events` and `afin import events` take it: what was sent, without the empty fields. */
export function eventLine(e: StoredEvent): Record<string, unknown> {
  const out: Record<string, unknown> = { messageId: e.messageId, type: e.type };
  for (const k of ['userId', 'anonymousId', 'itemId', 'value', 'query', 'channel', 'recommendationId', 'variant'] as const) if (e[k] !== null) out[k] = e[k];
  out.timestamp = e.timestamp;
  if (e.properties) out.properties = e.properties;
  return out;
}

/** An item as `PUT /v1/items` and `afin import items` take it. */
export function itemLine(item: StoredItem): Record<string, unknown> {
  const { updatedAt: _updatedAt, ...rest } = item;
  return rest;
}

/** Writes one JSON line, waiting when the stream is full (a large export to a slow pipe). */
async function writeLine(out: Writable, value: unknown): Promise<void> {
  if (!out.write(`${JSON.stringify(value)}\n`)) await once(out, 'drain');
}

/**
 * Writes a workspace's events, items or profiles as JSON lines and returns how many. Events and items
 * come out in the shape the importer takes, so an export imports into another Afín; profiles are
 * as `GET /v1/users/:id/profile` shows them, one per person with events.
 */
export async function exportLines(engine: Engine, ws: string, kind: ExportKind, out: Writable): Promise<number> {
  let n = 0;
  if (kind === 'items') {
    for (const item of await engine.store.listItems(ws)) {
      await writeLine(out, itemLine(item));
      n++;
    }
    return n;
  }
  if (kind === 'events') {
    for await (const page of engine.store.scanEvents(ws)) {
      for (const e of page) await writeLine(out, eventLine(e));
      n += page.length;
    }
    return n;
  }
  // The people a workspace knows are those with events (their profiles are built from them).
  const subjects = new Set<string>();
  for await (const page of engine.store.scanEvents(ws)) for (const e of page) subjects.add(e.subject);
  for (const subject of subjects) {
    await writeLine(out, { subject, ...(await engine.profiles.view(ws, subject)) });
    n++;
  }
  return n;
}

export function registerExport(program: Command) {
  program
    .command('export')
    .description('write events, items or profiles as JSON lines (events and items in the shape `afin import` takes)')
    .argument('<kind>', EXPORT_KINDS.join(' | '))
    .option('-w, --workspace <id>', 'workspace', 'default')
    .option('-o, --out <file>', 'write to this file instead of standard output')
    .action(async (kind: string, o: { workspace: string; out?: string }) => {
      if (!(EXPORT_KINDS as readonly string[]).includes(kind)) {
        process.stderr.write(`kind must be one of ${EXPORT_KINDS.join(', ')}, got "${kind}"\n`);
        process.exitCode = 2;
        return;
      }
      const engine = await Engine.open(loadConfig());
      const out = o.out ? createWriteStream(o.out) : process.stdout;
      try {
        const n = await exportLines(engine, o.workspace, kind as ExportKind, out);
        if (o.out) {
          out.end();
          await once(out, 'finish');
        }
        process.stderr.write(`${n} ${kind} exported${o.out ? ` to ${o.out}` : ''}\n`);
      } finally {
        await engine.close();
      }
    });
}
