/** Binding (RFC 8489 section 7.3.1): answer with the client's reflexive transport address. */
import { Attr } from '../stun/constants.js';
import { reflexiveIp } from '../stun/address.js';
import { success } from './respond.js';
export function handleBinding(ctx, req) {
    const ip = reflexiveIp(req.conn.ip);
    return success(ctx, req, (b) => {
        b.addXorAddress(Attr.XorMappedAddress, ip, req.conn.port);
        // MAPPED-ADDRESS too, for RFC 3489 clients (coturn does the same).
        b.addAddress(Attr.MappedAddress, ip, req.conn.port);
    });
}
//# sourceMappingURL=binding.js.map