import { writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { startFakeOpenAi } from '../llm/fake-openai-server.ts';
import { suiteNotRun } from '../suite-not-run.ts';
import { CLI_TIMEOUT as TIMEOUT, dataDirs, runAfin } from './harness.ts';

const dbUrl = process.env.AFIN_TEST_DATABASE_URL;
const natsUrl = process.env.AFIN_TEST_NATS_URL;

const freshDir = dataDirs('doctor');

/** A port nothing listens on: bound by the OS, then released. */
async function closedPort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const port = (s.address() as { port: number }).port;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

/** Runs the real `afin doctor` with exactly these AFIN_ settings; its report may go to either stream. */
async function doctor(env: Record<string, string>): Promise<{ code: number | null; out: string }> {
  const r = await runAfin(freshDir(), ['doctor'], env);
  return { code: r.code, out: r.stdout + r.stderr };
}

/** The report's line for one dependency: `MARK  what          message`. */
const line = (out: string, what: string) => out.split('\n').find((l) => l.slice(6).startsWith(`${what.padEnd(13)} `)) ?? '';

describe('afin doctor', () => {
  it(
    'names each broken dependency in plain words and exits 1: a wrong PostgreSQL port, a wrong NATS port, an LLM that refuses',
    async () => {
      const [pg, nats, llm] = [await closedPort(), await closedPort(), await closedPort()];
      const r = await doctor({
        AFIN_DATABASE_URL: `postgres://afin:s3cret@127.0.0.1:${pg}/afin`,
        AFIN_NATS_URL: `nats://127.0.0.1:${nats}`,
        AFIN_LLM_URL: `http://127.0.0.1:${llm}/v1`,
      });
      expect(r.code, r.out).toBe(1);
      expect(line(r.out, 'store')).toMatch(
        new RegExp(`^FAIL .*PostgreSQL at postgres://afin:\\*\\*\\*@127\\.0\\.0\\.1:${pg}/afin: nothing answers there \\(connection refused\\)`),
      );
      expect(line(r.out, 'bus')).toMatch(new RegExp(`^FAIL .*NATS at nats://127\\.0\\.0\\.1:${nats}: nothing answers there`));
      expect(line(r.out, 'llm')).toMatch(new RegExp(`^FAIL .*LLM at http://127\\.0\\.0\\.1:${llm}/v1: nothing answers there`));
      expect(r.out).toContain('3 problems: store, bus, llm.');
      expect(r.out).not.toContain('s3cret');
    },
    TIMEOUT,
  );

  it(
    'says when a server answers but is not what Afín needs: no OpenAI wire protocol at the LLM URL',
    async () => {
      const fake = await startFakeOpenAi([]);
      try {
        // The fake serves /v1/chat/completions: a base URL without /v1 finds nothing.
        const r = await doctor({ AFIN_LLM_URL: fake.url.replace(/\/v1$/, '') });
        expect(r.code, r.out).toBe(1);
        expect(line(r.out, 'llm')).toMatch(/^FAIL .*no OpenAI-compatible \/chat\/completions there \(HTTP 404\).*ends in \/v1/);
        expect(r.out).toContain('1 problem: llm.');
      } finally {
        await fake.close();
      }
    },
    TIMEOUT,
  );

  it(
    'a bad setting or a data folder that is a file is a failure; a new data folder a warning',
    async () => {
      const bad = await doctor({ AFIN_PORT: 'seventy' });
      expect(bad.code).toBe(1);
      expect(line(bad.out, 'configuration')).toMatch(/^FAIL .*AFIN_PORT must be a port number, got seventy/);
      const file = join(freshDir(), 'not-a-folder');
      writeFileSync(file, 'x');
      const r = await doctor({ AFIN_DATA_DIR: file });
      expect(r.code).toBe(1);
      expect(line(r.out, 'store')).toMatch(/^FAIL .*is a file, not a folder/);
      const fresh = await doctor({});
      expect(fresh.code, fresh.out).toBe(0);
      expect(line(fresh.out, 'store')).toMatch(/^WARN .*holds no database yet/);
      expect(line(fresh.out, 'bus')).toMatch(/no AFIN_NATS_URL/);
      expect(fresh.out).toContain('All good.');
    },
    TIMEOUT,
  );

  if (!dbUrl || !natsUrl) suiteNotRun('afin doctor against the real PostgreSQL and NATS', 'AFIN_TEST_DATABASE_URL and AFIN_TEST_NATS_URL');
  else
    it(
      'passes against the real PostgreSQL, NATS with JetStream and an OpenAI-wire LLM',
      async () => {
        const fake = await startFakeOpenAi([{ content: 'pong' }]);
        try {
          const r = await doctor({ AFIN_DATABASE_URL: dbUrl as string, AFIN_NATS_URL: natsUrl as string, AFIN_LLM_URL: fake.url, AFIN_LLM_MODEL: 'tiny' });
          expect(r.code, r.out).toBe(0);
          expect(line(r.out, 'store')).toMatch(/^(ok|WARN) .*PostgreSQL at .* (reachable, schema version \d+|answers)/);
          expect(line(r.out, 'bus')).toMatch(/^ok .*JetStream enabled/);
          expect(line(r.out, 'llm')).toMatch(/^ok .*answers chat completions with model "tiny"/);
          expect(fake.requests[0].body.max_tokens).toBe(1);
        } finally {
          await fake.close();
        }
      },
      TIMEOUT,
    );
});
