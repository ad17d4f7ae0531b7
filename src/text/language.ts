/**
 * Per-message language identification for English and Spanish: a word-level likelihood ratio for words seen
 * in the shipped phrases, stop words and a small common-word lexicon, a character-trigram likelihood ratio
 * for unseen words, and orthographic cues (ñ, ¿, ¡, accents, English contractions). Built for chat: short
 * messages ("hola", "hi", "barato") come out right, and ambiguous ones ("ok", "no", "Sony") come out with low
 * confidence so that `chooseLanguage` keeps the conversation's language.
 */
import { PHRASES_EN } from './phrases-en.ts';
import { PHRASES_ES } from './phrases-es.ts';
import { STOPWORDS, normalize, tokenize, type Lang } from './text.ts';

export interface LanguageGuess {
  language: Lang;
  /** Probability of `language`, 0.5 (no idea) to 1. */
  confidence: number;
  /** Log-odds of English over Spanish; positive means English. */
  score: number;
}

/** Everyday words outside the phrase files, so that the word model covers more than shop talk. */
const LEXICON_EN = `the and you your for with this that have want need like looking show buy price cheap cheaper expensive
good best better new one ones some any please thanks thank hello hi hey yes yeah no not bye what which how when where why
who much many more less other another colour color size big small large medium light heavy black white red blue green
pink yellow grey gray brown purple orange gold silver shoes shoe sneakers trainers boots shirt shirts jacket dress jeans
trousers pants bag backpack watch phone laptop headphones earbuds speaker keyboard mouse screen camera book books toy
toys gift present running gaming office work home travel hiking gym kids women men wireless waterproof leather cotton
would could should will can get got give take make see look find help tell know think something anything nothing
everything under over around about between up to from than then there here again also only just very really too
cart basket order delivery shipping return refund money card store shop item items product products brand cheapest
today tomorrow week weekend morning night day time year old young nice great fine cool awesome perfect love hate prefer
maybe sure okay instead without except anyone someone talk speak person human agent data forget delete privacy
lamp chair table bed pillow blanket towel mug cup plate kitchen garden umbrella wallet purse belt hat cap gloves scarf
socks hoodie sweater coat shorts skirt suit tie ring necklace earrings bracelet charger cable battery helmet bike bicycle
ball racket tent bottle perfume makeup soap shampoo cream tablet monitor printer router console game games movie music
baby girl boy wife husband son daughter mother father friend birthday wedding christmas summer winter spring autumn
warm cold soft hard bright dark comfortable cheap lightweight durable quality stock available sold pair set pack`;

const LEXICON_ES = `el la los las un una unos unas de del y o que con para por en es son este esta estos estas ese esa eso
quiero busco necesito me gusta gustan enséñame muéstrame precio barato barata baratos baratas caro cara caros caras
económico mejor mejores nuevo nueva uno otro otra otros otras algún alguna hola gracias adiós sí no qué cuál cómo cuándo
dónde por qué quién cuánto cuánta más menos color colores talla grande pequeño pequeña mediano ligero pesado negro negra
blanco blanca rojo roja azul verde rosa amarillo gris marrón morado naranja dorado plateado zapatillas zapatos botas
camiseta camisa chaqueta vestido vaqueros pantalones bolso mochila reloj móvil portátil auriculares cascos altavoz
teclado ratón pantalla cámara libro libros juguete juguetes regalo correr jugar oficina trabajo casa viajar viaje
montaña gimnasio niños niñas mujer hombre inalámbrico impermeable cuero algodón podría puedes puede tienes tenéis
tiene dame dime ver mira busca encuentra ayuda ayúdame saber sé creo algo nada todo debajo encima alrededor entre hasta
desde unos euros pavos luego también solo muy demasiado carrito cesta pedido envío entrega devolución reembolso dinero
tarjeta tienda artículo producto productos marca hoy mañana semana finde noche día hora año viejo joven bonito genial
vale perfecto encanta odio prefiero prefieres quizá claro seguro en vez sin excepto alguien hablar persona humano
agente datos olvida borra privacidad para correr
lámpara silla mesa cama almohada manta toalla taza plato cocina jardín paraguas cartera monedero cinturón gorro gorra
guantes bufanda calcetines sudadera jersey abrigo pantalón corto falda traje corbata anillo collar pendientes pulsera
cargador cable batería casco bici bicicleta pelota raqueta tienda botella perfume maquillaje jabón champú crema tableta
monitor impresora consola juego juegos película música bebé niña niño mujer marido hijo hija madre padre amigo amiga
cumpleaños boda navidad verano invierno primavera otoño calentito frío suave duro oscuro cómodo ligero resistente
calidad disponible agotado par conjunto paquete`;

/** Words both languages use as they are: no evidence either way. */
const NEUTRAL = new Set(['ok', 'okey', 'wifi', 'bluetooth', 'usb', 'online', 'email', 'app', 'web', 'pc', 'tv', 'led']);

const ALPHA = 0.5;
const TRIGRAM_K = 0.3;

interface LangModel {
  words: [Map<string, number>, Map<string, number>];
  wordTotals: [number, number];
  wordTypes: number;
  grams: [Map<string, number>, Map<string, number>];
  gramTotals: [number, number];
  gramTypes: number;
}

