import { Router } from 'express';
import type { Config } from '../config.js';
import type { IceServerBuilder } from '../credentials/ice-servers.js';
import type { RelayStats } from '../../turn/types.js';
export interface ApiDeps {
    config: Pick<Config, 'roomCapacity' | 'roomSecret' | 'roomTokenTtl' | 'signalMaxBytes' | 'metricsToken'>;
    ice: IceServerBuilder;
    signalingStats(): Promise<Record<string, number>>;
    relayStats(): Promise<RelayStats | null>;
    members(room: string): Promise<Array<{
        id: string;
        name: string;
    }>>;
}
/** Room names the server invents: 10 characters of the allowed alphabet, ~60 bits. */
export declare const randomRoomName: () => string;
/**
 * Who gets ICE servers (TURN credentials) over HTTP: `GET /api/ice-servers` and a room page's boot
 * data (http/index.ts) alike. Without ROOM_SECRET, anyone; with it, only with a valid token for
 * `room` (an already validated room name). `as` prefixes the credential's id (`http-`, `page-`).
 */
export declare function iceServersOverHttp(deps: Pick<ApiDeps, 'config' | 'ice'>, room: string | undefined, token: string | undefined, as: 'http' | 'page'): ({
    ok: true;
} & ReturnType<IceServerBuilder['build']>) | {
    ok: false;
    reason: string;
};
export declare function apiRoutes(deps: ApiDeps): Router;
