// An authorize hook for `createApp(config, { authorize })`: only signed-in users join, only the
// rooms they are invited to, under the name their session has. `sessions` is the app's own
// session store (anything with an async or sync `get(id)`).
export function authorizeFrom(sessions) {
  return async ({ room, handshake }) => {
    const sid = /(?:^|;\s*)sid=([^;]+)/.exec(handshake.headers.cookie ?? '')?.[1];
    const user = sid ? await sessions.get(sid) : undefined;
    if (!user) return { deny: 'sign in to join' };
    if (!user.rooms.includes(room)) return { deny: `you are not invited to ${room}` };
    return { name: user.name };
  };
}
