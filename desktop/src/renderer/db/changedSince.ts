import {
  getChangedDocumentsSinceQuery,
  getPrimaryFieldOfPrimaryKey,
  INDEX_MAX,
  INDEX_MIN,
  lastOfArray,
  RX_META_LWT_MINIMUM,
  type FilledMangoQuery,
  type PreparedQuery,
  type RxDocumentData,
  type RxStorage,
  type RxStorageDefaultCheckpoint,
  type RxStorageInstance,
  type RxStorageInstanceCreationParams,
} from 'rxdb';

/**
 * The documents written since a checkpoint, read as one exact range of the `[_meta.lwt, id]`
 * index every RxDB storage keeps: the keys after `[lwt, id]`.
 *
 * Without this, RxDB asks the Dexie storage a Mango query (`lwt > x OR (lwt = x AND id > y)`),
 * whose plan starts the range at `[lwt, -∞]` and filters in JavaScript. One bulk write gives
 * every document of it the same `lwt`, and the pull writes a page of 1,000 at once: every
 * upstream round and every page of the start-up walk read the last page's 1,000 documents
 * from IndexedDB again to return none of them (~0.5 s of a "sync now" at 20,000 cases,
 * bench/findings.md). The range is exactly the query's selector, so nothing is filtered.
 */
export function withExactChangedSince<RxDocType, Internals, Options>(
  instance: RxStorageInstance<RxDocType, Internals, Options, RxStorageDefaultCheckpoint>,
): RxStorageInstance<RxDocType, Internals, Options, RxStorageDefaultCheckpoint> {
  if (instance.getChangedDocumentsSince) return instance;
  const primary = getPrimaryFieldOfPrimaryKey(instance.schema.primaryKey) as string;
  instance.getChangedDocumentsSince = async (limit, checkpoint) => {
    const query = getChangedDocumentsSinceQuery(
      instance,
      limit,
      checkpoint,
    ) as FilledMangoQuery<RxDocType>;
    const prepared = {
      query,
      queryPlan: {
        index: ['_meta.lwt', primary],
        // After the checkpoint's own key; from the very first key without one.
        startKeys: checkpoint ? [checkpoint.lwt, checkpoint.id] : [RX_META_LWT_MINIMUM, INDEX_MIN],
        endKeys: [INDEX_MAX, INDEX_MAX],
        inclusiveStart: !checkpoint,
        inclusiveEnd: true,
        sortSatisfiedByIndex: true,
        selectorSatisfiedByIndex: true,
      },
    } as unknown as PreparedQuery<RxDocType>;
    const { documents } = await instance.query(prepared);
    const last = lastOfArray(documents) as RxDocumentData<RxDocType> | undefined;
    return {
      documents,
      checkpoint: last
        ? { id: String((last as Record<string, unknown>)[primary]), lwt: last._meta.lwt }
        : (checkpoint ?? { id: '', lwt: 0 }),
    };
  };
  return instance;
}

/** A storage whose instances read changes as one exact index range (above). */
export function exactChangedSinceStorage<Internals, Options>(
  storage: RxStorage<Internals, Options>,
): RxStorage<Internals, Options> {
  return {
    ...storage,
    async createStorageInstance<RxDocType>(
      params: RxStorageInstanceCreationParams<RxDocType, Options>,
    ) {
      return withExactChangedSince(await storage.createStorageInstance(params));
    },
  };
}
