/**
 * The embedded writer: emails and product descriptions composed from facts with the grammar's words,
 * in the reader's language, tone and form of address. Pure: the same facts give the same text, and the
 * variation chosen follows from the facts themselves, so two people read the same words only when
 * everything the text is made of is the same for both.
 */
import { joinList, label, useText } from '../converse/labels.ts';
import { applyAddress, formatPrice, phrase, pickIndex, type Style } from '../converse/templates.ts';
import { capitalise } from '../converse/wording.ts';
import { analyze, fold, type Lang } from '../text/text.ts';
import type { ItemFacts, Reader } from './facts.ts';
import { COMMON, GOALS, WORDS, type Lines } from './grammar.ts';
import { sayReason } from './reasons.ts';
import type { BrandVoiceT, EmailGoal } from './schemas.ts';

export interface WrittenItem {
  id: string;
  title: string;
  price?: number;
  currency?: string;
  reasons: string[];
}

export interface EmailDraft {
  subject: string;
  text: string;
  html: string;
  items: WrittenItem[];
}

export interface EmailInput {
  goal: EmailGoal;
  reader: Reader;
  voice: BrandVoiceT;
  items: ItemFacts[];
  /** The item the email is about (post-purchase: what was bought). */
  anchor?: ItemFacts;
}

const EMOJI: Record<EmailGoal, string> = { 'win-back': '💌', 'cart-reminder': '🛒', 'new-arrivals': '✨', replenishment: '🔁', 'post-purchase': '🎁' };

/** A win-back email says how long it has been only when it has been this many days or more. */
const WIN_BACK_DAYS = 7;

const styleOf = (r: Reader): Style => ({ lang: r.lang, tone: r.tone, address: r.address });

/** Everything a text is made of, as one string: the seed of its variations. */
function seedOf(parts: unknown[]): string {
  return JSON.stringify(parts);
}

/** A variation for the style; those naming a placeholder with no value (`missing`) are left out when others remain. */
function pick(lines: Lines, style: Style, seed: string, key: string, missing: readonly string[] = []): string {
  const byTone = lines[style.lang];
  const all = byTone[style.tone] ?? byTone.informal;
  const fit = all.filter((o) => !missing.some((m) => o.includes(`{${m}}`)));
  const options = fit.length ? fit : all;
  return options[pickIndex(`${key}:${seed}`, options.length)];
}

function fill(text: string, vars: Record<string, string | number>, style: Style): string {
  const filled = text.replace(/\{(\w+)\}/g, (_, k: string) => (vars[k] === undefined ? '' : String(vars[k])));
  return applyAddress(filled, style.address)
    .replace(/\s+([.,:!?])/g, '$1')
    .replace(/\s{2,}/g, ' ')
    .trim();
}

/** The interest the items have in common with the reader, in the reader's words, if any. */
function topicOf(reader: Reader, items: ItemFacts[]): string {
  const keys = new Set(items.flatMap((f) => [f.category, ...f.uses].filter((k): k is string => !!k).map((k) => fold(k))));
  const hit = reader.interests.find((i) => keys.has(fold(i)));
  return hit ? label(hit, reader.lang) : '';
}

export function priceText(f: Pick<ItemFacts, 'price' | 'currency'>, lang: Lang): string | null {
  return f.price === undefined ? null : formatPrice(f.price, f.currency, lang);
}

/** An item's reasons in the reader's words: one, or two in a technical text. */
function reasonsFor(f: ItemFacts, style: Style): string[] {
  const said = f.reasons.map((r) => sayReason(r, style)).filter((r): r is string => !!r);
  return said.slice(0, style.tone === 'technical' ? 2 : 1);
}

