import type { Style } from './templates.ts';
import { applyAddress } from './templates.ts';

/** The follow-ups a person can tap; each is phrased so the assistant understands it when sent back. */
const QUICK = {
  recommend: { en: 'Show me some ideas', es: '[Enséñame|Enséñeme] algunas ideas' },
  refine: { en: 'Something cheaper', es: 'Algo más barato' },
  compare: { en: 'Compare the first two', es: 'Compara los dos primeros' },
  add_to_cart: { en: 'Add the first one to my cart', es: 'Añade el primero al carrito' },
  item_question: { en: 'Tell me more about the first one', es: '[Cuéntame|Cuénteme] más del primero' },
  order_status: { en: 'Where is my order?', es: '¿Dónde está mi pedido?' },
  shipping: { en: 'How long does shipping take?', es: '¿Cuánto tarda el envío?' },
  return_policy: { en: 'How do returns work?', es: '¿Cómo funcionan las devoluciones?' },
  human: { en: 'Talk to a person', es: 'Hablar con una persona' },
  bye: { en: "That's all, thanks", es: 'Eso es todo, gracias' },
} as const;

export type QuickReplyKey = keyof typeof QUICK;

export function quickReplies(keys: readonly QuickReplyKey[], style: Style): string[] {
  return keys.map((k) => applyAddress(QUICK[k][style.lang], style.address));
}
