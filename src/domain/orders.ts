/**
 * The order a purchase event belongs to (`properties.orderId`, or Segment's `order_id`), so that a
 * basket of several items counts as one order; null when the shop sends none.
 */
export function orderIdOf(p: Record<string, unknown> | null): string | null {
  const id = p?.orderId ?? p?.order_id;
  return typeof id === 'string' || typeof id === 'number' ? String(id) : null;
}
