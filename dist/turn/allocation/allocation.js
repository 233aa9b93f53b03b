import { addressKey } from '../stun/address.js';
import { encodeChannelDataFrom } from '../stun/channel-data.js';
import { encodeDataIndication } from './data-indication.js';
export class Allocation {
    host;
    client;
    username;
    key;
    relayPort;
    socket;
    bucket;
    /** Peer IP -> expiry (ms). */
    permissions = new Map();
    channels = new Map();
    channelByPeer = new Map();
    expiresAt;
    /** The Allocate transaction that created this allocation, and its response (retransmissions). */
    createTid = '';
    createResponse;
    closed = false;
    relayed;
    constructor(host, client, username, key, relayPort, socket, expiresAt, bucket) {
        this.host = host;
        this.client = client;
        this.username = username;
        this.key = key;
        this.relayPort = relayPort;
        this.socket = socket;
        this.bucket = bucket;
        this.expiresAt = expiresAt;
        this.relayed = `${host.relayIp}:${relayPort}`;
        socket.on('message', (msg, rinfo) => {
            try {
                this.fromPeer(msg, 0, msg.length, rinfo.address, rinfo.port);
            }
            catch {
                // Never let a peer's datagram throw out of the socket handler.
            }
        });
        // Send errors on an unconnected UDP socket (e.g. ICMP-driven) must never escape.
        socket.on('error', () => { });
    }
    /**
     * RFC 8656 section 11.3 / 12.6: a datagram from a peer. Dropped without a permission for the
     * peer's IP (section 9), or over the bandwidth cap; sent as ChannelData when a channel is bound
     * to the peer's transport address, else as a Data indication.
     */
    fromPeer(msg, off, len, ip, port) {
        if (this.closed || !this.permissions.has(ip))
            return;
        if (this.bucket && !this.bucket.take(len))
            return;
        const ch = this.channelByPeer.size ? this.channelByPeer.get(addressKey(ip, port)) : undefined;
        const out = ch
            ? encodeChannelDataFrom(ch.number, msg, off, len, this.client.stream)
            : encodeDataIndication(ip, port, msg, off, len);
        if (!out)
            return; // no STUN message can carry it: dropped
        const s = this.host.stats;
        s.packetsToClients++;
        s.bytesToClients += len;
        this.client.send(out);
    }
    /**
     * Client data to a peer (section 10.2 step after validation, section 12.5). The caller has
     * checked the permission. `local` means the peer is this server's relay IP: the datagram is
     * handed to the allocation owning that port inside the process, or dropped when none does.
     */
    toPeer(data, off, len, ip, port, local) {
        if (this.bucket && !this.bucket.take(len))
            return;
        let target;
        // A port on the relay's own address that no allocation owns gets nothing, and is not counted
        // as relayed (the stats report what was actually delivered).
        if (local && !(target = this.host.byRelayPort(port)))
            return;
        const s = this.host.stats;
        s.packetsToPeers++;
        s.bytesToPeers += len;
        if (target)
            target.fromPeer(data, off, len, this.host.relayIp, this.relayPort);
        else
            this.socket.send(data, off, len, port, ip);
    }
    hasPermission(ip) {
        return this.permissions.has(ip);
    }
    /** Drop expired permissions and channels (sections 9 and 12: no refresh -> gone). */
    sweep(now) {
        for (const [ip, exp] of this.permissions)
            if (exp <= now)
                this.permissions.delete(ip);
        for (const [n, ch] of this.channels) {
            if (ch.expiresAt <= now) {
                this.channels.delete(n);
                this.channelByPeer.delete(ch.peerKey);
            }
        }
    }
    close() {
        if (this.closed)
            return;
        this.closed = true;
        this.socket.removeAllListeners('message');
        this.host.releaseSocket(this.socket);
    }
}
//# sourceMappingURL=allocation.js.map