/**
 * `afin eval content`: generated emails and descriptions, measured as served. A fresh server gets a
 * catalogue (the demo store, and IKEA or Amazon from the shared data folder), generated people with a
 * language, a tone, a form of address and a short history, and is asked for every email goal and for
 * descriptions; each text is then checked against the facts read from the eval's own copy of the
 * catalogue. A second server writes with an LLM stand-in that invents facts at a known rate: how many
 * of its inventions the checker catches, and whether any reaches a reader.
 */
import { parseArgs } from 'node:util';
import { checkFacts, wrongAddressWord } from '../generate/checker.ts';
import { itemFacts, type ItemFacts } from '../generate/facts.ts';
import { EMAIL_GOALS } from '../generate/schemas.ts';
import type { ItemInput } from '../domain/schemas.ts';
import { generateCatalog } from '../simulate/index.ts';
import { rng, shuffleInPlace } from '../stats/random.ts';
import { detectLanguage } from '../text/language.ts';
import type { Lang } from '../text/text.ts';
import { catalogItems } from './chat/catalogs.ts';
import { formatHeadlineTable, formatOnboardingTable, headlineRow, onboardingRows, type HeadlineFigures } from './content-plans.ts';
import { loadShop, type Person } from './content-people.ts';
import { startContentStandIn } from './content-standin.ts';
import type { EvalServer, OpenServer } from './served.ts';

export const CONTENT_USAGE = `usage: afin eval content [options]

Generated emails, product descriptions, headlines, ads and onboarding plans, as served, on the demo
store and on real catalogues.

options:
  --catalogs LIST     comma-separated, from demo, ikea, amazon (the last two read ../shared/data)
                      [default demo,ikea]
  --people N          generated people per catalogue                       [default 24]
  --seed S            seed of the people, their histories and the stand-in [default 7]
  --invent-rate R     share of the LLM stand-in's answers that invent a fact [default 0.4]
  --no-llm            skip the run with the LLM stand-in
  --help              this text

Figures per catalogue and writer: texts written; the share whose every price, number and product is
in the facts (must be 100 %); the share in the person's language; the share in their form of address
(Spanish); the share of distinct texts across people (emails; descriptions of one item for every
reader); mean words per text by tone. With the stand-in: what it invented, the checker's catch rate,
false alarms, and the share of texts the LLM wrote.

Headlines and ads, per catalogue: the share of a reordered front page's top 5 in the person's own
categories against the editor's order; written headlines and ads: facts only, language, address.
Onboarding (a SaaS workspace whose roles each have a hidden best order): plans that keep every
prerequisite (must be 100 %), language and address, and the expected activation chance of the served
plan, of each candidate order and of a random valid order.`;

type Tone = Person['tone'];
const TONES: Tone[] = ['informal', 'technical', 'direct'];
const NAMES = ['Ana', 'Ben', 'Carla', 'David', 'Elena', 'Farid', 'Grace', 'Hugo', 'Inés', 'Jon', 'Kim', 'Luis'];

/** One text as served, with what the reader asked for and the facts it may state. */
export interface Written {
  kind: 'email' | 'description';
  key: string;
  person: Person;
  by: string;
  text: string;
  facts: ItemFacts[];
  numbers: number[];
  names: string[];
  llm?: { attempts: number; problems: string[] };
}

export interface ContentFigures {
  catalog: string;
  writer: 'embedded' | 'llm';
  texts: number;
  notApplicable: number;
  factual: number;
  inLanguage: number;
  languageChecked: number;
  rightAddress: number;
  distinctEmails: number;
  distinctDescriptions: number;
  wordsByTone: Record<Tone, number>;
  wordsPerSentence: number;
  llm?: { share: number; invented: number; caught: number; falseAlarms: number; clean: number };
}

