/**
 * Scale-out bench (issue 19): one API node against two, as separate `afin serve` processes on one
 * PostgreSQL and one NATS, on this machine.
 *
 *   node bin/run-ts.mjs bench/cluster.ts [--items 1000] [--users 2000] [--events 30000] [--seconds 10]
 *     [--connections 16] [--ingest-events 20000] [--freshness 200] [--seed 7]
 *
 * Measures, in one run:
 * - a mixed load (80 % `GET /v1/recommendations`, 15 % `POST /v1/events` of one event, 5 % `POST /v1/chat`)
 *   at `--connections` closed-loop clients, against one node, then spread over two: requests/s and p99;
 * - ingest into PostgreSQL: `--ingest-events` events in batches of 500 through `POST /v1/events`
 *   (8 batches in flight) on one node, then on two; and through the stream, one event per NATS message
 *   published first, then drained by one `afin ingest --from nats` process, then by two;
 * - cross-node freshness: a person's profile read (so cached) on node B, an event posted on node A, and
 *   B polled from A's answer until B's answer shows the event: p50 and p99 of that delay over
 *   `--freshness` samples, beside a plain read on B timed at the same moments (the floor);
 * - CPU per request and per event stored, for the nodes (or ingesters), PostgreSQL's backends of the
 *   bench's database, and NATS (shared with whatever else uses it here: an upper bound), read from /proc.
 *
 * Every figure is measured in the same run, so the one-node figures are the baseline of the two-node
 * ones. The load generator runs in this process on the same machine: on a machine with few cores the
 * nodes, PostgreSQL, NATS and the generator share them, and two nodes cannot double anything (the
 * figures name the core count and the load). Prints progress on stderr and one JSON line on stdout.
 */
import { readdirSync, readFileSync } from 'node:fs';
import type http from 'node:http';
import { cpus, loadavg } from 'node:os';
import { EventStream } from '../src/bus/event-stream.ts';
import { PostgresStore } from '../src/store/postgres/postgres-store.ts';
import {
  HOST,
  type Spawned,
  call,
  createPgDatabase,
  emit,
  log,
  main,
  makeAgent,
  parseArgs,
  percentile,
  removeDirLater,
  request,
  rng,
  round,
  skewed,
  sleep,
  freePort,
  spawnNode,
  stopProcess,
  tempDir,
  waitReady,
} from './lib.ts';
import { makeEvents, makeItems } from './workload.ts';

const ADMIN_KEY = 'bench-cluster-admin-key-0123456789';
const NATS_URL = process.env.AFIN_BENCH_NATS_URL ?? 'nats://127.0.0.1:4222';
const CHAT_LINES = [
  'hola, busco zapatillas para correr',
  'I need a rain jacket under 80',
  'something for hiking',
  'un regalo para mi madre',
  'show me cheap watches',
];

const opts = parseArgs({ items: 1000, users: 2000, events: 30_000, seconds: 10, connections: 16, ingestEvents: 20_000, freshness: 200, seed: 7 });

interface MixFigures {
  requestsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  errors: number;
  byKind: Record<string, { count: number; p99Ms: number }>;
}

type Kind = 'recommendations' | 'events' | 'chat';

/**
 * The CLI through `bin/run-ts.mjs src/cli/main.ts` (the same code `bin/afin.mjs` loads): on a machine
 * shared with other sessions, processes named `afin.mjs serve` have been ended from outside mid-run.
 */
const CLI = ['bin/run-ts.mjs', 'src/cli/main.ts'];
async function spawnServe(env: Record<string, string>, work: string, name: string): Promise<Spawned> {
  const port = await freePort();
  return spawnNode(name, [...CLI, 'serve'], { ...env, AFIN_PORT: String(port), AFIN_HOST: HOST }, work, port);
}

// CPU time is what the capacity model is built on: on a shared, loaded machine requests/s says how much
// CPU this run was given, while CPU per request says what a request costs wherever it runs.

