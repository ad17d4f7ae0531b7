import type { Config } from '../config.ts';
import type { ChatPorts } from '../converse/ports.ts';
import { IngestService } from '../ingest/ingest-service.ts';
import { KeyService } from '../keys/key-service.ts';
import { ConsentService } from '../privacy/consent.ts';
import { PrivacyService } from '../privacy/privacy-service.ts';
import { WorkspacePrivacySettings } from '../privacy/workspace-settings.ts';
import { ProfileService } from '../profile/profile-service.ts';
import { RecommendService } from '../recommend/recommend-service.ts';
import { RecommendationLog } from '../recommend/recommendation-log.ts';
import type { TrainOptions } from '../recommend/train.ts';
import { ModelTrainer } from '../recommend/trainer.ts';
import { listModels, type ModelInfo } from '../recommend/model-store.ts';
import { openStore, type StoreConfig } from '../store/open-store.ts';
import type { Store } from '../store/store.ts';
import { cachingStore } from '../store/caching-store.ts';
import { SqliteStore } from '../store/sqlite/sqlite-store.ts';
import { sqliteDataVersion, untilForeignCommit } from './foreign-commits.ts';
import { WorkspaceState } from '../recommend/workspace-state.ts';
import type { InvalidationBus } from '../bus/bus.ts';
import { NatsBus } from '../bus/nats-bus.ts';
import { JobQueue } from '../bus/job-queue.ts';
import { NatsTokenBuckets } from '../bus/nats-buckets.ts';
import { ClusterRateLimiter, RateLimiter } from './plugins/rate-limit.ts';
import { AfinMetrics, countPersonCache, countSnapshots } from './plugins/metrics.ts';
import { enqueueTraining } from '../worker/enqueue-training.ts';
import { ExperimentService } from '../experiment/experiment-service.ts';
import { DecisionService } from '../present/decision-service.ts';
import { PredictService } from '../predict/predict-service.ts';
import { ContentService } from '../generate/content-service.ts';
import { LlmWriter } from '../generate/llm-writer.ts';
import { EXPOSURE_COLLECTION, type ExposureBody } from '../experiment/exposure-log.ts';
import type { Profile } from '../profile/profile.ts';
import { SegmentService } from '../integrations/segment/segment-service.ts';
import { VariantService } from '../present/variants.ts';
import { NudgeScheduler, NudgeService } from '../nudge/index.ts';
import { InsightsService } from '../insights/insights-service.ts';

export interface EngineOptions {
  clock?: () => number;
  /** How long a node trusts its caches before it checks the store for other nodes' writes (0: no caches). */
  cacheMaxAgeMs?: number;
  /**
   * Carries invalidation notices between nodes; the engine owns it and closes it. `Engine.open` makes
   * a NatsBus when AFIN_NATS_URL is set.
   */
  bus?: InvalidationBus;
  /**
   * How long caches keep entries while the bus is connected, since other nodes' writes then arrive as
   * notices; the time limit stays as the safety net (default 10 s, never less than cacheMaxAgeMs).
   */
  connectedCacheMaxAgeMs?: number;
  /**
   * The per-person cache's time limit, when it differs from the other caches': `Engine.open` sets it on
   * the embedded store, where an entry holds until another connection commits (see foreign-commits.ts).
   */
  personCacheMaxAge?: () => number;
  /** Where the store lives, so training can run in a worker thread with its own connection. */
  storeConfig?: StoreConfig;
  /** After an erasure, retrain the models this long later (default 60 s; null: never). */
  retrainAfterErasureMs?: number | null;
  /**
   * Background jobs for `afin worker`: trainings are enqueued there instead of run here, and retention
   * is left to the workers. `Engine.open` connects one when both AFIN_NATS_URL and AFIN_DATABASE_URL are
   * set; null: run everything in this process (what a worker itself passes).
   */
  jobs?: JobQueue | null;
  /** Rate limits shared by every node (`Engine.open` makes one when AFIN_NATS_URL is set); absent: per node. */
  limiter?: ClusterRateLimiter;
}

/** `GET /readyz`: each check is `ok`, or why this node should not get traffic yet. */
export interface Readiness {
  ready: boolean;
  checks: Partial<Record<'store' | 'bus' | 'jobs' | 'models', 'ok' | 'unreachable' | 'loading'>>;
}

