/**
 * The presentation policies' cost. Two parts, one JSON line:
 *
 * 1. In-process, one core: decisions per second for 20 options over 50 features (the issue's target:
 *    ≥ 10,000/s), per policy (uniform, ε-greedy, LinUCB, Thompson, hybrid LinUCB), once the arms have
 *    learnt some rewards; and the cost of one update (one reward learnt), in microseconds.
 * 2. Over HTTP: `POST /v1/decide` req/s (20 options with features, people rotating, a public key) and the
 *    built-in `send-time` point (24 hours from each person's history), against `afin serve` on a fresh
 *    store, side by side with a bare Fastify route (its own process) that parses a JSON body of the same
 *    size and answers.
 *
 *   node bin/run-ts.mjs bench/bandit.ts [--seconds 10] [--warmup 2] [--connections 16] [--people 500]
 *     [--policy-seconds 1] [--seed 1] [--log-level warn]
 */
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { choose, learnOption, type Arms, type PolicyOption, type PolicySpec } from '../src/present/policies/policies.ts';
import { hybridLearn, hybridProbabilities, newHybrid } from '../src/present/policies/hybrid.ts';
import { draw } from '../src/present/policies/policies.ts';
import { gaussian } from '../src/stats/random.ts';
import {
  HOST,
  type LoadFigures,
  call,
  emit,
  loadRun,
  log,
  main,
  parseArgs,
  removeDirLater,
  rng,
  round,
  serverErrors,
  spawnAfin,
  spawnBare,
  stopProcess,
  tempDir,
  waitReady,
} from './lib.ts';

const opts = parseArgs({
  seconds: 10,
  warmup: 2,
  connections: 16,
  people: 500,
  policySeconds: 1,
  seed: 1,
  logLevel: 'warn',
  startupSeconds: 120,
});

const ADMIN_KEY = 'bench-admin-key-0123456789';
const OPTIONS = 20;
const FEATURES = 50;

/**
 * Runs `step` for about `seconds` (checking the clock every 64 calls), after a fifth of that to warm
 * the JIT. Answers calls per wall second and per CPU second of this process: on a shared machine the
 * second is what one core does, whatever else runs beside it.
 */
function perSecond(seconds: number, step: (i: number) => void): { wall: number; cpu: number } {
  const warm = performance.now();
  for (let n = 0; performance.now() - warm < seconds * 200; ) for (let k = 0; k < 64; k++) step(n++);
  const t0 = performance.now();
  const c0 = process.cpuUsage();
  let n = 0;
  while (performance.now() - t0 < seconds * 1000) for (let k = 0; k < 64; k++) step(n++);
  const c = process.cpuUsage(c0);
  return { wall: n / ((performance.now() - t0) / 1000), cpu: n / ((c.user + c.system) / 1e6) };
}

/** Decisions/s and update cost per policy, in this process, on seeded random vectors. */
function policyFigures() {
  const r = rng(opts.seed);
  const vec = (d: number) => Float64Array.from({ length: d }, () => gaussian(r) / Math.sqrt(d));
  // 64 contexts to rotate through, each with its 20 options' vectors.
  const rounds = Array.from({ length: 64 }, () => Array.from({ length: OPTIONS }, (_, a): PolicyOption => ({ key: `o${a}`, x: vec(FEATURES) })));
  const arms: Arms = {};
  // Warm: 2,000 learnt rewards, so every arm is past its prior.
  for (let i = 0; i < 2000; i++) {
    const o = rounds[i % 64][i % OPTIONS];
    learnOption(arms, o.key, o.x, r() < 0.3 ? 1 : 0);
  }
  const specs: Record<string, PolicySpec> = {
    uniform: { kind: 'uniform' },
    epsilonGreedy: { kind: 'epsilon-greedy', epsilon: 0.1 },
    linucb: { kind: 'linucb', alpha: 1, floor: 0.05 },
    thompson: { kind: 'thompson', v: 0.5, floor: 0.05, samples: 64 },
  };
  const decisionsPerSec: Record<string, number> = {};
  const decisionsPerCpuSec: Record<string, number> = {};
  const record = (name: string, rate: { wall: number; cpu: number }) => {
    decisionsPerSec[name] = round(rate.wall, 0);
    decisionsPerCpuSec[name] = round(rate.cpu, 0);
    log(`${name}: ${decisionsPerSec[name]} decisions/s, ${decisionsPerCpuSec[name]} per CPU second (${OPTIONS} options, ${FEATURES} features)`);
  };
  for (const [name, spec] of Object.entries(specs))
    record(
      name,
      perSecond(opts.policySeconds, (i) => choose(spec, arms, rounds[i % 64], r)),
    );
  // Hybrid LinUCB: x = 10 context features per option, z = the 50 shared ones.
  const own = rounds.map(() => vec(10));
  const hybrid = newHybrid(10, FEATURES);
  for (let i = 0; i < 500; i++) hybridLearn(hybrid, { key: `o${i % OPTIONS}`, x: own[i % 64], z: rounds[i % 64][i % OPTIONS].x }, r() < 0.3 ? 1 : 0);
  record(
    'hybridLinucb',
    perSecond(opts.policySeconds, (i) => {
      const c = i % 64;
      draw(
        hybridProbabilities(
          hybrid,
          rounds[c].map((o) => ({ key: o.key, x: own[c], z: o.x })),
          1,
          0.05,
        ),
        r,
      );
    }),
  );

  // One reward learnt: Sherman–Morrison on a 50×50 inverse (disjoint), algorithm 2's update (hybrid); CPU µs.
  const ridge = perSecond(opts.policySeconds, (i) => learnOption(arms, `o${i % OPTIONS}`, rounds[i % 64][i % OPTIONS].x, i % 3 === 0 ? 1 : 0));
  const hybridUpdate = perSecond(opts.policySeconds, (i) =>
    hybridLearn(hybrid, { key: `o${i % OPTIONS}`, x: own[i % 64], z: rounds[i % 64][i % OPTIONS].x }, i % 3 === 0 ? 1 : 0),
  );
  const updateMicros = { ridge: round(1e6 / ridge.cpu, 1), hybrid: round(1e6 / hybridUpdate.cpu, 1) };
  log(`update: ${updateMicros.ridge} µs CPU (ridge arm, d ${FEATURES}), ${updateMicros.hybrid} µs CPU (hybrid, d 10, k ${FEATURES})`);
  return { decisionsPerSec, decisionsPerCpuSec, updateMicros };
}

