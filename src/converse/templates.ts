import type { Lang } from '../text/text.ts';

/**
 * How the assistant speaks: the register of its replies (what a person asks for is nlu's
 * ToneRequest), and in Spanish the form of address.
 */
export type Tone = 'informal' | 'technical' | 'direct';
export type Address = 'tu' | 'usted';
export interface Style {
  lang: Lang;
  tone: Tone;
  address: Address;
}

type Variants = Partial<Record<Tone, readonly string[]>> & { informal: readonly string[] };
type Entry = Record<Lang, Variants>;

/**
 * Every sentence the embedded assistant can say, per language and tone, each with variations so the
 * same content reads differently from turn to turn. Spanish lines write `[tú form|usted form]` where
 * the address changes the words. `{name}` placeholders are filled from the variables.
 */
const T = {
  greet_new: {
    en: {
      informal: [
        'Hi! 👋 What are you looking for today?',
        "Hey there! Tell me what you need and I'll find a few good options.",
        'Hello! What can I help you find?',
      ],
      technical: [
        'Hello. Tell me the product type, budget and intended use, and I will narrow the catalogue down.',
        'Good day. Which product are you researching? I can compare specifications.',
      ],
      direct: ['Hi. What do you need?', 'Hello. What are you after?'],
    },
    es: {
      informal: [
        '¡Hola! 👋 ¿Qué [buscas|busca] hoy?',
        '¡Hola! [Cuéntame|Cuénteme] qué [necesitas|necesita] y te propongo algunas opciones.',
        '¡Buenas! ¿En qué te puedo ayudar?',
      ],
      technical: [
        'Hola. [Indícame|Indíqueme] el tipo de producto, el presupuesto y el uso, y acotaré el catálogo.',
        'Buenos días. ¿Qué producto [estás|está] valorando? Puedo comparar características.',
      ],
      direct: ['Hola. ¿Qué [necesitas|necesita]?', 'Hola. ¿Qué [buscas|busca]?'],
    },
  },
  greet_back_topic: {
    en: {
      informal: [
        'Welcome back{name}! Last time you were looking at {topic}. Shall we pick up there?',
        'Hi again{name}! Still after {topic}, or something new today?',
      ],
      technical: ['Welcome back{name}. Your last session was about {topic}; I can continue from those criteria.'],
      direct: ['Welcome back{name}. Still {topic}?'],
    },
    es: {
      informal: [
        '¡Hola de nuevo{name}! La última vez [buscabas|buscaba] {topic}. ¿Seguimos por ahí?',
        '¡Qué bien verte otra vez{name}! ¿Sigues con {topic} o hoy es otra cosa?',
      ],
      technical: ['Bienvenido de nuevo{name}. La última sesión trató de {topic}; puedo continuar con esos criterios.'],
      direct: ['Hola{name}. ¿Sigues con {topic}?'],
    },
  },
  greet_back_events: {
    en: {
      informal: [
        'Hi{name}! I see you were checking out {item}. Want more like it?',
        'Hello again{name}! You had a look at {item} recently. Shall I find similar things?',
      ],
      technical: ['Hello{name}. You recently viewed {item}; I can suggest comparable alternatives.'],
      direct: ['Hi{name}. More like {item}?'],
    },
    es: {
      informal: [
        '¡Hola{name}! Veo que [estuviste|estuvo] mirando {item}. ¿Te enseño cosas parecidas?',
        '¡Hola otra vez{name}! Hace poco [miraste|miró] {item}. ¿[Quieres|Quiere] más así?',
      ],
      technical: ['Hola{name}. [Consultaste|Consultó] hace poco {item}; puedo proponer alternativas comparables.'],
      direct: ['Hola{name}. ¿Más como {item}?'],
    },
  },
  ask_product: {
    en: {
      informal: ['Sure! What kind of product are you after?', 'Happy to help. What type of thing are you looking for?'],
      technical: ['Which product category should I search?'],
      direct: ['Which product?'],
    },
    es: {
      informal: ['¡Claro! ¿Qué tipo de producto [buscas|busca]?', 'Encantado de ayudar. ¿Qué [estás|está] buscando exactamente?'],
      technical: ['¿En qué categoría de producto [quieres|quiere] que busque?'],
      direct: ['¿Qué producto?'],
    },
  },
  ask_budget: {
    en: {
      informal: ['Nice, {product}! What budget do you have in mind?', 'Got it, {product}. Roughly how much would you like to spend?'],
      technical: ['For {product}, what is your price ceiling? Prices in this range vary a lot with specifications.'],
      direct: ['Budget for {product}?'],
    },
    es: {
      informal: ['¡Genial, {product}! ¿Qué presupuesto [tienes|tiene] en mente?', 'Entendido, {product}. ¿Cuánto te gustaría gastar más o menos?'],
      technical: ['Para {product}, ¿cuál es [tu|su] precio máximo? El precio varía mucho según las prestaciones.'],
      direct: ['¿Presupuesto para {product}?'],
    },
  },
  ask_use: {
    en: {
      informal: ['And what will you mainly use it for?', "What's it for, mostly?"],
      technical: ['What is the primary use case? It determines which features matter.'],
      direct: ['Main use?'],
    },
    es: {
      informal: ['¿Y para qué lo [vas|va] a usar sobre todo?', '¿Para qué lo [necesitas|necesita] principalmente?'],
      technical: ['¿Cuál es el uso principal? Determina qué características importan.'],
      direct: ['¿Uso principal?'],
    },
  },
  ask_colour: {
    en: {
      informal: ['Any colour you prefer?', 'Do you have a favourite colour for it?'],
      technical: ['Do you have a colour preference?'],
      direct: ['Colour?'],
    },
    es: {
      informal: ['¿Algún color que [prefieras|prefiera]?', '¿[Tienes|Tiene] un color favorito?'],
      technical: ['¿[Tienes|Tiene] preferencia de color?'],
      direct: ['¿Color?'],
    },
  },
  recommend: {
    en: {
      informal: ["Here are {count} I think you'll like{constraints}:", 'Have a look at these{constraints}:', 'These look like a great fit{constraints}:'],
      technical: ['{count} options that meet your criteria{constraints}, ranked for you:', 'Matching items{constraints}, best first:'],
      direct: ['Top {count}{constraints}:', 'Best matches{constraints}:'],
    },
    es: {
      informal: [
        'Aquí [tienes|tiene] {count} que creo que te van a gustar{constraints}:',
        'Mira estas opciones{constraints}:',
        'Estas encajan muy bien{constraints}:',
      ],
      technical: [
        '{count} opciones que cumplen [tus|sus] criterios{constraints}, ordenadas para [ti|usted]:',
        'Productos que encajan{constraints}, el mejor primero:',
      ],
      direct: ['Las {count} mejores{constraints}:', 'Mejores opciones{constraints}:'],
    },
  },
  recommend_relaxed: {
    en: {
      informal: ["Nothing matched everything, so I loosened {dropped}. Here's what's closest:"],
      technical: ['No exact match; relaxing {dropped}, the closest options are:'],
      direct: ['No exact match (ignored {dropped}):'],
    },
    es: {
      informal: ['No había nada que cumpliera todo, así que he relajado {dropped}. Esto es lo más parecido:'],
      technical: ['Sin coincidencia exacta; relajando {dropped}, las opciones más cercanas son:'],
      direct: ['Sin coincidencia exacta (sin {dropped}):'],
    },
  },
  no_match: {
    en: {
      informal: ["Sorry, I couldn't find anything matching that{constraints}. Want to try a higher budget or another type?"],
      technical: ['No catalogue item satisfies those criteria{constraints}. Consider raising the budget or changing the category.'],
      direct: ['No match{constraints}. Raise the budget?'],
    },
    es: {
      informal: ['Vaya, no he encontrado nada así{constraints}. ¿Probamos con más presupuesto u otro tipo?'],
      technical: ['Ningún producto del catálogo cumple esos criterios{constraints}. [Puedes|Puede] subir el presupuesto o cambiar de categoría.'],
      direct: ['Sin resultados{constraints}. ¿Subimos el presupuesto?'],
    },
  },
  detail: {
    en: { informal: ['{title} costs {price}. {facts}'], technical: ['{title}: {price}. {facts}'], direct: ['{title}: {price}. {facts}'] },
    es: { informal: ['{title} cuesta {price}. {facts}'], technical: ['{title}: {price}. {facts}'], direct: ['{title}: {price}. {facts}'] },
  },
  detail_no_price: {
    en: { informal: ['{title}: the shop lists no price for it. {facts}'] },
    es: { informal: ['{title}: la tienda no indica su precio. {facts}'] },
  },

  which_item: {
    en: { informal: ['Which one do you mean? You can say "the first one" or "the second".'], direct: ['Which one? First, second or third?'] },
    es: { informal: ['¿Cuál [quieres|quiere] decir? [Puedes|Puede] decir "el primero" o "el segundo".'], direct: ['¿Cuál? ¿Primero, segundo o tercero?'] },
  },
  nothing_shown: {
    en: { informal: ["I haven't shown you anything yet. What are you looking for?"], direct: ['Nothing shown yet. What do you need?'] },
    es: { informal: ['Todavía no te he enseñado nada. ¿Qué [buscas|busca]?'], direct: ['Aún no hay nada en pantalla. ¿Qué [necesitas|necesita]?'] },
  },
  compare: {
    en: { informal: ["Here's how they compare:"], technical: ['Side by side:'], direct: ['Comparison:'] },
    es: { informal: ['Así se comparan:'], technical: ['Comparativa:'], direct: ['Comparación:'] },
  },
  compare_one: {
    en: { informal: ['There is only one on screen right now: {title}. Shall I look for more options to compare?'], direct: ['Only one on screen: {title}.'] },
    es: { informal: ['Ahora mismo solo hay uno en pantalla: {title}. ¿Busco más opciones para comparar?'], direct: ['Solo hay uno en pantalla: {title}.'] },
  },
  added_to_cart: {
    en: {
      informal: ['Done! {title} is in your cart. 🛒 Anything else?', 'Added {title} to your cart. Need anything to go with it?'],
      technical: ['{title} has been added to your cart.'],
      direct: ['{title} added to cart.'],
    },
    es: {
      informal: ['¡Hecho! {title} ya está en [tu|su] carrito. 🛒 ¿Algo más?', 'He añadido {title} al carrito. ¿[Necesitas|Necesita] algo para acompañarlo?'],
      technical: ['{title} se ha añadido a [tu|su] carrito.'],
      direct: ['{title} añadido al carrito.'],
    },
  },
  order_last: {
    en: {
      informal: ['Your last order was {title}, on {date}. {faq}'],
      technical: ['Most recent order: {title} ({date}). {faq}'],
      direct: ['Last order: {title}, {date}. {faq}'],
    },
    es: {
      informal: ['[Tu|Su] último pedido fue {title}, el {date}. {faq}'],
      technical: ['Pedido más reciente: {title} ({date}). {faq}'],
      direct: ['Último pedido: {title}, {date}. {faq}'],
    },
  },
  order_none: {
    en: { informal: ["I can't find any order of yours yet. {faq}"], direct: ['No orders found. {faq}'] },
    es: { informal: ['No encuentro ningún pedido [tuyo|suyo] todavía. {faq}'], direct: ['No hay pedidos. {faq}'] },
  },
  faq: {
    en: { informal: ['{answer}'] },
    es: { informal: ['{answer}'] },
  },
  preference_noted: {
    en: {
      informal: ["Noted: {what}. I'll keep that in mind.", "Got it, {what}. I'll remember."],
      technical: ['Preference recorded: {what}.'],
      direct: ['Noted: {what}.'],
    },
    es: {
      informal: ['Apuntado: {what}. Lo tendré en cuenta.', 'Entendido, {what}. Lo recordaré.'],
      technical: ['Preferencia registrada: {what}.'],
      direct: ['Anotado: {what}.'],
    },
  },
  tone_switched: {
    en: {
      informal: ["Sure, I'll keep it relaxed. 😊"],
      technical: ['Understood. I will include specifications and details from now on.'],
      direct: ['OK. Short answers.'],
    },
    es: {
      informal: ['¡Claro! Sin formalidades. 😊', 'Perfecto, vamos en plan tranquilo.'],
      technical: ['Entendido. A partir de ahora incluiré características y detalles.'],
      direct: ['Vale. Respuestas cortas.'],
    },
  },
  address_tu: {
    en: { informal: ['Sure.'] },
    es: { informal: ['¡Claro! Te hablo de tú.', 'Hecho, de tú a tú.'] },
  },
  address_usted: {
    en: { informal: ['Of course.'] },
    es: { informal: ['Por supuesto, le trataré de usted.'] },
  },
  human: {
    en: { informal: ["I've asked a colleague to join this chat. They'll reply here shortly."], direct: ['A person will reply here shortly.'] },
    es: {
      informal: ['He avisado a un compañero para que se una a la conversación. [Te|Le] responderá aquí en breve.'],
      direct: ['Una persona [te|le] responderá aquí en breve.'],
    },
  },
  forgot: {
    en: { informal: ["Done. I've forgotten our past conversations and won't remember this one."], direct: ['Done: chat memory erased and off.'] },
    es: {
      informal: ['Hecho. He olvidado nuestras conversaciones anteriores y no recordaré esta.'],
      direct: ['Hecho: memoria del chat borrada y desactivada.'],
    },
  },
  personalization_off: {
    en: { informal: ["Understood. From now on you'll get the same suggestions as everyone, not personalised ones."], direct: ['Personalisation is off.'] },
    es: {
      informal: ['Entendido. A partir de ahora verás las mismas sugerencias que todo el mundo, sin personalizar.'],
      direct: ['Personalización desactivada.'],
    },
  },
  what_you_know: {
    en: {
      informal: ["Here's what I know: {summary} You can see everything, download it or erase it from your privacy settings."],
      direct: ['What I hold: {summary}'],
    },
    es: {
      informal: ['Esto es lo que sé: {summary} [Puedes|Puede] verlo todo, descargarlo o borrarlo en [tu|su] configuración de privacidad.'],
      direct: ['Lo que guardo: {summary}'],
    },
  },
  // Without proof of who is typing (a user token or a server key), the chat neither tells nor changes what is held about a person.
  privacy_read_elsewhere: {
    en: {
      informal: [
        "I can't show what I hold about you here, because I can't confirm it's you. Sign in and open the privacy settings in your account: you can see everything there, download it or erase it.",
      ],
      direct: ["I can't confirm who you are here. Sign in and see or download your data in your account's privacy settings."],
    },
    es: {
      informal: [
        'Aquí no puedo mostrar lo que guardo sobre [ti|usted], porque no puedo confirmar que [eres tú|es usted]. [Inicia|Inicie] sesión y [abre|abra] la configuración de privacidad de [tu|su] cuenta: allí [puedes|puede] verlo todo, descargarlo o borrarlo.',
      ],
      direct: [
        'Aquí no puedo confirmar quién [eres|es]. [Inicia|Inicie] sesión y [consulta|consulte] o [descarga|descargue] [tus|sus] datos en la configuración de privacidad de [tu|su] cuenta.',
      ],
    },
  },
  privacy_change_elsewhere: {
    en: {
      informal: [
        "I can't change your privacy choices from this chat, because I can't confirm it's you, so nothing has changed. Sign in and open the privacy settings (the preference centre) in your account: you can turn personalisation or chat memory off there, or erase your data.",
      ],
      direct: [
        "Nothing changed: I can't confirm who you are here. Turn personalisation or memory off, or erase your data, in your account's privacy settings.",
      ],
    },
    es: {
      informal: [
        'No puedo cambiar [tus|sus] opciones de privacidad desde este chat, porque no puedo confirmar que [eres tú|es usted], así que no he cambiado nada. [Inicia|Inicie] sesión y [abre|abra] la configuración de privacidad (el centro de preferencias) de [tu|su] cuenta: allí [puedes|puede] desactivar la personalización o la memoria del chat, o borrar [tus|sus] datos.',
      ],
      direct: [
        'No he cambiado nada: aquí no puedo confirmar quién [eres|es]. [Desactiva|Desactive] la personalización o la memoria, o [borra|borre] [tus|sus] datos, en la configuración de privacidad de [tu|su] cuenta.',
      ],
    },
  },
  order_signin: {
    en: { informal: ['To see your orders, sign in and open your account. {faq}'], direct: ['Sign in to see your orders. {faq}'] },
    es: {
      informal: ['Para ver [tus|sus] pedidos, [inicia|inicie] sesión y [abre|abra] [tu|su] cuenta. {faq}'],
      direct: ['[Inicia|Inicie] sesión para ver [tus|sus] pedidos. {faq}'],
    },
  },
  thanks: {
    en: { informal: ["You're welcome! 😊", 'Any time!'], technical: ['You are welcome.'], direct: ['Welcome.'] },
    es: { informal: ['¡De nada! 😊', '¡A [tu|su] disposición!'], technical: ['De nada.'], direct: ['De nada.'] },
  },
  bye: {
    en: { informal: ['Bye! Come back any time. 👋', 'See you soon!'], direct: ['Bye.'] },
    es: { informal: ['¡Hasta pronto! 👋', '¡Nos vemos!'], direct: ['Adiós.'] },
  },
  help: {
    en: {
      informal: [
        'I can find products for you, compare them, answer questions about them, add them to your cart, and tell you about orders, shipping and returns.',
      ],
    },
    es: {
      informal: ['Puedo buscarte productos, compararlos, responder dudas sobre ellos, añadirlos al carrito e informarte de pedidos, envíos y devoluciones.'],
    },
  },
  fallback: {
    en: {
      informal: [
        "Sorry, I didn't quite get that. I can help you find products, or answer questions about orders, shipping and returns.",
        "Hmm, that's not something I can help with, but I'm great at finding products!",
      ],
      direct: ["I can't help with that. Products, orders, shipping or returns?"],
    },
    es: {
      informal: [
        'Perdona, no lo he entendido bien. Puedo ayudarte a encontrar productos o resolver dudas de pedidos, envíos y devoluciones.',
        'Eso no lo sé hacer, ¡pero buscando productos soy muy bueno!',
      ],
      direct: ['No puedo ayudar con eso. ¿Productos, pedidos, envíos o devoluciones?'],
    },
  },
  fallback_handoff: {
    en: { informal: ["I'm having trouble understanding, so I've asked a colleague to help. They'll reply here."] },
    es: { informal: ['Me está costando entender[te|le], así que he pedido ayuda a un compañero. [Te|Le] responderá aquí.'] },
  },
  language_switched: {
    en: { informal: ["Sure, I'll answer in English from now on. What are you looking for?"], direct: ['OK, English. What do you need?'] },
    es: { informal: ['¡Claro! A partir de ahora te respondo en español. ¿Qué [buscas|busca]?'], direct: ['Vale, en español. ¿Qué [necesitas|necesita]?'] },
  },
  no_cheaper: {
    en: {
      informal: ['That is as cheap as it gets{constraints}: nothing costs less than {price}. The list above stays.'],
      direct: ['Nothing cheaper than {price}{constraints}.'],
    },
    es: {
      informal: ['No hay nada más barato{constraints}: nada cuesta menos de {price}. La lista de arriba sigue valiendo.'],
      direct: ['Nada más barato que {price}{constraints}.'],
    },
  },
  no_pricier: {
    en: { informal: ['Nothing costs more than {price}{constraints}. The list above stays.'], direct: ['Nothing dearer than {price}{constraints}.'] },
    es: {
      informal: ['No hay nada que cueste más de {price}{constraints}. La lista de arriba sigue valiendo.'],
      direct: ['Nada más caro que {price}{constraints}.'],
    },
  },
  attribute_value: {
    en: { informal: ['{title}: {attribute} {value}.'], technical: ['{title} — {attribute}: {value}.'] },
    es: { informal: ['{title}: {attribute} {value}.'], technical: ['{title} — {attribute}: {value}.'] },
  },
  attribute_unknown: {
    en: { informal: ["I don't know the {attribute} of {title}: the shop doesn't list it."], direct: ["I don't know: {title} has no {attribute} listed."] },
    es: { informal: ['No lo sé: la tienda no indica [el|el] {attribute} de {title}.'], direct: ['No lo sé: {title} no indica {attribute}.'] },
  },
  measure_relaxed: {
    en: { informal: ['Nothing matches {wanted} exactly; the closest I have:'] },
    es: { informal: ['No hay nada con {wanted} exactamente; lo más parecido que tengo:'] },
  },
  opener_cart: {
    en: { informal: ['You left {title} in your cart. Still interested? I can help you decide.'], direct: ['{title} is still in your cart.'] },
    es: { informal: ['[Dejaste|Dejó] {title} en el carrito. ¿Sigue interesándote? Te ayudo a decidir.'], direct: ['{title} sigue en [tu|su] carrito.'] },
  },
  opener_price_drop: {
    en: { informal: ['Good news: {title}, which you looked at, is now {price} (was {old}).'], direct: ['{title}: now {price} (was {old}).'] },
    es: { informal: ['Buenas noticias: {title}, que [miraste|miró], ahora cuesta {price} (antes {old}).'], direct: ['{title}: ahora {price} (antes {old}).'] },
  },
  opener_back_in_stock: {
    en: { informal: ['{title}, which you were interested in, is back in stock!'], direct: ['{title} is back in stock.'] },
    es: { informal: ['¡{title}, que te interesaba, vuelve a estar disponible!'], direct: ['{title} vuelve a estar disponible.'] },
  },
} as const satisfies Record<string, Entry>;

