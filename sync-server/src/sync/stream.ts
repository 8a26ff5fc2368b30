/**
 * GET /api/sync/stream — server-sent events. One `change` event per change the caller may
 * see (or must remove), projects included (`{ collection: 'projects' }`), telling the client
 * to pull; `resync` when the stream opens, because the client may have missed changes while
 * disconnected. Heartbeat comments every 15 s.
 * The caller is re-authenticated every 30 s, so a revoked device loses its stream too.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { CaseDoc } from '@sibantong/shared';
import { PROJECTS_COLLECTION, type ProjectDoc } from '@sibantong/shared/project/index';
import type { AuthContext, AuthService } from '../auth/session.js';
import type { RefData } from '../domain/refData.js';
import { canSeeRecord, scopeVerdict, type ScopedRecord } from '../domain/scope.js';
import { actorScopeKeys, caseScopeKeys, type KeyedCase } from '@sibantong/shared/org/scopeKeys';
import { credentialsOf } from '../http/authGuard.js';
import type { ChangeFollower, ChangeNotice, FollowedCollection } from './changeFollower.js';
import { judgedProject, judgedVerdict } from '../projects/projectPull.js';

/** StreamMessage of shared, widened by the additive `supervision` and `projects` collections. */
interface HubStreamMessage {
  collection: FollowedCollection;
}

const HEARTBEAT_MS = 15_000;
const REAUTH_MS = 30_000;

interface StreamClient {
  ctx: AuthContext;
  send: (m: HubStreamMessage) => void;
  /** Scope keys of the user (shared actorScopeKeys), registered in `byKey`. */
  keys: string[];
}

export class StreamHub {
  private readonly clients = new Set<StreamClient>();
  /**
   * Clients by scope key: a case change is checked only against the clients whose keys meet
   * the case's keys (a superset of who may see it), not against every open stream.
   */
  private readonly byKey = new Map<string, Set<StreamClient>>();

  constructor(
    follower: ChangeFollower,
    private readonly ref: RefData,
    private readonly auth: AuthService,
  ) {
    follower.on((n) => void this.dispatch(n));
  }

  get size(): number {
    return this.clients.size;
  }

  private async dispatch(n: ChangeNotice): Promise<void> {
    if (this.clients.size === 0) return;
    if (n.collection === 'matters' || n.collection === 'orgUnits' || n.collection === 'calendars') {
      for (const c of this.clients) c.send({ collection: n.collection });
      return;
    }
    if (!n.doc) return;
    const ref = await this.ref.get();
    if (n.collection === 'cases') {
      const doc = n.doc as unknown as CaseDoc;
      const candidates = new Set<StreamClient>();
      for (const k of caseScopeKeys(doc as unknown as KeyedCase)) {
        for (const c of this.byKey.get(k) ?? []) candidates.add(c);
      }
      for (const c of candidates) {
        if (scopeVerdict(c.ctx.user, doc, ref.org) !== 'hidden') c.send({ collection: 'cases' });
      }
      return;
    }
    if (n.collection === PROJECTS_COLLECTION) {
      // Told exactly who pulls something of it (projectPull.ts): the project, or its removal
      // for a former member. Nobody else learns that it changed. Few projects, few clients
      // per county: every open stream is judged, on one fold of the project.
      const project = judgedProject(n.doc as unknown as ProjectDoc);
      for (const c of this.clients) {
        if (judgedVerdict(c.ctx.user, project, ref.org) !== 'hidden') {
          c.send({ collection: PROJECTS_COLLECTION });
        }
      }
      return;
    }
    for (const c of this.clients) {
      if (canSeeRecord(c.ctx.user, n.doc as unknown as ScopedRecord, ref.org)) {
        c.send({ collection: n.collection });
      }
    }
  }

  private register(c: StreamClient, keys: string[]): void {
    this.unregister(c);
    c.keys = keys;
    for (const k of keys) {
      const set = this.byKey.get(k) ?? new Set<StreamClient>();
      set.add(c);
      this.byKey.set(k, set);
    }
  }

  private unregister(c: StreamClient): void {
    for (const k of c.keys) {
      const set = this.byKey.get(k);
      set?.delete(c);
      if (set && set.size === 0) this.byKey.delete(k);
    }
    c.keys = [];
  }

  async handle(request: FastifyRequest, reply: FastifyReply): Promise<void> {
    const creds = credentialsOf(request, true);
    const ctx = await this.auth.authenticate(creds);
    const ref = await this.ref.get();
    const raw = reply.raw;
    reply.hijack();
    raw.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache, no-transform',
      connection: 'keep-alive',
      'x-accel-buffering': 'no',
      'access-control-allow-origin': '*',
    });
    raw.write('retry: 2000\n\n');
    raw.write(`event: resync\ndata: {}\n\n`);
    const client: StreamClient = {
      ctx,
      send: (m: HubStreamMessage) => {
        raw.write(`event: change\ndata: ${JSON.stringify(m)}\n\n`);
      },
      keys: [],
    };
    this.clients.add(client);
    this.register(client, actorScopeKeys(ctx.user, ref.org));
    const heartbeat = setInterval(() => raw.write(`: heartbeat\n\n`), HEARTBEAT_MS);
    const reauth = setInterval(() => {
      this.auth.authenticate(creds).then(
        async (fresh) => {
          client.ctx = fresh;
          // The user's unit or the org tree may have changed meanwhile.
          if (this.clients.has(client)) {
            this.register(client, actorScopeKeys(fresh.user, (await this.ref.get()).org));
          }
        },
        (err: unknown) => {
          const code = err && typeof err === 'object' && 'code' in err ? String(err.code) : 'AUTH';
          // Expiry of the access token is normal for a long stream: the client reconnects
          // with a refreshed one. Revocation closes it for good.
          raw.write(`event: auth\ndata: ${JSON.stringify({ code })}\n\n`);
          raw.end();
        },
      );
    }, REAUTH_MS);
    const close = () => {
      clearInterval(heartbeat);
      clearInterval(reauth);
      this.clients.delete(client);
      this.unregister(client);
    };
    raw.on('close', close);
    raw.on('error', close);
  }
}
