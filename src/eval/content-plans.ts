/**
 * The onboarding and headline rows of `afin eval content`, measured as served.
 *
 * Onboarding: a SaaS workspace with eight steps (three prerequisites) and four roles; each role has a
 * hidden best order, and a person activates with a chance that grows with how many pairs of steps
 * they did in that order (Kendall agreement). Past people of three roles (and a few of a fourth, new
 * role similar to one of them) followed random valid orders and activated by that chance; new people
 * then ask for their plan. Figures: plans that respect every prerequisite (must be 100 %), texts in
 * the person's language and address, and each order's expected activation chance under the hidden
 * model (the served plan, each candidate, a random valid order).
 *
 * Headlines: per catalogue, each person's front page (30 catalogue items in a random editor's order)
 * is reordered; figures: the share of the top 5 in the person's two categories, served against the
 * editor's order, and written headlines and ads: facts only, language, address, distinct across people.
 */
import { checkFacts, ownWords, wrongAddressWord } from '../generate/checker.ts';
import { itemFacts } from '../generate/facts.ts';
import type { ItemInput } from '../domain/schemas.ts';
import { rng, shuffleInPlace } from '../stats/random.ts';
import { detectLanguage } from '../text/language.ts';
import { loadShop, type Person } from './content-people.ts';
import type { OpenServer } from './served.ts';

// ------------------------------------------------------------------------------------ onboarding

const STEPS = [
  { id: 'profile', title: { en: 'Complete your profile', es: 'Completa el perfil' }, tags: ['basics'] },
  { id: 'connect', title: { en: 'Connect your data', es: 'Conecta los datos' }, tags: ['data'] },
  { id: 'campaign', title: { en: 'Launch a first campaign', es: 'Lanza una primera campaña' }, tags: ['campaigns'], prerequisites: ['connect'] },
  { id: 'segment', title: { en: 'Build a segment', es: 'Crea un segmento' }, tags: ['campaigns', 'data'], prerequisites: ['connect'] },
  { id: 'invite', title: { en: 'Invite the team', es: 'Invita al equipo' }, tags: ['team'] },
  { id: 'pipeline', title: { en: 'Import the sales pipeline', es: 'Importa el embudo de ventas' }, tags: ['sales'], prerequisites: ['invite'] },
  { id: 'sso', title: { en: 'Set up single sign-on', es: 'Configura el inicio de sesión único' }, tags: ['security'] },
  { id: 'api', title: { en: 'Create an API key', es: 'Crea una clave de API' }, tags: ['security', 'data'] },
];
const ROLES = {
  marketing: { tags: ['campaigns', 'data'] },
  sales: { tags: ['sales', 'team'] },
  it: { tags: ['security', 'data'] },
  growth: { tags: ['campaigns', 'data', 'team'] },
};
type Role = keyof typeof ROLES;
/** Each role's hidden best order (what makes its people activate), unknown to the server. */
const BEST: Record<Role, string[]> = {
  marketing: ['connect', 'invite', 'segment', 'campaign', 'profile', 'pipeline', 'api', 'sso'],
  sales: ['invite', 'pipeline', 'profile', 'connect', 'campaign', 'segment', 'sso', 'api'],
  it: ['sso', 'connect', 'api', 'invite', 'profile', 'segment', 'campaign', 'pipeline'],
  growth: ['connect', 'invite', 'segment', 'campaign', 'pipeline', 'profile', 'api', 'sso'],
};
const NEW_PER_ROLE = 8;

/** The share of pairs of steps done in the role's best order. */
export function agreement(order: readonly string[], best: readonly string[]): number {
  const pos = new Map(best.map((id, k) => [id, k]));
  let same = 0;
  let pairs = 0;
  for (let a = 0; a < order.length; a++)
    for (let b = a + 1; b < order.length; b++) {
      pairs++;
      if (pos.get(order[a])! < pos.get(order[b])!) same++;
    }
  return pairs ? same / pairs : 0;
}
const activationChance = (order: readonly string[], role: Role) => 0.05 + 0.8 * agreement(order, BEST[role]) ** 2;

/** A random order that respects the prerequisites. */
function randomValidOrder(next: () => number): string[] {
  const out: string[] = [];
  while (out.length < STEPS.length) {
    const free = STEPS.filter((s) => !out.includes(s.id) && (s.prerequisites ?? []).every((p) => out.includes(p)));
    out.push(free[Math.floor(next() * free.length)].id);
  }
  return out;
}

export interface OnboardingFigures {
  role: string;
  people: number;
  prerequisitesKept: number;
  inLanguage: number;
  rightAddress: number;
  served: number;
  learned: number | null;
  byRole: number | null;
  defined: number;
  random: number;
  servedKinds: Record<string, number>;
}

