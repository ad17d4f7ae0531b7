/**
 * English scripted dialogues of `afin eval chat`. Each turn says what a good shop assistant must do;
 * the runner checks it against the catalogue (see run.ts). Catalogues: see catalogs.ts.
 */
import type { Dialogue } from './types.ts';

export const DIALOGUES_EN: Dialogue[] = [
  {
    id: 'en-headphones-full', lang: 'en', catalog: 'electronics', title: 'asks budget then use, recommends, follows up, adds to cart',
    steps: [
      { user: 'Hi', expect: { intent: 'greet' } },
      { user: "I'm looking for headphones", expect: { asks: 'budget' } },
      { user: 'under 100 euros', expect: { asks: 'use' } },
      { user: 'mostly for running', expect: { show: { kind: 'headphones', max: 100 } } },
      { user: 'something cheaper', expect: { show: { kind: 'headphones', max: 100 }, cheaper: true } },
      { user: 'compare the first two', expect: { compare: [1, 2] } },
      { user: 'add the second one to my cart', expect: { cart: 2 } },
      { user: 'thanks, that is all', expect: { intent: 'thanks' } },
    ],
  },
  {
    id: 'en-speaker-specific', lang: 'en', catalog: 'electronics', title: 'everything said at once: recommends without asking',
    steps: [
      { user: 'I want a black speaker for parties under 150 €', expect: { show: { kind: 'speakers', max: 150 } } },
      { user: 'tell me more about the third one', expect: { ordinal: 3 } },
      { user: 'add it to my cart', expect: { cart: 3 } },
    ],
  },
  {
    id: 'en-keyboard-brand-negation', lang: 'en', catalog: 'electronics', title: 'brand negation in the first message',
    steps: [
      { user: 'Show me keyboards under 80, but not Kairo', expect: { asks: 'use' } },
      { user: 'gaming', expect: { asks: 'colour' } },
      { user: 'any colour is fine', expect: { show: { kind: 'keyboards', max: 80, notBrands: ['Kairo'] } } },
      { user: 'something more expensive', expect: { show: { kind: 'keyboards', notBrands: ['Kairo'] }, pricier: true } },
    ],
  },
  {
    id: 'en-smartwatch-range', lang: 'en', catalog: 'electronics', title: 'a budget range and skipped questions',
    steps: [
      { user: 'do you have smartwatches between 100 and 200 euros?', expect: { asks: 'use' } },
      { user: "doesn't matter", expect: { asks: 'colour' } },
      { user: 'whatever', expect: { show: { kind: 'smartwatches', min: 100, max: 200 } } },
      { user: 'the second one', expect: { ordinal: 2 } },
    ],
  },
  {
    id: 'en-laptop-around', lang: 'en', catalog: 'electronics', title: '"around" a price, technical talk',
    steps: [
      { user: 'I need a laptop for around 900 euros, 16 GB RAM and good battery life', expect: { asks: 'use' } },
      { user: 'for the office', expect: { asks: 'colour' } },
      { user: 'silver please', expect: { show: { kind: 'laptops', min: 675, max: 1125 } } },
      { user: 'compare the first two', expect: { compare: [1, 2] } },
    ],
  },
  {
    id: 'en-preference-memory', lang: 'en', catalog: 'sport', title: 'a dislike remembered in a later session',
    steps: [
      { user: "I don't like pink", expect: { says: ['pink'] } },
      { user: 'I need a yoga mat under 60 euros', expect: { asks: 'use' } },
      { user: 'for yoga', expect: { asks: 'colour' } },
      { user: 'no preference', expect: { show: { kind: 'yoga-mats', max: 60, notColours: ['pink'] } } },
      { session: 'new', afterDays: 3 },
      { user: 'Hello again', expect: { recalls: ['yoga mat', 'yoga'] } },
      { user: 'show me dumbbells under 150', expect: { asks: 'use' } },
      { user: 'for home', expect: { asks: 'colour' } },
      { user: "doesn't matter", expect: { show: { kind: 'dumbbells', max: 150, notColours: ['pink'] }, remembered: true } },
    ],
  },
  {
    id: 'en-running-shoes-negation', lang: 'en', catalog: 'sport', title: 'colour negation mid-way reshapes the list',
    steps: [
      { user: 'I need running shoes under 120', expect: { asks: 'colour' } },
      { user: 'not red', expect: { show: { kind: 'running-shoes', max: 120, notColours: ['red'] } } },
      { user: 'and no yellow either', expect: { show: { kind: 'running-shoes', max: 120, notColours: ['red', 'yellow'] } } },
      { user: 'cheaper ones?', expect: { show: { kind: 'running-shoes', max: 120, notColours: ['red', 'yellow'] }, cheaper: true } },
      { user: 'add the first one to my basket', expect: { cart: 1 } },
    ],
  },
  {
    id: 'en-backpack-hiking', lang: 'en', catalog: 'sport', title: 'use given up front',
    steps: [
      { user: 'looking for a backpack for hiking', expect: { asks: 'budget' } },
      { user: 'up to 90 euros', expect: { asks: 'colour' } },
      { user: 'green', expect: { show: { kind: 'backpacks', max: 90 } } },
      { user: 'which is the cheapest of these?', expect: {} },
      { user: 'compare the first and the third', expect: { compare: [1, 3] } },
    ],
  },
  {
    id: 'en-bike-restart', lang: 'en', catalog: 'sport', title: 'memory survives a restart',
    steps: [
      { user: 'I want a bike for commuting under 800 euros', expect: { asks: 'colour' } },
      { user: "I don't mind", expect: { show: { kind: 'bikes', max: 800 } } },
      { user: 'bye', expect: { intent: 'bye' } },
      { restart: true },
      { session: 'new', afterDays: 2 },
      { user: 'hi there', expect: { recalls: ['bike'] } },
    ],
  },
  {
    id: 'en-dumbbells-erasure', lang: 'en', catalog: 'sport', title: 'erasure forgets the conversation and the preference',
    steps: [
      { user: 'I hate green', expect: {} },
      { user: 'show me dumbbells under 100 for the gym', expect: { asks: 'colour' } },
      { user: 'any', expect: { show: { kind: 'dumbbells', max: 100, notColours: ['green'] } } },
      { erase: true },
      { session: 'new', afterDays: 1 },
      { user: 'hello', expect: { forgot: ['dumbbell', 'last time'] } },
    ],
  },
  {
    id: 'en-consent-withdrawn', lang: 'en', catalog: 'fashion', title: 'withdrawn chatMemory consent forgets',
    steps: [
      { user: 'I want a dress for a party under 80 euros', expect: { asks: 'colour' } },
      { user: 'black', expect: { show: { kind: 'dresses', max: 80 } } },
      { consent: { chatMemory: false } },
      { session: 'new', afterDays: 1 },
      { user: 'hi', expect: { forgot: ['dress', 'last time'] } },
    ],
  },
  {
    id: 'en-jeans-brief', lang: 'en', catalog: 'fashion', title: 'tone switched at once: be brief',
    steps: [
      { user: 'Hello! Could you help me find some jeans please?', expect: { asks: 'budget' } },
      { user: 'be brief please', expect: { tone: 'direct' } },
      { user: 'under 60', expect: { tone: 'direct', asks: 'use' } },
      { user: 'commuting', expect: { tone: 'direct', show: { kind: 'jeans', max: 60 } } },
    ],
  },
  {
    id: 'en-jacket-detail', lang: 'en', catalog: 'fashion', title: 'explain in detail: technical tone',
    steps: [
      { user: 'explain things in detail please', expect: { tone: 'technical' } },
      { user: 'I need a jacket for the office under 130', expect: { tone: 'technical', asks: 'colour' } },
      { user: 'navy or black', expect: { tone: 'technical', show: { kind: 'jackets', max: 130 } } },
      { user: 'what about the first one?', expect: { ordinal: 1, tone: 'technical' } },
    ],
  },
  {
    id: 'en-sneakers-brand', lang: 'en', catalog: 'fashion', title: 'another brand, then cheaper',
    steps: [
      { user: 'white sneakers under 120 please', expect: { asks: 'use' } },
      { user: 'everyday wear', expect: { show: { kind: 'sneakers', max: 120 } } },
      { user: 'not Lúa', expect: { show: { kind: 'sneakers', max: 120, notBrands: ['Lúa'] } } },
      { user: 'cheaper', expect: { show: { kind: 'sneakers', notBrands: ['Lúa'] }, cheaper: true } },
    ],
  },
  {
    id: 'en-sweater-language-switch', lang: 'en', catalog: 'fashion', title: 'the person switches to Spanish mid-way',
    steps: [
      { user: 'I am looking for a sweater', expect: { asks: 'budget' } },
      { user: 'under 50 euros', expect: { asks: 'use' } },
      { user: 'perdona, ¿me puedes hablar en español? Lo quiero para viajar', expect: { language: 'es' } },
      { user: 'vale', expect: { language: 'es' } },
    ],
  },
  {
    id: 'en-trait-language', lang: 'en', catalog: 'home', title: 'the profile language wins',
    traits: { language: 'es' },
    steps: [
      { user: 'lamps', expect: { language: 'es', asks: 'budget' } },
      { user: 'under 60', expect: { language: 'es' } },
    ],
  },
  {
    id: 'en-lamp-reading', lang: 'en', catalog: 'home', title: 'lamps for reading',
    steps: [
      { user: 'Good evening. I would like a lamp for reading, please.', expect: { asks: 'budget' } },
      { user: 'no more than 70 euros', expect: { asks: 'colour' } },
      { user: 'not grey', expect: { show: { kind: 'lamps', max: 70, notColours: ['grey'] } } },
      { user: 'add the first one to the cart', expect: { cart: 1 } },
      { user: 'how long does shipping take?', expect: { faq: 'shipping' } },
    ],
  },
  {
    id: 'en-sofa-pricier', lang: 'en', catalog: 'home', title: 'more expensive on request',
    steps: [
      { user: 'show me sofas under 1000 euros', expect: { asks: 'colour' } },
      { user: 'navy', expect: { show: { kind: 'sofas', max: 1000 } } },
      { user: 'show me something more expensive', expect: { show: { kind: 'sofas' }, pricier: true } },
    ],
  },
  {
    id: 'en-mugs-cheap', lang: 'en', catalog: 'home', title: 'gift mugs, cheap, second item detail',
    steps: [
      { user: 'mugs for the office, under 15 euros, in white', expect: { show: { kind: 'mugs', max: 15 } } },
      { user: 'the second one', expect: { ordinal: 2 } },
      { user: 'yes, add it to my cart', expect: { cart: 2 } },
    ],
  },
  {
    id: 'en-out-of-scope-handoff', lang: 'en', catalog: 'home', title: 'out of scope twice, flagged, an agent replies',
    steps: [
      { user: 'what is the weather like in Paris tomorrow?', expect: { declines: true, flagged: false } },
      { user: 'who won the football last night?', expect: { declines: true, flagged: true } },
      { agent: 'Hi, I am Ana from the shop. How can I help?' },
      { user: 'I need bedding', expect: { agent: 'Hi, I am Ana from the shop. How can I help?' } },
    ],
  },
  {
    id: 'en-ask-person', lang: 'en', catalog: 'electronics', title: 'asks for a person',
    steps: [
      { user: 'can I talk to a real person please', expect: { flagged: true, intent: 'human' } },
      { agent: 'Hello! This is Marc. What do you need?' },
      { user: 'a speaker for my kitchen', expect: { agent: 'Hello! This is Marc. What do you need?' } },
    ],
  },
  {
    id: 'en-order-status', lang: 'en', catalog: 'electronics', title: 'where is my order cites the last purchase',
    steps: [
      { events: [{ type: 'view', item: { kind: 'speakers', nth: 2 }, minutesAgo: 3000 }, { type: 'purchase', item: { kind: 'speakers', nth: 2 }, minutesAgo: 2900 }] },
      { user: 'where is my order?', expect: { order: true } },
      { user: 'what is your return policy?', expect: { faq: 'return_policy' } },
    ],
  },
  {
    id: 'en-custom-faq', lang: 'en', catalog: 'kitchen', title: "the shop's own FAQ",
    steps: [
      { faq: { shipping: { en: 'We ship from Valencia with SEUR; delivery takes 24 to 48 hours.', es: 'Enviamos desde Valencia con SEUR; la entrega tarda de 24 a 48 horas.' } } },
      { user: 'how much is delivery and how long does it take?', expect: { faq: 'shipping' } },
    ],
  },
  {
    id: 'en-opener-cart', lang: 'en', catalog: 'electronics', title: 'opener: abandoned cart',
    steps: [
      { events: [{ type: 'view', item: { kind: 'keyboards', nth: 4 }, minutesAgo: 200 }, { type: 'add_to_cart', item: { kind: 'keyboards', nth: 4 }, minutesAgo: 180 }] },
      { opener: { kind: 'abandoned_cart', item: { kind: 'keyboards', nth: 4 } } },
      { user: 'tell me more about it', expect: { ordinal: 1 } },
    ],
  },
  {
    id: 'en-opener-price-drop', lang: 'en', catalog: 'sport', title: 'opener: a price drop on a viewed item',
    steps: [
      { events: [{ type: 'view', item: { kind: 'bikes', nth: 5 }, minutesAgo: 600 }] },
      { itemChange: { item: { kind: 'bikes', nth: 5 }, priceFactor: 0.8 } },
      { opener: { kind: 'price_drop', item: { kind: 'bikes', nth: 5 } } },
      { user: 'add it to my cart', expect: { cart: 1 } },
    ],
  },
  {
    id: 'en-opener-back-in-stock', lang: 'en', catalog: 'fashion', title: 'opener: back in stock',
    steps: [
      { itemChange: { item: { kind: 'jackets', nth: 3 }, available: false } },
      { events: [{ type: 'view', item: { kind: 'jackets', nth: 3 }, minutesAgo: 300 }] },
      { wait: { minutes: 60 } },
      { itemChange: { item: { kind: 'jackets', nth: 3 }, available: true } },
      { opener: { kind: 'back_in_stock', item: { kind: 'jackets', nth: 3 } } },
    ],
  },
  {
    id: 'en-kettle', lang: 'en', catalog: 'kitchen', title: 'a hand-written catalogue: kettles',
    steps: [
      { user: 'I need a new kettle', expect: { asks: 'budget' } },
      { user: 'less than 50 euros', expect: { asks: 'use' } },
      { user: 'for everyday use', expect: { show: { kind: 'kettle', max: 50 } } },
      { user: 'not pink', expect: { show: { kind: 'kettle', max: 50, notColours: ['pink'] } } },
      { user: 'cheaper', expect: { show: { kind: 'kettle', notColours: ['pink'] }, cheaper: true } },
    ],
  },
  {
    id: 'en-blender-compare', lang: 'en', catalog: 'kitchen', title: 'blenders, compare, add',
    steps: [
      { user: 'show me blenders for smoothies under 100', expect: { asks: 'colour' } },
      { user: 'no preference', expect: { show: { kind: 'blender', max: 100 } } },
      { user: 'compare the first two', expect: { compare: [1, 2] } },
      { user: 'add the first one to my cart', expect: { cart: 1 } },
    ],
  },
  {
    id: 'en-privacy', lang: 'en', catalog: 'kitchen', title: 'what do you know about me, forget me',
    steps: [
      { user: 'I need a toaster under 60', expect: { asks: 'use' } },
      { user: 'breakfast', expect: { asks: 'colour' } },
      { user: 'red', expect: { show: { kind: 'toaster', max: 60 } } },
      { user: 'what do you know about me?', expect: { intent: 'privacy_what_you_know' } },
      { user: 'please forget everything about me', expect: { intent: 'privacy_forget' } },
      { session: 'new' },
      { user: 'hello', expect: { forgot: ['toaster', 'last time'] } },
    ],
  },
  {
    id: 'en-gibberish', lang: 'en', catalog: 'sport', title: 'off-topic, then back to shopping',
    steps: [
      { user: 'can you write my history homework?', expect: { declines: true } },
      { user: 'ok then, show me running shoes for trail under 150', expect: { asks: 'colour' } },
      { user: 'blue', expect: { show: { kind: 'running-shoes', max: 150 } } },
    ],
  },
  {
    id: 'en-greeting-events', lang: 'en', catalog: 'electronics', title: 'greeting from recent activity, cites it',
    steps: [
      { events: [{ type: 'view', item: { kind: 'headphones', nth: 7 }, minutesAgo: 30 }] },
      { user: 'hey', expect: {} },
      { user: 'headphones for travel under 200 euros', expect: { asks: 'colour' } },
      { user: 'any colour', expect: { show: { kind: 'headphones', max: 200 } } },
    ],
  },
  {
    id: 'en-frying-pan-dollars', lang: 'en', catalog: 'kitchen', title: 'budget written with a symbol',
    steps: [
      // Three pans fit: no question earns its place (issue 10); this dialogue asked for the use before.
      { user: 'I want a frying pan, max €45', expect: { show: { kind: 'frying pan', max: 45 } } },
      { user: 'the third one', expect: { ordinal: 3 } },
    ],
  },
  // Written after the assistant was tuned on the dialogues above (marked `fresh`), reported apart by
  // `afin eval chat`. Their first run, before the general fixes they prompted (typos, "compare 1 and 3",
  // negations in a request, occasions): 3/8 English and 5/8 Spanish dialogues fully passed; two of the
  // failures were errors in the scripts (a colour question the policy rightly asked), corrected since.
  {
    id: 'en-gift-speaker', fresh: true, lang: 'en', catalog: 'electronics', title: 'a present, a budget in pounds, a use from a hobby',
    steps: [
      { user: 'Looking for a present for my brother, maybe a bluetooth speaker?', expect: { asks: 'budget' } },
      { user: 'around 80 quid', expect: { asks: 'use' } },
      { user: 'he loves hiking and camping', expect: { show: { kind: 'speakers', min: 60, max: 100 } } },
    ],
  },
  {
    id: 'en-typos', fresh: true, lang: 'en', catalog: 'fashion', title: 'typos',
    steps: [
      { user: 'i wnat a dres for a weding, nothing too expensive', orAnswer: "doesn't matter", expect: { show: { kind: 'dresses' } } },
    ],
  },
  {
    id: 'en-change-mind', fresh: true, lang: 'en', catalog: 'electronics', title: 'changes their mind about the product',
    steps: [
      { user: 'show me keyboards', expect: { asks: 'budget' } },
      { user: "actually, I'd rather see headphones", expect: { asks: 'budget', newRequest: true } },
      { user: 'under 50', expect: { asks: 'use' } },
      { user: 'gaming', expect: { show: { kind: 'headphones', max: 50 } } },
    ],
  },
  {
    id: 'en-other-colour', fresh: true, lang: 'en', catalog: 'fashion', title: 'another colour',
    steps: [
      { user: 'black sweater under 70', expect: { asks: 'use' } },
      { user: "doesn't matter", expect: { show: { kind: 'sweaters', max: 70 } } },
      { user: 'do you have it in another colour?', expect: { show: { kind: 'sweaters', notColours: ['black'] } } },
    ],
  },
  {
    id: 'en-two-negations', fresh: true, lang: 'en', catalog: 'sport', title: 'two colours ruled out at once',
    steps: [
      { user: 'yoga mat, no pink and no yellow, under 40', expect: { asks: 'use' } },
      { user: 'for the gym', expect: { show: { kind: 'yoga-mats', max: 40, notColours: ['pink', 'yellow'] } } },
    ],
  },
  {
    id: 'en-lamps-numbers', fresh: true, lang: 'en', catalog: 'home', title: 'items referred to by number',
    steps: [
      { user: 'lamps under 50', expect: { asks: 'use' } },
      { user: 'for my desk at work', expect: { asks: 'colour' } },
      { user: 'no preference', expect: { show: { kind: 'lamps', max: 50 } } },
      { user: 'compare 1 and 3', expect: { compare: [1, 3] } },
      { user: 'add number 3 to the cart', expect: { cart: 3 } },
    ],
  },
  {
    id: 'en-bedding-bye', fresh: true, lang: 'en', catalog: 'home', title: 'bedding, thanks and bye',
    steps: [
      { user: 'bedding under 50 please', expect: { asks: 'colour' } },
      { user: 'white', expect: { show: { kind: 'bedding', max: 50 } } },
      { user: 'thanks!', expect: { intent: 'thanks' } },
      { user: 'bye', expect: { intent: 'bye' } },
    ],
  },
  {
    id: 'en-name-recall', fresh: true, lang: 'en', catalog: 'sport', title: 'a returning person by name',
    traits: { name: 'Laura Smith' },
    steps: [
      { user: 'I want running shoes under 100', expect: { asks: 'colour' } },
      { user: 'any', expect: { show: { kind: 'running-shoes', max: 100 } } },
      { session: 'new', afterDays: 5 },
      { user: 'hey', expect: { recalls: ['running shoes'], says: ['Laura'] } },
    ],
  },
];
