/**
 * Signed webhooks: the body is signed with HMAC-SHA256 over `<timestamp>.<body>` with the workspace's
 * secret, so the receiver can check both who sent it and that it is fresh (a replayed request carries
 * an old timestamp). Every URL is checked against the SSRF rules right before connecting.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { checkOutboundUrlResolved, type OutboundPolicy } from '../http/outbound-url.ts';

export const SIGNATURE_HEADER = 'afin-signature';
export const TIMESTAMP_HEADER = 'afin-timestamp';
/** Waits before the 2nd, 3rd, … attempt; after the last, the delivery has failed. */
export const RETRY_DELAYS_MS = [60_000, 5 * 60_000, 30 * 60_000, 2 * 3_600_000] as const;
const TIMEOUT_MS = 10_000;

export function newWebhookSecret(): string {
  return `whsec_${randomBytes(24).toString('base64url')}`;
}

/** `v1=<hex HMAC-SHA256(secret, "<timestamp>.<body>")>`, the timestamp in Unix seconds. */
export function signWebhook(secret: string, timestamp: number, body: string): string {
  return `v1=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
}

/**
 * What a receiver runs: true when the signature matches and the timestamp is within `toleranceSec` of
 * `nowSec`. Exported for shops writing their receiver in TypeScript.
 */
export function verifyWebhook(secret: string, timestamp: string, signature: string, body: string, nowSec: number, toleranceSec = 300): boolean {
  const ts = Number(timestamp);
  if (!Number.isInteger(ts) || Math.abs(nowSec - ts) > toleranceSec) return false;
  const want = Buffer.from(signWebhook(secret, ts, body));
  const got = Buffer.from(signature);
  return want.length === got.length && timingSafeEqual(want, got);
}

export interface Attempt {
  at: string;
  attempt: number;
  ok: boolean;
  status?: number;
  error?: string;
  ms: number;
}

/** One POST of a signed body; never throws (a failure is an attempt that did not succeed). */
export async function postSigned(
  url: string,
  secret: string,
  body: string,
  opts: { now: number; attempt: number; policy: OutboundPolicy; nudgeId: string },
): Promise<Attempt> {
  const started = Date.now();
  const base = { at: new Date(opts.now).toISOString(), attempt: opts.attempt };
  const bad = await checkOutboundUrlResolved(url, opts.policy);
  if (bad) return { ...base, ok: false, error: `refused: ${bad}`, ms: 0 };
  const ts = Math.floor(opts.now / 1000);
  try {
    const r = await fetch(url, {
      method: 'POST',
      // A redirect could lead anywhere, past the address check: it counts as a failure.
      redirect: 'manual',
      signal: AbortSignal.timeout(TIMEOUT_MS),
      headers: {
        'content-type': 'application/json',
        'user-agent': 'Afin-Webhook/1',
        [TIMESTAMP_HEADER]: String(ts),
        [SIGNATURE_HEADER]: signWebhook(secret, ts, body),
        'afin-nudge-id': opts.nudgeId,
        'afin-attempt': String(opts.attempt),
      },
      body,
    });
    await r.body?.cancel().catch(() => undefined);
    const ok = r.status >= 200 && r.status < 300;
    return { ...base, ok, status: r.status, ...(ok ? {} : { error: `HTTP ${r.status}` }), ms: Date.now() - started };
  } catch (e) {
    return {
      ...base,
      ok: false,
      error: e instanceof Error ? (e.cause instanceof Error ? e.cause.message : e.message).slice(0, 300) : 'failed',
      ms: Date.now() - started,
    };
  }
}