/** CPU milliseconds a process has used (user + system), from /proc; 0 once it is gone. */
function cpuMs(pid: number | undefined): number {
  if (pid === undefined) return 0;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return ((Number(f[11]) + Number(f[12])) * 1000) / 100; // clock ticks of 1/100 s (CLK_TCK)
  } catch {
    return 0;
  }
}

/** The PostgreSQL backends serving `db` (the nodes' pools keep theirs open for the whole run). */
async function pgBackends(store: PostgresStore, db: string): Promise<number[]> {
  const r = await store.pool.query('SELECT pid FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()', [db]);
  return (r.rows as Array<{ pid: number }>).map((x) => x.pid);
}

/** The local nats-server, found by name (read only: its CPU includes every other user of this server). */
function natsPid(): number | undefined {
  for (const d of readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    try {
      if (readFileSync(`/proc/${d}/comm`, 'utf8').trim() === 'nats-server') return Number(d);
    } catch {
      /* gone */
    }
  }
  return undefined;
}

/** CPU used meanwhile by the given processes, the database's backends and NATS, in ms. */
async function cpuDuring<T>(
  pids: () => Array<number | undefined>,
  store: PostgresStore,
  db: string,
  body: () => Promise<T>,
): Promise<{ out: T; nodeMs: number; pgMs: number; natsMs: number }> {
  const nats = natsPid();
  const pg0 = new Map((await pgBackends(store, db)).map((p) => [p, cpuMs(p)]));
  const n0 = new Map(pids().map((p) => [p, cpuMs(p)]));
  const nats0 = cpuMs(nats);
  const out = await body();
  let nodeMs = 0;
  for (const p of new Set([...n0.keys(), ...pids()])) nodeMs += cpuMs(p) - (n0.get(p) ?? 0);
  let pgMs = 0;
  for (const p of await pgBackends(store, db)) pgMs += cpuMs(p) - (pg0.get(p) ?? 0);
  return { out, nodeMs, pgMs, natsMs: cpuMs(nats) - nats0 };
}

/** Closed-loop clients spread evenly over `nodes`, each sending the mix until the time is up. */
async function mixedLoad(nodes: Spawned[], seconds: number, connections: number, seed: number): Promise<MixFigures> {
  const agents = nodes.map(() => makeAgent(connections));
  const auth = { authorization: `Bearer ${ADMIN_KEY}` };
  const lat: Record<Kind, number[]> = { recommendations: [], events: [], chat: [] };
  let errors = 0;
  let seq = 0;
  const until = performance.now() + seconds * 1000;
  const client = async (c: number) => {
    const rand = rng(seed * 1000 + c);
    const node = nodes[c % nodes.length];
    const agent: http.Agent = agents[c % nodes.length];
    while (performance.now() < until) {
      const r = rand();
      const user = `user-${String(skewed(rand, opts.users) + 1).padStart(5, '0')}`;
      const kind: Kind = r < 0.8 ? 'recommendations' : r < 0.95 ? 'events' : 'chat';
      const t = performance.now();
      let status = 0;
      try {
        if (kind === 'recommendations')
          status = (await request('GET', `${node.url}/v1/recommendations?userId=${user}&n=10`, undefined, auth, 30_000, agent)).status;
        else if (kind === 'events') {
          const body = JSON.stringify([
            { messageId: `mix-${seed}-${c}-${seq++}`, type: 'view', userId: user, itemId: `it-${String(skewed(rand, opts.items, 1.8) + 1).padStart(5, '0')}` },
          ]);
          status = (await request('POST', `${node.url}/v1/events`, body, auth, 30_000, agent)).status;
        } else {
          const body = JSON.stringify({
            userId: user,
            sessionId: `s${c}-${Math.floor(rand() * 1e6)}`,
            message: CHAT_LINES[Math.floor(rand() * CHAT_LINES.length)],
          });
          status = (await request('POST', `${node.url}/v1/chat`, body, auth, 30_000, agent)).status;
        }
      } catch {
        status = 0;
      }
      if (status < 200 || status >= 300) errors++;
      else lat[kind].push(performance.now() - t);
    }
  };
  const started = performance.now();
  await Promise.all(Array.from({ length: connections }, (_, c) => client(c)));
  const elapsed = (performance.now() - started) / 1000;
  for (const a of agents) a.destroy();
  const all = [...lat.recommendations, ...lat.events, ...lat.chat].sort((a, b) => a - b);
  const byKind = Object.fromEntries(
    (Object.keys(lat) as Kind[]).map((k) => {
      const s = lat[k].sort((a, b) => a - b);
      return [k, { count: s.length, p99Ms: round(percentile(s, 99)) }];
    }),
  );
  return { requestsPerSecond: round(all.length / elapsed), p50Ms: round(percentile(all, 50)), p99Ms: round(percentile(all, 99)), errors, byKind };
}

