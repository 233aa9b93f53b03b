export declare function mintRoomToken(secret: string, room: string, ttlSeconds: number, nowMs?: number): {
    token: string;
    expiresAt: number;
};
export type RoomTokenCheck = {
    ok: true;
} | {
    ok: false;
    reason: string;
};
export declare function verifyRoomToken(secret: string, room: string, token: string | undefined, nowMs?: number): RoomTokenCheck;
