/** The signaling benchmark's servers, by kind: each prints {"port","pid"} when listening. */
export type ServerKind = 'switchboard' | 'socketio' | 'bare';

/** Script of each server, relative to this folder. */
export const SERVER_SCRIPTS: Record<ServerKind, string> = {
  switchboard: 'switchboard-server.ts',
  socketio: 'socketio-server.ts',
  bare: 'bare-server.ts',
};
