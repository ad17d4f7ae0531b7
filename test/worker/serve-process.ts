import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';

const BIN = join(import.meta.dirname, '../../bin/afin.mjs');

/** One `afin serve` process on a port the system chose. */
export interface ServeProcess {
  name: string;
  child: ChildProcess;
  url: string;
  /** What it printed so far (stdout and stderr), to explain a failure. */
  output(): string;
  /** Resolves when the process has exited, however it ended. */
  exited: Promise<void>;
}

/**
 * Starts `afin serve` with `env` on port 0 and waits until `GET /readyz` answers 200 (store, bus and
 * job queue connected), or fails with what the process printed.
 */
export async function startServe(name: string, env: Record<string, string>, timeoutMs = 60_000): Promise<ServeProcess> {
  const child = spawn(process.execPath, [BIN, 'serve'], {
    env: { ...process.env, AFIN_PORT: '0', AFIN_HOST: '127.0.0.1', AFIN_LLM_URL: '', AFIN_LOG_LEVEL: 'warn', NO_COLOR: '1', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout?.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  const deadline = Date.now() + timeoutMs;
  let url = '';
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null) throw new Error(`${name} exited before it was ready:\n${out}`);
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`${name} not ready after ${timeoutMs} ms:\n${out}`);
    }
    url ||= /listening on (http:\/\/\S+)/.exec(out)?.[1] ?? '';
    if (url) {
      const r = await fetch(`${url}/readyz`).catch(() => null);
      if (r?.status === 200) break;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return { name, child, url, output: () => out, exited };
}
