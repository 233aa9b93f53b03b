/** A plain JSON object (what socket.io's parser produces), not an array, a Date or a class instance. */
export declare function isPlainObject(v: unknown): v is Record<string, unknown>;