export type TemplateKey = keyof typeof T;

/** A small deterministic hash, to pick a variation that changes from turn to turn. */
export function pickIndex(seed: string, n: number): number {
  let h = 2166136261;
  for (let i = 0; i < seed.length; i++) h = Math.imul(h ^ seed.charCodeAt(i), 16777619);
  return (h >>> 0) % n;
}

/** Resolves `[tú form|usted form]` for the address in use. */
export function applyAddress(text: string, address: Address): string {
  return text.replace(/\[([^\]|]*)\|([^\]]*)\]/g, (_, tu: string, usted: string) => (address === 'usted' ? usted : tu));
}

/** Renders one template in a style; `seed` picks among the variations. */
export function say(key: TemplateKey, style: Style, vars: Record<string, string | number> = {}, seed = ''): string {
  const byTone = (T[key] as Entry)[style.lang];
  const options = byTone[style.tone] ?? byTone.informal;
  const raw = options[pickIndex(`${key}:${seed}`, options.length)];
  const filled = raw.replace(/\{(\w+)\}/g, (_, k: string) => (vars[k] === undefined ? '' : String(vars[k])));
  return applyAddress(filled, style.address)
    .replace(/\s+([.,:!?])/g, '$1')
    .replace(/\s{2,}/g, ' ')
    .trim();
}