/** The settings the engine reads (tests pass only some). */
export type EngineConfig = Pick<Config, 'adminKey'> &
  Partial<Pick<Config, 'consentDefaults' | 'retention' | 'rateLimits' | 'allowPrivateUrls' | 'llm' | 'metricsToken'>>;

const EMBEDDED_CACHE_MAX_AGE_MS = 10_000;

/** The composition root: one store, the caches over it, and every slice's service. */
export class Engine {
  readonly state: WorkspaceState;
  readonly consent: ConsentService;
  readonly ingest: IngestService;
  readonly keys: KeyService;
  readonly recLog: RecommendationLog;
  readonly recommend: RecommendService;
  readonly privacy: PrivacyService;
  /** Each workspace's own consent defaults and retention limits (`/v1/settings/privacy`). */
  readonly privacySettings: WorkspacePrivacySettings;
  readonly profiles: ProfileService;
  /** Experiments and the global holdout: the recommend service asks it which strategy serves each person. */
  readonly experiments: ExperimentService;
  readonly insights: InsightsService;
  /** Decision points: which option to show each person (contextual bandits), learnt from events citing a decisionId. */
  readonly decisions: DecisionService;
  /** Churn risk, next purchase and propensity per person, learnt lazily after each training of the models. */
  readonly predictions: PredictService;
  /** Items' presentation variants, chosen per person by their decision point (`?present=true` on recommendations). */
  readonly variants: VariantService;
  /** What the chat assistant needs from the other slices (see converse/ports.ts). */
  readonly chat: ChatPorts;
  /** Generated content: emails and descriptions for one person (embedded writer, or the LLM when configured). */
  readonly content: ContentService;
  /** Segment / RudderStack tracking calls, received as Afín's events through ingest. */
  readonly segment: SegmentService;
  /** Proactive nudges (triggers, guards, channels, review queue); its scheduler runs while `serve` listens. */
  readonly nudges: NudgeService;
  readonly nudgeScheduler: NudgeScheduler;
  readonly clock: () => number;
  /** Prometheus counters (GET /metrics): fed here at the slices' edges, so no slice knows of them. */
  readonly metrics = new AfinMetrics();

  readonly trainer: ModelTrainer;

  readonly store: Store;

  readonly bus?: InvalidationBus;

  /** The job queue trainings go to (absent: this process trains). */
  readonly jobs?: JobQueue;

  /** Keys' rate limits across the cluster (absent: each node limits alone). */
  readonly limiter?: ClusterRateLimiter;

