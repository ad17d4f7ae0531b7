/**
 * Bilingual concept cues for the intent classifier: words of both languages that mean the same thing map to
 * one feature ("refund", "reembolso", "devolver" → RETURN), so that what the model learns from the English
 * phrases also helps the Spanish ones and unseen synonyms still count. Product types, colours, features and
 * common brands come from the shipped synonym lists.
 */
import { COLOUR_SYNONYMS, COMMON_BRANDS, FEATURE_SYNONYMS, PRODUCT_SYNONYMS } from './synonyms.ts';
import { stemEn, stemEs, tokenize, type Lang, stem } from '../../text/text.ts';

const CUES: Record<string, string> = {
  GREET: 'hi hello hey hiya howdy greetings morning afternoon evening hola buenas buenos saludos holi ola wenas',
  THANKS: 'thanks thank thx ty cheers appreciate appreciated grateful gracias agradezco agradecido agradece grax',
  BYE: 'bye goodbye farewell later ciao cya leaving adiós adios chao chau luego pronto marcho despedida',
  YES: 'yes yeah yep yup sure ok okay alright absolutely definitely correct exactly agreed deal sí si vale claro okey dale perfecto exacto correcto adelante',
  NO: 'no nope nah not never none neither nada ninguno ninguna tampoco nunca',
  CHEAP: 'cheap cheaper cheapest inexpensive affordable budget less lower economical barato barata económico asequible menos bajar rebajado',
  PRICEY: 'expensive pricier pricey premium higher luxury high-end caro cara caros costoso gama lujo',
  PRICE: 'price prices cost costs much euros euro dollars pounds precio precios cuesta cuestan vale cuánto pavos presupuesto budget spend gastar',
  MORE: 'more other another others different else next similar instead más otro otra otros otras distinto diferente siguientes parecido',
  COMPARE:
    'compare comparison difference differences differ versus vs better best worse between which compara comparar comparación diferencia diferencias diferencian mejor peor entre cuál cuáles',
  ORDINAL: 'first second third fourth fifth last both 1st 2nd 3rd primero primera primer segundo segunda tercero tercera tercer cuarto último última ambos',
  QUESTION_DETAIL:
    'battery material size sizes weight weigh waterproof warranty specs dimensions compatible made fit microphone port cable reviews batería material talla tallas peso pesa medidas compatible fabricado micrófono puerto opiniones características',
  CART: 'cart basket bag checkout carrito cesta carro añadir añade añádelo agrega agregar mete mételo',
  BUY: 'buy purchase take order get comprar compra cómpralo compro llevo quedo pedir pide',
  SEARCH:
    'looking look search find need want recommend suggest suggestion show browse idea ideas busco buscando buscar necesito quiero recomienda recomiéndame recomiendas sugiere sugiéreme enséñame muéstrame idea',
  ORDER:
    'order orders package parcel tracking track delivered courier arrived arrive dispatched shipped pedido pedidos paquete seguimiento rastrear entregado repartidor llegado llega salido',
  RETURN:
    'return returns refund refunds exchange swap warranty guarantee defective broken damaged money back devolver devolución devoluciones reembolso cambiar cambio garantía defectuoso roto dañado dinero',
  SHIP: 'shipping ship ships delivery deliver send sending carrier express international pickup envío envíos enviar enviáis entrega entregáis mandar mandáis transporte recogida exprés internacional',
  LIKE: 'like love prefer favourite favorite hate dislike fan into keen usually always never gusta gustan encanta prefiero favorita favorito odio suelo siempre nunca',
  BRIEF: 'brief short shorter concise summary summarise summarize quick tldr direct breve corto cortas resume resúmelo conciso rápida directo grano',
  DETAIL: 'detail details detailed explain elaborate thoroughly longer technical detalle detalles detallado explica explícamelo explícate técnico largas fondo',
  FORMALITY: 'formal informal casual casually friendly professional tú usted tutear tutearme trátame háblame cercano formalidad profesional',
  STYLE_WORDS: 'words jargon emojis bullet answers answer tone talk speak palabras tecnicismos emojis viñetas respuestas respuesta tono habla háblame',
  HUMAN:
    'human person people agent operator someone somebody staff representative manager support employee real humano persona agente operador alguien encargado soporte empleado real comercial centralita',
  CONTACT: 'call phone email contact complain llamar teléfono correo contactar queja',
  DATA: 'data information info profile history personal tracking consent profiling personalization personalized personalised datos información perfil historial personales rastreando consentimiento perfiles personalización personalizadas personalizar',
  FORGET:
    'forget delete erase remove wipe clear reset withdraw opt stop object olvida olvídame olvidar borra borrar bórralo elimina eliminar quita limpia retiro deja dejar oponer opongo',
  KNOW: 'know remember learned saved store stored collect see show export download sabes sabe recuerdas aprendido guardado guardáis recogido recogéis ver exporta descargar',
  WHY: 'why how reason because based qué cómo razón basas basado',
  HELP: 'help can do what able features options menu instructions guide commands ayuda puedes haces funciones opciones menú instrucciones guía comandos sirves',
  SELF: 'you yourself bot robot ai assistant tú ti eres robot ia asistente',
  WEATHER: 'weather rain snow sunny temperature forecast tiempo llover lluvia nevar nieve temperatura pronóstico',
  TRIVIA:
    'capital president election politics party history universe moon god news football match joke poem story song riddle capital presidente elecciones política partido historia universo luna dios noticias fútbol chiste poema cuento canción adivinanza',
  MATH: 'plus minus times divided equation square root percent calculate dividido ecuación raíz cuadrada ciento calcula',
  ERRAND: 'alarm remind reminder book flight table lights music movie netflix alarma recuérdame reserva vuelo mesa luces música película',
};