/** `past`: how many past people per role with data (200; the new role always has 3). */
export async function onboardingRows(open: OpenServer, seed: number, past = 200): Promise<OnboardingFigures[]> {
  const PAST: Record<Role, number> = { marketing: past, sales: past, it: past, growth: 3 };
  const next = rng(seed);
  const server = await open({});
  try {
    await server.call('PUT', '/v1/onboarding/steps', { steps: STEPS, roles: ROLES, activation: { type: 'purchase' } });
    const now = Date.now();
    const events: unknown[] = [];
    let k = 0;
    for (const role of Object.keys(PAST) as Role[])
      for (let i = 0; i < PAST[role]; i++, k++) {
        const id = `past-${k}`;
        await server.call('PUT', `/v1/users/${id}`, { traits: { role } });
        const order = randomValidOrder(next);
        const start = now - (40 - (k % 30)) * 86_400_000;
        order.forEach((step, j) => {
          events.push({ type: 'click', userId: id, itemId: 'app', properties: { step }, timestamp: new Date(start + j * 3_600_000).toISOString() });
        });
        if (next() < activationChance(order, role))
          events.push({ type: 'purchase', userId: id, itemId: 'plan', timestamp: new Date(start + 10 * 3_600_000).toISOString() });
      }
    for (let s = 0; s < events.length; s += 1000) await server.call('POST', '/v1/events', events.slice(s, s + 1000));
    const rows: OnboardingFigures[] = [];
    for (const role of Object.keys(PAST) as Role[]) {
      const f: OnboardingFigures = {
        role: `${role} (${PAST[role]} past)`,
        people: 0,
        prerequisitesKept: 0,
        inLanguage: 0,
        rightAddress: 0,
        served: 0,
        learned: null,
        byRole: null,
        defined: 0,
        random: 0,
        servedKinds: {},
      };
      let learnedN = 0;
      let roleN = 0;
      for (let i = 0; i < NEW_PER_ROLE; i++) {
        const id = `new-${role}-${i}`;
        const lang = i % 2 ? 'es' : 'en';
        const address = i % 4 === 3 ? 'usted' : 'tu';
        await server.call('PUT', `/v1/users/${id}`, { traits: { role, language: lang, address, tone: (['informal', 'technical', 'direct'] as const)[i % 3] } });
        const plan = (await server.call('GET', `/v1/users/${id}/onboarding`)) as {
          steps: Array<{ id: string; title: string }>;
          order: string;
          candidates: Record<string, string[]>;
          text: string;
          language: string;
        };
        const order = plan.steps.map((s) => s.id);
        f.people++;
        if (STEPS.every((s) => (s.prerequisites ?? []).every((p) => order.indexOf(p) < order.indexOf(s.id)))) f.prerequisitesKept++;
        let own = plan.text;
        for (const s of plan.steps) own = own.split(s.title).join(' ');
        own = own.replace(new RegExp(`\\(${role}\\)|${role}`, 'g'), ' ');
        if (detectLanguage(own).language === lang) f.inLanguage++;
        if (lang === 'en' || !wrongAddressWord(own, address)) f.rightAddress++;
        f.served += activationChance(order, role);
        f.servedKinds[plan.order] = (f.servedKinds[plan.order] ?? 0) + 1;
        if (plan.candidates.learned) {
          f.learned = (f.learned ?? 0) + activationChance(plan.candidates.learned, role);
          learnedN++;
        }
        if (plan.candidates.role) {
          f.byRole = (f.byRole ?? 0) + activationChance(plan.candidates.role, role);
          roleN++;
        }
        f.defined += activationChance(plan.candidates.defined ?? STEPS.map((s) => s.id), role);
        let r = 0;
        for (let j = 0; j < 50; j++) r += activationChance(randomValidOrder(next), role);
        f.random += r / 50;
      }
      rows.push({
        ...f,
        prerequisitesKept: f.prerequisitesKept / f.people,
        inLanguage: f.inLanguage / f.people,
        rightAddress: f.rightAddress / f.people,
        served: f.served / f.people,
        learned: learnedN ? f.learned! / learnedN : null,
        byRole: roleN ? f.byRole! / roleN : null,
        defined: f.defined / f.people,
        random: f.random / f.people,
      });
    }
    return rows;
  } finally {
    await server.close();
  }
}

const pct = (x: number | null) => (x === null ? '' : `${(100 * x).toFixed(1)} %`);

function table(head: string[], lines: string[][]): string {
  const widths = head.map((h, c) => Math.max(h.length, ...lines.map((l) => l[c].length)));
  const fmt = (l: string[]) =>
    l
      .map((x, c) => x.padEnd(widths[c]))
      .join('  ')
      .trimEnd();
  return [fmt(head), fmt(widths.map((n) => '-'.repeat(n))), ...lines.map(fmt)].join('\n');
}