/** People with a language, tone, address and a few weeks of events on two of the catalogue's categories. */
export function makePeople(items: readonly ItemInput[], n: number, seed: number, now: number): Person[] {
  const next = rng(seed);
  const byCategory = new Map<string, ItemInput[]>();
  for (const it of items) if (it.categories?.[0]) byCategory.set(it.categories[0], [...(byCategory.get(it.categories[0]) ?? []), it]);
  const categories = [...byCategory.keys()].filter((c) => byCategory.get(c)!.length >= 3);
  const people: Person[] = [];
  for (let k = 0; k < n; k++) {
    const id = `eval-${k}`;
    const lang: Lang = k % 2 ? 'es' : 'en';
    const liked = shuffleInPlace([...categories], next).slice(0, 2);
    const pool = liked.flatMap((c) => byCategory.get(c)!);
    const day = 86_400_000;
    const lastSeen = now - (3 + Math.floor(next() * 40)) * day;
    const events: Person['events'] = [];
    for (let e = 0; e < 7; e++) {
      const it = pool[Math.floor(next() * pool.length)];
      const type = e === 3 ? 'purchase' : e === 6 ? 'add_to_cart' : 'view';
      events.push({ type, userId: id, itemId: it.id, timestamp: lastSeen - (6 - e) * day });
    }
    people.push({
      id,
      lang,
      tone: TONES[Math.floor(k / 2) % 3],
      address: Math.floor(k / 6) % 2 ? 'usted' : 'tu',
      name: NAMES[k % NAMES.length],
      personalization: k % 8 !== 7,
      events,
    });
  }
  return people;
}

/** The parts of a content answer the evaluation reads. */
interface Served {
  by: string;
  subject?: string;
  text: string;
  items?: Array<{ id: string }>;
  basis: { facts: Array<{ itemId: string; field: string; value: unknown }>; signals: Array<{ name: string; value: unknown }> };
  llm?: { attempts: number; problems: string[] };
}

async function tryCall(server: EvalServer, url: string, body: unknown): Promise<Served | null> {
  try {
    return (await server.call('POST', url, body)) as Served;
  } catch (e) {
    if (/answered 409/.test(String(e))) return null;
    throw e;
  }
}

/** Sets up a fresh server with the catalogue and the people, and asks it for every piece. */
export async function collect(
  open: OpenServer,
  items: ItemInput[],
  people: Person[],
  llm?: { url: string },
): Promise<{ written: Written[]; notApplicable: number }> {
  const server = await open(llm ? { llm: { url: llm.url, model: 'content-stand-in' } } : {});
  try {
    const byId = await loadShop(server, items, people);
    await server.call('POST', '/v1/train', {});
    // One item every reader gets described (the one with the most to say), and one each has seen.
    const common = [...items].sort((a, b) => Object.keys(b.attributes ?? {}).length - Object.keys(a.attributes ?? {}).length || a.id.localeCompare(b.id))[0];
    const written: Written[] = [];
    let notApplicable = 0;
    const factsOf = (ids: string[], lang: Lang, reasons: Map<string, string[]>) =>
      ids.flatMap((id) => {
        const it = byId.get(id);
        return it ? [itemFacts(it, lang, reasons.get(id) ?? [])] : [];
      });
    for (const p of people) {
      for (const goal of EMAIL_GOALS) {
        const r = await tryCall(server, '/v1/content/email', { userId: p.id, goal });
        if (!r) {
          notApplicable++;
          continue;
        }
        const reasons = new Map<string, string[]>();
        for (const f of r.basis.facts) if (f.field === 'reason') reasons.set(f.itemId, [...(reasons.get(f.itemId) ?? []), String(f.value)]);
        const ids = (r.items ?? []).map((i) => i.id);
        const anchor = r.basis.signals.find((s) => s.name === 'lastBought')?.value;
        const days = r.basis.signals.find((s) => s.name === 'daysSinceLastSeen')?.value;
        written.push({
          kind: 'email',
          key: goal,
          person: p,
          by: r.by,
          text: `${r.subject}\n${r.text}`,
          facts: factsOf(typeof anchor === 'string' ? [...ids, anchor] : ids, p.lang, reasons),
          numbers: [ids.length, ...(typeof days === 'number' ? [days] : [])],
          names: [p.name],
          ...(r.llm ? { llm: r.llm } : {}),
        });
      }
      for (const itemId of [common.id, p.events[0].itemId]) {
        const r = (await tryCall(server, '/v1/content/description', { userId: p.id, itemId }))!;
        written.push({
          kind: 'description',
          key: itemId,
          person: p,
          by: r.by,
          text: r.text,
          facts: factsOf([itemId], p.lang, new Map()),
          numbers: [],
          names: [],
          ...(r.llm ? { llm: r.llm } : {}),
        });
      }
    }
    return { written, notApplicable };
  } finally {
    await server.close();
  }
}

