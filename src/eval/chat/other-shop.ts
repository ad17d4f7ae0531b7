/**
 * A second catalogue generator, deliberately unlike the demo's (src/simulate/): a small bilingual
 * outdoor-and-gadgets shop whose categories are one Spanish path ("Deportes > Acampada > Sacos de
 * dormir"), with no product-type attribute, Spanish attribute names and colour values (`marca`,
 * `color: negro`, `peso_kg`), uses only as Spanish tags, titles in either language, and accessories
 * and spare parts filed in the same category as the products they fit. The frozen `othershop`
 * dialogues run on it: the assistant was not written against it.
 */
import { unmixedRng } from '../../stats/random.ts';
import type { EvalItem } from './types.ts';

interface Kind {
  path: string;
  es: string;
  en: string;
  uses: string[];
  price: [number, number];
  /** Weight range in kg; absent when the shop does not record it. */
  kg?: [number, number];
  /** Spare parts and accessories for this kind, in Spanish and English. */
  parts: Array<[es: string, en: string, price: number]>;
}

const KINDS: Kind[] = [
  {
    path: 'Deportes > Acampada > Sacos de dormir',
    es: 'Saco de dormir',
    en: 'Sleeping Bag',
    uses: ['acampada', 'montaña', 'viaje'],
    price: [35, 260],
    kg: [0.6, 2.4],
    parts: [
      ['Funda de compresión para saco de dormir', 'Compression Sack for Sleeping Bags', 14.9],
      ['Sábana interior para saco de dormir', 'Sleeping Bag Liner', 19.9],
    ],
  },
  {
    path: 'Deportes > Montaña > Linternas frontales',
    es: 'Linterna frontal',
    en: 'Headlamp',
    uses: ['running', 'montaña', 'acampada'],
    price: [12, 90],
    kg: [0.05, 0.2],
    parts: [
      ['Cinta de repuesto para linterna frontal', 'Replacement Strap for Headlamps', 6.9],
      ['Batería recargable para linterna frontal', 'Rechargeable Battery for Headlamps', 17.5],
    ],
  },
  {
    path: 'Deportes > Raqueta > Palas de pádel',
    es: 'Pala de pádel',
    en: 'Padel Racket',
    uses: ['pádel'],
    price: [29, 240],
    kg: [0.34, 0.39],
    parts: [
      ['Protector para pala de pádel', 'Padel Racket Edge Protector', 7.5],
      ['Funda para pala de pádel', 'Padel Racket Cover', 12.9],
      ['Overgrip para pala (pack de 3)', 'Overgrip 3-Pack', 5.9],
    ],
  },
  {
    path: 'Movilidad > Patinetes eléctricos',
    es: 'Patinete eléctrico',
    en: 'Electric Scooter',
    uses: ['ciudad'],
    price: [249, 890],
    kg: [11, 21],
    parts: [
      ['Cargador para patinete eléctrico', 'Electric Scooter Charger', 39],
      ['Soporte de móvil para patinete', 'Scooter Phone Mount', 15.9],
    ],
  },
  {
    path: 'Electrónica > Óptica > Prismáticos',
    es: 'Prismáticos',
    en: 'Binoculars',
    uses: ['montaña', 'aves', 'viaje'],
    price: [45, 420],
    kg: [0.3, 1.1],
    parts: [['Arnés para prismáticos', 'Binocular Harness', 24.9]],
  },
  {
    path: 'Electrónica > Wearables > Relojes GPS',
    es: 'Reloj GPS',
    en: 'GPS Watch',
    uses: ['running', 'ciclismo', 'natación'],
    price: [79, 650],
    parts: [
      ['Correa de silicona para reloj GPS', 'Silicone Strap for GPS Watches', 19.9],
      ['Cable de carga para reloj GPS', 'GPS Watch Charging Cable', 12.9],
      ['Protector de pantalla para reloj GPS (2 uds.)', 'GPS Watch Screen Protector 2-Pack', 8.9],
    ],
  },
  {
    path: 'Electrónica > Audio > Auriculares deportivos',
    es: 'Auriculares deportivos',
    en: 'Sports Earbuds',
    uses: ['running', 'gimnasio'],
    price: [19, 199],
    parts: [
      ['Almohadillas de repuesto para auriculares', 'Replacement Ear Tips', 9.9],
      ['Estuche de carga para auriculares', 'Charging Case for Earbuds', 29.9],
    ],
  },
  {
    path: 'Electrónica > Audio > Altavoces portátiles',
    es: 'Altavoz portátil',
    en: 'Portable Speaker',
    uses: ['acampada', 'playa', 'fiestas'],
    price: [25, 320],
    parts: [['Funda de transporte para altavoz', 'Speaker Carry Case', 16.9]],
  },
  {
    path: 'Hogar > Cocina de camping > Hornillos',
    es: 'Hornillo de gas',
    en: 'Camping Stove',
    uses: ['acampada', 'montaña'],
    price: [22, 140],
    kg: [0.1, 1.6],
    parts: [['Cartucho de gas 230 g', 'Gas Canister 230 g', 6.5]],
  },
];

const BRANDS = ['Altura', 'Kimba', 'Norteño', 'Vórtice', 'Sendai', 'Pulso', 'Ravel', 'Tramontana'];
const LINES = ['Alpha', 'Cumbre', 'Trek', 'Nova', 'Brisa', 'Eco', 'Pro', 'Lite', 'Max', 'Zen'];
const COLOURS = ['negro', 'azul', 'rojo', 'verde', 'gris', 'naranja'];
const PER_KIND = 14;

/** The shop's items for a seed: about 150, products and their accessories, the same for the same seed. */
export function otherShopItems(seed = 11): EvalItem[] {
  const r = unmixedRng(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)];
  const out: EvalItem[] = [];
  let n = 0;
  for (const k of KINDS) {
    for (let i = 0; i < PER_KIND; i++) {
      const brand = pick(BRANDS);
      const line = pick(LINES);
      const colour = pick(COLOURS);
      const spanish = r() < 0.5;
      const price = Math.round((k.price[0] + r() * (k.price[1] - k.price[0])) * 10) / 10 - 0.01;
      const uses = k.uses.filter(() => r() < 0.6);
      if (!uses.length) uses.push(k.uses[i % k.uses.length]);
      const attributes: Record<string, unknown> = { marca: brand, color: colour };
      if (k.kg) attributes.peso_kg = Math.round((k.kg[0] + r() * (k.kg[1] - k.kg[0])) * 100) / 100;
      const title = spanish ? `${k.es} ${brand} ${line} ${colour}` : `${brand} ${line} ${k.en} (${colour})`;
      out.push({
        id: `os-${String(++n).padStart(3, '0')}`,
        title,
        description: spanish ? `${k.es} ${brand} ${line}, color ${colour}.` : `The ${brand} ${line} ${k.en.toLowerCase()}, in ${colour}.`,
        price: Math.round(price * 100) / 100,
        currency: 'EUR',
        available: r() > 0.05,
        categories: [k.path],
        tags: uses,
        attributes,
        language: spanish ? 'es' : 'en',
      });
    }
    for (const [es, en, price] of k.parts) {
      const spanish = r() < 0.5;
      out.push({
        id: `os-${String(++n).padStart(3, '0')}`,
        title: spanish ? `${es} ${pick(BRANDS)}` : `${pick(BRANDS)} ${en}`,
        description: spanish ? es : en,
        price,
        currency: 'EUR',
        available: true,
        categories: [k.path],
        tags: [],
        attributes: { marca: pick(BRANDS), color: pick(COLOURS) },
        language: spanish ? 'es' : 'en',
      });
    }
  }
  return out;
}