/** `n` events in batches of 500 over `nodes`, 8 batches in flight: events stored per second. */
async function httpIngest(nodes: Spawned[], events: Array<Record<string, unknown>>): Promise<number> {
  const batches: Array<Array<Record<string, unknown>>> = [];
  for (let i = 0; i < events.length; i += 500) batches.push(events.slice(i, i + 500));
  let next = 0;
  const t = performance.now();
  await Promise.all(
    Array.from({ length: 8 }, async (_, w) => {
      while (next < batches.length) {
        const b = batches[next++];
        const r = await call<{ accepted: number }>('POST', `${nodes[w % nodes.length].url}/v1/events`, ADMIN_KEY, b);
        if (r.accepted !== b.length) throw new Error(`ingest: ${r.accepted} of ${b.length} accepted`);
      }
    }),
  );
  return round(events.length / ((performance.now() - t) / 1000));
}

/** Publishes every event as its own message, then times `ingesters` processes draining them into PostgreSQL. */
async function streamIngest(
  env: Record<string, string>,
  work: string,
  store: PostgresStore,
  db: string,
  events: Array<Record<string, unknown>>,
  ingesters: number,
  tag: string,
): Promise<{ eventsPerSecond: number; nodeMs: number; pgMs: number; natsMs: number }> {
  const subject = `afinbench.${tag}.events`;
  const streamName = `AFINBENCH_${tag.toUpperCase()}`;
  const producer = await EventStream.connect(NATS_URL, { subject, stream: streamName, consumer: 'afin-ingest', log: () => undefined });
  try {
    for (let i = 0; i < events.length; i += 1000) await Promise.all(events.slice(i, i + 1000).map((e) => producer.publish(subject, e)));
    const before = await store.countEvents('default');
    const procs: Spawned[] = [];
    const t = performance.now();
    // The ingesters' CPU counts from their start (connecting, loading the code) to the last event stored.
    const m = await cpuDuring(
      () => procs.map((p) => p.proc.pid),
      store,
      db,
      async () => {
        for (let k = 0; k < ingesters; k++)
          procs.push(spawnNode(`ingest-${tag}-${k}`, [...CLI, 'ingest', '--from', 'nats', '--subject', subject, '--stream', streamName], env, work, 0));
        for (;;) {
          const stored = (await store.countEvents('default')) - before;
          if (stored >= events.length) break;
          for (const p of procs) if (p.proc.exitCode !== null) throw new Error(`afin ingest exited:\n${p.tail()}`);
          await sleep(50);
        }
      },
    );
    const eventsPerSecond = round(events.length / ((performance.now() - t) / 1000));
    for (const p of procs) await stopProcess(p.proc);
    return { eventsPerSecond, nodeMs: m.nodeMs, pgMs: m.pgMs, natsMs: m.natsMs };
  } finally {
    await producer.destroy();
    await producer.close();
  }
}

/** Waits for `/health/ready` to say ready (models loaded), or fails with its last answer. */
async function waitReadyz(s: Spawned): Promise<void> {
  // Generous: on a shared machine under load, starting a node has taken over a minute.
  await waitReady(s, 240_000);
  let last = '';
  for (const until = Date.now() + 240_000; Date.now() < until; await sleep(200)) {
    const r = await request('GET', `${s.url}/health/ready`, undefined, {}, 5000).catch((e: Error) => ({ status: 0, body: e.message }));
    if (r.status === 200) return;
    last = `${r.status} ${r.body}`;
  }
  throw new Error(`${s.url} not ready: ${last}\n${s.tail()}`);
}

