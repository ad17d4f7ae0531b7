// Afín's client: a typed client for the HTTP contract, plus the browser conveniences (identify, track,
// page, alias; an anonymous id in localStorage; batching, retry with backoff, delivery on page hide;
// a consent gate). One plain ES module with no dependencies and no build step: Node imports it as
// `afin/client`, a browser loads the very same file from the server as `/sdk.js`. Its types are in
// index.d.ts beside it (checked by tsc, and against this file by test/client/).

const PURPOSES = ['personalization', 'profiling', 'marketing', 'chatMemory'];
const STORE_PREFIX = 'afin.';
/** A keepalive request may carry at most 64 KB; the page-hide flush stays under it. */
const KEEPALIVE_BYTES = 60_000;

/** An answer of the API with a 4xx or 5xx status, carrying the contract's `{ error: { code, message, field } }`. */
export class AfinApiError extends Error {
  constructor(status, body, requestId) {
    const e = body && typeof body === 'object' && body.error ? body.error : {};
    super(e.message || `HTTP ${status}`);
    this.name = 'AfinApiError';
    this.status = status;
    this.code = e.code || 'http_error';
    this.field = e.field;
    this.body = body;
    this.requestId = requestId;
  }
}

function randomId(prefix) {
  const c = globalThis.crypto;
  if (c && typeof c.randomUUID === 'function') return prefix + c.randomUUID();
  const b = new Uint8Array(16);
  if (c && typeof c.getRandomValues === 'function') c.getRandomValues(b);
  else for (let i = 0; i < 16; i++) b[i] = Math.floor(Math.random() * 256);
  return prefix + Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
}

/** Storage that forgets at the end of the process (Node, or a browser without localStorage). */
export function memoryStorage() {
  const m = new Map();
  return {
    getItem: (k) => (m.has(k) ? m.get(k) : null),
    setItem: (k, v) => void m.set(k, String(v)),
    removeItem: (k) => void m.delete(k),
  };
}

function defaultStorage() {
  try {
    const s = globalThis.localStorage;
    if (s) {
      s.setItem('afin.probe', '1');
      s.removeItem('afin.probe');
      return s;
    }
  } catch {
    // localStorage can throw (disabled cookies, private modes): fall back to memory.
  }
  return memoryStorage();
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

function query(params) {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params || {})) {
    if (v === undefined || v === null) continue;
    q.set(k, Array.isArray(v) ? v.join(',') : String(v));
  }
  const s = q.toString();
  return s ? `?${s}` : '';
}

const enc = encodeURIComponent;

export class AfinClient {
  constructor(options) {
    const o = options || {};
    if (!o.key) throw new TypeError('AfinClient: `key` is required (a public key in a browser, a server key on a server)');
    const loc = globalThis.location;
    this.baseUrl = String(o.baseUrl || loc?.origin || 'http://127.0.0.1:7070').replace(/\/+$/, '');
    this.key = o.key;
    this.userToken = o.userToken;
    this.workspace = o.workspace;
    this.fetch = o.fetch || globalThis.fetch.bind(globalThis);
    this.storage = o.storage || defaultStorage();
    this.batchSize = Math.max(1, Math.min(1000, o.batchSize || 20));
    this.flushInterval = o.flushInterval ?? 1000;
    this.maxRetries = o.maxRetries ?? 6;
    this.retryBaseMs = o.retryBaseMs ?? 500;
    this.maxQueue = o.maxQueue || 1000;
    this.consentRequired = Boolean(o.consent?.required);
    this.onError = o.onError || null;
    this._timer = null;
    this._flushing = null;
    this._attempt = 0;
    this._memoryId = null;
    this._consent = this._read('consent') || {};
    if (o.consent?.given) this._consent = { ...this._consent, ...o.consent.given };
    this._userId = o.userId ?? this._read('userId') ?? null;
    this._queue = this._allowed('profiling') ? this._read('queue') || [] : [];
    if (o.autoFlush !== false) this._listenForPageHide();
    // Events queued by an earlier page (a reload, a closed tab) go out now.
    if (this._queue.length && o.autoFlush !== false) this._schedule(0);
  }

  // ---- storage -------------------------------------------------------------------------------

  _read(name) {
    try {
      const v = this.storage.getItem(STORE_PREFIX + name);
      return v === null ? null : JSON.parse(v);
    } catch {
      return null;
    }
  }

  _write(name, value) {
    try {
      if (value === null || value === undefined) this.storage.removeItem(STORE_PREFIX + name);
      else this.storage.setItem(STORE_PREFIX + name, JSON.stringify(value));
    } catch {
      // A full or disabled storage only costs persistence across reloads.
    }
  }

  // ---- identity and consent --------------------------------------------------------------------

