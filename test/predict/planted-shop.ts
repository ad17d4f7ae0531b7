/**
 * A small generated shop with planted signals, for the predictor tests: unhappy shoppers complain
 * (return and dislike things) for a fortnight and then stop visiting, which the others hardly do, and coffee buyers re-buy on a
 * weekly rhythm. Seeded: the same seed gives the same history.
 */
import { rng } from '../../src/stats/random.ts';

export const DAY = 86_400_000;
export const START = Date.UTC(2026, 0, 1);

export interface PlantedEvent {
  person: string;
  type: 'view' | 'add_to_cart' | 'purchase' | 'return' | 'dislike';
  category: string;
  item: string;
  time: number;
  value: number | null;
}

export interface PlantedShop {
  events: PlantedEvent[];
  unhappy: Set<string>;
  coffee: Set<string>;
  now: number;
}

const CATEGORIES = ['shoes', 'books', 'kitchen', 'garden', 'toys'];

export function plantedShop(seed: number, persons = 300, days = 120): PlantedShop {
  const r = rng(seed);
  const events: PlantedEvent[] = [];
  const unhappy = new Set<string>();
  const coffee = new Set<string>();
  for (let k = 0; k < persons; k++) {
    const person = `p${k}`;
    const sad = r() < 0.3;
    if (sad) unhappy.add(person);
    const drinks = r() < 0.5;
    if (drinks) coffee.add(person);
    const visitsPerDay = 0.3 + 0.4 * r();
    const fav = CATEGORIES[Math.floor(r() * CATEGORIES.length)];
    const joined = Math.floor(r() * 30);
    // The planted churn: an unhappy person turns sour on a day, complains (dislikes, returns) for
    // ten to fourteen days, then leaves; the others almost never leave.
    const sour = joined + 20 + Math.floor(r() * (days - joined));
    const leaves = sad ? sour + 10 + Math.floor(r() * 5) : days;
    let nextCoffee = joined + Math.floor(r() * 7);
    for (let d = joined; d < Math.min(days, leaves); d++) {
      if (r() < 0.001) break;
      const complaining = sad && d >= sour;
      const at = (h: number) => START + d * DAY + Math.floor(h * 3_600_000);
      if (drinks && d >= nextCoffee) {
        events.push({ person, type: 'purchase', category: 'coffee', item: 'coffee-1', time: at(9), value: 12 });
        nextCoffee = d + 6 + Math.floor(r() * 3);
      }
      if (r() >= visitsPerDay) continue;
      const cat = r() < 0.7 ? fav : CATEGORIES[Math.floor(r() * CATEGORIES.length)];
      const item = `${cat}-${Math.floor(r() * 10)}`;
      events.push({ person, type: 'view', category: cat, item, time: at(12), value: null });
      if (r() < 0.3) events.push({ person, type: 'add_to_cart', category: cat, item, time: at(12.1), value: null });
      if (r() < 0.15) {
        events.push({ person, type: 'purchase', category: cat, item, time: at(12.2), value: 30 });
        if (complaining && r() < 0.8) events.push({ person, type: 'return', category: cat, item, time: at(40), value: 30 });
      }
      if (complaining && r() < 0.6) events.push({ person, type: 'dislike', category: cat, item, time: at(12.3), value: null });
    }
  }
  events.sort((a, b) => a.time - b.time);
  return { events, unhappy, coffee, now: START + days * DAY };
}
