/**
 * Headlines and ad copy for one reader: a front page reordered by their interests, and among headline
 * or ad variants (the shop's, and one written for them from an item's facts) the one a decision point
 * chooses for them, logged with its propensity so its effect is measured without bias. An ad needs the
 * person's `marketing` consent; without `personalization` the front page keeps the editor's order and
 * the decision reads no profile.
 */
import { AfinError, parseOr } from '../domain/errors.ts';
import { checkFacts } from './checker.ts';
import { factLines, itemFacts, readerOf, type Signal } from './facts.ts';
import { rankFrontPage, writeHeadline, type RankedEntry } from './headlines.ts';
import { newId, styleFields, type Basis, type PieceCommon } from './piece.ts';
import type { ContentPorts } from './ports.ts';
import { type BrandVoiceT, HeadlinesBody } from './schemas.ts';

/** The written variant's id among the shop's. */
export const WRITTEN = 'written';

export interface HeadlinesPiece extends PieceCommon {
  kind: 'headline' | 'ad';
  /** The front page in this reader's order. */
  items?: RankedEntry[];
  /** The variant shown to this reader. */
  variant?: { id: string; text: string; written: boolean; decisionId: string | null; propensity: number; point: string | null };
  /** The written variant, whether or not it was the one chosen. */
  written?: { text: string; itemId: string };
}

export class HeadlineService {
  constructor(
    private readonly ports: ContentPorts,
    private readonly voice: (ws: string) => Promise<BrandVoiceT>,
  ) {}

  async serve(ws: string, raw: unknown): Promise<HeadlinesPiece> {
    const body = parseOr(HeadlinesBody, raw, 'invalid_body');
    const { ports } = this;
    const { userId, kind } = body;
    const policy = await ports.consentOf(ws, userId);
    if (kind === 'ad' && !policy.marketing)
      throw new AfinError('conflict', `userId: "${userId}" has not consented to marketing (consent purpose "marketing"), so no ad is chosen`, 'userId');
    const needsCatalog = !!body.write || !!body.items?.some((i) => i.itemId);
    const [voice, catalog] = await Promise.all([this.voice(ws), needsCatalog ? ports.catalog(ws) : null]);
    const item = body.write ? catalog!.get(body.write.itemId) : undefined;
    if (body.write && !item) throw new AfinError('not_found', `write.itemId: no item "${body.write.itemId}" in this workspace`, 'write.itemId');
    const personalized = policy.personalization && !policy.erased;
    const person = policy.erased ? null : await ports.person(ws, userId);
    const reader = readerOf(person, voice, personalized);
    const signals: Signal[] = [...reader.signals];
    const facts: Basis['facts'] = [];
    const piece: HeadlinesPiece = { contentId: newId(), kind, by: 'embedded', personalized, ...styleFields(reader), basis: { signals, facts } };

    if (body.items?.length) {
      const entries = body.items.map((e) => {
        const it = e.itemId ? catalog!.get(e.itemId) : undefined;
        return { id: e.id, title: e.title ?? it?.title, keys: [...(e.categories ?? it?.categories ?? []), ...(e.tags ?? it?.tags ?? [])] };
      });
      const interests = personalized && person ? [...person.affinities.categories, ...person.affinities.tags] : null;
      piece.items = rankFrontPage(entries, interests);
      for (const e of piece.items) for (const m of e.matches) facts.push({ itemId: e.id, field: 'interest', value: m });
    }

    const options: Array<{ id: string; text: string; features?: Record<string, number | boolean | string> }> = [...(body.variants ?? [])];
    if (item) {
      const f = itemFacts(item, reader.lang);
      const w = writeHeadline(f, reader, kind);
      // The embedded writer says only facts; the check keeps it that way should a fact's wording ever add a number.
      if (checkFacts(w.text, { items: [f] }).ok) {
        piece.written = { text: w.text, itemId: item.id };
        options.push({ id: WRITTEN, text: w.text, features: { written: true } });
        facts.push(...factLines(f).filter((x) => w.fields.includes(x.field)));
      }
    }
    let propensity = 1;
    if (options.length) {
      const point = body.point ?? (kind === 'ad' ? 'ads' : 'headlines');
      let chosen = { id: options[0].id, decisionId: null as string | null, propensity: 1, point: null as string | null };
      if (options.length > 1 && ports.decide) {
        const r = await ports.decide(ws, {
          userId,
          point,
          options: options.map((o) => ({ id: o.id, ...(o.features ? { features: o.features } : {}) })),
        });
        chosen = { id: r.option, decisionId: r.decisionId, propensity: r.propensity, point };
        signals.push({ name: 'decision', value: `${point}: ${r.option} (p=${r.propensity.toFixed(3)})`, source: 'workspace' });
      }
      const o = options.find((x) => x.id === chosen.id)!;
      piece.variant = { ...chosen, text: o.text, written: o.id === WRITTEN };
      propensity = chosen.propensity;
    }
    if (!policy.erased)
      await ports.exposed?.(ws, {
        contentId: piece.contentId,
        userId,
        kind: kind === 'ad' ? 'ad' : 'headlines',
        by: 'embedded',
        itemIds: piece.items?.map((e) => e.id) ?? (piece.variant?.written && item ? [item.id] : []),
        at: ports.clock(),
        variant: piece.variant?.id ?? (personalized ? 'interests' : 'editor'),
        propensity,
      });
    return piece;
  }
}
