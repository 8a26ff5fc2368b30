/**
 * GET /api/sync/stream — server-sent events. One `change` event per change the caller may
 * see (or must remove), telling the client to pull; `resync` when the stream opens, because
 * the client may have missed changes while disconnected. Heartbeat comments every 15 s.
 * The caller is re-authenticated every 30 s, so a revoked device loses its stream too.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { CaseDoc } from '@sibantong/shared';

/** StreamMessage of shared, widened by the additive `supervision` collection. */
interface HubStreamMessage {
  collection: HubCollection;
}
import type { AuthContext, AuthService } from '../auth/session.js';
import type { RefData } from '../domain/refData.js';
import { canSeeRecord, scopeVerdict, type ScopedRecord } from '../domain/scope.js';
import { bearerOf } from '../http/authGuard.js';
import type { ChangeFollower, ChangeNotice } from './changeFollower.js';
import type { HubCollection } from './pullHandler.js';

const HEARTBEAT_MS = 15_000;
const REAUTH_MS = 30_000;

export class StreamHub {
  private readonly clients = new Set<{ ctx: AuthContext; send: (m: HubStreamMessage) => void }>();

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
    for (const c of this.clients) {
      if (n.collection === 'cases') {
        const v = scopeVerdict(c.ctx.user, n.doc as unknown as CaseDoc, ref.org);
        if (v !== 'hidden') c.send({ collection: 'cases' });
      } else if (canSeeRecord(c.ctx.user, n.doc as unknown as ScopedRecord, ref.org)) {
        c.send({ collection: n.collection });
      }
    }
  }

  async handle(request: FastifyRequest, reply: FastifyReply): Promise<void> {
    const token = bearerOf(request, true);
    const ctx = await this.auth.authenticate(token);
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
    const client = {
      ctx,
      send: (m: HubStreamMessage) => {
        raw.write(`event: change\ndata: ${JSON.stringify(m)}\n\n`);
      },
    };
    this.clients.add(client);
    const heartbeat = setInterval(() => raw.write(`: heartbeat\n\n`), HEARTBEAT_MS);
    const reauth = setInterval(() => {
      this.auth.authenticate(token).then(
        (fresh) => {
          client.ctx = fresh;
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
    };
    raw.on('close', close);
    raw.on('error', close);
  }
}
