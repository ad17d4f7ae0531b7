import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';

const BIN = new URL('../../bin/afin.mjs', import.meta.url).pathname;

function start(dataDir: string) {
  const child = spawn(process.execPath, [BIN, 'serve'], {
    env: { ...process.env, AFIN_PORT: '0', AFIN_DATA_DIR: dataDir, AFIN_ADMIN_KEY: '', AFIN_LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout.on('data', (d) => (out += d));
  child.stderr.on('data', (d) => (out += d));
  const ready = new Promise<{ url: string; key: string | null }>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start: ${out}`)), 20_000);
    child.stdout.on('data', () => {
      const m = /listening on (http:\/\/\S+)/.exec(out);
      if (m && (out.includes('Root admin key') || /listening on .*\n/.test(out))) {
        clearTimeout(timer);
        setTimeout(() => resolve({ url: m[1], key: /Root admin key[^:]*: (\S+)/.exec(out)?.[1] ?? null }), 50);
      }
    });
  });
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, ready, exited, output: () => out };
}

it('serves /health, prints the root key once, and drains and exits cleanly on SIGTERM', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'afin-serve-'));
  try {
    const first = start(dir);
    const { url, key } = await first.ready;
    expect(key).toMatch(/^afin_admin_/);
    expect(await (await fetch(`${url}/health`)).json()).toEqual({ status: 'ok' });
    const put = await fetch(`${url}/v1/items`, {
      method: 'PUT',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      body: JSON.stringify([{ id: 'a', title: 'A' }]),
    });
    expect(await put.json()).toMatchObject({ upserted: 1 });
    first.child.kill('SIGTERM');
    expect(await first.exited).toBe(0);

    // A restart on the same data keeps the data and the key, and does not print a new key.
    const second = start(dir);
    const again = await second.ready;
    expect(again.key).toBeNull();
    const item = await fetch(`${again.url}/v1/items/a`, { headers: { authorization: `Bearer ${key}` } });
    expect((await item.json()).title).toBe('A');
    second.child.kill('SIGTERM');
    expect(await second.exited).toBe(0);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}, 60_000);
