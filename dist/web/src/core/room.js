/**
 * A room from one client's point of view: the connection layer (room-core.ts) plus what travels on
 * the data channels: chat, files, call state, and the relay-only switch. No DOM.
 */
import { CHAT_MAX, pushCapped } from './capped.js';
import { decodeControl } from './framing.js';
import { RoomCore } from './room-core.js';
export class Room extends RoomCore {
    chat = [];
    chatSeq = 0;
    sendChat(text) {
        const t = text.trim();
        if (!t || !this.selfId)
            return null;
        const entry = { id: `${this.selfId}-${++this.chatSeq}`, from: this.selfId, name: this.name, text: t, ts: Date.now(), self: true };
        pushCapped(this.chat, entry, CHAT_MAX);
        this.broadcast({ t: 'chat', id: entry.id, text: t, ts: entry.ts });
        this.emit('chat', entry);
        this.changed();
        return entry;
    }
    /** Send a file to one peer, or to every connected peer. */
    sendFile(src, to) {
        const targets = [...this.peers.values()].filter((e) => (to === 'all' || e.id === to) && e.link?.channel.open);
        return Promise.all(targets.map((e) => this.transfers.send(e.id, e.link.channel, src)));
    }
    setLocalStream(stream) {
        this.localStream = stream;
        for (const e of this.peers.values())
            e.link?.setStream(stream);
        const a = stream?.getAudioTracks()[0];
        const v = stream?.getVideoTracks()[0];
        this.setMedia({ inCall: stream !== null, audio: !!a?.enabled, video: !!v?.enabled });
    }
    setTrackEnabled(kind, enabled) {
        for (const t of this.localStream?.getTracks() ?? [])
            if (t.kind === kind)
                t.enabled = enabled;
        this.setMedia({ ...this.media, [kind]: enabled && !!this.localStream?.getTracks().some((t) => t.kind === kind) });
    }
    setName(name) {
        this.name = name;
        this.broadcast({ t: 'hello', name });
        this.changed();
    }
    /** Switch relay-only; every connection is replaced so the new policy applies. */
    setRelayOnly(on) {
        if (this.relayOnly === on)
            return;
        this.relayOnly = on;
        this.dropSpare(); // prepared under the other policy
        for (const e of this.peers.values()) {
            if (!e.link)
                continue;
            if (e.link.initiator)
                void this.connect(e, true);
            else
                this.sendTo(e, { t: 'restart' });
        }
        this.changed();
    }
    onData(e, link, d) {
        if (e.link !== link)
            return;
        if (typeof d !== 'string') {
            this.transfers.handleBinary(e.id, d);
            return;
        }
        const m = decodeControl(d);
        if (!m)
            return;
        switch (m.t) {
            case 'hello':
                e.name = m.name;
                break;
            case 'chat': {
                const entry = { id: m.id, from: e.id, name: e.name, text: m.text, ts: m.ts, self: false };
                pushCapped(this.chat, entry, CHAT_MAX);
                this.emit('chat', entry);
                break;
            }
            case 'media':
                e.media = { inCall: m.inCall, audio: m.audio, video: m.video };
                break;
            case 'restart':
                if (link.initiator)
                    void this.connect(e, true);
                break;
            default:
                this.transfers.handleControl(e.id, link.channel, m);
        }
        this.changed();
    }
    setMedia(m) {
        this.media = m;
        this.broadcast({ t: 'media', ...m });
        this.changed();
    }
}
//# sourceMappingURL=room.js.map