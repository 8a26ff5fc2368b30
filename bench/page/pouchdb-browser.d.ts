/** The few parts of pouchdb-browser 9 the bench page uses (the package ships no types). */
declare module 'pouchdb-browser' {
  interface PouchOptions {
    fetch?: (url: string | Request, opts?: RequestInit) => Promise<Response>;
  }
  interface ReplicationResult {
    docs_written: number;
    docs_read: number;
  }
  class PouchDB {
    constructor(name: string, options?: PouchOptions);
    info(): Promise<{ doc_count: number; update_seq: number | string }>;
    destroy(): Promise<void>;
    close(): Promise<void>;
    static fetch(url: string | Request, opts?: RequestInit): Promise<Response>;
    static replicate(
      source: PouchDB,
      target: PouchDB,
      opts?: { batch_size?: number },
    ): Promise<ReplicationResult>;
  }
  export default PouchDB;
}
