/** True when the first byte is in the channel range (0x40..0x7F: top bits 01). */
export declare function looksLikeChannelData(buf: Buffer): boolean;
export declare function isValidChannel(n: number): boolean;
/** Encode a ChannelData message; `pad` rounds the total up to a multiple of 4 (streams). */
export declare function encodeChannelData(channel: number, data: Buffer, pad: boolean): Buffer;
/** The same from a slice of `data` (hot path: no intermediate view). */
export declare function encodeChannelDataFrom(channel: number, data: Buffer, off: number, len: number, pad: boolean): Buffer;