  /**
   * This visitor's anonymous id. Kept in storage across visits, except while the shop requires opt-in
   * and profiling is not accepted: then it lives only as long as the page, so nothing is stored on the
   * device without consent.
   */
  get anonymousId() {
    if (!this._allowed('profiling')) return (this._memoryId ??= randomId('anon-'));
    let id = this._read('anonymousId');
    if (!id) {
      id = this._memoryId || randomId('anon-');
      this._write('anonymousId', id);
    }
    return id;
  }

  get userId() {
    return this._userId;
  }

  /** What the visitor accepted, per purpose. */
  get consent() {
    const out = {};
    for (const p of PURPOSES) out[p] = this._allowed(p);
    return out;
  }

  _allowed(purpose) {
    return !this.consentRequired || (this._consent && this._consent[purpose] === true);
  }

  /**
   * Records what the visitor accepted (from the shop's consent banner). Withdrawing profiling drops the
   * queued events and the stored ids. This is the browser's gate; the shop's backend records consent in
   * Afín itself with `setUserConsent` (a server key).
   */
  setConsent(purposes) {
    for (const p of Object.keys(purposes || {})) if (!PURPOSES.includes(p)) throw new TypeError(`setConsent: unknown purpose "${p}"`);
    this._consent = { ...this._consent, ...purposes };
    this._write('consent', this._consent);
    if (!this._allowed('profiling')) {
      this._queue = [];
      this._write('queue', null);
      this._write('anonymousId', null);
      this._write('userId', null);
    } else if (this._userId) this._write('userId', this._userId);
    return this.consent;
  }

  /** The person the queued events name: the signed-in user, else this visitor. */
  _who() {
    return this._userId ? { userId: this._userId, anonymousId: this.anonymousId } : { anonymousId: this.anonymousId };
  }

  /**
   * The visitor signed in as `userId`: later events carry both ids. With `traits` the user is saved too
   * (a server key: a browser's public key cannot write users). Linking the anonymous history is the
   * shop backend's call (`alias`, a server key), never the browser's own.
   */
  async identify(userId, traits) {
    if (!userId) throw new TypeError('identify: userId is required');
    this._userId = userId;
    if (this._allowed('profiling')) this._write('userId', userId);
    if (traits) return this.putUser(userId, traits);
    return null;
  }

  /** Links this visitor's anonymous history to `userId` (or the identified user). Needs a server key. */
  alias(userId, anonymousId) {
    const to = userId || this._userId;
    if (!to) throw new TypeError('alias: userId is required (or identify first)');
    return this.request('POST', '/v1/alias', { anonymousId: anonymousId || this.anonymousId, userId: to });
  }

  /** Signs out: later events are anonymous again, under a fresh anonymous id. */
  reset() {
    this._userId = null;
    this._memoryId = null;
    this._write('userId', null);
    this._write('anonymousId', null);
  }

  // ---- events: queue, batching, retry, page hide ----------------------------------------------

  /**
   * Queues one event for this visitor (`view`, `click`, `add_to_cart`, `purchase`, …). Returns false
   * when the consent gate refused it. Each event gets its messageId now, so a retry or a replay after
   * a reload is recognised as a duplicate by the engine, never counted twice.
   */
  track(type, fields) {
    if (!this._allowed('profiling')) return false;
    const e = { messageId: randomId('evt_'), type, ...this._who(), timestamp: new Date().toISOString(), ...(fields || {}) };
    if (!e.channel && globalThis.document) e.channel = 'web';
    this._queue.push(e);
    if (this._queue.length > this.maxQueue) this._queue.splice(0, this._queue.length - this.maxQueue);
    this._write('queue', this._queue);
    this._schedule(this._queue.length >= this.batchSize ? 0 : this.flushInterval);
    return true;
  }

  /**
   * A page view. Afín learns from what people look at, so a product page (`itemId`) is recorded as a
   * `view` of that item, with the page's address and title; other pages record nothing.
   */
  page(fields) {
    const f = fields || {};
    if (!f.itemId) return false;
    const doc = globalThis.document;
    const { itemId, properties, ...rest } = f;
    const props = { ...(doc ? { url: globalThis.location.href, title: doc.title, referrer: doc.referrer || undefined } : {}), ...(properties || {}) };
    return this.track('view', { itemId, ...rest, properties: props });
  }

  /** Events waiting to be sent (also those kept from an earlier page). */
  get queued() {
    return this._queue.length;
  }

  _schedule(ms) {
    if (this._timer !== null) {
      if (ms > 0) return;
      clearTimeout(this._timer);
    }
    this._timer = setTimeout(() => {
      this._timer = null;
      this.flush().catch(() => {});
    }, ms);
    // In Node, a pending flush must not keep the process alive on its own.
    if (this._timer && typeof this._timer.unref === 'function') this._timer.unref();
  }