export function writeEmail(input: EmailInput): EmailDraft {
  const { goal, reader, voice, items, anchor } = input;
  const style = styleOf(reader);
  const lang = reader.lang;
  const seed = seedOf([goal, reader.lang, reader.tone, reader.address, reader.name, reader.interests, reader.daysSinceLastSeen, items, anchor?.id]);
  const g = GOALS[goal];
  const topic = topicOf(reader, items);
  const usted = lang === 'es' && reader.address === 'usted';
  const vars: Record<string, string | number> = {
    name: reader.name ? (lang === 'es' && !usted ? `, ${reader.name}` : ` ${reader.name}`) : '',
    Name: reader.name ? `${reader.name}, ` : '',
    // Not `fill`: it trims, and the connector's leading space is what joins it to the words before.
    topic: topic
      ? applyAddress((goal === 'win-back' && reader.tone === 'informal' ? WORDS.topicFor : WORDS.topicIn)[lang].replace('{topic}', topic), style.address)
      : '',
    count: items.length,
    emoji: reader.tone === 'informal' && voice.emoji ? EMOJI[goal] : '',
    first: anchor?.title ?? '',
    days: reader.daysSinceLastSeen ?? '',
  };
  // "Hi, Ana," reads oddly: a greeting takes the name without the comma.
  const greetVars = { ...vars, name: reader.name ? ` ${reader.name}` : '' };
  const since =
    goal === 'win-back' && reader.daysSinceLastSeen !== null && reader.daysSinceLastSeen >= WIN_BACK_DAYS
      ? fill(pick(COMMON.since, style, seed, 'since'), vars, style)
      : '';
  const missing = anchor ? [] : ['first'];
  const subject = capitalise(fill(pick(g.subject, style, seed, 'subject', missing), vars, style));
  const greeting = fill(pick(usted ? COMMON.greetingUsted : COMMON.greeting, style, seed, 'greeting'), greetVars, style);
  const intro = [since, capitalise(fill(pick(g.intro, style, seed, 'intro', missing), vars, style))].filter(Boolean).join(' ');
  const cta = fill(pick(g.cta, style, seed, 'cta'), vars, style);
  const signoff = fill(pick(usted ? COMMON.signoffUsted : COMMON.signoff, style, seed, 'signoff'), vars, style);
  const team = voice.brand ? fill(WORDS.team[lang], { brand: voice.brand }, style) : WORDS.theTeam[lang];
  const footer = (usted ? WORDS.unsubscribeUsted : WORDS.unsubscribe)[lang];

  const written: WrittenItem[] = items.map((f) => ({
    id: f.id,
    title: f.title,
    ...(f.price !== undefined ? { price: f.price } : {}),
    ...(f.currency ? { currency: f.currency } : {}),
    reasons: reasonsFor(f, style),
  }));
  const lines = items.map((f, k) => {
    const price = priceText(f, lang) ?? WORDS.noPrice[lang];
    const brand = reader.tone === 'technical' && f.brand && !f.title.includes(f.brand) ? ` (${f.brand})` : '';
    const stock = f.available ? '' : ` (${WORDS.outOfStock[lang]})`;
    return { head: `${f.title}${brand} — ${price}${stock}`, reasons: written[k].reasons };
  });

  const text = [
    greeting,
    '',
    intro,
    '',
    ...lines.map((l) => `- ${l.head}${l.reasons.length ? `\n  ${l.reasons.join('. ')}.` : ''}`),
    '',
    cta,
    '',
    signoff,
    team,
    '',
    footer,
  ].join('\n');
  const esc = escapeHtml;
  const html = [
    `<!doctype html><html lang="${lang}"><head><meta charset="utf-8"><title>${esc(subject)}</title></head>`,
    '<body style="font-family:sans-serif;line-height:1.5;max-width:600px">',
    `<p>${esc(greeting)}</p>`,
    `<p>${esc(intro)}</p>`,
    '<ul>',
    ...lines.map((l) => `<li><strong>${esc(l.head)}</strong>${l.reasons.length ? `<br><small>${esc(l.reasons.join('. '))}.</small>` : ''}</li>`),
    '</ul>',
    `<p>${esc(cta)}</p>`,
    `<p>${esc(signoff)}<br>${esc(team)}</p>`,
    `<p style="font-size:12px;color:#666">${esc(footer)}</p>`,
    '</body></html>',
  ].join('\n');
  return { subject, text, html, items: written };
}

// ------------------------------------------------------------------------------------ descriptions

/** One sentence about the item and what it is about (raw values, for matching the reader's interests). */
export interface FactSentence {
  field: string;
  text: string;
  keys: string[];
  numeric: boolean;
}

const ES_ATTRIBUTE: Record<string, string> = {
  width: 'Ancho',
  depth: 'Fondo',
  height: 'Alto',
  length: 'Largo',
  weight: 'Peso',
  designer: 'Diseño',
  material: 'Material',
  size: 'Talla',
  capacity: 'Capacidad',
  battery: 'Batería',
  grip: 'Agarre',
  durability: 'Durabilidad',
  warranty: 'Garantía',
};

const NUMBER: Record<Lang, Intl.NumberFormat> = {
  en: new Intl.NumberFormat('en', { useGrouping: false, maximumFractionDigits: 3 }),
  es: new Intl.NumberFormat('es', { useGrouping: false, maximumFractionDigits: 3 }),
};

function attributeName(name: string, lang: Lang): string {
  const plain = name.replace(/([a-z])([A-Z])/g, '$1 $2').replace(/[-_]/g, ' ');
  return capitalise(lang === 'es' ? (ES_ATTRIBUTE[name.toLowerCase()] ?? plain) : plain);
}

const PRICE_WORDS: Record<Lang, { informal: string[]; other: string[] }> = {
  en: { informal: ['It costs {price}.', 'Yours for {price}.', 'Priced at {price}.'], other: ['Price: {price}.'] },
  es: { informal: ['Cuesta {price}.', 'Por {price}.', 'Su precio: {price}.'], other: ['Precio: {price}.'] },
};
const USE_WORDS: Record<Lang, string[]> = {
  en: ['Made {uses}.', 'Ideal {uses}.', 'Designed {uses}.'],
  es: ['Pensado {uses}.', 'Ideal {uses}.', 'Diseñado {uses}.'],
};

