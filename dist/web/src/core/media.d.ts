/** Plain-language messages for getUserMedia failures (no DOM: takes the error's name). */
export declare function describeMediaError(err: unknown): string;
