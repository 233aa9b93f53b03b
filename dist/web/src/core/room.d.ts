import type { ChatEntry, PeerEntry } from './room-types.js';
import type { PeerLink } from './peer-link.js';
import { RoomCore } from './room-core.js';
import type { FileSource, TransferInfo } from './transfer.js';
export type * from './room-types.js';
export declare class Room extends RoomCore {
    readonly chat: ChatEntry[];
    private chatSeq;
    sendChat(text: string): ChatEntry | null;
    /** Send a file to one peer, or to every connected peer. */
    sendFile(src: FileSource, to: string | 'all'): Promise<TransferInfo[]>;
    setLocalStream(stream: MediaStream | null): void;
    setTrackEnabled(kind: 'audio' | 'video', enabled: boolean): void;
    setName(name: string): void;
    /** Switch relay-only; every connection is replaced so the new policy applies. */
    setRelayOnly(on: boolean): void;
    protected onData(e: PeerEntry, link: PeerLink, d: string | Uint8Array): void;
    private setMedia;
}
