export declare function hmac(alg: 'sha1' | 'sha256', secret: string, data: string): Buffer;
/** Constant-time string comparison (length leaks, content does not). */
export declare function safeEqual(a: string, b: string): boolean;