/** The figures of one run, with the texts checked against the catalogue's own facts. */
export function figures(
  catalog: string,
  writer: 'embedded' | 'llm',
  run: { written: Written[]; notApplicable: number },
  titles: readonly string[],
  standInLog?: Array<string | null>,
): ContentFigures {
  const w = run.written;
  let factual = 0;
  let inLanguage = 0;
  let languageChecked = 0;
  let rightAddress = 0;
  let spanish = 0;
  const words = (s: string) => s.split(/\s+/).filter((x) => /\p{L}/u.test(x)).length;
  for (const x of w) {
    if (checkFacts(x.text, { items: x.facts, numbers: x.numbers, names: x.names, catalogTitles: titles }).ok) factual++;
    // The language of the words the writer chose: product titles and quoted descriptions taken out.
    let own = x.text;
    for (const f of x.facts) for (const s of [f.title, ...f.sentences, f.brand ?? '']) if (s) own = own.split(s).join(' ');
    if (words(own) >= 6) {
      languageChecked++;
      if (detectLanguage(own).language === x.person.lang) inLanguage++;
    }
    if (x.person.lang === 'es' && x.kind === 'email') {
      spanish++;
      if (!wrongAddressWord(own, x.person.address)) rightAddress++;
    }
  }
  const emails = w.filter((x) => x.kind === 'email');
  const groups = new Map<string, string[]>();
  for (const x of w.filter((y) => y.kind === 'description')) groups.set(x.key, [...(groups.get(x.key) ?? []), x.text]);
  const shared = [...groups.values()].filter((g) => g.length >= 2);
  const wordsByTone = Object.fromEntries(
    TONES.map((t) => {
      const ts = emails.filter((x) => x.person.tone === t);
      return [t, ts.length ? Math.round(ts.reduce((s, x) => s + words(x.text), 0) / ts.length) : 0];
    }),
  ) as Record<Tone, number>;
  const sentences = w.reduce((s, x) => s + Math.max(1, (x.text.match(/[.!?:](\s|$)/g) ?? []).length), 0);
  const out: ContentFigures = {
    catalog,
    writer,
    texts: w.length,
    notApplicable: run.notApplicable,
    factual: factual / Math.max(1, w.length),
    inLanguage: inLanguage / Math.max(1, languageChecked),
    languageChecked,
    rightAddress: rightAddress / Math.max(1, spanish),
    distinctEmails: new Set(emails.map((x) => x.text)).size / Math.max(1, emails.length),
    distinctDescriptions: shared.reduce((s, g) => s + new Set(g).size / g.length, 0) / Math.max(1, shared.length),
    wordsByTone,
    wordsPerSentence: Math.round((w.reduce((s, x) => s + words(x.text), 0) / sentences) * 10) / 10,
  };
  if (writer === 'llm' && standInLog) out.llm = standInVerdicts(w, standInLog);
  return out;
}

/**
 * Lines the stand-in's log (one entry per answer, in order) up with the checker's verdicts: each piece
 * took `attempts` answers; all but an accepted last one were rejected.
 */
function standInVerdicts(w: Written[], log: Array<string | null>) {
  let k = 0;
  let invented = 0;
  let caught = 0;
  let falseAlarms = 0;
  let clean = 0;
  for (const x of w) {
    const attempts = x.llm?.attempts ?? 0;
    for (let a = 0; a < attempts; a++, k++) {
      const rejected = !(x.by === 'llm' && a === attempts - 1);
      if (log[k]) {
        invented++;
        if (rejected) caught++;
      } else {
        clean++;
        if (rejected) falseAlarms++;
      }
    }
  }
  return { share: w.filter((x) => x.by === 'llm').length / Math.max(1, w.length), invented, caught, falseAlarms, clean };
}

function loadCatalog(name: string, seed: number): ItemInput[] {
  if (name === 'demo') return generateCatalog({ seed, size: 600 }) as ItemInput[];
  if (name === 'ikea' || name === 'amazon') return catalogItems(name);
  throw new Error(`--catalogs: unknown catalogue "${name}" (demo, ikea, amazon)`);
}

const pct = (x: number) => `${(100 * x).toFixed(1)} %`;