interface ConceptIndex {
  /** Stemmed single word (any language stemmer) -> concepts. */
  words: Map<string, string[]>;
  /** Stemmed two-word sequences joined with "_" -> concepts. */
  pairs: Map<string, string[]>;
}

let cached: ConceptIndex | undefined;

function addTo(m: Map<string, string[]>, key: string, concept: string): void {
  const list = m.get(key);
  if (!list) m.set(key, [concept]);
  else if (!list.includes(concept)) list.push(concept);
}

function addForm(idx: ConceptIndex, form: string, concept: string): void {
  const toks = tokenize(form);
  if (toks.length === 1) {
    addTo(idx.words, stemEn(toks[0]), concept);
    addTo(idx.words, stemEs(toks[0]), concept);
  } else if (toks.length === 2) {
    addTo(idx.pairs, stemEn(toks[0]) + '_' + stemEn(toks[1]), concept);
    addTo(idx.pairs, stemEs(toks[0]) + '_' + stemEs(toks[1]), concept);
  }
}

function build(): ConceptIndex {
  const idx: ConceptIndex = { words: new Map(), pairs: new Map() };
  for (const [concept, list] of Object.entries(CUES)) for (const w of list.split(/\s+/)) if (w) addForm(idx, w, concept);
  const groups: Array<[string, readonly { en: readonly string[]; es: readonly string[] }[]]> = [
    ['PRODUCT', PRODUCT_SYNONYMS],
    ['COLOUR', COLOUR_SYNONYMS],
    ['FEATURE', FEATURE_SYNONYMS],
  ];
  for (const [concept, gs] of groups) for (const grp of gs) for (const f of [...grp.en, ...grp.es]) addForm(idx, f, concept);
  for (const b of COMMON_BRANDS) addForm(idx, b, 'BRAND');
  return idx;
}

/** Concept names found in a message (with repeats), for the classifier's features. */
export function conceptsOf(tokens: readonly string[], lang: Lang): string[] {
  const idx = (cached ??= build());
  const stems = tokens.map((t) => stem(t, lang));
  const out: string[] = [];
  for (let i = 0; i < stems.length; i++) {
    for (const c of idx.words.get(stems[i]) ?? []) out.push(c);
    if (i + 1 < stems.length) for (const c of idx.pairs.get(stems[i] + '_' + stems[i + 1]) ?? []) out.push(c);
  }
  return out;
}
