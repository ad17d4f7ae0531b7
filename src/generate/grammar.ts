/**
 * The embedded writer's words: per email goal, language and tone, with the assistant's `[tú form|usted
 * form]` convention for Spanish address and `{name}` placeholders. Each slot has variations; which one
 * is used follows from the facts (see writer.ts), so two people get the same words only for the same facts.
 */
import type { Lang } from '../text/text.ts';
import type { Tone } from '../converse/templates.ts';
import type { EmailGoal } from './schemas.ts';

type ByTone = Partial<Record<Tone, readonly string[]>> & { informal: readonly string[] };
type Lines = Record<Lang, ByTone>;

interface GoalWords {
  subject: Lines;
  intro: Lines;
  cta: Lines;
}

export const GOALS: Record<EmailGoal, GoalWords> = {
  'win-back': {
    subject: {
      en: {
        informal: ['We miss you{name}! {emoji}', '{Name}come back and see what is new{topic}', 'It has been a while{name}'],
        technical: ['Your selection{topic}: {count} products', 'Your shortlist{topic}'],
        direct: ['{count} picks for you', 'Back for a look?'],
      },
      es: {
        informal: ['¡[Te|Le] echamos de menos{name}! {emoji}', '{Name}[vuelve|vuelva] a ver lo nuevo{topic}', 'Cuánto tiempo{name}'],
        technical: ['[Tu|Su] selección{topic}: {count} productos', '[Tu|Su] lista{topic}'],
        direct: ['{count} propuestas para [ti|usted]', '¿[Vuelves|Vuelve] a mirar?'],
      },
    },
    intro: {
      en: {
        informal: ['We picked a few things we think you will like.', 'Here is what we saved for you.'],
        technical: ['Below is a selection ranked for you, each with the reason it was chosen.'],
        direct: ['Our picks for you:'],
      },
      es: {
        informal: ['Hemos elegido algunas cosas que creemos que [te|le] van a gustar.', 'Esto es lo que hemos guardado para [ti|usted].'],
        technical: ['Abajo [tienes|tiene] una selección ordenada para [ti|usted], cada producto con el motivo por el que se eligió.'],
        direct: ['Nuestra selección para [ti|usted]:'],
      },
    },
    cta: {
      en: {
        informal: ['Take a look whenever you like.', 'Come and have a look!'],
        technical: ['Open any product for full details.'],
        direct: ['Have a look.'],
      },
      es: {
        informal: ['[Échale|Échele] un vistazo cuando [quieras|quiera].', '¡[Ven|Venga] a verlo!'],
        technical: ['[Abre|Abra] cualquier producto para ver todos los detalles.'],
        direct: ['[Échale|Échele] un vistazo.'],
      },
    },
  },
  'cart-reminder': {
    subject: {
      en: {
        informal: ['You left something in your cart{name} {emoji}', '{Name}your cart is waiting'],
        technical: ['Your cart: {count} items saved', 'Items still in your cart'],
        direct: ['Your cart is waiting', 'Still in your cart'],
      },
      es: {
        informal: ['[Te dejaste|Se dejó] algo en el carrito{name} {emoji}', '{Name}[tu|su] carrito [te|le] espera'],
        technical: ['[Tu|Su] carrito: {count} productos guardados', 'Productos que siguen en [tu|su] carrito'],
        direct: ['[Tu|Su] carrito [te|le] espera', 'Sigue en [tu|su] carrito'],
      },
    },
    intro: {
      en: {
        informal: ['Your picks are still in your cart, ready when you are.', 'We kept your cart just as you left it.'],
        technical: ['These items remain in your cart. Prices are as listed today.'],
        direct: ['Still in your cart:'],
      },
      es: {
        informal: ['[Tus|Sus] productos siguen en el carrito, listos para cuando [quieras|quiera].', 'Hemos guardado el carrito tal como lo [dejaste|dejó].'],
        technical: ['Estos productos siguen en [tu|su] carrito. Los precios son los de hoy.'],
        direct: ['Sigue en [tu|su] carrito:'],
      },
    },
    cta: {
      en: { informal: ['Finish your order whenever you like.'], technical: ['Complete the checkout from your cart.'], direct: ['Check out now.'] },
      es: {
        informal: ['[Termina|Termine] el pedido cuando [quieras|quiera].'],
        technical: ['[Completa|Complete] la compra desde [tu|su] carrito.'],
        direct: ['[Finaliza|Finalice] la compra.'],
      },
    },
  },
  'new-arrivals': {
    subject: {
      en: {
        informal: ['New in{topic}{name} {emoji}', 'Fresh arrivals picked for you{name}'],
        technical: ['New arrivals{topic}: {count} products', 'Just added{topic}'],
        direct: ['New in{topic}', '{count} new arrivals'],
      },
      es: {
        informal: ['Novedades{topic}{name} {emoji}', 'Lo último, elegido para [ti|usted]{name}'],
        technical: ['Novedades{topic}: {count} productos', 'Recién llegados{topic}'],
        direct: ['Novedades{topic}', '{count} novedades'],
      },
    },
    intro: {
      en: {
        informal: ['These just arrived and made us think of you.', 'Some new things we think you will love.'],
        technical: ['The newest products in the catalogue, ordered by how well they match your interests.'],
        direct: ['Just in:'],
      },
      es: {
        informal: ['Acaban de llegar y hemos pensado en [ti|usted].', 'Algunas novedades que creemos que [te|le] van a encantar.'],
        technical: ['Los productos más recientes del catálogo, ordenados según [tus|sus] intereses.'],
        direct: ['Recién llegados:'],
      },
    },
    cta: {
      en: { informal: ['Be among the first to try them.'], technical: ['See the full specifications online.'], direct: ['Shop new arrivals.'] },
      es: {
        informal: ['[Sé|Sea] de los primeros en probarlos.'],
        technical: ['[Consulta|Consulte] todas las características en la tienda.'],
        direct: ['[Ve|Vea] las novedades.'],
      },
    },
  },
  replenishment: {
    subject: {
      en: {
        informal: ['Time to stock up{name}? {emoji}', 'Running low{name}?'],
        technical: ['Restock reminder: {count} products', 'Your regular items'],
        direct: ['Time to restock', 'Restock?'],
      },
      es: {
        informal: ['¿Hora de reponer{name}? {emoji}', '¿Se [te|le] está acabando{name}?'],
        technical: ['Recordatorio de reposición: {count} productos', '[Tus|Sus] productos habituales'],
        direct: ['Hora de reponer', '¿Reponer?'],
      },
    },
    intro: {
      en: {
        informal: ['You might be running low on these by now.', 'A quick reminder of the things you come back for.'],
        technical: ['Based on your purchase history, these items may be due again.'],
        direct: ['Due again:'],
      },
      es: {
        informal: ['Puede que ya [te|le] estén quedando pocos de estos.', 'Un recordatorio rápido de lo que [sueles|suele] volver a comprar.'],
        technical: ['Según [tu|su] historial de compras, estos productos podrían tocar de nuevo.'],
        direct: ['Toca reponer:'],
      },
    },
    cta: {
      en: { informal: ['Reorder in a couple of clicks.'], technical: ['Reorder from your account.'], direct: ['Reorder now.'] },
      es: {
        informal: ['[Vuelve|Vuelva] a pedirlo en un par de clics.'],
        technical: ['[Repite|Repita] el pedido desde [tu|su] cuenta.'],
        direct: ['[Pídelo|Pídalo] de nuevo.'],
      },
    },
  },
  'post-purchase': {
    subject: {
      en: {
        informal: ['Thanks for your order{name}! {emoji}', 'Goes well with your new {first}'],
        technical: ['Compatible with your recent purchase', 'Accessories for {first}'],
        direct: ['Goes with {first}', 'Thanks for your order'],
      },
      es: {
        informal: ['¡Gracias por [tu|su] pedido{name}! {emoji}', 'Combina con [tu|su] {first}'],
        technical: ['Compatible con [tu|su] compra reciente', 'Complementos para {first}'],
        direct: ['Combina con {first}', 'Gracias por [tu|su] pedido'],
      },
    },
    intro: {
      en: {
        informal: [
          'We hope you enjoy {first}. These go nicely with it.',
          'Thanks for shopping with us! A few things that pair well with {first}:',
          'Thanks for shopping with us! A few more things we think you will like.',
        ],
        technical: ['Products frequently chosen together with {first}:', 'A selection to complete your order, each with the reason it was chosen.'],
        direct: ['Pairs with {first}:', 'You may also like:'],
      },
      es: {
        informal: [
          'Esperamos que [disfrutes|disfrute] {first}. Estos combinan muy bien.',
          '¡Gracias por [tu|su] compra! Algunas cosas que van bien con {first}:',
          '¡Gracias por [tu|su] compra! Algunas cosas más que creemos que [te|le] van a gustar.',
        ],
        technical: [
          'Productos que se suelen elegir junto con {first}:',
          'Una selección para completar [tu|su] pedido, cada producto con el motivo por el que se eligió.',
        ],
        direct: ['Combina con {first}:', 'También [te|le] puede gustar:'],
      },
    },
    cta: {
      en: { informal: ['Happy shopping!'], technical: ['See each product for details.'], direct: ['Shop now.'] },
      es: { informal: ['¡Felices compras!'], technical: ['[Consulta|Consulte] cada producto para más detalles.'], direct: ['[Compra|Compre] ahora.'] },
    },
  },
};

