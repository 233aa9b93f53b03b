export declare function resumeKey(secret: string, peerId: string): string;
export declare function verifyResumeKey(secret: string, peerId: string, key: string): boolean;
