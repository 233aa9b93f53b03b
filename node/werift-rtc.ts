/**
 * A W3C-shaped WebRTC implementation for Node.js on werift (pure TypeScript WebRTC), for the SDK's
 * `rtc` option: `joinRoom({ url, room, rtc: createWeriftRtc() })`. simple-peer (the SDK's link
 * layer) gets what it would get from a browser:
 *
 * - `RTCPeerConnection`: an EventTarget with the standard events and their `on*` attributes
 *   (`icecandidate` with `candidate: RTCIceCandidate | null`, `iceconnectionstatechange`,
 *   `icegatheringstatechange`, `connectionstatechange`, `signalingstatechange`, `datachannel`,
 *   `negotiationneeded`); `createOffer`/`createAnswer` resolve to plain mutable `{ type, sdp }`
 *   objects (simple-peer rewrites `sdp`; werift's descriptions are read-only); `getStats()` is the
 *   promise form with no declared parameter (simple-peer picks the legacy callback form when
 *   `getStats.length > 0`, which werift's `getStats(selector)` has) and holds werift's standard
 *   `transport` / `candidate-pair` / `local-candidate` / `remote-candidate` entries; `restartIce()`.
 * - `RTCDataChannel`: `binaryType` (`arraybuffer`: messages as ArrayBuffer; `blob`: as Blob),
 *   `bufferedAmount`, `bufferedAmountLowThreshold` and `bufferedamountlow`, `send()` of a string,
 *   ArrayBuffer or ArrayBufferView (copied, as the standard says), `open`/`message`/`closing`/
 *   `close`/`error` events.
 * - `RTCSessionDescription`, `RTCIceCandidate`: the standard constructors (werift's own take
 *   other arguments), the candidate's fields parsed from its `candidate` line.
 *
 * Not supported: media. `addTrack`/`addTransceiver` throw (`MEDIA_UNSUPPORTED`), no `track` event
 * is ever dispatched, `getTransceivers()` is empty. Data channels only.
 *
 * werift-only settings (ports, addresses to gather on, TURN transport) go in `peerConfig`, merged
 * into every connection; `onlyAddress(ip)` keeps every socket on one address (`LOOPBACK_ONLY`:
 * 127.0.0.1, for tests).
 */
import * as werift from 'werift';
import { WeriftRTCDataChannel } from './werift-data-channel.js';
import { defineEventHandlers, RTCErrorEvent, type EventHandlers } from './werift-events.js';

export { WeriftRTCDataChannel } from './werift-data-channel.js';
export { RTCErrorEvent } from './werift-events.js';

/**
 * werift's own peer connection settings (werift's `RTCPeerConnectionConfig`; the ones named here
 * are those this adapter's users need). Declared here rather than taken from werift's types, which
 * do not type-check on their own (`skipLibCheck: false` in a user's project would fail on them).
 */
export interface WeriftPeerConfig {
  /** Gather host candidates on the machine's IPv4 interfaces. werift's default: true. */
  iceUseIpv4?: boolean;
  /** Gather host candidates on the machine's IPv6 interfaces. werift's default: true. */
  iceUseIpv6?: boolean;
  /** Extra local addresses to gather host candidates on (werift leaves loopback out otherwise). */
  iceAdditionalHostAddresses?: string[];
  /** The local address each socket family binds to. */
  iceInterfaceAddresses?: { udp4?: string; udp6?: string };
  /** ICE over TCP. werift's default: false. */
  iceUseTcp?: boolean;
  /** Local UDP ports to use, `[min, max]`. */
  icePortRange?: [number, number];
  /** Any other werift setting, passed as it is. */
  [setting: string]: unknown;
}

/** The message of the error `addTrack` / `addTransceiver` throw: the adapter has data channels only. */
export const MEDIA_UNSUPPORTED = 'media tracks are not supported in Node (werift adapter)';

/**
 * Gather on `address` only, and bind every UDP socket (host candidates, STUN, TURN) to it: no
 * other interface address is used (werift leaves loopback out by default and takes the rest).
 */
export function onlyAddress(address: string): WeriftPeerConfig {
  return {
    iceUseIpv4: false,
    iceUseIpv6: false,
    iceAdditionalHostAddresses: [address],
    iceInterfaceAddresses: address.includes(':') ? { udp6: address } : { udp4: address },
    iceUseTcp: false,
  };
}

/** Everything on 127.0.0.1 (tests): `onlyAddress('127.0.0.1')`. */
export const LOOPBACK_ONLY: WeriftPeerConfig = Object.freeze(onlyAddress('127.0.0.1'));

