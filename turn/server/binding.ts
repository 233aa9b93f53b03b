/** Binding (RFC 8489 section 7.3.1): answer with the client's reflexive transport address. */
import { Attr } from '../stun/constants.js';
import type { Request, ServerContext } from './context.js';
import { success } from './respond.js';

export function handleBinding(ctx: ServerContext, req: Request): Buffer {
  return success(ctx, req, (b) => {
    b.addXorAddress(Attr.XorMappedAddress, req.conn.ip, req.conn.port);
    // MAPPED-ADDRESS too, for RFC 3489 clients (coturn does the same).
    b.addAddress(Attr.MappedAddress, req.conn.ip, req.conn.port);
  });
}