  /**
   * Sends everything queued, in batches of `batchSize`. An event leaves the queue only once the engine
   * acknowledged it (or refused it as invalid); on a network error, a 429 or a 5xx the rest waits and
   * is retried with exponential backoff. Resolves when the queue is empty or a retry is scheduled.
   */
  flush() {
    this._flushing ??= this._flushAll().finally(() => {
      this._flushing = null;
    });
    return this._flushing;
  }

  async _flushAll() {
    while (this._queue.length) {
      const batch = this._queue.slice(0, this.batchSize);
      let res;
      try {
        res = await this._send('POST', '/v1/events', batch);
      } catch (e) {
        return this._retryLater(e, null);
      }
      if (res.status === 429 || res.status >= 500) return this._retryLater(new AfinApiError(res.status, await res.json().catch(() => null)), res);
      const body = await res.json().catch(() => null);
      // Sent: drop these from the queue (a 4xx means the events themselves are bad; resending cannot help).
      const sent = new Set(batch.map((e) => e.messageId));
      this._queue = this._queue.filter((e) => !sent.has(e.messageId));
      this._write('queue', this._queue);
      this._attempt = 0;
      if (!res.ok) this._report(new AfinApiError(res.status, body));
      else if (body?.rejected?.length)
        this._report(new AfinApiError(400, { error: { code: 'invalid_body', message: body.rejected[0].error, field: body.rejected[0].field } }));
    }
  }

  _retryLater(err, res) {
    this._attempt++;
    this._report(err);
    if (this._attempt > this.maxRetries) {
      // Given up for now; the events stay stored and go out with the next event or page.
      this._attempt = 0;
      return;
    }
    const after = res && Number(res.headers.get('retry-after'));
    const backoff = Math.min(30_000, this.retryBaseMs * 2 ** (this._attempt - 1)) * (0.5 + Math.random() / 2);
    this._schedule(after > 0 ? after * 1000 : backoff);
  }

  _report(err) {
    if (this.onError) {
      try {
        this.onError(err);
      } catch {
        // The host's error handler must not break delivery.
      }
    }
  }

  /**
   * When the page is hidden or closed, the queue goes out in one `keepalive` request: the beacon of
   * the fetch API, which outlives the page as `navigator.sendBeacon` does but, unlike it, can carry
   * the Authorization header the API needs. Events stay stored until acknowledged, so whatever did
   * not arrive is sent again (as duplicates the engine ignores) on the next page.
   */
  _listenForPageHide() {
    const doc = globalThis.document;
    const win = globalThis.window;
    if (!doc || !win || typeof win.addEventListener !== 'function') return;
    const beacon = () => this.beacon();
    doc.addEventListener('visibilitychange', () => {
      if (doc.visibilityState === 'hidden') beacon();
    });
    win.addEventListener('pagehide', beacon);
  }

  /** Sends the queue now in a request that survives the page (see above). Returns whether one was sent. */
  beacon() {
    if (!this._queue.length) return false;
    const batch = [];
    let bytes = 2;
    for (const e of this._queue) {
      const n = JSON.stringify(e).length + 1;
      if (bytes + n > KEEPALIVE_BYTES || batch.length >= 1000) break;
      batch.push(e);
      bytes += n;
    }
    this._send('POST', '/v1/events', batch, { keepalive: true }).then(
      (res) => {
        if (res.ok) {
          const sent = new Set(batch.map((e) => e.messageId));
          this._queue = this._queue.filter((e) => !sent.has(e.messageId));
          this._write('queue', this._queue);
        }
      },
      () => {},
    );
    return true;
  }

  // ---- HTTP ------------------------------------------------------------------------------------

  _headers(body) {
    const h = { authorization: `Bearer ${this.key}` };
    if (body !== undefined) h['content-type'] = 'application/json';
    if (this.userToken) h['afin-user-token'] = this.userToken;
    if (this.workspace) h['afin-workspace'] = this.workspace;
    return h;
  }

  _send(method, path, body, extra) {
    return this.fetch(this.baseUrl + path, {
      method,
      headers: this._headers(body),
      body: body === undefined ? undefined : JSON.stringify(body),
      ...(extra || {}),
    });
  }