/** Options of `createWeriftRtc`. */
export interface WeriftRtcOptions {
  /**
   * werift settings for every peer connection (`icePortRange`, `iceAdditionalHostAddresses`,
   * `turnTransport`, ...). The standard configuration each connection is made with (`iceServers`,
   * `iceTransportPolicy`, `bundlePolicy`) is applied over it.
   */
  peerConfig?: WeriftPeerConfig;
}

/** What `createWeriftRtc` returns: the SDK's `rtc` option (and simple-peer's `wrtc`). */
export interface WeriftRtc {
  RTCPeerConnection: new (config?: RTCConfiguration) => WeriftRTCPeerConnection;
  RTCSessionDescription: typeof RTCSessionDescription;
  RTCIceCandidate: typeof RTCIceCandidate;
}

export function createWeriftRtc(options: WeriftRtcOptions = {}): WeriftRtc {
  const peerConfig = { ...options.peerConfig };
  class RTCPeerConnection extends WeriftRTCPeerConnection {
    constructor(config: RTCConfiguration = {}) {
      super(config, peerConfig);
    }
  }
  return { RTCPeerConnection, RTCSessionDescription, RTCIceCandidate };
}

export class RTCPeerConnectionIceEvent extends Event {
  constructor(
    type: string,
    readonly candidate: RTCIceCandidate | null,
  ) {
    super(type);
  }
}

export class RTCDataChannelEvent extends Event {
  constructor(
    type: string,
    readonly channel: WeriftRTCDataChannel,
  ) {
    super(type);
  }
}

const notSupported = (): DOMException => new DOMException(MEDIA_UNSUPPORTED, 'NotSupportedError');

// --- descriptions and candidates ------------------------------------------------------------

export class RTCSessionDescription {
  type: RTCSdpType;
  sdp: string;
  constructor(init: RTCSessionDescriptionInit) {
    if (!init || typeof init.type !== 'string') throw new TypeError('RTCSessionDescription: `type` is required');
    this.type = init.type;
    this.sdp = init.sdp ?? '';
  }
  toJSON(): RTCSessionDescriptionInit {
    return { type: this.type, sdp: this.sdp };
  }
}

export class RTCIceCandidate {
  readonly candidate: string;
  readonly sdpMid: string | null;
  readonly sdpMLineIndex: number | null;
  readonly usernameFragment: string | null;
  readonly foundation: string | null = null;
  readonly component: 'rtp' | 'rtcp' | null = null;
  readonly priority: number | null = null;
  readonly address: string | null = null;
  readonly protocol: 'udp' | 'tcp' | null = null;
  readonly port: number | null = null;
  readonly type: 'host' | 'srflx' | 'prflx' | 'relay' | null = null;
  readonly tcpType: 'active' | 'passive' | 'so' | null = null;
  readonly relatedAddress: string | null = null;
  readonly relatedPort: number | null = null;

  constructor(init: RTCIceCandidateInit = {}) {
    if (init.sdpMid == null && init.sdpMLineIndex == null) throw new TypeError('RTCIceCandidate: sdpMid and sdpMLineIndex are both null');
    this.candidate = init.candidate ?? '';
    this.sdpMid = init.sdpMid ?? null;
    this.sdpMLineIndex = init.sdpMLineIndex ?? null;
    this.usernameFragment = init.usernameFragment ?? null;
    // candidate:<foundation> <component> <protocol> <priority> <address> <port> typ <type> [raddr <a> rport <p>] [tcptype <t>] ...
    const f = this.candidate.replace(/^a=/, '').replace(/^candidate:/, '').trim().split(/\s+/);
    if (f.length >= 8 && f[6] === 'typ') {
      const attr = (name: string): string | null => {
        const i = f.indexOf(name, 8);
        return i > 0 && i + 1 < f.length ? f[i + 1]! : null;
      };
      const rport = attr('rport');
      Object.assign(this, {
        foundation: f[0],
        component: f[1] === '1' ? 'rtp' : f[1] === '2' ? 'rtcp' : null,
        protocol: f[2]!.toLowerCase(),
        priority: Number(f[3]),
        address: f[4],
        port: Number(f[5]),
        type: f[7],
        relatedAddress: attr('raddr'),
        relatedPort: rport === null ? null : Number(rport),
        tcpType: attr('tcptype'),
      });
    }
  }

  toJSON(): RTCIceCandidateInit {
    return { candidate: this.candidate, sdpMid: this.sdpMid, sdpMLineIndex: this.sdpMLineIndex, usernameFragment: this.usernameFragment };
  }
}

const plain = (d: { type: string; sdp: string } | null | undefined): RTCSessionDescription | null =>
  d ? new RTCSessionDescription({ type: d.type as RTCSdpType, sdp: d.sdp }) : null;

// --- the peer connection --------------------------------------------------------------------