/** The delay from posting an event on `a` to `b` answering with it, for people whose profile `b` has cached. */
async function freshness(a: Spawned, b: Spawned, samples: number) {
  const agentA = makeAgent(2);
  const agentB = makeAgent(2);
  const auth = { authorization: `Bearer ${ADMIN_KEY}` };
  const views = async (user: string) => {
    const r = await request('GET', `${b.url}/v1/users/${user}/profile`, undefined, auth, 60_000, agentB);
    if (r.status !== 200) throw new Error(`profile on B: ${r.status} ${r.body.slice(0, 200)}`);
    const count = (JSON.parse(r.body) as { features?: { events?: Record<string, { count: number }> } }).features?.events?.view?.count;
    if (count === undefined) throw new Error(`profile on B without a view count: ${r.body.slice(0, 200)}`);
    return count;
  };
  const delays: number[] = [];
  const reads: number[] = [];
  for (let i = 0; i < samples; i++) {
    const user = `fresh-${i}`;
    await call('POST', `${a.url}/v1/events`, ADMIN_KEY, [{ messageId: `fresh-seed-${i}`, type: 'view', userId: user, itemId: 'it-00001' }]);
    await sleep(30); // past the first write's notice, so B's next read caches the profile
    const t0 = performance.now();
    const had = await views(user);
    reads.push(performance.now() - t0); // the baseline: one plain read on B, at the same moment
    const r = await request(
      'POST',
      `${a.url}/v1/events`,
      JSON.stringify([{ messageId: `fresh-${i}`, type: 'view', userId: user, itemId: 'it-00002' }]),
      auth,
      60_000,
      agentA,
    );
    if (r.status !== 200) throw new Error(`event on A: ${r.status}`);
    const t = performance.now(); // from A's answer: the event is committed there
    for (;;) {
      if ((await views(user)) > had) break;
      if (performance.now() - t > 60_000) throw new Error(`B never showed ${user}'s event`);
    }
    delays.push(performance.now() - t);
  }
  agentA.destroy();
  agentB.destroy();
  delays.sort((x, y) => x - y);
  reads.sort((x, y) => x - y);
  return {
    p50Ms: round(percentile(delays, 50)),
    p99Ms: round(percentile(delays, 99)),
    maxMs: round(delays[delays.length - 1]),
    plainReadOnB: { p50Ms: round(percentile(reads, 50)), p99Ms: round(percentile(reads, 99)) },
  };
}