/**
 * The fragments replies are assembled from (reasons, facts, quick-reply options, the parts of a
 * summary): one wording per language, `[tú form|usted form]` as above. Unlike `say`, a phrase is
 * filled as is, spacing untouched, since it ends up inside another sentence or next to a title.
 */
const P = {
  reason_asked: { en: 'What you asked for: {said}', es: 'Lo que [pides|pide]: {said}' },
  reason_popular: { en: 'Popular right now', es: 'Muy popular ahora mismo' },
  reason_only_one: { en: 'The only one on screen', es: 'El único en pantalla' },
  reason_compared: { en: 'In the comparison', es: 'En la comparación' },
  reason_asked_about: { en: 'The one you asked about', es: 'El que [preguntas|pregunta]' },
  reason_added: { en: 'Added to your cart', es: 'Añadido al carrito' },
  because_purchase: { en: 'Because you bought {title}', es: 'Porque [compraste|compró] {title}' },
  because_add_to_cart: { en: 'Because you added {title}', es: 'Porque [añadiste|añadió] {title}' },
  because_like: { en: 'Because you liked {title}', es: 'Porque [te gustó|le gustó] {title}' },
  because_view: { en: 'Because you viewed {title}', es: 'Porque [viste|vio] {title}' },
  in_colour: { en: 'in {colour}', es: 'en {colour}' },
  by_brand: { en: 'by {brand}', es: 'de {brand}' },
  without: { en: 'no {list}', es: 'sin {list}' },
  not_this: { en: 'no {what}', es: 'nada de {what}' },
  cheaper_than: { en: 'cheaper than {price}', es: 'más barato que {price}' },
  pricier_than: { en: 'more expensive than {price}', es: 'más caro que {price}' },
  slot_colour: { en: 'the colour', es: 'el color' },
  slot_use: { en: 'the use', es: 'el uso' },
  slot_brand: { en: 'the brand', es: 'la marca' },
  slot_tags: { en: 'the features', es: 'las características' },
  slot_seats: { en: 'the number of seats', es: 'el número de plazas' },
  compare_cheaper: { en: '{title} is {diff} cheaper.', es: '{title} es {diff} más barato.' },
  fact_brand: { en: 'Brand: {brand}.', es: 'Marca: {brand}.' },
  fact_colour: { en: 'Colour: {colours}.', es: 'Color: {colours}.' },
  fact_use: { en: 'Made {uses}.', es: 'Pensado {uses}.' },
  fact_out_of_stock: { en: 'It is out of stock right now.', es: 'Ahora mismo no está disponible.' },
  known_interests: { en: "you're interested in {list}", es: '[te|le] interesa {list}' },
  known_activity: { en: "you've viewed {views} products and bought {purchases}", es: '[has|ha] visto {views} productos y comprado {purchases}' },
  known_topic: { en: "you're looking for {what}", es: '[estás|está] buscando {what}' },
  known_dislikes: { en: "you don't like {list}", es: 'no [te|le] gusta {list}' },
  known_no_memory: { en: "I don't remember our conversations", es: 'no recuerdo nuestras conversaciones' },
  known_nothing: { en: 'Nothing yet.', es: 'Nada todavía.' },
  option_skip: { en: "Doesn't matter", es: 'Me da igual' },
  option_under: { en: 'Under {price}', es: 'Menos de {price}' },
  option_between: { en: '{lo} to {hi}', es: 'Entre {lo} y {hi}' },
  option_over: { en: 'Over {price}', es: 'Más de {price}' },
  ordinal_1: { en: 'The first one', es: 'El primero' },
  ordinal_2: { en: 'The second one', es: 'El segundo' },
  ordinal_3: { en: 'The third one', es: 'El tercero' },
} as const satisfies Record<string, Record<Lang, string>>;

