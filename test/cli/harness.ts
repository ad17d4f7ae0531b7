import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll } from 'vitest';

/** Running the real CLI from tests: one harness for every CLI test file. */
export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export const BIN = join(ROOT, 'bin/afin.mjs');
export const CLI_TIMEOUT = 60_000;

/**
 * Fresh data folders under the system's temporary folder, removed after the file's tests.
 * A folder is also the command's working directory, so nothing lands in the repository.
 */
export function dataDirs(prefix: string): () => string {
  const dirs: string[] = [];
  afterAll(() => {
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });
  return () => {
    const d = mkdtempSync(join(tmpdir(), `afin-${prefix}-`));
    dirs.push(d);
    return d;
  };
}

export interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * Runs `afin …` with AFIN_DATA_DIR pointing at `dir`, on the embedded store, with no server key,
 * bus or LLM unless `env` sets them. A command still running near the test timeout is killed and
 * reported with what it printed.
 */
export function runAfin(dir: string, args: string[], env: Record<string, string> = {}): Promise<Run> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, [BIN, ...args], {
      cwd: dir,
      env: {
        ...process.env,
        AFIN_DATA_DIR: dir,
        AFIN_DATABASE_URL: '',
        AFIN_ADMIN_KEY: '',
        AFIN_NATS_URL: '',
        AFIN_LLM_URL: '',
        NO_COLOR: '1',
        ...env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (s: string) => (stdout += s));
    child.stderr.setEncoding('utf8').on('data', (s: string) => (stderr += s));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      fail(new Error(`afin ${args.join(' ')} timed out\nstdout: ${stdout}\nstderr: ${stderr}`));
    }, CLI_TIMEOUT - 5000);
    child.on('error', fail);
    child.on('close', (code) => {
      clearTimeout(timer);
      done({ code, stdout, stderr });
    });
  });
}
