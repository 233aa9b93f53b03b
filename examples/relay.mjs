// The STUN/TURN relay alone, in-process, with TURN REST credentials any Switchboard server (or
// coturn's `use-auth-secret`) mints with the same secret.
import { createRelay, restCredentials } from 'switchboard/turn';

const relay = createRelay({
  listenIp: '127.0.0.1', relayIp: '127.0.0.1', port: 0, tlsPort: 0, realm: 'example', secret: 'a-shared-secret-of-16+-chars',
  minPort: 49152, maxPort: 65535, allowPeers: [], staticUsers: [], defaultLifetime: 600, maxLifetime: 3600,
  userQuota: 10, totalQuota: 1000, maxBps: 0, maxPermissions: 64, maxChannels: 64,
});
const { udp } = await relay.start();
const { username, password } = restCredentials('a-shared-secret-of-16+-chars', 'alice', 3600);
console.log(`turn:${udp.address}:${udp.port}?transport=udp`, JSON.stringify({ username, credential: password }));
for (const signal of ['SIGTERM', 'SIGINT']) process.once(signal, () => void relay.stop());
