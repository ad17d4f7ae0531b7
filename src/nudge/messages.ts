/**
 * A nudge's words, in the person's language: the assistant's opener templates for the three signals it
 * already opens conversations with, and lines of the same kind for the others.
 */
import { applyAddress, formatPrice, say, type Address, type Style, type Tone } from '../converse/templates.ts';
import { toneFromTrait } from '../converse/tone.ts';
import type { Lang } from '../text/text.ts';
import type { TriggerKind } from './schemas.ts';
import type { Candidate, NudgeItem } from './signals.ts';

type Lines = Record<Lang, string>;

const OWN: Record<'replenishment' | 'churn_risk' | 'new_item_match' | 'reminder', Lines> = {
  replenishment: {
    en: 'Running low on {category}? You usually buy it about every {days} days.{item}',
    es: '¿Se [te|le] acaba {category}? [Sueles|Suele] comprarlo cada {days} días, más o menos.{item}',
  },
  churn_risk: {
    en: "We've missed you! A few things we picked for you are waiting.{item}",
    es: '¡[Te|Le] echamos de menos! [Tienes|Tiene] novedades elegidas para [ti|usted].{item}',
  },
  new_item_match: {
    en: 'New in {category}: {title}. We thought of you.',
    es: 'Novedad en {category}: {title}. Pensamos en [ti|usted].',
  },
  reminder: {
    en: 'You asked me to remind you today.{item}',
    es: '[Me pediste|Me pidió] que [te|se] lo recordara hoy.{item}',
  },
};
const ITEM_TAIL: Record<'replenishment' | 'churn_risk' | 'reminder', Lines> = {
  replenishment: { en: ' {title} is ready when you are.', es: ' {title} [te|le] espera.' },
  churn_risk: { en: ' For example: {title}.', es: ' Por ejemplo: {title}.' },
  reminder: { en: ' About {title}.', es: ' Sobre {title}.' },
};

const SUBJECTS: Record<TriggerKind, Lines> = {
  abandoned_cart: { en: 'Still in your cart', es: 'Sigue en [tu|su] carrito' },
  price_drop: { en: 'A price just dropped', es: 'Ha bajado un precio' },
  back_in_stock: { en: 'Back in stock', es: 'Vuelve a estar disponible' },
  replenishment: { en: 'Time to stock up?', es: '¿Toca reponer?' },
  churn_risk: { en: 'We saved you a few picks', es: '[Te|Le] guardamos algunas ideas' },
  new_item_match: { en: 'New, and your kind of thing', es: 'Novedad a [tu|su] gusto' },
  reminder: { en: 'Your reminder', es: '[Tu|Su] recordatorio' },
};

/** The person's language and register: their `language` and `tone` traits, else English, informal, tú. */
export function styleOf(traits: Record<string, unknown> | undefined): Style {
  const lang: Lang = traits?.language === 'es' ? 'es' : 'en';
  const tone: Tone = toneFromTrait(traits?.tone) ?? 'informal';
  const address: Address = traits?.address === 'usted' ? 'usted' : 'tu';
  return { lang, tone, address };
}

const fill = (text: string, vars: Record<string, string>, address: Address) =>
  applyAddress(
    text.replace(/\{(\w+)\}/g, (_, k: string) => vars[k] ?? ''),
    address,
  ).trim();

/** The nudge's message and email subject. */
export function wordNudge(c: Candidate, items: readonly NudgeItem[], style: Style, seed: string): { message: string; subject: string } {
  const subject = fill(SUBJECTS[c.trigger][style.lang], {}, style.address);
  const first = items[0];
  const d = c.signal.detail;
  if (c.trigger === 'abandoned_cart' && first) return { subject, message: say('opener_cart', style, { title: first.title }, seed) };
  if (c.trigger === 'back_in_stock' && first) return { subject, message: say('opener_back_in_stock', style, { title: first.title }, seed) };
  if (c.trigger === 'price_drop' && first)
    return {
      subject,
      message: say(
        'opener_price_drop',
        style,
        {
          title: first.title,
          price: formatPrice(Number(d.newPrice), first.currency, style.lang),
          old: formatPrice(Number(d.oldPrice), first.currency, style.lang),
        },
        seed,
      ),
    };
  const key = c.trigger === 'abandoned_cart' || c.trigger === 'price_drop' || c.trigger === 'back_in_stock' ? 'churn_risk' : c.trigger;
  const tail = key !== 'new_item_match' && first ? fill(ITEM_TAIL[key][style.lang], { title: first.title }, style.address) : '';
  const vars = { category: String(d.category ?? ''), days: String(d.intervalDays ?? ''), title: first?.title ?? '', item: tail ? ` ${tail}` : '' };
  return { subject, message: fill(OWN[key][style.lang], vars, style.address) };
}
