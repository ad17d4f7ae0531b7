import type { EventType, StoredEvent } from '../domain/schemas.ts';
import { DEFAULT_EVENT_WEIGHTS, eventWeight, type RatingMode } from '../domain/weights.ts';
import type { Interactions } from './models/types.ts';

/** The largest weight one event may carry (as the ranking settings' event weights are bounded). */
export const MAX_EVENT_WEIGHT = 100;

/** A weight as a model may use it: finite, within ±MAX_EVENT_WEIGHT; anything else counts as nothing. */
export function clipWeight(w: number): number {
  if (!Number.isFinite(w)) return 0;
  return Math.max(-MAX_EVENT_WEIGHT, Math.min(MAX_EVENT_WEIGHT, w));
}

/** Interactions plus the id lists that map dense indices back to users and items. */
export interface InteractionSet {
  data: Interactions;
  userIds: string[];
  itemIds: string[];
}

/**
 * Collects events into coordinate-form interactions. Only events about an item with a non-zero
 * weight count; `knownItems` fixes the item index order (catalogue first), later items are appended.
 */
export class InteractionBuilder {
  private users: number[] = [];
  private items: number[] = [];
  private weights: number[] = [];
  private times: number[] = [];
  private readonly userIndex = new Map<string, number>();
  private readonly itemIndex = new Map<string, number>();
  readonly userIds: string[] = [];
  readonly itemIds: string[] = [];

  constructor(
    knownItems: readonly string[] = [],
    private readonly eventWeights: Readonly<Record<EventType, number>> = DEFAULT_EVENT_WEIGHTS,
    private readonly ratings: RatingMode = 'strength',
  ) {
    for (const id of knownItems) this.itemOf(id);
  }

  private itemOf(id: string): number {
    let i = this.itemIndex.get(id);
    if (i === undefined) {
      i = this.itemIds.length;
      this.itemIndex.set(id, i);
      this.itemIds.push(id);
    }
    return i;
  }

  add(e: Pick<StoredEvent, 'subject' | 'itemId' | 'type' | 'value' | 'timestamp'>): void {
    if (!e.itemId || !Number.isFinite(e.timestamp)) return;
    // Whatever is stored (old rows predate validation), a weight reaching a model is finite and bounded.
    const w = clipWeight(eventWeight(e.type, e.value, this.eventWeights, this.ratings));
    if (w === 0) return;
    let u = this.userIndex.get(e.subject);
    if (u === undefined) {
      u = this.userIds.length;
      this.userIndex.set(e.subject, u);
      this.userIds.push(e.subject);
    }
    this.users.push(u);
    this.items.push(this.itemOf(e.itemId));
    this.weights.push(w);
    this.times.push(e.timestamp);
  }

  get size(): number {
    return this.users.length;
  }

  build(): InteractionSet {
    return {
      data: {
        nUsers: this.userIds.length,
        nItems: this.itemIds.length,
        users: Int32Array.from(this.users),
        items: Int32Array.from(this.items),
        weights: Float32Array.from(this.weights),
        times: Float64Array.from(this.times),
      },
      userIds: this.userIds,
      itemIds: this.itemIds,
    };
  }
}