  /**
   * One call of the API; resolves with the parsed JSON (null for 204) or rejects with AfinApiError.
   * Reads and idempotent writes are retried with backoff on network errors, 429 and 5xx; a POST only
   * on a 429 (the engine did nothing with it), so a chat turn is never answered twice.
   */
  async request(method, path, body) {
    const idempotent = method === 'GET' || method === 'PUT' || method === 'DELETE';
    for (let attempt = 0; ; attempt++) {
      let res;
      try {
        res = await this._send(method, path, body);
      } catch (e) {
        if (!idempotent || attempt >= this.maxRetries) throw e;
        await sleep(Math.min(30_000, this.retryBaseMs * 2 ** attempt) * (0.5 + Math.random() / 2));
        continue;
      }
      const retry = res.status === 429 || (idempotent && res.status >= 500);
      if (retry && attempt < this.maxRetries) {
        const after = Number(res.headers.get('retry-after'));
        await sleep(after > 0 ? after * 1000 : Math.min(30_000, this.retryBaseMs * 2 ** attempt) * (0.5 + Math.random() / 2));
        continue;
      }
      const text = await res.text();
      let parsed = null;
      try {
        parsed = text ? JSON.parse(text) : null;
      } catch {
        parsed = text;
      }
      if (!res.ok) throw new AfinApiError(res.status, parsed, res.headers.get('x-request-id'));
      return parsed;
    }
  }

  // ---- the contract ----------------------------------------------------------------------------

  health() {
    return this.request('GET', '/health');
  }
  putItems(items) {
    return this.request('PUT', '/v1/items', items);
  }
  getItem(id) {
    return this.request('GET', `/v1/items/${enc(id)}`);
  }
  deleteItem(id) {
    return this.request('DELETE', `/v1/items/${enc(id)}`);
  }
  similar(id, n) {
    return this.request('GET', `/v1/items/${enc(id)}/similar${query({ n })}`);
  }
  /** Sends events now, bypassing the queue (a server posting its own records, such as till receipts). */
  sendEvents(events) {
    return this.request('POST', '/v1/events', events);
  }
  putUser(id, traits) {
    return this.request('PUT', `/v1/users/${enc(id)}`, { traits });
  }
  profile(id) {
    return this.request('GET', `/v1/users/${enc(id)}/profile`);
  }

  /**
   * Recommendations for the identified user or this visitor. Without personalization consent (when
   * the shop requires opt-in) the request names a visitor the engine has never seen, so the answer is
   * the non-personalized one and nothing about this visitor is read.
   */
  recommendations(q) {
    const p = { ...(q || {}) };
    if (p.userId === undefined && p.anonymousId === undefined) {
      if (!this._allowed('personalization')) p.anonymousId = randomId('anon-');
      else Object.assign(p, this._userId ? { userId: this._userId } : { anonymousId: this.anonymousId });
    }
    return this.request('GET', `/v1/recommendations${query(p)}`);
  }

  why(recommendationId) {
    return this.request('GET', `/v1/recommendations/${enc(recommendationId)}/why`);
  }

  /** One chat turn. `userId` defaults to the identified user, else this visitor's anonymous id. */
  chat(body) {
    const b = typeof body === 'string' ? { message: body } : { ...body };
    if (!b.userId) b.userId = this._userId || this.anonymousId;
    return this.request('POST', '/v1/chat', b);
  }
  chatOpener(userId) {
    return this.request('GET', `/v1/chat/opener${query({ userId: userId || this._userId || this.anonymousId })}`);
  }
  transcript(sessionId) {
    return this.request('GET', `/v1/chat/${enc(sessionId)}`);
  }

  /** Chooses one option at a decision point for this person (a contextual bandit). */
  decide(body) {
    const b = { ...body };
    if (b.userId === undefined && b.anonymousId === undefined) {
      if (!this._allowed('personalization')) b.anonymousId = randomId('anon-');
      else Object.assign(b, this._userId ? { userId: this._userId } : { anonymousId: this.anonymousId });
    }
    return this.request('POST', '/v1/decide', b);
  }

  train(body) {
    return this.request('POST', '/v1/train', body || {});
  }
  userConsent(id) {
    return this.request('GET', `/v1/users/${enc(id)}/consent`);
  }
  setUserConsent(id, purposes) {
    return this.request('PUT', `/v1/users/${enc(id)}/consent`, purposes);
  }
  transparency(id) {
    return this.request('GET', `/v1/users/${enc(id)}/transparency`);
  }
  exportUser(id) {
    return this.request('GET', `/v1/users/${enc(id)}/export`);
  }
  eraseUser(id) {
    return this.request('DELETE', `/v1/users/${enc(id)}`);
  }
  mintUserToken(id, ttlSeconds) {
    return this.request('POST', `/v1/users/${enc(id)}/token`, ttlSeconds ? { ttlSeconds } : {});
  }
  createKey(body) {
    return this.request('POST', '/v1/keys', body);
  }
  listKeys() {
    return this.request('GET', '/v1/keys');
  }
  revokeKey(id) {
    return this.request('DELETE', `/v1/keys/${enc(id)}`);
  }
}

/** A client for this page or process: `createClient({ key: 'afin_public_…' })`. */
export function createClient(options) {
  return new AfinClient(options);
}
