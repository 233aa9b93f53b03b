import { describe, expect, it } from 'vitest';
import { signalData, ROOM_PATTERN as SERVER_ROOM_PATTERN } from '../../server/protocol/schemas.js';
import { parseRoomUrl, roomUrl } from '../../web/src/ui/room-link.js';
import { ROOM_PATTERN } from '../../web/src/core/join-options.js';
import { sdpSessionId, toWire } from '../../web/src/core/peer-link.js';
import { summarizeStats } from '../../web/src/core/stats.js';

const report = (localType: string, remoteType: string, bytes: number, rtt = 0.012) => [
  { id: 'T1', type: 'transport', selectedCandidatePairId: 'CP1' },
  { id: 'CP1', type: 'candidate-pair', localCandidateId: 'L1', remoteCandidateId: 'R1', currentRoundTripTime: rtt, bytesSent: bytes, bytesReceived: bytes },
  { id: 'CP2', type: 'candidate-pair', localCandidateId: 'L2', remoteCandidateId: 'R1' },
  { id: 'L1', type: 'local-candidate', candidateType: localType, protocol: 'udp' },
  { id: 'L2', type: 'local-candidate', candidateType: 'host' },
  { id: 'R1', type: 'remote-candidate', candidateType: remoteType },
  { id: 'IN', type: 'inbound-rtp', kind: 'video', framesDecoded: 42 },
];

describe('stats summary', () => {
  it('reads the selected pair: direct, relay, rtt, frames and bitrate', () => {
    const a = summarizeStats(report('host', 'srflx', 1000), 1000);
    expect(a).toMatchObject({ localType: 'host', remoteType: 'srflx', path: 'direct', rttMs: 12, framesDecoded: 42, bitrateBps: 0 });
    const b = summarizeStats(report('host', 'srflx', 126_000), 2000, a);
    expect(b.bitrateBps).toBe(2_000_000); // (2*125000 bytes) * 8 / 1 s
    // prflx paired with relay (symmetric NAT) is relayed.
    expect(summarizeStats(report('prflx', 'relay', 0), 0).path).toBe('relay');
    expect(summarizeStats(report('relay', 'host', 0), 0).path).toBe('relay');
    expect(summarizeStats([], 0).path).toBe('unknown');
  });
});

describe('room names and links', () => {
  it('uses the same room rule as the server', () => {
    expect(ROOM_PATTERN.source).toBe(SERVER_ROOM_PATTERN.source);
  });
  it('parses /r/<room>?t=&relay=1', () => {
    expect(parseRoomUrl('/r/team-a', '?relay=1&t=tok')).toEqual({ room: 'team-a', token: 'tok', relayOnly: true });
    expect(parseRoomUrl('/r/team-a/', '')).toEqual({ room: 'team-a', token: null, relayOnly: false });
    expect(parseRoomUrl('/r/bad%20name', '')).toBeNull();
    expect(parseRoomUrl('/x/a', '')).toBeNull();
    expect(roomUrl('http://h', { room: 'a', token: 't', relayOnly: true })).toBe('http://h/r/a?t=t');
    expect(roomUrl('http://h', { room: 'a', token: null, relayOnly: true }, true)).toBe('http://h/r/a?relay=1');
  });
});

describe('signals on the wire', () => {
  it('turns every simple-peer message into one the server schema accepts', () => {
    const fromSimplePeer = [
      { type: 'offer', sdp: 'v=0\r\no=- 4611731400430051336 2 IN IP4 127.0.0.1\r\n' },
      { type: 'answer', sdp: 'v=0\r\n' },
      { type: 'candidate', candidate: { candidate: 'candidate:1 1 udp 1 10.0.0.1 5000 typ host', sdpMLineIndex: 0, sdpMid: '0' } },
      { type: 'renegotiate', renegotiate: true },
      { type: 'transceiverRequest', transceiverRequest: { kind: 'video', init: undefined } },
      { type: 'transceiverRequest', transceiverRequest: { kind: 'audio', init: { direction: 'sendrecv' } } },
    ];
    for (const m of fromSimplePeer) {
      const wire = toWire(m);
      expect(wire, JSON.stringify(m)).not.toBeNull();
      expect(signalData.safeParse(JSON.parse(JSON.stringify(wire))).success, JSON.stringify(wire)).toBe(true);
    }
    expect(toWire({ type: 'weird' })).toBeNull();
  });
  it('reads the SDP session id', () => {
    expect(sdpSessionId('v=0\r\no=- 4611731400430051336 2 IN IP4 127.0.0.1\r\ns=-\r\n')).toBe('4611731400430051336');
    expect(sdpSessionId(undefined)).toBeNull();
  });
});