export const COMMON = {
  greeting: {
    en: { informal: ['Hi{name},', 'Hello{name},'], technical: ['Hello{name},'], direct: ['Hi{name},'] },
    es: { informal: ['¡Hola{name}!', 'Hola{name}:'], technical: ['Hola{name}:'], direct: ['Hola{name}:'] },
  },
  greetingUsted: {
    en: { informal: ['Hello{name},'] },
    es: { informal: ['Estimado/a{name}:', 'Buenos días{name}:'] },
  },
  signoff: {
    en: { informal: ['See you soon,', 'Cheers,'], technical: ['Regards,'], direct: ['Thanks,'] },
    es: { informal: ['¡Hasta pronto!', 'Un abrazo,'], technical: ['Saludos cordiales,'], direct: ['Gracias,'] },
  },
  signoffUsted: {
    en: { informal: ['Kind regards,'] },
    es: { informal: ['Atentamente,', 'Un cordial saludo,'] },
  },
  since: {
    en: { informal: ['It has been {days} days since your last visit. '], technical: ['{days} days since your last visit. '], direct: [''] },
    es: { informal: ['Han pasado {days} días desde [tu|su] última visita. '], technical: ['{days} días desde [tu|su] última visita. '], direct: [''] },
  },
} as const satisfies Record<string, Lines>;

/** Words the writer uses beside the goals: topic connectors, the shop's default name, item lines. */
export const WORDS = {
  topicIn: { en: ' in {topic}', es: ' en {topic}' },
  topicFor: { en: ' for {topic} lovers', es: ' para amantes de {topic}' },
  team: { en: 'The {brand} team', es: 'El equipo de {brand}' },
  theTeam: { en: 'The team', es: 'El equipo' },
  noPrice: { en: 'price in the shop', es: 'precio en la tienda' },
  outOfStock: { en: 'out of stock for now', es: 'agotado por ahora' },
  unsubscribe: {
    en: 'You get this email because you agreed to marketing emails. You can unsubscribe at any time.',
    es: 'Recibes este correo porque aceptaste recibir comunicaciones comerciales. Puedes darte de baja cuando quieras.',
  },
  unsubscribeUsted: {
    en: 'You get this email because you agreed to marketing emails. You can unsubscribe at any time.',
    es: 'Recibe este correo porque aceptó recibir comunicaciones comerciales. Puede darse de baja cuando quiera.',
  },
} as const satisfies Record<string, Record<Lang, string>>;

export type Line = keyof typeof COMMON;
export type { Lines };
