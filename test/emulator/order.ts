// The re-ordering rule of taiga-back's apply_order_updates, used by the bulk
// order endpoints and by PATCHes that change an ordering key.

/**
 * Applies `updates` (id → new order) to `base` (id → order, every element
 * that may shift) and returns the elements whose order changed. Each update,
 * lowest first, shifts by one the elements it lands on or passes over; then
 * the updated elements get exactly the order asked for.
 */
export function applyOrderUpdates(base: Map<number, number>, updates: Map<number, number>): Map<number, number> {
  const touched = new Set<number>();
  const wanted = [...updates].filter(([id]) => base.has(id)).sort((a, b) => a[1] - b[1]);
  for (const [id, target] of wanted) {
    const current = base.get(id)!;
    for (const [other, order] of base) {
      const backward = target <= current && order >= target && order < current;
      const forward = target >= current && order >= target;
      if (backward || forward) {
        base.set(other, order + 1);
        touched.add(other);
      }
    }
  }
  for (const [id, target] of wanted) {
    if (base.get(id) !== target) {
      base.set(id, target);
      touched.add(id);
    }
  }
  return new Map([...base].filter(([id]) => touched.has(id)));
}

/** The `set-orders` request header: extra `{"<id>": order}` moves sent along with a PATCH. */
export function extraOrders(header: string | string[] | undefined): [number, number][] {
  if (typeof header !== 'string') return [];
  try {
    return Object.entries(JSON.parse(header) as Record<string, unknown>).map(([id, order]) => [Number(id), Number(order)]);
  } catch {
    return [];
  }
}

/** Python's json.dumps of an `{id: order}` dict, as in Taiga-Info-Order-Updated. */
export function ordersHeader(orders: Map<number, number>): string {
  return `{${[...orders].map(([id, order]) => `"${id}": ${order}`).join(', ')}}`;
}