  constructor(
    store: Store,
    readonly config: EngineConfig,
    opts: EngineOptions = {},
  ) {
    this.clock = opts.clock ?? Date.now;
    this.bus = opts.bus;
    this.jobs = opts.jobs ?? undefined;
    this.limiter = opts.limiter;
    // Per-person reads are cached for as long as a node trusts its caches; this node's writes invalidate
    // them, and with a bus, other nodes' writes too, so entries may then live longer.
    const base = opts.cacheMaxAgeMs ?? 1000;
    const bus = opts.bus;
    const connected = opts.connectedCacheMaxAgeMs ?? (base <= 0 ? 0 : Math.max(10_000, base));
    const maxAge = bus ? () => (bus.connected ? connected : base) : base;
    const inner = store;
    this.store = store = countPersonCache(inner, cachingStore(inner, opts.personCacheMaxAge ?? maxAge, undefined, undefined, bus), this.metrics.caches.person);
    this.state = new WorkspaceState(this.store, maxAge, this.clock, bus);
    // Erased people get nothing personal anywhere: the policy asks the suppression list (made just below).
    this.consent = new ConsentService(store, config.consentDefaults, this.clock, (ws, subject) => this.privacy.suppression.isSubjectSuppressed(ws, subject));
    this.recLog = new RecommendationLog(store);
    this.privacy = new PrivacyService(
      {
        store,
        clock: this.clock,
        consent: this.consent,
        recommendationLog: this.recLog,
        otherLogs: () => [this.experiments.log, this.decisions.log],
        priceTerciles: async (ws) => (await this.state.catalog(ws)).terciles,
        invalidate: (ws) => this.state.invalidate(ws),
        retrain: (ws) => this.train(ws),
        predictions: (ws, userId) => this.predictions.peek(ws, userId),
      },
      { retention: config.retention, cacheMaxAgeMs: opts.cacheMaxAgeMs, retrainAfterErasureMs: opts.retrainAfterErasureMs },
    );
    this.privacySettings = new WorkspacePrivacySettings(
      store,
      { consentDefaults: this.consent.defaults, retention: this.privacy.retention.config },
      this.clock,
      opts.cacheMaxAgeMs ?? 1000,
    );
    this.consent.useWorkspaceDefaults((ws) => this.privacySettings.consentDefaults(ws));
    this.privacy.retention.useWorkspaceLimits((ws) => this.privacySettings.retention(ws));
    this.trainer = new ModelTrainer(
      this.store,
      this.state,
      this.clock,
      opts.storeConfig,
      async (ws, failed) => {
        for (const f of failed)
          await this.privacy.audit.record(ws, {
            actor: { source: 'training' },
            action: 'models.train.failed',
            target: f.name,
            detail: { error: f.error.slice(0, 500) },
          });
      },
      this.jobs ? enqueueTraining(this.jobs, this.store, { clock: this.clock }) : undefined,
    );
    this.ingest = new IngestService(
      store,
      this.state,
      this.clock,
      (ws, subject) => this.consent.allows(ws, subject, 'profiling'),
      (ws) => this.privacy.suppression.checker(ws),
      (ws, subjects) => this.consent.allowing(ws, subjects, 'profiling'),
    );
    this.countCalls();
    this.segment = new SegmentService(this.ingest, (ws) => this.privacy.suppression.checker(ws), this.clock);
    this.keys = new KeyService(store, config.adminKey, this.clock, opts.bus);
    this.experiments = new ExperimentService(store, (ws) => this.state.catalog(ws), this.clock, {
      isErased: (ws, subject) => this.privacy.suppression.isSubjectSuppressed(ws, subject),
    });
    this.privacy.retention.addExposureSweep((ws, cutoff) => this.experiments.expire(ws, cutoff));
    this.insights = new InsightsService(store, (ws) => this.state.catalog(ws), this.clock);
    this.recommend = new RecommendService(store, this.state, this.ingest, this.consent, this.recLog, (ws) => this.train(ws), this.clock, this.experiments);
    this.profiles = new ProfileService({
      store,
      clock: this.clock,
      consentState: (ws, id) => this.consent.state(ws, id),
      priceTerciles: async (ws) => (await this.state.catalog(ws)).terciles,
      predictions: (ws, userId) => this.predictions.peek(ws, userId),
    });
    this.decisions = new DecisionService({
      store,
      clock: this.clock,
      subjectOf: (ws, ids) => this.ingest.subjectOf(ws, ids),
      mayPersonalize: async (ws, subject) => (await this.consent.policy(ws, subject)).personalization,
      isErased: (ws, subject) => this.privacy.suppression.isSubjectSuppressed(ws, subject),
      itemExists: async (ws, id) => (await this.ingest.getItem(ws, id)) !== null,
    });
    this.variants = new VariantService({
      store,
      clock: this.clock,
      decisions: this.decisions,
      itemExists: async (ws, id) => (await this.ingest.getItem(ws, id)) !== null,
    });
    // An item's variants and their models go with it (ingest knows nothing of presentation).
    const deleteItem = this.ingest.deleteItem.bind(this.ingest);
    this.ingest.deleteItem = async (ws, id) => {
      const gone = await deleteItem(ws, id);
      if (gone) await this.variants.forgetItem(ws, id);
      return gone;
    };
    this.predictions = new PredictService({
      store,
      clock: this.clock,
      mayProfile: (ws, userId) => this.consent.allows(ws, userId, 'profiling'),
      items: async (ws) => {
        const catalog = await this.state.catalog(ws);
        return (id) => {
          const it = catalog.items[catalog.index.get(id) ?? -1];
          return it && { category: it.categories?.at(-1) ?? null, price: it.price ?? null };
        };
      },
    });
    this.chat = {
      store,
      clock: this.clock,
      catalog: (ws) => this.state.catalog(ws),
      rankFor: (ws, userId, personalize) => this.recommend.rankFor(ws, userId, personalize),
      recommend: (ws, q) => this.recommend.recommend(ws, q),
      recordEvents: (ws, events) => this.ingest.postEvents(ws, events),
      consentOf: (ws, userId) => this.consent.policy(ws, userId),
      withdrawConsent: (ws, userId, purpose) => this.privacy.setConsent(ws, userId, { [purpose]: false, source: 'chat' }, { source: 'chat' }),
      verifyUserToken: (ws, token) => this.keys.userTokens.verify(ws, token),
      takeChatNudge: (ws, userId) => this.nudges.takeChatNudge(ws, userId),
    };
    this.content = new ContentService(
      {
        clock: this.clock,
        docs: store,
        records: store,
        catalog: (ws) => this.state.catalog(ws),
        consentOf: (ws, userId) => this.consent.policy(ws, userId),
        decide: (ws, q) => this.decisions.decide(ws, q),
        person: async (ws, userId) => {
          const [view, raw] = await Promise.all([this.profiles.view(ws, userId), store.getProfile(ws, userId)]);
          const boughtAt = (raw as Profile | null)?.boughtAt ?? {};
          return { ...view, bought: Object.keys(boughtAt).sort((a, b) => boughtAt[b] - boughtAt[a]) };
        },
        recommend: (ws, q) => this.recommend.recommend(ws, q),
        // A piece of content is an exposure like a served list, so its effect is measured the same way.
        exposed: async (ws, e) => {
          const body: ExposureBody = {
            experiment: `content:${e.kind}`,
            variant: e.variant ?? e.by,
            strategy: 'generated',
            propensity: e.propensity ?? 1,
            context: e.kind.startsWith('email') ? 'email' : 'item',
            items: e.itemIds,
            person: e.userId,
          };
          this.experiments.log.add(ws, { collection: EXPOSURE_COLLECTION, id: e.contentId, subject: e.userId, body: { ...body }, createdAt: e.at });
          await this.experiments.log.flush();
        },
        audit: (ws, e) => this.privacy.audit.record(ws, e),
      },
      config.llm ? new LlmWriter({ url: config.llm.url, model: config.llm.model, apiKey: config.llm.apiKey }) : undefined,
    );
    this.nudges = new NudgeService({
      store,
      clock: this.clock,
      consentOf: (ws, userId) => this.consent.policy(ws, userId),
      catalog: (ws) => this.state.catalog(ws),
      predictions: this.predictions,
      recommend: async (ws, userId, n) => (await this.recommend.recommend(ws, { userId, n, context: 'email' })).items.map((i: { id: string }) => i.id),
      email: (ws, userId, goal) => this.content.email(ws, { userId, goal }),
      // A nudge, or its holdout, is an exposure like a served list, so each trigger's effect is measured the same way.
      exposed: async (ws, e) => {
        const body: ExposureBody = {
          experiment: `nudge:${e.trigger}`,
          variant: e.arm,
          strategy: 'nudge',
          propensity: e.propensity,
          context: e.channel,
          items: e.items,
          person: e.userId,
        };
        this.experiments.log.add(ws, { collection: EXPOSURE_COLLECTION, id: e.nudgeId, subject: e.userId, body: { ...body }, createdAt: e.at });
        await this.experiments.log.flush();
      },
      audit: (ws, e) => this.privacy.audit.record(ws, e),
      sent: (channel) => this.metrics.nudgesSent.inc({ channel }),
      heldContent: this.content.review,
      outbound: { allowPrivate: config.allowPrivateUrls ?? false, allowLinkLocal: false },
    });
    this.nudgeScheduler = new NudgeScheduler(
      {
        workspaces: async () => (await this.store.listWorkspaces()).map((w) => w.id),
        run: (ws) => this.nudges.run(ws),
        claim: this.jobs ? (slot) => this.jobs!.claimOnce(`sched.${slot}`) : undefined,
        log: (line) => process.stderr.write(`afin: ${line}\n`),
      },
      this.clock,
    );
  }