export function formatOnboardingTable(rows: OnboardingFigures[]): string {
  return table(
    ['role', 'plans', 'prereqs kept', 'in language', 'address', 'activation: served', 'learned', 'role order', 'workspace order', 'random', 'served orders'],
    rows.map((r) => [
      r.role,
      String(r.people),
      pct(r.prerequisitesKept),
      pct(r.inLanguage),
      pct(r.rightAddress),
      pct(r.served),
      pct(r.learned),
      pct(r.byRole),
      pct(r.defined),
      pct(r.random),
      Object.entries(r.servedKinds)
        .map(([k, n]) => `${k} ${n}`)
        .join(', '),
    ]),
  );
}

// ------------------------------------------------------------------------------------ headlines

export interface HeadlineFigures {
  catalog: string;
  people: number;
  /** Share of the top 5 in the person's categories: served, and the editor's order. */
  top5Served: number;
  top5Editor: number;
  /** People without personalization consent whose page kept the editor's order. */
  genericKept: string;
  written: number;
  factual: number;
  inLanguage: number;
  rightAddress: number;
  distinct: number;
}

const FRONT = 30;

export async function headlineRow(
  open: OpenServer,
  catalog: string,
  items: ItemInput[],
  people: Person[],
  titles: readonly string[],
  seed: number,
): Promise<HeadlineFigures> {
  const next = rng(seed + 1);
  const server = await open({});
  try {
    const byId = await loadShop(server, items, people);
    const f = {
      top5Served: 0,
      top5Editor: 0,
      personal: 0,
      generic: 0,
      genericKept: 0,
      written: 0,
      factual: 0,
      inLanguage: 0,
      checked: 0,
      spanish: 0,
      rightAddress: 0,
    };
    const texts: string[] = [];
    for (const p of people) {
      const liked = new Set(p.events.map((e) => byId.get(e.itemId)?.categories?.[0]).filter((c): c is string => !!c));
      const mine = shuffleInPlace(
        items.filter((it) => liked.has(it.categories?.[0] ?? '')),
        next,
      ).slice(0, 8);
      const others = shuffleInPlace(
        items.filter((it) => !liked.has(it.categories?.[0] ?? '')),
        next,
      ).slice(0, FRONT - mine.length);
      const front = shuffleInPlace([...mine, ...others], next).map((it) => ({ id: `story-${it.id}`, itemId: it.id }));
      const inMine = (ids: string[]) => ids.slice(0, 5).filter((id) => liked.has(byId.get(id.slice(6))?.categories?.[0] ?? '')).length / 5;
      const page = (await server.call('POST', '/v1/content/headlines', { userId: p.id, items: front })) as { items: Array<{ id: string }> };
      const served = page.items.map((e) => e.id);
      if (p.personalization) {
        f.personal++;
        f.top5Served += inMine(served);
        f.top5Editor += inMine(front.map((e) => e.id));
      } else {
        f.generic++;
        if (served.join() === front.map((e) => e.id).join()) f.genericKept++;
      }
      for (const kind of ['headline', 'ad'] as const) {
        const itemId = p.events[0].itemId;
        const r = (await server.call('POST', '/v1/content/headlines', { userId: p.id, kind, write: { itemId } })) as { written?: { text: string } };
        if (!r.written) continue;
        const text = r.written.text;
        f.written++;
        texts.push(text);
        const facts = { items: [itemFacts(byId.get(itemId)!, p.lang)] };
        if (checkFacts(text, { ...facts, catalogTitles: titles }).ok) f.factual++;
        const own = ownWords(text, facts);
        if (own.split(/\s+/).filter((w) => /\p{L}{2,}/u.test(w)).length >= 3) {
          f.checked++;
          if (detectLanguage(own).language === p.lang) f.inLanguage++;
        }
        if (p.lang === 'es' && kind === 'ad') {
          f.spanish++;
          if (!wrongAddressWord(own, p.address)) f.rightAddress++;
        }
      }
    }
    return {
      catalog,
      people: people.length,
      top5Served: f.top5Served / Math.max(1, f.personal),
      top5Editor: f.top5Editor / Math.max(1, f.personal),
      genericKept: `${f.genericKept} of ${f.generic}`,
      written: f.written,
      factual: f.factual / Math.max(1, f.written),
      inLanguage: f.inLanguage / Math.max(1, f.checked),
      rightAddress: f.rightAddress / Math.max(1, f.spanish),
      distinct: new Set(texts).size / Math.max(1, texts.length),
    };
  } finally {
    await server.close();
  }
}

export function formatHeadlineTable(rows: HeadlineFigures[]): string {
  return table(
    ['catalogue', 'people', 'top 5 in their categories: served', 'editor', 'generic kept', 'written', 'facts only', 'in language', 'address (ads)', 'distinct'],
    rows.map((r) => [
      r.catalog,
      String(r.people),
      pct(r.top5Served),
      pct(r.top5Editor),
      r.genericKept,
      String(r.written),
      pct(r.factual),
      pct(r.inLanguage),
      pct(r.rightAddress),
      pct(r.distinct),
    ]),
  );
}