await main(async () => {
  const work = tempDir('cluster');
  removeDirLater(work);
  const db = await createPgDatabase('cluster');
  const env = {
    AFIN_DATABASE_URL: db.url,
    AFIN_NATS_URL: NATS_URL,
    AFIN_ADMIN_KEY: ADMIN_KEY,
    AFIN_LLM_URL: '',
    AFIN_LOG_LEVEL: 'warn',
    AFIN_LOG_FORMAT: 'json',
    AFIN_RATE_LIMITS: 'public=1000000,server=1000000,admin=1000000',
  };
  const load = loadavg()[0];

  // The shop: catalogue and history through one node, models trained in a process without NATS (so it
  // trains itself instead of enqueueing for a worker).
  log(`loading ${opts.items} items and ${opts.events} events`);
  let a = await spawnServe(env, work, 'node-a');
  await waitReady(a, 240_000);
  const items = makeItems(opts.items, opts.seed);
  for (let i = 0; i < items.length; i += 1000) await call('PUT', `${a.url}/v1/items`, ADMIN_KEY, items.slice(i, i + 1000));
  const history = makeEvents(opts.events, { users: opts.users, items, prefix: 'hist', seed: opts.seed, now: Date.now() });
  await httpIngest([a], history);
  await stopProcess(a.proc);
  log('training');
  const trainer = spawnNode('train', [...CLI, 'train'], { ...env, AFIN_NATS_URL: '' }, work, 0);
  const trained = await new Promise<number>((r) => trainer.proc.once('exit', (code) => r(code ?? 1)));
  if (trained !== 0) throw new Error(`afin train failed:\n${trainer.tail()}`);

  a = await spawnServe(env, work, 'node-a');
  const b = await spawnServe(env, work, 'node-b');
  log('two nodes started');
  await Promise.all([waitReadyz(a), waitReadyz(b)]);
  // Both nodes warm (models loaded, code paths compiled) before anything is timed.
  await mixedLoad([a, b], 3, opts.connections, opts.seed + 99);

  const store = new PostgresStore({ connectionString: db.url, max: 2 });
  const nodes = [a, b];
  const pids = () => nodes.map((n) => n.proc.pid);
  /** CPU per unit of work, in ms: the nodes (or ingesters), PostgreSQL's backends for this database, NATS (shared, an upper bound). */
  const perUnit = (m: { nodeMs: number; pgMs: number; natsMs: number }, units: number, scale = 1) => ({
    node: round((m.nodeMs / units) * scale, 3),
    postgres: round((m.pgMs / units) * scale, 3),
    natsUpperBound: round((m.natsMs / units) * scale, 3),
  });

  log(`mixed load, ${opts.connections} connections, ${opts.seconds} s: one node`);
  const oneM = await cpuDuring(pids, store, db.name, () => mixedLoad([a], opts.seconds, opts.connections, opts.seed));
  const one = { ...oneM.out, cpuMsPerRequest: perUnit(oneM, oneM.out.requestsPerSecond * opts.seconds) };
  log(`one node: ${one.requestsPerSecond} req/s, p99 ${one.p99Ms} ms; now two nodes`);
  const twoM = await cpuDuring(pids, store, db.name, () => mixedLoad([a, b], opts.seconds, opts.connections, opts.seed + 1));
  const two = { ...twoM.out, cpuMsPerRequest: perUnit(twoM, twoM.out.requestsPerSecond * opts.seconds) };
  log(`two nodes: ${two.requestsPerSecond} req/s, p99 ${two.p99Ms} ms`);

  const fresh = (phase: string) => makeEvents(opts.ingestEvents, { users: opts.users, items, prefix: phase, seed: opts.seed + phase.length, now: Date.now() });
  log(`ingest of ${opts.ingestEvents} events over HTTP: one node, then two`);
  const in1 = await cpuDuring(pids, store, db.name, () => httpIngest([a], fresh('http1')));
  const in2 = await cpuDuring(pids, store, db.name, () => httpIngest([a, b], fresh('http-two')));
  log(`through the stream: one ingester, then two`);
  const tag = Math.random().toString(36).slice(2, 8);
  const st1 = await streamIngest(env, work, store, db.name, fresh('stream1'), 1, `${tag}a`);
  const st2 = await streamIngest(env, work, store, db.name, fresh('stream-two'), 2, `${tag}b`);
  log(`freshness over ${opts.freshness} samples`);
  const fr = await freshness(a, b, opts.freshness);
  await store.close();
  await Promise.all([stopProcess(a.proc), stopProcess(b.proc)]);

  emit({
    bench: 'cluster',
    machine: { cores: cpus().length, loadAtStart: round(load, 1), loadAtEnd: round(loadavg()[0], 1) },
    options: opts,
    mixed: { oneNode: one, twoNodes: two, twoOverOne: round(two.requestsPerSecond / one.requestsPerSecond, 2) },
    ingestEventsPerSecond: { httpOneNode: in1.out, httpTwoNodes: in2.out, streamOneIngester: st1.eventsPerSecond, streamTwoIngesters: st2.eventsPerSecond },
    // Microseconds of CPU per event stored.
    ingestCpuUsPerEvent: {
      httpOneNode: perUnit(in1, opts.ingestEvents, 1000),
      httpTwoNodes: perUnit(in2, opts.ingestEvents, 1000),
      streamOneIngester: perUnit(st1, opts.ingestEvents, 1000),
      streamTwoIngesters: perUnit(st2, opts.ingestEvents, 1000),
    },
    freshnessMs: fr,
    host: HOST,
  });
  return undefined;
});
