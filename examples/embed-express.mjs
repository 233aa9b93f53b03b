// Switchboard inside an existing express app: signaling at /rtc/socket.io, ICE servers at
// /rtc/ice-servers, the embedded STUN/TURN relay; the app's own routes as they were.
// Clients: joinRoom({ url: 'https://your.app', room, path: '/rtc/socket.io' }).
import { createServer } from 'node:http';
import express from 'express';
import { attachSignaling } from 'switchboard/server';

const app = express();
app.get('/', (_req, res) => res.send('my app'));
const server = createServer(app);
const signaling = await attachSignaling(app, {
  server,
  path: '/rtc',
  relay: true,
  turnPort: Number(process.env.TURN_PORT ?? 3478), // UDP and TCP
  turnSecret: process.env.TURN_SECRET, // the same on every relay; random when unset
});
server.listen(Number(process.env.PORT ?? 8080), () => console.log(`my app on port ${server.address().port}, Switchboard at ${signaling.socketPath}`));
process.once('SIGTERM', async () => {
  await signaling.close(); // the app would keep serving; here it stops too
  server.close();
});
