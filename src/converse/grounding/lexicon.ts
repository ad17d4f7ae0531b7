/**
 * The bilingual retail lexicon that ships with Afín: common product, part, room, material and size
 * words, English ↔ Spanish, so a Spanish question finds English-named items and the other way round.
 * Each line is `english forms = spanish forms`, forms separated by `|`; the first English form names
 * the entry. Matching folds accents and case and allows a plural, so list singulars.
 */
import { stem, tokenize } from '../../text/text.ts';

const PRODUCTS = `
sofa|couch|settee = sofá|sillón
sofa-bed|sofa bed = sofá cama|sofá-cama
armchair = sillón|butaca
chair = silla
office chair|desk chair|swivel chair|work chair = silla de escritorio|silla de oficina|silla giratoria
dining chair = silla de comedor
stool|bar stool = taburete
footstool = reposapiés|puf
table = mesa
coffee table = mesa de centro|mesa baja
dining table = mesa de comedor
side table = mesa auxiliar
bedside table|nightstand = mesita de noche|mesilla
desk = escritorio
bed = cama
bed frame = estructura de cama
bunk bed = litera
mattress = colchón
wardrobe|closet = armario|armario ropero|ropero
chest of drawers|dresser = cómoda
bookcase|shelving unit|bookshelf|shelf unit = estantería|librería|estante
wall shelf|shelf = balda|estante de pared
cabinet|cupboard = armario|aparador|vitrina
sideboard = aparador
tv bench|tv unit|tv stand = mueble de tv|mueble tv|mesa de tv
lamp = lámpara
rug = alfombra
mirror = espejo
curtain = cortina
cushion = cojín
trolley = carrito
crib|cot = cuna
high chair|highchair = trona
sleeping bag = saco de dormir
headlamp|head torch = linterna frontal|frontal
torch|flashlight = linterna
tent = tienda de campaña
padel racket|padel paddle = pala de pádel|pala
racket = raqueta
electric scooter|e-scooter|scooter = patinete eléctrico|patinete
bike|bicycle = bicicleta|bici
helmet = casco
binoculars = prismáticos
watch = reloj
gps watch|sports watch = reloj gps|reloj deportivo
smartwatch = reloj inteligente
earbuds|earphones|headphones = auriculares|cascos
speaker|portable speaker = altavoz|altavoz portátil
camping stove|stove = hornillo|hornillo de gas
backpack = mochila
bag = bolsa|bolso
shoes = zapatos
trainers|sneakers = zapatillas
jacket = chaqueta
gift card|giftcard|egift card = tarjeta regalo|tarjeta de regalo|cheque regalo
gift card holder = portatarjetas|funda para tarjeta regalo
magazine|magazine subscription = revista|suscripción a revista
book = libro
phone = móvil|teléfono
laptop = portátil
kettle = hervidor
toaster = tostadora
coffee maker = cafetera
blender = batidora
frying pan|pan = sartén
pot = olla
knife = cuchillo
glass = vaso
mug|cup = taza
plate = plato
towel = toalla
pillow = almohada
duvet = edredón
bottle = botella
milk = leche
bread = pan
water = agua
rice = arroz
oil = aceite
coffee = café
beer = cerveza
wine = vino
cheese = queso
chocolate = chocolate
soap = jabón
shampoo = champú
`;

/** Parts and accessories: they answer a request only when named. */
const PARTS = `
cover|slipcover = funda
case|carry case|carrying case = estuche|funda de transporte
leg|legs = pata|patas
cushion|seat cushion|back cushion|pad|chair pad = cojín|almohadilla|cojín de asiento
strap|band = correa|cinta
charger|charging cable = cargador|cable de carga
cable = cable
battery = batería|pila
replacement|spare|refill = repuesto|recambio
protector|screen protector|edge protector = protector
holder|mount|stand = soporte|portatarjetas
liner = sábana interior
compression sack|stuff sack = funda de compresión
ear tips = almohadillas
overgrip|grip = overgrip|grip
canister|cartridge = cartucho
tin = lata
sleeve = funda
door = puerta
drawer = cajón
hinge = bisagra
knob|handle = tirador|pomo
insert = inserto
frame = estructura|marco
shelf = balda
glass top|top = tablero
module = módulo
armrest = reposabrazos
headrest = reposacabezas
backrest = respaldo
`;

/** Rooms, uses, materials and qualities people say. */
const OTHER = `
living room|lounge = salón|sala de estar
bedroom = dormitorio|habitación
kitchen|cooking = cocina
bathroom = baño
office|study = oficina|despacho|estudio
garden|outdoor|outdoors = jardín|exterior|terraza
kids|children|child = niños|infantil|niño
camping = acampada|camping
hiking|mountain = senderismo|montaña
running = correr|running
swimming = natación|nadar
cycling = ciclismo
gym = gimnasio
travel = viaje|viajar
city = ciudad
birds|bird watching|birdwatching = aves|pájaros|observación de aves
beach = playa
party = fiesta|fiestas
birthday = cumpleaños
wood|wooden = madera
metal|steel = metal|acero
glass = cristal|vidrio
leather = cuero|piel
fabric = tela
seat = plaza|asiento
wide|width = ancho|anchura
long|length = largo|longitud
high|tall|height = alto|altura
deep|depth = fondo|profundidad
weight|heavy = peso|pesado
light|lightweight = ligero
food = comida
wine = vino
`;

export interface LexiconEntry {
  /** The English forms, first one naming the entry. */
  en: string[];
  es: string[];
  kind: 'product' | 'part' | 'other';
}

function parse(block: string, kind: LexiconEntry['kind']): LexiconEntry[] {
  return block
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean)
    .map((l) => {
      const [en, es] = l.split('=').map((s) =>
        s
          .split('|')
          .map((x) => tokenize(x).join(' '))
          .filter(Boolean),
      );
      return { en, es, kind };
    });
}

export const LEXICON: readonly LexiconEntry[] = [...parse(PRODUCTS, 'product'), ...parse(PARTS, 'part'), ...parse(OTHER, 'other')];

/** Head words of parts and accessories (folded): the last word of an English form, the first of a Spanish one. */
export const PART_WORDS: ReadonlySet<string> = new Set(
  LEXICON.filter((e) => e.kind === 'part').flatMap((e) => [...e.en.map((f) => f.split(' ').at(-1)!), ...e.es.map((f) => f.split(' ')[0])]),
);

/**
 * One-word topic words (rooms, uses, materials) to the stems of their other-language forms, so
 * "revista de cocina" finds a magazine filed under "Cooking".
 */
export const TOPIC_TRANSLATIONS: ReadonlyMap<string, readonly string[]> = (() => {
  const out = new Map<string, string[]>();
  const stemsOf = (f: string) => [stem(f, 'en'), stem(f, 'es')];
  for (const e of LEXICON) {
    if (e.kind !== 'other') continue;
    const single = (forms: readonly string[]) => forms.filter((f) => !f.includes(' '));
    const en = single(e.en).flatMap(stemsOf);
    const es = single(e.es).flatMap(stemsOf);
    for (const [from, to] of [
      [en, es],
      [es, en],
    ] as const)
      for (const f of from) out.set(f, [...new Set([...(out.get(f) ?? []), ...to])]);
  }
  return out;
})();
