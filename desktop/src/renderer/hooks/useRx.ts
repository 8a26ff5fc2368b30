import { useEffect, useState } from 'react';
import type { MangoQuery, RxCollection } from 'rxdb';

/** Live query result as plain JSON, re-rendering on every local or replicated change. */
export function useRxQuery<T>(
  collection: RxCollection<T>,
  query: MangoQuery<T> = {},
): { docs: T[]; loading: boolean } {
  const [state, setState] = useState<{ docs: T[]; loading: boolean }>({ docs: [], loading: true });
  const key = JSON.stringify(query);
  useEffect(() => {
    const sub = collection.find(JSON.parse(key) as MangoQuery<T>).$.subscribe((docs) => {
      setState({ docs: docs.map((d) => d.toMutableJSON() as T), loading: false });
    });
    return () => sub.unsubscribe();
  }, [collection, key]);
  return state;
}

export function useRxDoc<T>(
  collection: RxCollection<T>,
  id: string,
): { doc: T | null; loading: boolean } {
  const [state, setState] = useState<{ doc: T | null; loading: boolean }>({
    doc: null,
    loading: true,
  });
  useEffect(() => {
    const sub = collection
      .findOne(id)
      .$.subscribe((d) => setState({ doc: d ? (d.toMutableJSON() as T) : null, loading: false }));
    return () => sub.unsubscribe();
  }, [collection, id]);
  return state;
}

/**
 * Several live queries merged into one list (deduplicated by primary key, newest `updatedAt`
 * first): how a list reads "holder X with status A or B" as one indexed range per part.
 * Each query should carry its own `limit`.
 */
export function useRxQueries<T extends { id: string; updatedAt?: string }>(
  collection: RxCollection<T>,
  queries: MangoQuery<T>[],
): { docs: T[]; loading: boolean } {
  const [state, setState] = useState<{ docs: T[]; loading: boolean }>({ docs: [], loading: true });
  const key = JSON.stringify(queries);
  useEffect(() => {
    const parsed = JSON.parse(key) as MangoQuery<T>[];
    const parts: (T[] | null)[] = parsed.map(() => null);
    const emit = () => {
      if (parts.some((p) => p === null)) return;
      const byId = new Map<string, T>();
      for (const p of parts) for (const d of p ?? []) byId.set(d.id, d);
      const docs = [...byId.values()].sort((a, b) =>
        (a.updatedAt ?? '') < (b.updatedAt ?? '') ? 1 : -1,
      );
      setState({ docs, loading: false });
    };
    if (parsed.length === 0) setState({ docs: [], loading: false });
    const subs = parsed.map((q, i) =>
      collection.find(q).$.subscribe((docs) => {
        parts[i] = docs.map((d) => d.toMutableJSON() as T);
        emit();
      }),
    );
    return () => subs.forEach((s) => s.unsubscribe());
  }, [collection, key]);
  return state;
}

/** A page size that grows by `step` when the list asks for more ("加载更多"). */
export function usePageLimit(step = 50): { limit: number; more: () => void } {
  const [limit, setLimit] = useState(step);
  return { limit, more: () => setLimit((l) => l + step) };
}

/** Live sum of counts; each selector must be fully answered by an index (RxDB's rule). */
export function useRxCounts<T>(collection: RxCollection<T>, queries: MangoQuery<T>[]): number {
  const [total, setTotal] = useState(0);
  const key = JSON.stringify(queries);
  useEffect(() => {
    const parsed = JSON.parse(key) as MangoQuery<T>[];
    const parts = parsed.map(() => 0);
    if (parsed.length === 0) setTotal(0);
    const subs = parsed.map((q, i) =>
      collection.count(q).$.subscribe((n) => {
        parts[i] = n;
        setTotal(parts.reduce((a, b) => a + b, 0));
      }),
    );
    return () => subs.forEach((s) => s.unsubscribe());
  }, [collection, key]);
  return total;
}
