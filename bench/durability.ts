/**
 * Durability of acknowledged writes: SIGKILLs `afin serve` mid-ingest, round after round, on the same
 * store, while a client posts batches of events with unique messageIds and remembers every messageId
 * of a batch answered 2xx. Then restarts the server and checks each acknowledged messageId is stored:
 * directly in the store (SQLite file opened read-only, or a PostgreSQL query), and by reposting every
 * acknowledged batch, which the server must count entirely as duplicates.
 *
 *   node bin/run-ts.mjs bench/durability.ts [--rounds 10] [--store sqlite|postgres] [--concurrency 4]
 *     [--batch 200] [--seed 1] [--min-kill-ms 300] [--max-kill-ms 2500]
 *
 * Prints progress on stderr and one JSON line on stdout; exits 1 if an acknowledged event is missing.
 * SIGKILL tests that the server answers only after its commit; it does not test an OS crash or a power
 * cut (the kernel still holds unsynced pages after a process dies).
 */
import { cpus } from 'node:os';
import { join } from 'node:path';
import {
  call,
  createPgDatabase,
  emit,
  log,
  main,
  makeAgent,
  parseArgs,
  removeDirLater,
  request,
  rng,
  sleep,
  spawnAfin,
  stopProcess,
  tempDir,
  waitReady,
  type Spawned,
} from './lib.ts';
import { checkPg, checkSqlite, type StoreCheck } from './store-check.ts';
import { makeEvents, makeItems } from './workload.ts';

const opts = parseArgs({
  rounds: 10,
  store: 'sqlite',
  concurrency: 4,
  batch: 200,
  seed: 1,
  minKillMs: 300,
  maxKillMs: 2500,
  /** Upper bound on the batches one round may post, whatever the kill delay. */
  maxBatchesPerRound: 2000,
  logLevel: 'warn',
});

const KEY = 'bench-admin-key-0123456789';