export type PhraseKey = keyof typeof P;

/** One fragment in the reply's language and form of address, its `{name}` placeholders filled. */
export function phrase(key: PhraseKey, style: Pick<Style, 'lang'> & Partial<Pick<Style, 'address'>>, vars: Record<string, string | number> = {}): string {
  const raw = applyAddress(P[key][style.lang], style.address ?? 'tu');
  return raw.replace(/\{(\w+)\}/g, (_, k: string) => (vars[k] === undefined ? '' : String(vars[k])));
}

/** Formats a price the way the language writes it: "59.99 €" / "59,99 €". */
export function formatPrice(value: number, currency: string | undefined, lang: Lang): string {
  const symbol = currency === 'USD' ? '$' : currency === 'GBP' ? '£' : currency && currency !== 'EUR' ? ` ${currency}` : '€';
  const text = PRICE_NUMBER[lang].format(value);
  return symbol === '$' || symbol === '£' ? `${symbol}${text}` : `${text} ${symbol.trim()}`;
}

/**
 * The amount in a price: two decimals, none when it is whole ("1249", "74.50"), the language's
 * decimal mark and no thousands separator. Where the symbol goes is formatPrice's own convention,
 * not the locale's (Intl's Spanish would write "19,99 £"), so only the number comes from Intl.
 */
const PRICE_NUMBER: Record<Lang, Intl.NumberFormat> = {
  en: priceNumber('en'),
  es: priceNumber('es'),
};

function priceNumber(locale: Lang): Intl.NumberFormat {
  // trailingZeroDisplay is ES2023 (Node 20 has it); the ES2022 lib the project compiles against does not name it.
  const options: Intl.NumberFormatOptions & { trailingZeroDisplay: 'stripIfInteger' } = {
    useGrouping: false,
    minimumFractionDigits: 2,
    maximumFractionDigits: 2,
    trailingZeroDisplay: 'stripIfInteger',
  };
  return new Intl.NumberFormat(locale, options);
}
