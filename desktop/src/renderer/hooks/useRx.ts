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