await main(async () => {
  if (opts.store !== 'sqlite' && opts.store !== 'postgres') throw new Error(`--store must be sqlite or postgres, got "${opts.store}"`);
  if (opts.rounds < 1 || opts.rounds > 1000) throw new Error('--rounds must be 1..1000');
  if (opts.batch < 1 || opts.batch > 1000) throw new Error('--batch must be 1..1000');
  if (opts.maxKillMs < opts.minKillMs) throw new Error('--max-kill-ms must be at least --min-kill-ms');
  const rand = rng(opts.seed);
  const work = tempDir('durability');
  removeDirLater(work);
  const dataDir = join(work, 'data');
  const env: Record<string, string> = { AFIN_ADMIN_KEY: KEY, AFIN_DATA_DIR: dataDir, AFIN_LOG_LEVEL: opts.logLevel };
  let check: () => Promise<StoreCheck>;
  if (opts.store === 'postgres') {
    const db = await createPgDatabase('durability');
    log(`created database ${db.name}`);
    env.AFIN_DATABASE_URL = db.url;
    check = () => checkPg(db.url, true);
  } else {
    check = async () => checkSqlite(dataDir, true);
  }

  const items = makeItems(200, opts.seed);
  const acked: string[] = []; // messageIds of acknowledged batches
  const ackedBodies: string[] = []; // those batches, to replay
  let sent = 0,
    unacknowledgedBatches = 0,
    inFlightAtKill = 0,
    rejected = 0,
    duplicatesSeen = 0;
  const roundLog: Array<{ round: number; killAfterMs: number; acknowledged: number; failed: number; inFlight: number }> = [];

  const start = async (label: string): Promise<Spawned> => {
    const s = await spawnAfin(env, work, label);
    const t0 = performance.now();
    await waitReady(s, 60_000);
    log(`${label}: ready in ${Math.round(performance.now() - t0)} ms on port ${s.port}`);
    return s;
  };

  for (let r = 1; r <= opts.rounds; r++) {
    const s = await start(`round-${r}`);
    if (r === 1) await call('PUT', `${s.url}/v1/items`, KEY, items);
    const agent = makeAgent(opts.concurrency);
    let stop = false,
      inFlight = 0,
      batchNo = 0,
      roundAcked = 0,
      roundFailed = 0;
    const worker = async () => {
      while (!stop && batchNo < opts.maxBatchesPerRound) {
        const b = batchNo++;
        const events = makeEvents(opts.batch, { users: 500, items, prefix: `d-r${r}-b${b}`, seed: opts.seed * 1_000_003 + r * 10_007 + b, now: Date.now() });
        const body = JSON.stringify(events);
        inFlight++;
        sent += events.length;
        try {
          const res = await request('POST', `${s.url}/v1/events`, body, { authorization: `Bearer ${KEY}` }, 30_000, agent);
          if (res.status >= 200 && res.status < 300) {
            const j = JSON.parse(res.body) as { accepted: number; duplicates: number; rejected: unknown[] };
            rejected += j.rejected.length;
            duplicatesSeen += j.duplicates;
            for (const e of events) acked.push(e.messageId);
            ackedBodies.push(body);
            roundAcked++;
          } else {
            roundFailed++;
            unacknowledgedBatches++;
            if (!stop) log(`round ${r}: HTTP ${res.status} before the kill: ${res.body.slice(0, 200)}`);
          }
        } catch {
          roundFailed++;
          unacknowledgedBatches++;
        } finally {
          inFlight--;
        }
      }
    };
    const workers = Array.from({ length: opts.concurrency }, worker);
    const killAfterMs = Math.round(opts.minKillMs + rand() * (opts.maxKillMs - opts.minKillMs));
    await sleep(killAfterMs);
    // Kill while requests are in flight (almost always true at once; bounded wait otherwise).
    for (let i = 0; i < 2000 && inFlight === 0 && batchNo < opts.maxBatchesPerRound; i++) await sleep(1);
    const inFlightNow = inFlight;
    s.proc.kill('SIGKILL');
    stop = true;
    await Promise.all(workers);
    await stopProcess(s.proc, 'SIGKILL');
    agent.destroy();
    inFlightAtKill += inFlightNow;
    roundLog.push({ round: r, killAfterMs, acknowledged: roundAcked, failed: roundFailed, inFlight: inFlightNow });
    log(
      `round ${r}/${opts.rounds}: SIGKILL after ${killAfterMs} ms with ${inFlightNow} requests in flight; ${roundAcked} batches acknowledged, ${roundFailed} not`,
    );
  }

  // Restart on the same store, then check every acknowledged event.
  const s = await start('final');
  const { ids: storedIds, integrity, profileMismatches, eventsMissingFromProfiles } = await check();
  const ids = storedIds!;
  let missing = 0;
  const missingSample: string[] = [];
  for (const id of acked)
    if (!ids.has(id)) {
      missing++;
      if (missingSample.length < 5) missingSample.push(id);
    }
  const ackedSet = new Set(acked);
  let storedUnacknowledged = 0;
  for (const id of ids) if (id.startsWith('d-') && !ackedSet.has(id)) storedUnacknowledged++;
  log(`direct read: ${ids.size} events stored, ${missing} acknowledged missing, ${storedUnacknowledged} stored without acknowledgement (in flight at a kill)`);
  if (profileMismatches)
    log(`note: ${profileMismatches} profiles do not count all their stored events (${eventsMissingFromProfiles} events missing from profiles)`);

  let duplicatesOnReplay = 0,
    acceptedOnReplay = 0,
    replayErrors = 0;
  const agent = makeAgent(opts.concurrency);
  let next = 0;
  await Promise.all(
    Array.from({ length: opts.concurrency }, async () => {
      while (next < ackedBodies.length) {
        const body = ackedBodies[next++];
        try {
          const res = await request('POST', `${s.url}/v1/events`, body, { authorization: `Bearer ${KEY}` }, 60_000, agent);
          if (res.status !== 200) throw new Error(`HTTP ${res.status}: ${res.body.slice(0, 200)}`);
          const j = JSON.parse(res.body) as { accepted: number; duplicates: number };
          duplicatesOnReplay += j.duplicates;
          acceptedOnReplay += j.accepted;
        } catch (e) {
          replayErrors++;
          if (replayErrors <= 3) log(`replay failed: ${(e as Error).message}`);
        }
      }
    }),
  );
  agent.destroy();
  log(`replay: ${duplicatesOnReplay} duplicates, ${acceptedOnReplay} accepted as new, ${replayErrors} failed batches`);
  await stopProcess(s.proc);

  emit({
    bench: 'durability',
    store: opts.store,
    rounds: opts.rounds,
    acknowledged: acked.length,
    missing,
    duplicatesOnReplay,
    acceptedOnReplay,
    replayErrors,
    sent,
    unacknowledgedBatches,
    storedUnacknowledged,
    inFlightAtKill,
    rejected,
    duplicatesWhileIngesting: duplicatesSeen,
    integrity,
    profileMismatches,
    eventsMissingFromProfiles,
    batchSize: opts.batch,
    concurrency: opts.concurrency,
    seed: opts.seed,
    missingSample,
    killsMs: roundLog.map((x) => x.killAfterMs),
    node: process.version,
    cpus: cpus().length,
  });
  const ok = missing === 0 && acceptedOnReplay === 0 && replayErrors === 0 && duplicatesOnReplay === acked.length;
  if (!ok) log('FAILED: acknowledged events were lost (or the replay could not confirm them)');
  return ok ? 0 : 1;
});
