import type { Store } from '../store/store.ts';
import type { Lang } from '../text/text.ts';
import { applyAddress, type Style } from './templates.ts';

export type FaqTopic = 'order_status' | 'return_policy' | 'shipping';
export type Faq = Record<FaqTopic, Record<Lang, string>>;

/** What the assistant says about orders, returns and shipping until a shop configures its own. */
const DEFAULT_FAQ: Faq = {
  order_status: {
    en: 'Orders usually arrive within 2–4 working days; the tracking link is in your confirmation email.',
    es: 'Los pedidos suelen llegar en 2–4 días laborables; el enlace de seguimiento está en [tu|su] correo de confirmación.',
  },
  return_policy: {
    en: 'You can return any item within 30 days for a full refund, as long as it is unused and in its packaging.',
    es: '[Puedes|Puede] devolver cualquier producto en 30 días con reembolso completo, sin usar y en su embalaje.',
  },
  shipping: {
    en: 'Standard shipping takes 2–4 working days and is free over 50 €; express delivery arrives the next working day.',
    es: 'El envío estándar tarda 2–4 días laborables y es gratis a partir de 50 €; el exprés llega al día siguiente laborable.',
  },
};

export const FAQ_DOC = { collection: 'settings', id: 'faq' } as const;

/** The workspace's FAQ (its own answers over the defaults). */
export async function loadFaq(store: Pick<Store, 'getDoc'>, ws: string): Promise<Faq> {
  const doc = await store.getDoc(ws, FAQ_DOC.collection, FAQ_DOC.id);
  const own = (doc?.body ?? {}) as Partial<Record<FaqTopic, Partial<Record<Lang, string>>>>;
  const out = structuredClone(DEFAULT_FAQ);
  for (const t of Object.keys(out) as FaqTopic[]) for (const l of ['en', 'es'] as const) if (own[t]?.[l]) out[t][l] = own[t]![l]!;
  return out;
}

export async function faqAnswer(store: Pick<Store, 'getDoc'>, ws: string, topic: FaqTopic, style: Style): Promise<string> {
  return applyAddress((await loadFaq(store, ws))[topic][style.lang], style.address);
}
