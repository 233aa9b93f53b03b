/**
 * Room-name rule, same as the server's ROOM_PATTERN (server/protocol/schemas.ts; a unit test keeps
 * them equal). Copied rather than imported so zod stays out of the browser bundle.
 */
export declare const ROOM_PATTERN: RegExp;
/** What a room URL says: /r/<room>?t=<token>&relay=1 */
export interface RoomLink {
    room: string;
    token: string | null;
    relayOnly: boolean;
}
export declare function parseRoomUrl(pathname: string, search: string): RoomLink | null;
/** The shareable link (the relay switch is not part of it unless asked). */
export declare function roomUrl(origin: string, link: RoomLink, withRelay?: boolean): string;
