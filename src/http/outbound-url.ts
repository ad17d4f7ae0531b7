import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';

/** What an outbound URL (a webhook, the LLM) may point at. */
export interface OutboundPolicy {
  /** Loopback and private networks (10/8, 172.16/12, 192.168/16, 100.64/10, fc00::/7, localhost). */
  allowPrivate?: boolean;
  /** Link-local addresses and cloud metadata endpoints (169.254/16, fe80::/10, metadata.google.internal). */
  allowLinkLocal?: boolean;
}

const METADATA_HOSTS = new Set(['metadata.google.internal', 'metadata', 'metadata.azure.internal', 'instance-data', 'instance-data.ec2.internal']);

function v4(host: string): number[] | null {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(host);
  return m ? m.slice(1).map(Number) : null;
}

/** The kind of address an IP literal is: 'public', 'private', 'loopback', 'link-local' or 'unspecified'. */
export function addressKind(ip: string): 'public' | 'private' | 'loopback' | 'link-local' | 'unspecified' {
  let h = ip.toLowerCase().replace(/^\[|\]$/g, '');
  // IPv4-mapped or -translated IPv6 (::ffff:10.0.0.1, ::ffff:a00:1) is judged as the IPv4 address.
  const mapped = /^::ffff:(?:0:)?(.+)$/.exec(h);
  if (mapped) {
    const rest = mapped[1];
    if (v4(rest)) h = rest;
    else {
      const hex = /^([0-9a-f]{1,4}):([0-9a-f]{1,4})$/.exec(rest);
      if (hex) {
        const a = parseInt(hex[1], 16),
          b = parseInt(hex[2], 16);
        h = `${a >> 8}.${a & 255}.${b >> 8}.${b & 255}`;
      }
    }
  }
  const q = v4(h);
  if (q) {
    const [a, b] = q;
    if (a === 0) return 'unspecified';
    if (a === 127) return 'loopback';
    if (a === 169 && b === 254) return 'link-local';
    if (a === 10 || (a === 172 && b >= 16 && b <= 31) || (a === 192 && b === 168) || (a === 100 && b >= 64 && b <= 127)) return 'private';
    if (a === 100 && b === 100) return 'link-local'; // Alibaba Cloud's metadata service lives at 100.100.100.200
    if (a >= 224) return 'private'; // multicast and reserved
    return 'public';
  }
  if (h === '::') return 'unspecified';
  if (h === '::1') return 'loopback';
  if (/^fe[89ab]/.test(h)) return 'link-local';
  if (/^f[cd]/.test(h)) return /^fd00:ec2::254$/.test(h) ? 'link-local' : 'private';
  if (/^ff/.test(h)) return 'private';
  return 'public';
}

function judge(host: string, policy: OutboundPolicy): string | null {
  const h = host
    .toLowerCase()
    .replace(/^\[|\]$/g, '')
    .replace(/\.$/, '');
  if (METADATA_HOSTS.has(h)) return policy.allowLinkLocal ? null : `"${host}" is a cloud metadata endpoint`;
  if (h === 'localhost' || h.endsWith('.localhost')) return policy.allowPrivate ? null : `"${host}" is this machine`;
  if (!isIP(h)) return null;
  const kind = addressKind(h);
  if (kind === 'link-local') return policy.allowLinkLocal ? null : `${host} is a link-local or metadata address`;
  if (kind === 'unspecified') return `${host} is not a routable address`;
  if ((kind === 'loopback' || kind === 'private') && !policy.allowPrivate) return `${host} is a ${kind} address`;
  return null;
}

/**
 * Checks an outbound URL as written (SSRF guard): http(s) only, and no private, link-local or
 * metadata host unless the policy allows it. Returns the problem, or null when the URL is fine.
 * Numeric tricks (`http://2130706433/`, `http://0x7f.1/`) are normalised by the URL parser first.
 * @example checkOutboundUrl('http://169.254.169.254/latest/meta-data') // → 'is a link-local or metadata address'
 */
export function checkOutboundUrl(raw: string, policy: OutboundPolicy = {}): string | null {
  let u: URL;
  try {
    u = new URL(raw);
  } catch {
    return 'not a valid absolute URL';
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') return `scheme ${u.protocol} is not allowed (http or https only)`;
  if (!u.hostname) return 'the URL has no host';
  return judge(u.hostname, policy);
}

/**
 * Like `checkOutboundUrl`, and also resolves the host name, refusing it when any address it resolves
 * to is forbidden (a public name pointing at 10.0.0.5 or 169.254.169.254). Call right before connecting.
 */
export async function checkOutboundUrlResolved(raw: string, policy: OutboundPolicy = {}): Promise<string | null> {
  const bad = checkOutboundUrl(raw, policy);
  if (bad) return bad;
  const host = new URL(raw).hostname.replace(/^\[|\]$/g, '');
  if (isIP(host)) return null;
  let addrs: Array<{ address: string }>;
  try {
    addrs = await lookup(host, { all: true });
  } catch {
    return `"${host}" does not resolve`;
  }
  for (const a of addrs) {
    const why = judge(a.address, policy);
    if (why) return `"${host}" resolves to ${why}`;
  }
  return null;
}
