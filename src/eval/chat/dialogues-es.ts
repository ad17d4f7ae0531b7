/**
 * Spanish scripted dialogues of `afin eval chat`: the same behaviours as the English ones, written
 * the way people write in Spanish (tú and usted, "cascos", "pavos", "nada de rosa").
 */
import type { Dialogue } from './types.ts';

export const DIALOGUES_ES: Dialogue[] = [
  {
    id: 'es-auriculares-completo', lang: 'es', catalog: 'electronics', title: 'pregunta presupuesto y uso, recomienda, sigue, añade',
    steps: [
      { user: 'Hola', expect: { intent: 'greet' } },
      { user: 'busco unos auriculares', expect: { asks: 'budget' } },
      { user: 'menos de 100 euros', expect: { asks: 'use' } },
      { user: 'para correr', expect: { show: { kind: 'headphones', max: 100 } } },
      { user: 'algo más barato', expect: { show: { kind: 'headphones', max: 100 }, cheaper: true } },
      { user: 'compara los dos primeros', expect: { compare: [1, 2] } },
      { user: 'añade el segundo al carrito', expect: { cart: 2 } },
      { user: 'gracias', expect: { intent: 'thanks' } },
    ],
  },
  {
    id: 'es-cascos-gaming', lang: 'es', catalog: 'electronics', title: '"cascos" y pavos',
    steps: [
      { user: 'quiero unos cascos para jugar de menos de 150 pavos', expect: { asks: 'colour' } },
      { user: 'negros', expect: { show: { kind: 'headphones', max: 150 } } },
      { user: 'el segundo', expect: { ordinal: 2 } },
      { user: 'añádelo al carrito', expect: { cart: 2 } },
    ],
  },
  {
    id: 'es-altavoz-fiestas', lang: 'es', catalog: 'electronics', title: 'todo de una vez',
    steps: [
      { user: 'necesito un altavoz rojo para fiestas por menos de 200 €', expect: { show: { kind: 'speakers', max: 200 } } },
      { user: 'compara el primero y el tercero', expect: { compare: [1, 3] } },
      { user: 'algo más caro', expect: { show: { kind: 'speakers' }, pricier: true } },
    ],
  },
  {
    id: 'es-teclado-marca', lang: 'es', catalog: 'electronics', title: 'negación de marca',
    steps: [
      { user: 'enséñame teclados de menos de 90 euros que no sean Nimbo', expect: { asks: 'use' } },
      { user: 'para la oficina', expect: { asks: 'colour' } },
      { user: 'me da igual', expect: { show: { kind: 'keyboards', max: 90, notBrands: ['Nimbo'] } } },
    ],
  },
  {
    id: 'es-reloj-rango', lang: 'es', catalog: 'electronics', title: 'rango de precio, preguntas saltadas',
    steps: [
      { user: '¿tenéis relojes inteligentes entre 150 y 300 euros?', expect: { asks: 'use' } },
      { user: 'no sé, me da igual', expect: { asks: 'colour' } },
      { user: 'cualquiera', expect: { show: { kind: 'smartwatches', min: 150, max: 300 } } },
      { user: 'háblame del tercero', expect: { ordinal: 3 } },
    ],
  },
  {
    id: 'es-portatil-usted', lang: 'es', catalog: 'electronics', title: 'trátame de usted',
    steps: [
      { user: 'Buenos días. Quisiera un portátil para estudiar de unos 800 euros.', expect: { asks: 'colour' } },
      { user: 'trátame de usted, por favor', expect: { address: 'usted' } },
      { user: 'plateado', expect: { address: 'usted', show: { kind: 'laptops', min: 600, max: 1000 } } },
      { user: 'el primero', expect: { address: 'usted', ordinal: 1 } },
    ],
  },
  {
    id: 'es-preferencia-memoria', lang: 'es', catalog: 'sport', title: 'nada de rosa, recordado en otra sesión',
    steps: [
      { user: 'nada de rosa, por favor', expect: { says: ['rosa'] } },
      { user: 'busco una esterilla de yoga de menos de 50 euros', expect: { asks: 'use' } },
      { user: 'para hacer yoga en casa', expect: { asks: 'colour' } },
      { user: 'me da igual', expect: { show: { kind: 'yoga-mats', max: 50, notColours: ['pink'] } } },
      { session: 'new', afterDays: 4 },
      { user: 'Hola otra vez', expect: { recalls: ['esterilla', 'yoga'] } },
      { user: 'quiero mancuernas de menos de 120 euros', expect: { asks: 'use' } },
      { user: 'para casa', expect: { asks: 'colour' } },
      { user: 'da igual', expect: { show: { kind: 'dumbbells', max: 120, notColours: ['pink'] }, remembered: true } },
    ],
  },
  {
    id: 'es-zapatillas-correr', lang: 'es', catalog: 'sport', title: 'zapatillas para correr, negaciones',
    steps: [
      { user: 'busco zapatillas para correr de menos de 100 euros', expect: { asks: 'colour' } },
      { user: 'nada de rosa', expect: { show: { kind: 'running-shoes', max: 100, notColours: ['pink'] } } },
      { user: 'que no sean amarillas', expect: { show: { kind: 'running-shoes', max: 100, notColours: ['pink', 'yellow'] } } },
      { user: 'más baratas', expect: { show: { kind: 'running-shoes', notColours: ['pink', 'yellow'] }, cheaper: true } },
      { user: 'me quedo con la primera, al carrito', expect: { cart: 1 } },
    ],
  },
  {
    id: 'es-mochila-montana', lang: 'es', catalog: 'sport', title: 'mochila para la montaña',
    steps: [
      { user: 'necesito una mochila para hacer senderismo', expect: { asks: 'budget' } },
      { user: 'hasta 80 euros', expect: { asks: 'colour' } },
      { user: 'verde o azul', expect: { show: { kind: 'backpacks', max: 80 } } },
      { user: 'compara las dos primeras', expect: { compare: [1, 2] } },
    ],
  },
  {
    id: 'es-bici-reinicio', lang: 'es', catalog: 'sport', title: 'la memoria sobrevive a un reinicio',
    steps: [
      { user: 'quiero una bici para ir al trabajo de menos de 700 euros', expect: { asks: 'colour' } },
      { user: 'me da igual el color', expect: { show: { kind: 'bikes', max: 700 } } },
      { user: 'adiós', expect: { intent: 'bye' } },
      { restart: true },
      { session: 'new', afterDays: 2 },
      { user: 'hola', expect: { recalls: ['bici'] } },
    ],
  },
  {
    id: 'es-mancuernas-borrado', lang: 'es', catalog: 'sport', title: 'el borrado lo olvida todo',
    steps: [
      { user: 'odio el color verde', expect: {} },
      { user: 'mancuernas para el gimnasio de menos de 100', expect: { asks: 'colour' } },
      { user: 'cualquiera', expect: { show: { kind: 'dumbbells', max: 100, notColours: ['green'] } } },
      { erase: true },
      { session: 'new', afterDays: 1 },
      { user: 'buenas', expect: { forgot: ['mancuerna', 'la última vez'] } },
    ],
  },
  {
    id: 'es-consentimiento', lang: 'es', catalog: 'fashion', title: 'sin consentimiento de memoria, olvida',
    steps: [
      { user: 'quiero un vestido para una boda de menos de 90 euros', expect: { asks: 'colour' } },
      { user: 'negro', expect: { show: { kind: 'dresses', max: 90 } } },
      { consent: { chatMemory: false } },
      { session: 'new', afterDays: 1 },
      { user: 'hola', expect: { forgot: ['vestido', 'la última vez'] } },
    ],
  },
  {
    id: 'es-vaqueros-breve', lang: 'es', catalog: 'fashion', title: 'sé breve',
    steps: [
      { user: '¡Hola! ¿Me ayudas a encontrar unos vaqueros?', expect: { asks: 'budget' } },
      { user: 'sé breve, por favor', expect: { tone: 'direct' } },
      { user: 'menos de 60', expect: { tone: 'direct', asks: 'use' } },
      { user: 'para el día a día', expect: { tone: 'direct', show: { kind: 'jeans', max: 60 } } },
    ],
  },
  {
    id: 'es-chaqueta-tu', lang: 'es', catalog: 'fashion', title: 'háblame de tú tras un comienzo formal',
    steps: [
      { user: 'Buenas tardes, disculpe. Quisiera una chaqueta, ¿podría ayudarme?', expect: { asks: 'budget', address: 'usted' } },
      { user: 'háblame de tú', expect: { address: 'tu' } },
      { user: 'menos de 100 euros', expect: { address: 'tu', asks: 'use' } },
      { user: 'para la oficina', expect: { address: 'tu', show: { kind: 'jackets', max: 100 } } },
    ],
  },
  {
    id: 'es-zapatillas-marca', lang: 'es', catalog: 'fashion', title: 'otra marca, luego más barato',
    steps: [
      { user: 'zapatillas blancas de menos de 120', expect: { asks: 'use' } },
      { user: 'para diario', expect: { show: { kind: 'sneakers', max: 120 } } },
      { user: 'que no sean de Lúa', expect: { show: { kind: 'sneakers', max: 120, notBrands: ['Lúa'] } } },
      { user: 'más barato', expect: { show: { kind: 'sneakers', notBrands: ['Lúa'] }, cheaper: true } },
    ],
  },
  {
    id: 'es-jersey-idioma', lang: 'es', catalog: 'fashion', title: 'el idioma se mantiene con mensajes cortos',
    steps: [
      { user: 'Busco un jersey', expect: { asks: 'budget' } },
      { user: 'ok', expect: { language: 'es' } },
      { user: '50', expect: { language: 'es' } },
    ],
  },
  {
    id: 'es-rasgo-idioma', lang: 'es', catalog: 'home', title: 'el idioma del perfil manda',
    traits: { language: 'en' },
    steps: [
      { user: 'lámparas', expect: { language: 'en', asks: 'budget' } },
      { user: 'menos de 60', expect: { language: 'en' } },
    ],
  },
  {
    id: 'es-lampara-lectura', lang: 'es', catalog: 'home', title: 'lámpara para leer, envío',
    steps: [
      { user: 'Buenas noches. Quería una lámpara para leer.', expect: { asks: 'budget' } },
      { user: 'no más de 70 euros', expect: { asks: 'colour' } },
      { user: 'que no sea gris', expect: { show: { kind: 'lamps', max: 70, notColours: ['grey'] } } },
      { user: 'añade la primera al carrito', expect: { cart: 1 } },
      { user: '¿cuánto tarda el envío?', expect: { faq: 'shipping' } },
    ],
  },
  {
    id: 'es-sofa-caro', lang: 'es', catalog: 'home', title: 'sofás, más caro',
    steps: [
      { user: 'enséñame sofás de menos de 1000 euros', expect: { asks: 'colour' } },
      { user: 'azul marino', expect: { show: { kind: 'sofas', max: 1000 } } },
      { user: 'algo más caro', expect: { show: { kind: 'sofas' }, pricier: true } },
    ],
  },
  {
    id: 'es-tazas', lang: 'es', catalog: 'home', title: 'tazas, todo de una vez',
    steps: [
      { user: 'tazas blancas para la oficina de menos de 15 euros', expect: { show: { kind: 'mugs', max: 15 } } },
      { user: 'el segundo', expect: { ordinal: 2 } },
      { user: 'sí, añádelo', expect: { cart: 2 } },
    ],
  },
  {
    id: 'es-fuera-de-ambito', lang: 'es', catalog: 'home', title: 'fuera de ámbito dos veces, un agente responde',
    steps: [
      { user: '¿qué tiempo hará mañana en Sevilla?', expect: { declines: true, flagged: false } },
      { user: '¿quién ganó el partido ayer?', expect: { declines: true, flagged: true } },
      { agent: 'Hola, soy Ana de la tienda. ¿En qué te ayudo?' },
      { user: 'necesito ropa de cama', expect: { agent: 'Hola, soy Ana de la tienda. ¿En qué te ayudo?' } },
    ],
  },
  {
    id: 'es-persona', lang: 'es', catalog: 'electronics', title: 'pide una persona',
    steps: [
      { user: 'quiero hablar con una persona', expect: { flagged: true, intent: 'human' } },
      { agent: 'Hola, soy Marc. Dime.' },
      { user: 'busco un altavoz', expect: { agent: 'Hola, soy Marc. Dime.' } },
    ],
  },
  {
    id: 'es-pedido', lang: 'es', catalog: 'electronics', title: '¿dónde está mi pedido?',
    steps: [
      { events: [{ type: 'view', item: { kind: 'smartwatches', nth: 3 }, minutesAgo: 4000 }, { type: 'purchase', item: { kind: 'smartwatches', nth: 3 }, minutesAgo: 3900 }] },
      { user: '¿dónde está mi pedido?', expect: { order: true } },
      { user: '¿cómo hago una devolución?', expect: { faq: 'return_policy' } },
    ],
  },
  {
    id: 'es-faq-propia', lang: 'es', catalog: 'kitchen', title: 'la FAQ de la tienda',
    steps: [
      { faq: { return_policy: { en: 'Returns are free within 60 days at any SEUR point.', es: 'Las devoluciones son gratis durante 60 días en cualquier punto SEUR.' } } },
      { user: '¿puedo devolver un producto?', expect: { faq: 'return_policy' } },
    ],
  },
  {
    id: 'es-apertura-carrito', lang: 'es', catalog: 'electronics', title: 'apertura: carrito abandonado',
    traits: { language: 'es' },
    steps: [
      { events: [{ type: 'view', item: { kind: 'speakers', nth: 6 }, minutesAgo: 300 }, { type: 'add_to_cart', item: { kind: 'speakers', nth: 6 }, minutesAgo: 240 }] },
      { opener: { kind: 'abandoned_cart', item: { kind: 'speakers', nth: 6 } } },
      { user: 'cuéntame más', expect: { ordinal: 1 } },
    ],
  },
  {
    id: 'es-apertura-precio', lang: 'es', catalog: 'sport', title: 'apertura: bajada de precio',
    traits: { language: 'es' },
    steps: [
      { events: [{ type: 'view', item: { kind: 'running-shoes', nth: 8 }, minutesAgo: 500 }] },
      { itemChange: { item: { kind: 'running-shoes', nth: 8 }, priceFactor: 0.75 } },
      { opener: { kind: 'price_drop', item: { kind: 'running-shoes', nth: 8 } } },
      { user: 'añádelo al carrito', expect: { cart: 1 } },
    ],
  },
  {
    id: 'es-apertura-stock', lang: 'es', catalog: 'fashion', title: 'apertura: vuelve a estar disponible',
    traits: { language: 'es' },
    steps: [
      { itemChange: { item: { kind: 'dresses', nth: 5 }, available: false } },
      { events: [{ type: 'view', item: { kind: 'dresses', nth: 5 }, minutesAgo: 400 }] },
      { wait: { minutes: 30 } },
      { itemChange: { item: { kind: 'dresses', nth: 5 }, available: true } },
      { opener: { kind: 'back_in_stock', item: { kind: 'dresses', nth: 5 } } },
    ],
  },
  {
    id: 'es-hervidor', lang: 'es', catalog: 'kitchen', title: 'catálogo escrito a mano: hervidores',
    steps: [
      { user: 'necesito un hervidor', expect: { asks: 'budget' } },
      { user: 'menos de 50 euros', expect: { asks: 'use' } },
      { user: 'para el día a día', expect: { show: { kind: 'kettle', max: 50 } } },
      { user: 'nada de rosa', expect: { show: { kind: 'kettle', max: 50, notColours: ['pink'] } } },
      { user: 'más barato', expect: { show: { kind: 'kettle', notColours: ['pink'] }, cheaper: true } },
    ],
  },
  {
    id: 'es-batidora', lang: 'es', catalog: 'kitchen', title: 'batidoras, comparar, añadir',
    steps: [
      { user: 'enséñame batidoras para batidos de menos de 100 euros', expect: { asks: 'colour' } },
      { user: 'sin preferencia', expect: { show: { kind: 'blender', max: 100 } } },
      { user: 'compara los dos primeros', expect: { compare: [1, 2] } },
      { user: 'añade el primero al carrito', expect: { cart: 1 } },
    ],
  },
  {
    id: 'es-privacidad', lang: 'es', catalog: 'kitchen', title: 'qué sabes de mí, olvídame',
    steps: [
      { user: 'quiero una tostadora de menos de 60 euros', expect: { asks: 'use' } },
      { user: 'para desayunar', expect: { asks: 'colour' } },
      { user: 'roja', expect: { show: { kind: 'toaster', max: 60 } } },
      { user: '¿qué sabes de mí?', expect: { intent: 'privacy_what_you_know' } },
      { user: 'olvida todo lo que sabes de mí', expect: { intent: 'privacy_forget' } },
      { session: 'new' },
      { user: 'hola', expect: { forgot: ['tostadora', 'la última vez'] } },
    ],
  },
  {
    id: 'es-fuera-y-vuelta', lang: 'es', catalog: 'sport', title: 'fuera de tema y vuelta a comprar',
    steps: [
      { user: '¿me haces los deberes de historia?', expect: { declines: true } },
      { user: 'vale, pues enséñame zapatillas de trail de menos de 150', expect: { asks: 'colour' } },
      { user: 'azules', expect: { show: { kind: 'running-shoes', max: 150 } } },
    ],
  },
  {
    id: 'es-sarten', lang: 'es', catalog: 'kitchen', title: 'sartén con presupuesto máximo',
    steps: [
      // Caben tres sartenes: ninguna pregunta cambia lo que se muestra (issue 10); antes preguntaba el uso.
      { user: 'quiero una sartén, máximo 45 €', expect: { show: { kind: 'frying pan', max: 45 } } },
      { user: 'la tercera', expect: { ordinal: 3 } },
    ],
  },
  {
    id: 'es-cafetera-barata', lang: 'es', catalog: 'kitchen', title: 'cafetera barata, detalle',
    steps: [
      { user: 'busco una cafetera de menos de 100 euros', expect: { asks: 'use' } },
      { user: 'para el día a día', expect: { show: { kind: 'coffee maker', max: 100 } } },
      { user: 'cuéntame más del segundo', expect: { ordinal: 2 } },
    ],
  },
  // Escritos después de ajustar el asistente con los de arriba, y dejados como se escribieron.
  {
    id: 'es-regalo-altavoz', fresh: true, lang: 'es', catalog: 'electronics', title: 'un regalo, un presupuesto aproximado, un uso por afición',
    steps: [
      { user: 'Busco un regalo para mi hermano, ¿un altavoz bluetooth?', expect: { asks: 'budget' } },
      { user: 'unos 80 euros', expect: { asks: 'use' } },
      { user: 'le encanta la montaña', expect: { show: { kind: 'speakers', min: 60, max: 100 } } },
    ],
  },
  {
    id: 'es-erratas', fresh: true, lang: 'es', catalog: 'sport', title: 'faltas de ortografía',
    steps: [
      { user: 'kiero unas sapatillas pa correr baratas', orAnswer: 'me da igual', expect: { show: { kind: 'running-shoes' } } },
    ],
  },
  {
    id: 'es-cambio', fresh: true, lang: 'es', catalog: 'electronics', title: 'cambia de idea',
    steps: [
      { user: 'enséñame teclados', expect: { asks: 'budget' } },
      { user: 'mejor unos auriculares', expect: { asks: 'budget', newRequest: true } },
      { user: 'menos de 50', expect: { asks: 'use' } },
      { user: 'para jugar', expect: { show: { kind: 'headphones', max: 50 } } },
    ],
  },
  {
    id: 'es-otro-color', fresh: true, lang: 'es', catalog: 'fashion', title: 'otro color',
    steps: [
      { user: 'un jersey negro de menos de 70', expect: { asks: 'use' } },
      { user: 'me da igual', expect: { show: { kind: 'sweaters', max: 70 } } },
      { user: '¿lo tienes en otro color?', expect: { show: { kind: 'sweaters', notColours: ['black'] } } },
    ],
  },
  {
    id: 'es-dos-negaciones', fresh: true, lang: 'es', catalog: 'sport', title: 'dos colores descartados',
    steps: [
      { user: 'esterilla de yoga, ni rosa ni amarilla, menos de 40', expect: { asks: 'use' } },
      { user: 'para el gimnasio', expect: { show: { kind: 'yoga-mats', max: 40, notColours: ['pink', 'yellow'] } } },
    ],
  },
  {
    id: 'es-lamparas-numeros', fresh: true, lang: 'es', catalog: 'home', title: 'productos por número',
    steps: [
      { user: 'lámparas de menos de 50', expect: { asks: 'use' } },
      { user: 'para el escritorio de la oficina', expect: { asks: 'colour' } },
      { user: 'sin preferencia', expect: { show: { kind: 'lamps', max: 50 } } },
      { user: 'compara la primera y la tercera', expect: { compare: [1, 3] } },
      { user: 'añade la tercera al carrito', expect: { cart: 3 } },
    ],
  },
  {
    id: 'es-ropa-cama', fresh: true, lang: 'es', catalog: 'home', title: 'ropa de cama, gracias y adiós',
    steps: [
      { user: 'ropa de cama de menos de 50, por favor', expect: { asks: 'colour' } },
      { user: 'blanca', expect: { show: { kind: 'bedding', max: 50 } } },
      { user: '¡gracias!', expect: { intent: 'thanks' } },
      { user: 'adiós', expect: { intent: 'bye' } },
    ],
  },
  {
    id: 'es-usted-memoria', fresh: true, lang: 'es', catalog: 'sport', title: 'usted, recordado en la siguiente sesión',
    steps: [
      { user: 'Buenas tardes. Quisiera unas zapatillas para correr de menos de 100 euros.', expect: { asks: 'colour', address: 'usted' } },
      { user: 'me es indiferente', expect: { show: { kind: 'running-shoes', max: 100 } } },
      { session: 'new', afterDays: 3 },
      { user: 'Buenas tardes', expect: { recalls: ['zapatillas'], address: 'usted' } },
    ],
  },
];
