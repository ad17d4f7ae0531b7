/**
 * Messages written separately from the shipped training phrases (none of them is in phrases-en.ts or
 * phrases-es.ts) to check that the intent model generalises, not just that it memorised.
 */
import type { Intent } from '../../../src/converse/nlu/intents.ts';

export const FRESH: ReadonlyArray<{ lang: 'en' | 'es'; intent: Intent; text: string }> = [
  ...([
    ['greet', 'hello, good morning!'], ['greet', 'hey, how are you today?'], ['greet', 'hi, hello'],
    ['recommend', 'I am searching for a winter jacket'], ['recommend', 'can you recommend earbuds for running?'], ['recommend', 'I need a present for my brother'],
    ['refine', 'show me some cheaper ones'], ['refine', 'do you have these in red?'], ['refine', 'a different brand maybe'],
    ['compare', 'which one is better, the first or the second?'], ['compare', 'compare these two for me'], ['compare', 'what is the difference between them?'],
    ['item_question', 'does the second one have a warranty?'], ['item_question', 'is this jacket waterproof?'], ['item_question', 'how long does its battery last?'],
    ['add_to_cart', 'add the second one to my cart'], ['add_to_cart', "I'll buy the black ones"], ['add_to_cart', 'put it in my basket please'],
    ['order_status', 'where is my order? it has not arrived'], ['order_status', 'can you track my package'], ['order_status', 'when will my order be delivered?'],
    ['return_policy', 'can I return the shoes?'], ['return_policy', 'I want a refund for my order'], ['return_policy', 'what is the policy for returns?'],
    ['shipping', 'how much does delivery cost?'], ['shipping', 'do you ship to Portugal?'], ['shipping', 'how many days does shipping take?'],
    ['preference', 'I really hate the colour green'], ['preference', 'I prefer Adidas over Nike'], ['preference', 'I like simple designs'],
    ['tone_request', 'please keep it brief'], ['tone_request', 'explain things in more detail please'], ['tone_request', 'be less formal with me'],
    ['human', 'I want to talk to a real human'], ['human', 'can I speak with an agent please'], ['human', 'connect me to a person'],
    ['privacy_forget', 'please delete all my data'], ['privacy_forget', 'forget everything about me'], ['privacy_forget', 'I do not want personalised recommendations'],
    ['privacy_what_you_know', 'what data do you hold about me?'], ['privacy_what_you_know', 'why are you showing me these products?'], ['privacy_what_you_know', 'what do you know about me exactly?'],
    ['help', 'what can you help me with?'], ['help', 'how do I use this assistant?'], ['help', 'what are you able to do?'],
    ['affirm', 'yes, that would be great'], ['affirm', 'sure, sounds good'], ['affirm', 'yeah ok'],
    ['deny', 'no, I am good thanks'], ['deny', 'nope, not interested'], ['deny', 'no, not that one'],
    ['thanks', 'thank you very much!'], ['thanks', 'thanks, that was helpful'], ['thanks', 'cheers, thanks a lot'],
    ['bye', 'goodbye, see you'], ['bye', 'bye, have a nice day'], ['bye', "ok that's all, bye"],
    ['out_of_scope', 'what will the weather be like in London?'], ['out_of_scope', 'tell me a good joke'], ['out_of_scope', 'what is 45 times 12?'],
  ] as const).map(([intent, text]) => ({ lang: 'en' as const, intent, text })),
  ...([
    ['greet', 'hola, buenos días!'], ['greet', 'hola, ¿qué tal estás hoy?'], ['greet', 'buenas, hola'],
    ['recommend', 'estoy buscando una chaqueta de invierno'], ['recommend', '¿me recomiendas unos auriculares para correr?'], ['recommend', 'necesito un regalo para mi hermano'],
    ['refine', 'enséñame unos más baratos'], ['refine', '¿los tienes en rojo?'], ['refine', 'de otra marca quizá'],
    ['compare', '¿cuál es mejor, el primero o el segundo?'], ['compare', 'compárame estos dos'], ['compare', '¿qué diferencia hay entre ellos?'],
    ['item_question', '¿el segundo tiene garantía?'], ['item_question', '¿esta chaqueta es impermeable?'], ['item_question', '¿cuánto le dura la batería?'],
    ['add_to_cart', 'añade el segundo a mi carrito'], ['add_to_cart', 'me compro las negras'], ['add_to_cart', 'mételo en la cesta, por favor'],
    ['order_status', '¿dónde está mi pedido? no ha llegado'], ['order_status', '¿puedes rastrear mi paquete?'], ['order_status', '¿cuándo me entregan el pedido?'],
    ['return_policy', '¿puedo devolver las zapatillas?'], ['return_policy', 'quiero que me reembolsen el pedido'], ['return_policy', '¿qué política de devoluciones tenéis?'],
    ['shipping', '¿cuánto cuesta la entrega?'], ['shipping', '¿enviáis a Portugal?'], ['shipping', '¿cuántos días tarda el envío?'],
    ['preference', 'odio el color verde'], ['preference', 'prefiero Adidas antes que Nike'], ['preference', 'me gustan los diseños sencillos'],
    ['tone_request', 'sé breve, por favor'], ['tone_request', 'explícame las cosas con más detalle'], ['tone_request', 'háblame de tú, sin formalidades'],
    ['human', 'quiero hablar con un humano de verdad'], ['human', '¿puedo hablar con un agente?'], ['human', 'quiero que me atienda una persona'],
    ['privacy_forget', 'por favor, borra todos mis datos'], ['privacy_forget', 'olvida todo sobre mí'], ['privacy_forget', 'no me personalices las recomendaciones'],
    ['privacy_what_you_know', '¿qué datos tenéis sobre mí?'], ['privacy_what_you_know', '¿por qué me enseñas estos productos?'], ['privacy_what_you_know', '¿qué sabes exactamente de mí?'],
    ['help', '¿qué cosas puedes hacer por mí?'], ['help', '¿cómo se usa este asistente?'], ['help', '¿qué eres capaz de hacer?'],
    ['affirm', 'sí, eso estaría genial'], ['affirm', 'claro, me parece bien'], ['affirm', 'vale, sí'],
    ['deny', 'no, estoy bien, gracias'], ['deny', 'no, no me interesa'], ['deny', 'no, ese no'],
    ['thanks', '¡muchísimas gracias!'], ['thanks', 'gracias, me ha servido'], ['thanks', 'genial, mil gracias'],
    ['bye', 'adiós, nos vemos'], ['bye', 'adiós, que tengas un buen día'], ['bye', 'vale, eso es todo, adiós'],
    ['out_of_scope', '¿qué tiempo va a hacer en Londres?'], ['out_of_scope', 'cuéntame un buen chiste'], ['out_of_scope', '¿cuánto es 45 por 12?'],
  ] as const).map(([intent, text]) => ({ lang: 'es' as const, intent, text })),
];