/** The peer connection's events and what each listener gets. */
interface PeerConnectionEvents {
  icecandidate: RTCPeerConnectionIceEvent;
  icecandidateerror: Event;
  iceconnectionstatechange: Event;
  icegatheringstatechange: Event;
  connectionstatechange: Event;
  signalingstatechange: Event;
  datachannel: RTCDataChannelEvent;
  negotiationneeded: Event;
  /** Never dispatched: remote media is not surfaced. */
  track: Event;
}

export interface WeriftRTCPeerConnection extends EventHandlers<WeriftRTCPeerConnection, PeerConnectionEvents> {}

/** The standard configuration, in werift's terms, over the werift-only settings. */
function weriftConfig(config: RTCConfiguration, base: WeriftPeerConfig): werift.RTCPeerConnectionConfig {
  const out = { ...base } as werift.RTCPeerConnectionConfig;
  if (config.iceServers) {
    out.iceServers = config.iceServers.map((s) => ({
      urls: s.urls,
      ...(s.username !== undefined ? { username: s.username } : {}),
      ...(s.credential !== undefined ? { credential: String(s.credential) } : {}),
    }));
  }
  if (config.iceTransportPolicy) out.iceTransportPolicy = config.iceTransportPolicy;
  if (config.bundlePolicy) out.bundlePolicy = config.bundlePolicy;
  return out;
}

export class WeriftRTCPeerConnection extends EventTarget {
  /** @internal The werift connection underneath (for werift-only features; bypasses this adapter). */
  readonly werift: werift.RTCPeerConnection;
  #config: RTCConfiguration;
  readonly #base: WeriftPeerConfig;
  #closed = false;
  #endOfCandidates = false;
  readonly #channels = new WeakMap<werift.RTCDataChannel, WeriftRTCDataChannel>();