export function formatContentTable(rows: ContentFigures[]): string {
  const head = [
    'catalogue',
    'writer',
    'texts',
    'n/a',
    'facts only',
    'in language',
    'address',
    'distinct emails',
    'distinct descr.',
    'words inf/tech/dir',
    'words/sentence',
    'LLM wrote',
    'invented',
    'caught',
    'false alarms',
  ];
  const lines = rows.map((r) => [
    r.catalog,
    r.writer,
    String(r.texts),
    String(r.notApplicable),
    pct(r.factual),
    `${pct(r.inLanguage)} of ${r.languageChecked}`,
    pct(r.rightAddress),
    pct(r.distinctEmails),
    pct(r.distinctDescriptions),
    `${r.wordsByTone.informal}/${r.wordsByTone.technical}/${r.wordsByTone.direct}`,
    String(r.wordsPerSentence),
    r.llm ? pct(r.llm.share) : '',
    r.llm ? String(r.llm.invented) : '',
    r.llm ? `${r.llm.caught} (${pct(r.llm.caught / Math.max(1, r.llm.invented))})` : '',
    r.llm ? `${r.llm.falseAlarms} of ${r.llm.clean}` : '',
  ]);
  const widths = head.map((h, c) => Math.max(h.length, ...lines.map((l) => l[c].length)));
  const fmt = (l: string[]) =>
    l
      .map((x, c) => x.padEnd(widths[c]))
      .join('  ')
      .trimEnd();
  return [fmt(head), fmt(widths.map((n) => '-'.repeat(n))), ...lines.map(fmt)].join('\n');
}

export async function runContentEval(args: string[], open: OpenServer): Promise<number> {
  let values: { catalogs: string; people: string; seed: string; 'invent-rate': string; 'no-llm': boolean; help: boolean };
  try {
    ({ values } = parseArgs({
      args,
      options: {
        catalogs: { type: 'string', default: 'demo,ikea' },
        people: { type: 'string', default: '24' },
        seed: { type: 'string', default: '7' },
        'invent-rate': { type: 'string', default: '0.4' },
        'no-llm': { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
      },
      strict: true,
    }) as never);
  } catch (e) {
    process.stderr.write(`${(e as Error).message}\n\n${CONTENT_USAGE}\n`);
    return 2;
  }
  if (values.help) {
    process.stdout.write(`${CONTENT_USAGE}\n`);
    return 0;
  }
  const people = Number(values.people);
  const seed = Number(values.seed);
  const rate = Number(values['invent-rate']);
  if (!Number.isInteger(people) || people < 1 || people > 1000) return usage('--people: a whole number from 1 to 1000');
  if (!Number.isInteger(seed)) return usage('--seed: a whole number');
  if (!(rate >= 0 && rate <= 1)) return usage('--invent-rate: a number from 0 to 1');
  const rows: ContentFigures[] = [];
  const headlines: HeadlineFigures[] = [];
  for (const name of values.catalogs
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)) {
    let items: ItemInput[];
    try {
      items = loadCatalog(name, seed);
    } catch (e) {
      return usage((e as Error).message);
    }
    const titles = items.map((i) => i.title);
    const who = makePeople(items, people, seed, Date.now());
    process.stderr.write(`${name}: ${items.length} items, ${who.length} people, embedded writer…\n`);
    rows.push(figures(name, 'embedded', await collect(open, items, who), titles));
    process.stderr.write(`${name}: front pages, headlines and ads…\n`);
    headlines.push(await headlineRow(open, name, items, who, titles, seed));
    if (!values['no-llm']) {
      const decoys = titles.filter((t) => t.length >= 8 && t.includes(' ')).slice(0, 200);
      const standIn = await startContentStandIn({ seed, inventRate: rate, decoys });
      try {
        process.stderr.write(`${name}: the LLM stand-in (invents in ${pct(rate)} of its answers)…\n`);
        rows.push(figures(name, 'llm', await collect(open, items, who, standIn), titles, standIn.log));
      } finally {
        await standIn.close();
      }
    }
  }
  process.stderr.write('onboarding: a SaaS workspace, past journeys and new people…\n');
  const onboarding = await onboardingRows(open, seed);
  process.stdout.write(
    `${formatContentTable(rows)}\n\nHeadlines and ads\n${formatHeadlineTable(headlines)}\n\nOnboarding\n${formatOnboardingTable(onboarding)}\n`,
  );
  process.stdout.write(`${JSON.stringify({ eval: 'content', people, seed, inventRate: rate, rows, headlines, onboarding })}\n`);
  const ok = rows.every((r) => r.factual === 1) && headlines.every((h) => h.factual === 1) && onboarding.every((o) => o.prerequisitesKept === 1);
  return ok ? 0 : 1;
}

function usage(message: string): number {
  process.stderr.write(`${message}\n\n${CONTENT_USAGE}\n`);
  return 2;
}