/** Short chat messages for language identification: some words occur in the shipped phrases, many do not. */
export const SHORT_MESSAGES: ReadonlyArray<{ lang: 'en' | 'es'; text: string }> = [
  ...[
    'hi', 'hello', 'cheaper', 'thanks', 'bye', 'yes please', 'something cheaper', 'headphones', 'running shoes', 'for gaming',
    'under 60 euros', 'the second one', 'not Apple', "I don't like red", 'how much?', 'cool', 'great', 'sneakers', 'show me more',
    'nope', 'forget me', 'be brief', 'is it waterproof?', 'where is my order', 'black', 'wireless', 'refund', 'size 42', 'sure',
    'red', 'pink', 'cheap', 'more expensive', 'laptop', 'shipping', 'hey', 'good morning', 'buy', 'other brand', 'the first two',
    'a gift for my mum', 'got anything in green?', 'cheapest one', 'my parcel', 'need boots', 'sweater', 'ok thanks', 'awesome',
    'hoodie', 'waterproof jacket', 'anything under 30?', 'sounds good', 'not sure', 'earphones', 'bike helmet', 'sunglasses',
    'the blue one', 'gloves', 'too pricey', 'which is lighter', 'phone charger', 'for my son', 'yellow', 'socks', 'I want it',
  ].map((text) => ({ lang: 'en' as const, text })),
  ...[
    'hola', 'gracias', 'barato', 'auriculares para correr', 'adiós', 'sí', 'vale', 'más barato', 'el segundo', 'nada de rosa',
    'sin cable', 'no me gusta el rojo', 'zapatillas', 'cascos', '¿cuánto cuesta?', 'quiero unos auriculares', 'olvídame', 'sé breve',
    'háblame de tú', 'trátame de usted', '¿dónde está mi pedido?', 'genial', 'claro', 'negro', 'azul', 'rojo', 'rosa',
    'menos de 60 euros', 'entre 100 y 200', 'unos 50 euros', 'los dos primeros', 'buenas', 'chaqueta', 'regalo', 'envío',
    'devolución', 'ayuda', 'ninguno', 'barata', 'caro', 'otra marca', 'para la oficina', 'mochila', 'de acuerdo', 'buenos dias',
    'que tal', 'perfecto', 'me lo llevo', 'vale gracias', 'unas deportivas', 'sudadera', 'algo más económico', 'camiseta', 'no sé',
    'chaqueta impermeable', 'botines', 'guay', 'vaqueros', 'para mi hermano', 'zapatos de tacón', 'bici', 'calcetines', 'lo quiero',
  ].map((text) => ({ lang: 'es' as const, text })),
];
