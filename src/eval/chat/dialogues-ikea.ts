/**
 * Generic English dialogues for the real IKEA catalogue (`afin eval chat --catalog ikea`): they show how
 * the assistant copes with real product text (Swedish product names, short descriptions, categories such
 * as "Bookcases & shelving units", prices in riyals). Reported, never part of the bar.
 */
import type { Dialogue } from './types.ts';

const any = "doesn't matter";

export const IKEA_DIALOGUES: Dialogue[] = [
  {
    id: 'ikea-chair',
    lang: 'en',
    catalog: 'home',
    title: 'an office chair under a budget',
    steps: [
      { user: 'I need a chair under 500', orAnswer: any, expect: { show: { kind: 'chairs', max: 500 } } },
      { user: 'something cheaper', expect: { show: { kind: 'chairs' }, cheaper: true } },
      { user: 'compare the first two', expect: { compare: [1, 2] } },
    ],
  },
  {
    id: 'ikea-bookcase',
    lang: 'en',
    catalog: 'home',
    title: 'bookcases, not white',
    steps: [
      { user: 'show me bookcases under 800', orAnswer: any, expect: { show: { kind: 'bookcases & shelving units', max: 800 } } },
      { user: 'not white', expect: { show: { kind: 'bookcases & shelving units', max: 800, notColours: ['white'] } } },
      { user: 'add the first one to my cart', expect: { cart: 1 } },
    ],
  },
  {
    id: 'ikea-sofa',
    lang: 'en',
    catalog: 'home',
    title: 'a sofa in a range',
    steps: [
      { user: 'I am looking for a sofa between 1000 and 3000', orAnswer: any, expect: { show: { kind: 'sofas & armchairs', min: 1000, max: 3000 } } },
      { user: 'the second one', expect: { ordinal: 2 } },
    ],
  },
  {
    id: 'ikea-bed',
    lang: 'en',
    catalog: 'home',
    title: 'a bed, then pricier',
    steps: [
      { user: 'beds under 1500 please', orAnswer: any, expect: { show: { kind: 'beds', max: 1500 } } },
      { user: 'something more expensive', expect: { show: { kind: 'beds' }, pricier: true } },
    ],
  },
  {
    id: 'ikea-desk',
    lang: 'en',
    catalog: 'home',
    title: 'a desk for working from home',
    steps: [
      { user: 'I need a desk for working from home, max 600', orAnswer: any, expect: { show: { kind: 'tables & desks', max: 600 } } },
      { user: 'tell me more about the first one', expect: { ordinal: 1 } },
    ],
  },
  {
    id: 'ikea-wardrobe',
    lang: 'en',
    catalog: 'home',
    title: 'a wardrobe, not black',
    steps: [{ user: 'wardrobes under 2000, not black', orAnswer: any, expect: { show: { kind: 'wardrobes', max: 2000, notColours: ['black'] } } }],
  },
  {
    id: 'ikea-outdoor',
    lang: 'en',
    catalog: 'home',
    title: 'garden furniture',
    steps: [{ user: 'outdoor furniture for my garden under 400', orAnswer: any, expect: { show: { kind: 'outdoor furniture', max: 400 } } }],
  },
  {
    id: 'ikea-tv',
    lang: 'en',
    catalog: 'home',
    title: 'a TV bench',
    steps: [{ user: 'a TV bench under 700', orAnswer: any, expect: { show: { kind: 'tv & media furniture', max: 700 } } }],
  },
];
