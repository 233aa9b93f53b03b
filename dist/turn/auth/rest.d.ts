export { restExpiry } from './rest-username.js';
export declare function restPassword(secret: string, username: string): string;
/** Credentials valid for `ttlSeconds` from `nowMs`. */
export declare function restCredentials(secret: string, id: string, ttlSeconds: number, nowMs?: number): {
    username: string;
    password: string;
};
