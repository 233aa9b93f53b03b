export interface TurnCredentials {
    username: string;
    credential: string;
    /** Unix seconds after which a relay refuses a new allocation with these credentials. */
    expiresAt: number;
}
export declare function turnPassword(secret: string, username: string): string;
export declare function mintTurnCredentials(secret: string, id: string, ttlSeconds: number, nowMs?: number): TurnCredentials;
/** What a relay does with such credentials: right HMAC and not expired. */
export declare function verifyTurnCredentials(secret: string, username: string, credential: string, nowMs?: number): boolean;
