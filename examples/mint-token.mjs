// A backend minting a Switchboard room token: a JWT signed with HS256 and the shared secret the
// server has as ROOM_JWT_SECRET, with the `jose` package (any JWT library does the same).
//   ROOM_JWT_SECRET=... node examples/mint-token.mjs <room> [display name]
import { SignJWT } from 'jose';

const secret = new TextEncoder().encode(process.env.ROOM_JWT_SECRET);
const [room, name] = process.argv.slice(2);

const token = await new SignJWT({ room, ...(name ? { name } : {}) })
  .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
  .setIssuedAt()
  .setExpirationTime('2h') // required; a client presents it again when it reconnects
  .sign(secret);

console.log(token);
