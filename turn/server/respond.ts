/**
 * Building responses: success and error (RFC 8489 section 6.3.1.1 / 6.3.1.2), with
 * MESSAGE-INTEGRITY when the request was authenticated and FINGERPRINT when the request had one.
 */
import { Attr, Class } from '../stun/constants.js';
import type { StunError } from '../stun/errors.js';
import { MessageBuilder, getAttr } from '../stun/message.js';
import type { Request, ServerContext } from './context.js';

export type Fill = (b: MessageBuilder) => void;

function finish(ctx: ServerContext, req: Request, b: MessageBuilder, withKey: boolean): Buffer {
  if (ctx.opts.software) b.addString(Attr.Software, ctx.opts.software);
  return b.build({
    key: withKey ? req.key : undefined,
    fingerprint: getAttr(req.msg, Attr.Fingerprint) !== undefined,
    // Answer with the algorithm the client used (RFC 8489 section 9.2.4).
    sha256: getAttr(req.msg, Attr.MessageIntegritySha256) !== undefined,
  });
}

export function success(ctx: ServerContext, req: Request, fill?: Fill): Buffer {
  const b = new MessageBuilder(req.msg.method, Class.Success, req.msg.tid);
  fill?.(b);
  return finish(ctx, req, b, true);
}

/** An error response; `withKey` false for 400/401/438 sent before the key is known. */
export function failure(ctx: ServerContext, req: Request, err: StunError, fill?: Fill, withKey = true): Buffer {
  // Every error answer is built here (challenges too), once per request it answers.
  ctx.metrics.errorAnswer(req.msg.method, err.code);
  const b = new MessageBuilder(req.msg.method, Class.Error, req.msg.tid);
  b.addError(err);
  fill?.(b);
  return finish(ctx, req, b, withKey);
}

/** 401 / 438 challenge: REALM and a fresh NONCE, no MESSAGE-INTEGRITY (RFC 8489 section 9.2.4). */
export function challenge(ctx: ServerContext, req: Request, err: StunError): Buffer {
  return failure(
    ctx,
    req,
    err,
    (b) => {
      b.addString(Attr.Realm, ctx.config.realm);
      b.addString(Attr.Nonce, ctx.nonces.issue(req.conn.ip));
    },
    false,
  );
}