  static async open(cfg: Config, opts?: EngineOptions): Promise<Engine> {
    const store = await openStore(cfg);
    // Never fails: an unreachable NATS is logged and retried, and the caches rely on their time limits.
    const bus = opts?.bus ?? (cfg.natsUrl ? await NatsBus.start(cfg.natsUrl) : undefined);
    // Several nodes on PostgreSQL with NATS: trainings and scheduled jobs go to `afin worker`. NATS or
    // JetStream unreachable at start: this node trains in-process, as a single node would.
    const jobs =
      opts?.jobs !== undefined
        ? opts.jobs
        : cfg.natsUrl && cfg.databaseUrl
          ? await JobQueue.connect(cfg.natsUrl).catch((e) => {
              process.stderr.write(`afin: job queue unavailable (${String(e)}): training runs in this process\n`);
              return null;
            })
          : null;
    // NATS down at start or later: each node limits alone until the shared buckets answer again.
    const limiter = opts?.limiter ?? (cfg.natsUrl ? new ClusterRateLimiter(new NatsTokenBuckets(cfg.natsUrl), new RateLimiter()) : undefined);
    // The embedded store has one serving process, whose own writes invalidate its caches: they may keep
    // entries longer (10 s, for a CLI import into the same folder meanwhile). PostgreSQL nodes without a
    // bus see each other's writes within the default second.
    const cacheMaxAgeMs = cfg.databaseUrl ? undefined : EMBEDDED_CACHE_MAX_AGE_MS;
    // Its per-person reads hold until another connection commits to the file (PostgreSQL: no such counter).
    const personCacheMaxAge = store instanceof SqliteStore && opts?.cacheMaxAgeMs === undefined ? untilForeignCommit(sqliteDataVersion(store.db)) : undefined;
    const engine = new Engine(store, cfg, {
      storeConfig: { databaseUrl: cfg.databaseUrl, dataDir: cfg.dataDir },
      cacheMaxAgeMs,
      personCacheMaxAge,
      ...opts,
      bus,
      jobs,
      limiter,
    });
    await store.createWorkspace({ id: 'default', name: 'Default', createdAt: engine.clock() });
    return engine;
  }