  constructor(config: RTCConfiguration = {}, peerConfig: WeriftPeerConfig = {}) {
    super();
    this.#config = { ...config };
    this.#base = peerConfig;
    const pc = (this.werift = new werift.RTCPeerConnection(weriftConfig(config, peerConfig)));
    const fire = (ev: Event) => {
      if (!this.#closed) this.dispatchEvent(ev);
    };
    pc.onIceCandidate.subscribe((c) => {
      if (c && c.candidate) {
        this.#endOfCandidates = false;
        fire(new RTCPeerConnectionIceEvent('icecandidate', new RTCIceCandidate(c)));
      } else if (!this.#endOfCandidates) {
        this.#endOfCandidates = true; // once per gathering, whichever of werift's paths says it
        fire(new RTCPeerConnectionIceEvent('icecandidate', null));
      }
    });
    pc.iceConnectionStateChange.subscribe(() => fire(new Event('iceconnectionstatechange')));
    pc.iceGatheringStateChange.subscribe(() => fire(new Event('icegatheringstatechange')));
    pc.connectionStateChange.subscribe(() => fire(new Event('connectionstatechange')));
    pc.signalingStateChange.subscribe(() => fire(new Event('signalingstatechange')));
    pc.onNegotiationneeded.subscribe(() => fire(new Event('negotiationneeded')));
    pc.onDataChannel.subscribe((dc) => fire(new RTCDataChannelEvent('datachannel', this.#channel(dc))));
  }

  #channel(dc: werift.RTCDataChannel): WeriftRTCDataChannel {
    let ch = this.#channels.get(dc);
    if (!ch) this.#channels.set(dc, (ch = new WeriftRTCDataChannel(dc)));
    return ch;
  }

  #assertOpen(): void {
    if (this.#closed) throw new DOMException('the RTCPeerConnection is closed', 'InvalidStateError');
  }

  get signalingState(): RTCSignalingState {
    return this.#closed ? 'closed' : (this.werift.signalingState as RTCSignalingState);
  }
  get iceConnectionState(): RTCIceConnectionState {
    return this.#closed ? 'closed' : this.werift.iceConnectionState;
  }
  get connectionState(): RTCPeerConnectionState {
    return this.#closed ? 'closed' : this.werift.connectionState;
  }
  get iceGatheringState(): RTCIceGatheringState {
    return this.werift.iceGatheringState;
  }
  get canTrickleIceCandidates(): boolean | null {
    return this.werift.canTrickleIceCandidates;
  }
  get localDescription(): RTCSessionDescription | null {
    return plain(this.werift.localDescription);
  }
  get currentLocalDescription(): RTCSessionDescription | null {
    return plain(this.werift.currentLocalDescription);
  }
  get pendingLocalDescription(): RTCSessionDescription | null {
    return plain(this.werift.pendingLocalDescription);
  }
  get remoteDescription(): RTCSessionDescription | null {
    return plain(this.werift.remoteDescription);
  }
  get currentRemoteDescription(): RTCSessionDescription | null {
    return plain(this.werift.currentRemoteDescription);
  }
  get pendingRemoteDescription(): RTCSessionDescription | null {
    return plain(this.werift.pendingRemoteDescription);
  }

  getConfiguration(): RTCConfiguration {
    return { ...this.#config };
  }
  setConfiguration(config: RTCConfiguration = {}): void {
    this.#assertOpen();
    this.#config = { ...config };
    this.werift.setConfiguration(weriftConfig(config, this.#base));
  }

  /** A plain `{ type, sdp }` (simple-peer rewrites its `sdp`). */
  async createOffer(options: RTCOfferOptions = {}): Promise<RTCSessionDescriptionInit> {
    this.#assertOpen();
    const d = await this.werift.createOffer({ iceRestart: options.iceRestart === true });
    return { type: d.type as RTCSdpType, sdp: d.sdp };
  }
  async createAnswer(_options: RTCAnswerOptions = {}): Promise<RTCSessionDescriptionInit> {
    this.#assertOpen();
    const d = await this.werift.createAnswer();
    return { type: d.type as RTCSdpType, sdp: d.sdp };
  }
  async setLocalDescription(description?: RTCLocalSessionDescriptionInit): Promise<void> {
    this.#assertOpen();
    if (description?.type === 'rollback') await this.werift.setLocalDescription({ type: 'rollback' });
    else if (description?.type) await this.werift.setLocalDescription({ type: description.type, sdp: description.sdp ?? '' });
    else await this.werift.setLocalDescription();
  }
  async setRemoteDescription(description: RTCSessionDescriptionInit): Promise<void> {
    this.#assertOpen();
    await this.werift.setRemoteDescription({ type: description.type, sdp: description.sdp ?? '' });
  }
  async addIceCandidate(candidate?: RTCIceCandidateInit | RTCIceCandidate | null): Promise<void> {
    this.#assertOpen();
    const init = candidate instanceof RTCIceCandidate ? candidate.toJSON() : candidate;
    await this.werift.addIceCandidate(
      init
        ? {
            candidate: init.candidate ?? '',
            ...(init.sdpMid != null ? { sdpMid: init.sdpMid } : {}),
            ...(init.sdpMLineIndex != null ? { sdpMLineIndex: init.sdpMLineIndex } : {}),
            ...(init.usernameFragment != null ? { usernameFragment: init.usernameFragment } : {}),
          }
        : null,
    );
  }
  restartIce(): void {
    if (!this.#closed) this.werift.restartIce();
  }

  createDataChannel(label: string, init: RTCDataChannelInit = {}): WeriftRTCDataChannel {
    this.#assertOpen();
    const options: Parameters<werift.RTCPeerConnection['createDataChannel']>[1] = {};
    if (init.ordered !== undefined) options.ordered = init.ordered;
    if (init.maxPacketLifeTime != null) options.maxPacketLifeTime = init.maxPacketLifeTime;
    if (init.maxRetransmits != null) options.maxRetransmits = init.maxRetransmits;
    if (init.protocol !== undefined) options.protocol = init.protocol;
    if (init.negotiated !== undefined) options.negotiated = init.negotiated;
    if (init.id != null) options.id = init.id;
    return this.#channel(this.werift.createDataChannel(String(label), options));
  }

  /**
   * The promise form only. No declared parameter, on purpose (a default value keeps `length` 0):
   * simple-peer calls `getStats(callback)` (the legacy form) when `getStats.length > 0`.
   */
  async getStats(selector: MediaStreamTrack | null = null): Promise<RTCStatsReport> {
    if (selector !== null) throw notSupported();
    return (await this.werift.getStats()) as unknown as RTCStatsReport;
  }

  addTrack(..._args: unknown[]): never {
    throw notSupported();
  }
  addTransceiver(..._args: unknown[]): never {
    throw notSupported();
  }
  removeTrack(..._args: unknown[]): never {
    throw notSupported();
  }
  getTransceivers(): [] {
    return [];
  }
  getSenders(): [] {
    return [];
  }
  getReceivers(): [] {
    return [];
  }

  /** Closes at once (no more events); werift releases its sockets shortly after. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.werift.close().catch(() => {
      /* closing anyway */
    });
  }
}
defineEventHandlers<PeerConnectionEvents>(WeriftRTCPeerConnection.prototype, {
  icecandidate: true,
  icecandidateerror: true,
  iceconnectionstatechange: true,
  icegatheringstatechange: true,
  connectionstatechange: true,
  signalingstatechange: true,
  datachannel: true,
  negotiationneeded: true,
  track: true,
});

