// Switchboard's server inside your own Node program: the web app, signaling and the embedded
// STUN/TURN relay, configured like `npm start` (environment variables, see the README's table).
import { createApp, loadConfig } from 'switchboard/server';

const app = createApp(loadConfig(process.env));
const { url, relay } = await app.start();
console.log(`Switchboard on ${url}, TURN/STUN on UDP and TCP port ${relay?.udp.port}`);
for (const signal of ['SIGTERM', 'SIGINT']) process.once(signal, () => void app.stop());