  private warm: Promise<void> | null = null;
  private lastReadiness: { at: number; value: Promise<Readiness> } | null = null;

  /**
   * Whether this node should get traffic: the store answers, the bus and the job queue (when
   * configured) are connected, and the default workspace's stored models are loaded in memory (the
   * first check starts loading them; a workspace with none is ready). Judged at most once a second,
   * since the route needs no key.
   */
  readiness(): Promise<Readiness> {
    const now = Date.now();
    if (this.lastReadiness && now - this.lastReadiness.at < 1000) return this.lastReadiness.value;
    const value = this.checkReadiness();
    this.lastReadiness = { at: now, value };
    return value;
  }

  private async checkReadiness(): Promise<Readiness> {
    const checks: Readiness['checks'] = {};
    const within = <T>(p: Promise<T>, ms: number) =>
      Promise.race([p, new Promise<never>((_, reject) => setTimeout(() => reject(new Error('timeout')), ms).unref())]);
    checks.store = await within(this.store.listWorkspaces(), 2000).then(
      () => 'ok' as const,
      () => 'unreachable' as const,
    );
    if (this.bus) checks.bus = this.bus.connected ? 'ok' : 'unreachable';
    if (this.jobs) checks.jobs = this.jobs.connected ? 'ok' : 'unreachable';
    if (checks.store === 'ok') {
      this.warm ??= (async () => {
        for (const m of await listModels(this.store, 'default')) await this.state.model('default', m.name);
      })();
      const w = this.warm;
      w.catch(() => this.warm === w && (this.warm = null)); // a failed load is retried at the next check
      checks.models = await within(w, 100).then(
        () => 'ok' as const,
        (e: Error) => (e.message === 'timeout' ? ('loading' as const) : ('unreachable' as const)),
      );
    }
    return { ready: Object.values(checks).every((c) => c === 'ok'), checks };
  }

  /**
   * Feeds the metrics from the ingest and training services' answers: every caller (routes, Segment,
   * chat, the demo loader) goes through these two methods, so wrapping them here counts them all.
   */
  private countCalls(): void {
    const post = this.ingest.postEvents.bind(this.ingest);
    this.ingest.postEvents = async (...args) => {
      const r = await post(...args);
      this.metrics.countEvents(r);
      return r;
    };
    const train = this.trainer.train.bind(this.trainer);
    this.trainer.train = async (...args) => {
      const infos = await train(...args);
      for (const i of infos) this.metrics.trainings.observe({ model: i.name }, i.seconds);
      return infos;
    };
    this.metrics.attach({ models: () => listModels(this.store, 'default'), clock: this.clock });
    countSnapshots(this.state, 'catalog', this.metrics.caches.catalog);
    countSnapshots(this.state, 'model', this.metrics.caches.model);
  }

  /** Trains the workspace's models now (see ModelTrainer). */
  train(ws: string, opts: Partial<TrainOptions> = {}): Promise<ModelInfo[]> {
    return this.trainer.train(ws, opts);
  }

  async close(): Promise<void> {
    this.privacy.stop();
    await this.nudgeScheduler.stop();
    await this.recLog.close();
    await this.experiments.close();
    await this.decisions.close();
    await this.bus?.close();
    await this.jobs?.close();
    await this.limiter?.close();
    await this.store.close();
  }
}