await main(async () => {
  const policies = policyFigures();

  const work = tempDir('bandit');
  removeDirLater(work);
  const afin = await spawnAfin(
    {
      AFIN_DATA_DIR: join(work, 'data'),
      AFIN_ADMIN_KEY: ADMIN_KEY,
      AFIN_LOG_LEVEL: opts.logLevel,
      // All the load comes through one public key: the bench measures the decision path, not the limiter.
      AFIN_RATE_LIMITS: 'public=1000000',
    },
    work,
  );
  await waitReady(afin, opts.startupSeconds * 1000);
  const bare = await spawnBare({ BARE_LOG_LEVEL: opts.logLevel === 'warn' ? 'silent' : opts.logLevel }, work);
  await waitReady(bare, 60_000);

  // People with some history (so profiles and activity hours exist), a public key as a site embeds.
  const r = rng(opts.seed + 1);
  const people = Array.from({ length: opts.people }, (_, i) => `p${i}`);
  const now = Date.now();
  for (let s = 0; s < people.length; s += 100) {
    const events = people.slice(s, s + 100).flatMap((u) =>
      Array.from({ length: 8 }, (_, k) => ({
        type: k % 4 ? 'view' : 'click',
        userId: u,
        itemId: `i${Math.floor(r() * 50)}`,
        timestamp: new Date(now - Math.floor(r() * 20 * 86_400_000)).toISOString(),
      })),
    );
    await call('POST', `${afin.url}/v1/events`, ADMIN_KEY, events);
  }
  const { key } = await call<{ key: string }>('POST', `${afin.url}/v1/keys`, ADMIN_KEY, { scope: 'public', name: 'bench' });
  const auth = { authorization: `Bearer ${key}` };
  const tones = ['calm', 'loud', 'playful', 'plain'];
  const decideBodies = people.map((u) =>
    JSON.stringify({
      userId: u,
      point: 'home-hero',
      context: { device: r() < 0.6 ? 'mobile' : 'desktop', page: 'home' },
      options: Array.from({ length: OPTIONS }, (_, a) => ({ id: `hero-${a}`, features: { tone: tones[a % 4], discount: a % 3 === 0 } })),
    }),
  );
  const sendTimeBodies = people.map((u) => JSON.stringify({ userId: u, point: 'send-time', timeZone: 'Europe/Madrid' }));
  const sample = await call<{ option: string }>('POST', `${afin.url}/v1/decide`, key, JSON.parse(decideBodies[0]));
  if (!sample.option) throw new Error(`no decision: ${JSON.stringify(sample)}`);

  const plan: Array<[string, string, string, string[], Record<string, string>]> = [
    // The bare route parses the same JSON body and answers a small object: what HTTP and JSON cost.
    ['bare', bare.url, '/v1/events', decideBodies, {}],
    ['decide', afin.url, '/v1/decide', decideBodies, auth],
    ['sendTime', afin.url, '/v1/decide', sendTimeBodies, auth],
  ];
  const http: Record<string, LoadFigures> = {};
  for (const [label, url, path, bodies, headers] of plan) {
    const run = (seconds: number) => loadRun({ url, path, bodies, headers, connections: opts.connections, seconds });
    if (opts.warmup > 0) await run(opts.warmup);
    const f = await run(opts.seconds);
    http[label] = f;
    log(`${label}: ${f.rps} req/s, p50 ${f.p50Ms} ms, p99 ${f.p99Ms} ms, non-2xx ${f.non2xx}, errors ${f.errors}`);
    if (label !== 'bare' && (f.non2xx || f.errors)) for (const l of serverErrors(afin)) log(`afin log: ${l}`);
  }
  await stopProcess(bare.proc);
  await stopProcess(afin.proc);

  emit({
    bench: 'bandit',
    node: process.version,
    cpus: cpus().length,
    // The machine is shared: the 1-minute load average at the end says how much of it the bench had.
    loadAvg1: round(loadavg()[0], 1),
    host: HOST,
    options: OPTIONS,
    features: FEATURES,
    decisionsPerSec: policies.decisionsPerSec,
    decisionsPerCpuSec: policies.decisionsPerCpuSec,
    decisionsTarget: 10_000,
    linucbMeetsTarget: policies.decisionsPerCpuSec.linucb >= 10_000,
    updateMicros: policies.updateMicros,
    seconds: opts.seconds,
    connections: opts.connections,
    people: opts.people,
    decide_rps: http.decide.rps,
    sendTime_rps: http.sendTime.rps,
    bare_rps: http.bare.rps,
    ratio: round(http.decide.rps / http.bare.rps, 3),
    http,
  });
  return Object.values(http).some((f) => f.non2xx > 0 || f.errors > 0) ? 1 : 0;
});