/**
 * Every sentence the item's facts allow, in the reader's language, in the shop's own order. `seed`
 * (everything known of the reader) picks among the wordings, so different readers read different words.
 */
export function factSentences(f: ItemFacts, style: Style, seed = ''): FactSentence[] {
  const lang = style.lang;
  const out: FactSentence[] = [];
  const price = priceText(f, lang);
  const choose = (options: readonly string[], key: string) => options[pickIndex(`${key}:${seed}`, options.length)];
  if (price) {
    const words = choose(style.tone === 'informal' ? PRICE_WORDS[lang].informal : PRICE_WORDS[lang].other, 'price').replace('{price}', price);
    out.push({ field: 'price', text: words, keys: ['price', 'precio'], numeric: true });
  }
  if (f.brand) out.push({ field: 'attributes.brand', text: phrase('fact_brand', style, { brand: f.brand }), keys: [f.brand], numeric: false });
  if (f.uses.length)
    out.push({
      field: 'attributes.use',
      text: choose(USE_WORDS[lang], 'use').replace(
        '{uses}',
        joinList(
          f.uses.map((u) => useText(u, lang)),
          lang,
        ),
      ),
      keys: f.uses,
      numeric: false,
    });
  if (f.colour)
    out.push({ field: 'attributes.colour', text: phrase('fact_colour', style, { colours: label(f.colour, lang) }), keys: [f.colour], numeric: false });
  for (const a of f.attributes) {
    const value = typeof a.value === 'number' ? NUMBER[lang].format(a.value) : a.value === 'yes' ? (lang === 'es' ? 'sí' : 'yes') : a.value;
    out.push({
      field: `attributes.${a.name}`,
      text: `${attributeName(a.name, lang)}: ${value}.`,
      keys: [a.name, String(a.value)],
      numeric: typeof a.value === 'number',
    });
  }
  for (const s of f.sentences) out.push({ field: 'description', text: /[.!?]$/.test(s) ? s : `${s}.`, keys: [], numeric: /\d/.test(s) });
  if (!f.available) out.push({ field: 'available', text: phrase('fact_out_of_stock', style), keys: [], numeric: false });
  return out;
}

const termsOf = (text: string) => new Set([...analyze(text, 'en'), ...analyze(text, 'es')]);

/**
 * The facts in the order this reader cares about: those touching their interests first, the price
 * early for a price-minded reader and late for a premium one, measures first in a technical text.
 * Ties keep the shop's order. Without personalization the shop's order stands.
 */
export function orderFacts(facts: FactSentence[], reader: Reader): FactSentence[] {
  if (!reader.personalized) return facts;
  const interests = reader.interests.map((i, k) => ({ terms: termsOf(i.replace(/[-_]/g, ' ')), weight: 1 / (1 + k * 0.25) }));
  const score = (f: FactSentence) => {
    const terms = termsOf([...f.keys, f.text].join(' ').replace(/[-_]/g, ' '));
    let s = 0;
    for (const i of interests) if ([...i.terms].some((t) => terms.has(t))) s += 2 * i.weight;
    if (f.field === 'price') s += reader.priceBand === 'budget' ? 2.5 : reader.priceBand === 'premium' ? -1 : 0;
    if (reader.tone === 'technical' && f.numeric && f.field !== 'price') s += 1;
    if (f.field === 'available') s += 5; // never buried: it changes whether the rest matters
    return s;
  };
  return facts
    .map((f, k) => ({ f, k, s: score(f) }))
    .sort((a, b) => b.s - a.s || a.k - b.k)
    .map((x) => x.f);
}

export interface DescriptionDraft {
  title: string;
  text: string;
  html: string;
  /** The facts in the order written (fields). */
  order: string[];
}

/** How many facts each tone says. */
const FACTS_PER_TONE = { informal: 5, technical: 12, direct: 3 } as const;

export function writeDescription(item: ItemFacts, reader: Reader): DescriptionDraft {
  const style = styleOf(reader);
  const seed = seedOf([item.id, reader.lang, reader.tone, reader.address, reader.interests, reader.priceBand]);
  const ordered = orderFacts(factSentences(item, style, reader.personalized ? seed : ''), reader).slice(0, FACTS_PER_TONE[reader.tone]);
  const text = [item.title, '', ordered.map((f) => f.text).join(reader.tone === 'technical' ? '\n' : ' ')].join('\n');
  const body =
    reader.tone === 'technical'
      ? `<ul>${ordered.map((f) => `<li>${escapeHtml(f.text)}</li>`).join('')}</ul>`
      : `<p>${escapeHtml(ordered.map((f) => f.text).join(' '))}</p>`;
  return { title: item.title, text, html: `<h2>${escapeHtml(item.title)}</h2>${body}`, order: ordered.map((f) => f.field) };
}

export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}