let cached: LangModel | undefined;

function addWords(map: Map<string, number>, words: Iterable<string>, weight: number): number {
  let total = 0;
  for (const w of words) {
    if (/^\d+$/.test(w)) continue;
    map.set(w, (map.get(w) ?? 0) + weight);
    total += weight;
  }
  return total;
}

function trigrams(word: string): string[] {
  const padded = `^${word}$`;
  const out: string[] = [];
  for (let i = 0; i + 3 <= padded.length; i++) out.push(padded.slice(i, i + 3));
  if (padded.length < 3) out.push(padded);
  return out;
}

function build(): LangModel {
  const words: [Map<string, number>, Map<string, number>] = [new Map(), new Map()];
  const grams: [Map<string, number>, Map<string, number>] = [new Map(), new Map()];
  const wordTotals: [number, number] = [0, 0];
  const gramTotals: [number, number] = [0, 0];
  const sources: Array<[number, Record<string, readonly string[]>, string, ReadonlySet<string>]> = [
    [0, PHRASES_EN, LEXICON_EN, STOPWORDS.en],
    [1, PHRASES_ES, LEXICON_ES, STOPWORDS.es],
  ];
  for (const [li, phrases, lexicon, stop] of sources) {
    const toks: string[] = [];
    for (const list of Object.values(phrases)) for (const p of list) toks.push(...tokenize(p));
    wordTotals[li] += addWords(words[li], toks, 1);
    wordTotals[li] += addWords(words[li], tokenize(lexicon), 2);
    wordTotals[li] += addWords(words[li], stop, 3);
    for (const w of [...toks, ...tokenize(lexicon), ...stop]) {
      if (/\d/.test(w)) continue;
      for (const g of trigrams(w)) {
        grams[li].set(g, (grams[li].get(g) ?? 0) + 1);
        gramTotals[li]++;
      }
    }
  }
  const wordTypes = new Set([...words[0].keys(), ...words[1].keys()]).size;
  const gramTypes = new Set([...grams[0].keys(), ...grams[1].keys()]).size;
  return { words, wordTotals, wordTypes, grams, gramTotals, gramTypes };
}

function model(): LangModel {
  return (cached ??= build());
}

function clip(x: number, m: number): number {
  return Math.min(m, Math.max(-m, x));
}

/** Log-odds (English over Spanish) contributed by one folded word. */
function wordEvidence(m: LangModel, w: string): number {
  const ce = m.words[0].get(w) ?? 0;
  const cs = m.words[1].get(w) ?? 0;
  if (ce + cs > 0) {
    const pe = (ce + ALPHA) / (m.wordTotals[0] + ALPHA * m.wordTypes);
    const ps = (cs + ALPHA) / (m.wordTotals[1] + ALPHA * m.wordTypes);
    return clip(Math.log(pe / ps), 4);
  }
  let s = 0;
  const gs = trigrams(w);
  for (const g of gs) {
    const pe = ((m.grams[0].get(g) ?? 0) + TRIGRAM_K) / (m.gramTotals[0] + TRIGRAM_K * m.gramTypes);
    const ps = ((m.grams[1].get(g) ?? 0) + TRIGRAM_K) / (m.gramTotals[1] + TRIGRAM_K * m.gramTypes);
    s += Math.log(pe / ps);
  }
  // Unseen words are weaker evidence (names, brands, typos): damp and cap them.
  return clip((0.6 * s) / Math.sqrt(gs.length), 2.5);
}

/** Detects whether a message is English or Spanish. */
export function detectLanguage(text: string): LanguageGuess {
  const m = model();
  const { lower } = normalize(text);
  let score = 0;
  // Orthographic cues that only Spanish uses.
  const n = (lower.match(/ñ/g) ?? []).length;
  const marks = (lower.match(/[¿¡]/g) ?? []).length;
  const acc = (lower.match(/[áéíóú]/g) ?? []).length;
  score -= Math.min(n, 2) * 2 + Math.min(marks, 2) * 2.5 + Math.min(acc, 3) * 1;
  // English contractions.
  const contractions = (lower.match(/\b\w+['’](?:s|t|m|re|ve|ll|d)\b/g) ?? []).length;
  score += Math.min(contractions, 2) * 1.5;
  for (const w of tokenize(text)) if (!/^\d+$/.test(w) && !NEUTRAL.has(w)) score += wordEvidence(m, w);
  const pEn = 1 / (1 + Math.exp(-score));
  const language: Lang = score >= 0 ? 'en' : 'es';
  return { language, confidence: language === 'en' ? pEn : 1 - pEn, score };
}

/**
 * The sticky choice for a conversation: the detected language when it is confident enough, otherwise the
 * language the conversation already had ("ok", "Sony", "42" keep it). Without a previous language the
 * detection wins whatever its confidence.
 */
export function chooseLanguage(detected: LanguageGuess, previous?: Lang, minConfidence = 0.8): Lang {
  if (previous && detected.language !== previous && detected.confidence < minConfidence) return previous;
  return detected.language;
}
