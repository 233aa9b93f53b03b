/**
 * The floor of any Node relay's cost: a UDP forwarder that speaks just enough TURN for the
 * benchmark's client (Allocate, CreatePermission, ChannelBind, Refresh, Send indications,
 * ChannelData) with no authentication, no permission checks, no lifetimes and no quotas.
 *
 * Per relayed packet it does what every Node relay must do at least: one `message` event, one
 * Map lookup by a string key, one `send` (with a 4-byte ChannelData header in front towards the
 * client). Not a server to deploy.
 */
import dgram from 'node:dgram';
import {
  Attr,
  Class,
  MessageBuilder,
  Method,
  decode,
  getAttr,
  getUint32,
  getXorAddress,
  type StunMessage,
} from '../../turn/stun/index.js';

interface Peer {
  address: string;
  port: number;
}

interface Allocation {
  client: Peer;
  relay: dgram.Socket;
  relayPort: number;
  channels: Map<number, Peer>;
  channelOf: Map<string, number>;
}

export class BareForwarder {
  private readonly sock = dgram.createSocket({ type: 'udp4', recvBufferSize: 4 << 20, sendBufferSize: 4 << 20 });
  private readonly allocations = new Map<string, Allocation>();

  constructor(private readonly host: string) {}

  start(port: number): Promise<number> {
    this.sock.on('message', (m, r) => this.onClient(m, r));
    return new Promise((res, rej) => {
      this.sock.once('error', rej);
      this.sock.bind(port, this.host, () => res(this.sock.address().port));
    });
  }

  async stop(): Promise<void> {
    for (const a of this.allocations.values()) a.relay.close();
    this.allocations.clear();
    await new Promise<void>((r) => this.sock.close(() => r()));
  }

  private onClient(m: Buffer, r: dgram.RemoteInfo): void {
    const key = `${r.address}:${r.port}`;
    if (m.length >= 4 && (m[0]! & 0xc0) === 0x40) {
      const a = this.allocations.get(key);
      const peer = a?.channels.get(m.readUInt16BE(0));
      if (a && peer) a.relay.send(m, 4, m.readUInt16BE(2), peer.port, peer.address);
      return;
    }
    const msg = decode(m);
    if (!msg) return;
    const a = this.allocations.get(key);
    if (msg.cls === Class.Indication && msg.method === Method.Send) {
      const peer = getXorAddress(msg, Attr.XorPeerAddress);
      const data = getAttr(msg, Attr.Data);
      if (a && peer && data) a.relay.send(m, data.offset, data.length, peer.port, peer.address);
      return;
    }
    if (msg.cls !== Class.Request) return;
    if (msg.method === Method.Allocate) {
      if (a) return this.reply(msg, r, (b) => this.describe(b, a, r));
      this.allocate(r, key).then(
        (na) => this.reply(msg, r, (b) => this.describe(b, na, r)),
        () => undefined,
      );
      return;
    }
    if (!a) return;
    if (msg.method === Method.ChannelBind) {
      const ch = getUint32(msg, Attr.ChannelNumber);
      const peer = getXorAddress(msg, Attr.XorPeerAddress);
      if (ch === undefined || !peer) return;
      a.channels.set(ch >>> 16, { address: peer.address, port: peer.port });
      a.channelOf.set(`${peer.address}:${peer.port}`, ch >>> 16);
    } else if (msg.method === Method.Refresh && getUint32(msg, Attr.Lifetime) === 0) {
      a.relay.close();
      this.allocations.delete(key);
    }
    this.reply(msg, r, (b) => b.addUint32(Attr.Lifetime, 600));
  }

  private allocate(r: dgram.RemoteInfo, key: string): Promise<Allocation> {
    const relay = dgram.createSocket({ type: 'udp4', recvBufferSize: 4 << 20, sendBufferSize: 4 << 20 });
    return new Promise((res, rej) => {
      relay.once('error', rej);
      relay.bind(0, this.host, () => {
        const a: Allocation = {
          client: { address: r.address, port: r.port },
          relay,
          relayPort: relay.address().port,
          channels: new Map(),
          channelOf: new Map(),
        };
        relay.on('message', (m, pr) => this.onPeer(a, m, pr));
        this.allocations.set(key, a);
        res(a);
      });
    });
  }

  private onPeer(a: Allocation, m: Buffer, pr: dgram.RemoteInfo): void {
    const ch = a.channelOf.get(`${pr.address}:${pr.port}`);
    if (ch !== undefined) {
      const head = Buffer.allocUnsafe(4);
      head.writeUInt16BE(ch, 0);
      head.writeUInt16BE(m.length, 2);
      this.sock.send([head, m], a.client.port, a.client.address);
      return;
    }
    const b = new MessageBuilder(Method.Data, Class.Indication);
    b.addXorAddress(Attr.XorPeerAddress, pr.address, pr.port);
    b.add(Attr.Data, m);
    this.sock.send(b.build(), a.client.port, a.client.address);
  }

  private describe(b: MessageBuilder, a: Allocation, r: dgram.RemoteInfo): void {
    b.addXorAddress(Attr.XorRelayedAddress, this.host, a.relayPort);
    b.addXorAddress(Attr.XorMappedAddress, r.address, r.port);
    b.addUint32(Attr.Lifetime, 600);
  }

  private reply(req: StunMessage, r: dgram.RemoteInfo, fill: (b: MessageBuilder) => void): void {
    const b = new MessageBuilder(req.method, Class.Success, req.tid);
    fill(b);
    this.sock.send(b.build({ fingerprint: true }), r.port, r.address);
  }
}
