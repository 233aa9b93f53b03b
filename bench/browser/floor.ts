/**
 * The protocol floor of a call's setup in this benchmark's topology (issue 16), in round trips R
 * between a browser and the service (the signaling server, the pages server and the relay all
 * sit R away; the two browsers are next to each other, so a direct path between them costs no R,
 * and a round trip between them through the relay costs 2 R). bench/README.md ("Call setup:
 * the protocol floor") explains every step; this is that table as code, so the benchmark can
 * print each system's p50 beside it.
 *
 * The floor counts what the protocols need, in the order both stacks run them, with nothing
 * lost and no time for CPU: a system can only be above it. Two things below the floor are named
 * in the README instead (a relay allocation made before the offer; a relay that holds a check
 * arriving just before its permission), because neither stack does them.
 */

export type FloorSystem = 'switchboard' | 'peerjs';

export interface FloorStep {
  step: string;
  rtts: number;
}

/** Linux's initial congestion window (segments) and a full segment's payload on this link (MTU 1500). */
const INITCWND = 10;
const MSS = 1448;

/**
 * Round trips for an HTTP response of `bytes` on a connection in slow start, the request's own
 * round trip included: the window doubles each round trip from INITCWND (1 for up to 10
 * segments, 2 for 30, 3 for 70, 4 for 150, 5 for 310).
 */
export function responseRtts(bytes: number): number {
  const segments = Math.max(1, Math.ceil(bytes / MSS));
  let k = 1;
  while (INITCWND * (2 ** k - 1) < segments) k++;
  return k;
}

/**
 * Steps of the floor for one system and path. `responses`: the bytes of each response the page
 * waits for before its client starts (Switchboard: the page with its inline client; PeerJS: the
 * HTML, then its script), as the newcomer's resource timing measured them.
 */
export function floorSteps(system: FloorSystem, relayed: boolean, responses: number[]): FloorStep[] {
  const steps: FloorStep[] = [
    { step: 'page: TCP handshake', rtts: 1 },
    ...responses.map((b, i) => ({ step: `page: response ${i + 1} (${Math.round(b / 1024)} KiB, slow start from ${INITCWND} segments)`, rtts: responseRtts(b) })),
    ...(system === 'switchboard'
      ? [
          { step: 'signaling: TCP handshake', rtts: 1 },
          { step: 'signaling: WebSocket upgrade (Engine.IO open packet in the same flight)', rtts: 1 },
          { step: 'signaling: Socket.IO CONNECT with the join -> joined (the offer goes after it)', rtts: 1 },
        ]
      : [
          { step: 'signaling: GET /peerjs/id (the kept-alive page connection)', rtts: 1 },
          { step: 'signaling: TCP handshake', rtts: 1 },
          { step: 'signaling: WebSocket upgrade (OPEN in the same flight; the offer goes after it)', rtts: 1 },
        ]),
  ];
  if (!relayed) {
    steps.push(
      { step: 'offer to the other side and its answer back, through the server', rtts: 2 },
      { step: 'ICE check, DTLS, SCTP, channel open: between neighbours', rtts: 0 },
    );
    return steps;
  }
  // Relayed: the newcomer's own allocation overlaps page and signaling (both start gathering by
  // then); the other side allocates when the offer arrives. 1 peer round trip = 2 R (see README).
  steps.push(
    { step: 'offer to the other side, through the server', rtts: 1 },
    { step: 'other side: Allocate -> 401, Allocate -> relayed address', rtts: 2 },
    { step: 'its relay candidate to the newcomer, through the server', rtts: 1 },
    { step: 'newcomer: CreatePermission + first check, to the relay and on to the other side (its earlier checks were discarded, RFC 8656 section 9)', rtts: 1 },
    { step: 'check response back: newcomer ICE connected', rtts: 1 },
    { step: 'other side\'s own (triggered) check answered: it is writable, and it is the DTLS client', rtts: 1 },
    { step: 'DTLS 1.3 (traced): ClientHello; server flight; client Finished with the SCTP INIT behind it', rtts: 3 },
    { step: 'SCTP: INIT-ACK; COOKIE-ECHO (the newcomer is established: its channel opens)', rtts: 2 },
  );
  return steps;
}

export function floorRtts(system: FloorSystem, relayed: boolean, responses: number[]): number {
  return floorSteps(system, relayed, responses).reduce((s, x) => s + x.rtts, 0);
}
