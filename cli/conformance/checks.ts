/**
 * `switchboard conformance`: plays the other peer of a room against a client under test and
 * reports, check by check, what the client got wrong (docs/protocol.md, "Conformance"). Every
 * message the client sends is read with the schemas the SDK and the server use
 * (server/protocol/schemas.ts, web/src/core/framing.ts); the active checks send what the
 * protocol says a client must answer and wait a bounded time for the answer.
 */
import { createHash, randomBytes } from 'node:crypto';
import { type SignalData, signalData } from '../../server/protocol/index.js';
import { BINARY_MAGIC, CHUNK_HEADER, CHUNK_MAGIC, type ControlMessage, decodeControl, encodeChunk, encodeControl, split } from '../../web/src/core/framing.js';
import type { PeerArgs } from '../args.js';
import { excerpt, Report } from './report.js';
import { Wire } from './wire.js';

/** How long the client has to answer a probe on an open channel. */
const ANSWER_MS = 5000;
/** The SDK answers malformed messages at most once a second (docs/protocol.md): probes keep apart. */
const ANSWER_SPACING_MS = 1100;
/** A file large enough for a progress acknowledgement before the last one (every 512 KiB). */
const FILE_BYTES = 640 * 1024 + 123;
const CHUNK_BYTES = 16 * 1024;
const sha256 = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A data-channel message as the protocol reads it: a control message, a known binary frame, or what is wrong with it. */
function classify(m: string | Uint8Array): { control?: ControlMessage; error?: string } {
  if (typeof m === 'string') {
    const c = decodeControl(m);
    return c ? { control: c } : { error: `a text message that is not a valid control message: ${excerpt(m)}` };
  }
  if (m[0] === CHUNK_MAGIC && m.length >= CHUNK_HEADER) return {};
  if (m[0] === BINARY_MAGIC) return {};
  return { error: `a binary message that is neither a file chunk nor an application message: ${excerpt(m)}` };
}

const isControl = (t: ControlMessage['t']) => (m: string | Uint8Array) => classify(m).control?.t === t;
/** A section of the SDP that can carry the data channel (RFC 8841 section 4: SCTP over DTLS). */
const hasDataChannel = (sdp: string) => /^m=application \d+ (UDP\/DTLS\/SCTP|DTLS\/SCTP) webrtc-datachannel/m.test(sdp);

/** Runs every check against the first peer of `a.room` (or the next to join); the report says which failed. */
export async function conformance(a: PeerArgs, log: (line: string) => void): Promise<Report> {
  const report = new Report(log);
  const wire = await Wire.join(a);
  try {
    log(`joined room ${a.room} as ${wire.joined.peerId}; ${wire.joined.peers.length ? 'the client under test is here' : 'waiting for the client under test to join'}`);
    const peer = await wire.target();
    log(`testing ${peer.id}${peer.name ? ` (${peer.name})` : ''}: ${peer.weOffer ? 'it joined first, so we offer and it answers' : 'it joined after us, so it offers'}`);
    await wire.start(peer.id, peer.weOffer);
    await signalling(wire, report, peer.weOffer, a.waitMs);
    const ch = await wire.open(a.waitMs);
    if (!report.check('channel.open', !!ch, 'the data channel opens', ch ? undefined : `not open within ${a.waitMs / 1000} s; connection ${wire.states.join(' -> ') || 'new'}`)) return report;
    if (!peer.weOffer) report.check('channel.reliable', ch!.ordered && ch!.maxRetransmits === null && ch!.maxPacketLifeTime === null, 'the channel the client made is ordered and reliable', `ordered ${ch!.ordered}, maxRetransmits ${ch!.maxRetransmits}, maxPacketLifeTime ${ch!.maxPacketLifeTime}`);
    wire.send(encodeControl({ t: 'hello', name: a.name, v: 1 }));
    await hello(wire, report);
    await answers(wire, report);
    await files(wire, report);
    finalChecks(wire, report);
    return report;
  } finally {
    wire.close();
  }
}

async function signalling(wire: Wire, report: Report, weOffer: boolean, waitMs: number): Promise<void> {
  const want = weOffer ? 'answer' : 'offer';
  const got = await wire.signals.next((d) => 'type' in d && d.type === want, waitMs);
  const sdp = got && 'sdp' in got.value ? (got.value.sdp ?? '') : '';
  report.check(`signal.${want}`, !!got, weOffer ? 'the client answers our offer' : 'the client, as the newcomer, offers', got ? undefined : `no ${want} within ${waitMs / 1000} s`);
  if (got) report.check('signal.sdp', hasDataChannel(sdp), `its ${want}'s SDP has a data channel section (m=application ... webrtc-datachannel)`, hasDataChannel(sdp) ? undefined : excerpt(sdp.split('\n').filter((l) => l.startsWith('m=')).join(' | ') || sdp));
}

async function hello(wire: Wire, report: Report): Promise<void> {
  const first = await wire.messages.next(() => true, ANSWER_MS);
  const c = first && classify(first.value).control;
  report.check('channel.hello', c?.t === 'hello', 'its first message on the channel is a valid hello', c?.t === 'hello' ? undefined : first ? `first was ${excerpt(first.value)}` : `nothing within ${ANSWER_MS / 1000} s`);
  if (c?.t === 'hello') report.check('channel.version', c.v === undefined || c.v === 1, 'its hello names protocol version 1 (v absent or 1)', c.v === undefined || c.v === 1 ? undefined : `v ${c.v}`);
}

/** Sends `probe` and waits for a protocol-error after it; returns when it came (undefined: none). */
async function probe(wire: Wire, data: string | Uint8Array, ms: number): Promise<number | undefined> {
  const from = wire.messages.items.length;
  wire.send(data);
  return (await wire.messages.next(isControl('protocol-error'), ms, from))?.at;
}

async function answers(wire: Wire, report: Report): Promise<void> {
  const text = await probe(wire, '{"t":"chat","text":"no id or ts"}', ANSWER_MS);
  report.check('channel.answers-malformed', text !== undefined, 'a malformed text message is answered with protocol-error', text ? undefined : `no protocol-error within ${ANSWER_MS / 1000} s`);
  await sleep(ANSWER_SPACING_MS);
  // JSON in a binary frame: its first byte, '{', is no frame kind; it must not be taken as a chunk.
  const binary = await probe(wire, new TextEncoder().encode('{"t":"chat","id":"c-1","text":"as binary","ts":1}'), ANSWER_MS);
  report.check('channel.answers-binary', binary !== undefined, 'a binary message of no known kind (JSON sent as binary) is answered with protocol-error', binary ? undefined : `no protocol-error within ${ANSWER_MS / 1000} s`);
  await sleep(ANSWER_SPACING_MS);
  const loop = await probe(wire, encodeControl({ t: 'protocol-error', message: 'conformance check: a protocol-error is never answered' }), 2000);
  report.check('channel.no-loop', loop === undefined, 'a protocol-error is not answered', loop ? 'it answered with a protocol-error' : undefined);
  await sleep(ANSWER_SPACING_MS);
  const valid = await probe(wire, encodeControl({ t: 'chat', id: 'conformance-1', text: 'a valid chat message', ts: Date.now() }), 1500);
  report.check('channel.accepts-chat', valid === undefined, 'a valid chat message is taken without complaint', valid ? 'it answered with a protocol-error' : undefined);
}

/** Offers a file and streams it; resolves with the acknowledgements and the verdict it got. */
async function sendFile(wire: Wire, id: number, data: Uint8Array, hash: string): Promise<{ acks: number[]; done?: Extract<ControlMessage, { t: 'file-done' }> }> {
  const from = wire.messages.items.length;
  await wire.sendAll([
    encodeControl({ t: 'file-offer', id, name: `conformance-${id}.bin`, size: data.length, mime: 'application/octet-stream' }),
    ...[...split(data, CHUNK_BYTES)].map((c) => encodeChunk(id, c)),
    encodeControl({ t: 'file-end', id, sha256: hash }),
  ]);
  const done = await wire.messages.next((m) => { const c = classify(m).control; return c?.t === 'file-done' && c.id === id; }, 30_000, from);
  const acks = wire.messages.items.slice(from).flatMap(({ value }) => { const c = classify(value).control; return c?.t === 'file-ack' && c.id === id ? [c.received] : []; });
  return { acks, done: done && (classify(done.value).control as Extract<ControlMessage, { t: 'file-done' }>) };
}

async function files(wire: Wire, report: Report): Promise<void> {
  const data = new Uint8Array(randomBytes(FILE_BYTES));
  const hash = sha256(data);
  const good = await sendFile(wire, 0x5b0a_0001, data, hash);
  const ordered = good.acks.every((n, i) => n <= data.length && (i === 0 || n >= good.acks[i - 1]!));
  report.check('file.acks', ordered && good.acks.some((n) => n >= 512 * 1024 && n < data.length) && good.acks.at(-1) === data.length, 'a received file is acknowledged every 512 KiB and at the end, never past its size', `acks ${good.acks.join(', ') || 'none'} of ${data.length} bytes`);
  report.check('file.verified', good.done?.ok === true && good.done.sha256 === hash, 'the file is verified: file-done ok with the file\'s SHA-256', good.done ? `ok ${good.done.ok}, sha256 ${good.done.sha256.slice(0, 12)}...` : 'no file-done within 30 s');
  const small = new Uint8Array(randomBytes(1000));
  const bad = await sendFile(wire, 0x5b0a_0002, small, sha256(new Uint8Array(1000)));
  report.check('file.mismatch', bad.done?.ok === false && bad.done.sha256 === sha256(small), 'a file whose SHA-256 does not match is refused: file-done not ok, with the hash of what arrived', bad.done ? `ok ${bad.done.ok}` : 'no file-done within 30 s');
}

function finalChecks(wire: Wire, report: Report): void {
  const bad = wire.messages.items.flatMap(({ value }) => { const e = classify(value).error; return e ? [e] : []; });
  report.check('channel.valid', bad.length === 0, 'every message it sent on the channel is valid', bad.length ? `${bad.length}: ${bad.slice(0, 3).join('; ')}` : `${wire.messages.items.length} messages`);
  const wrong = wire.signals.items.flatMap(({ value }) => { const r = signalData.safeParse(value); return r.success ? [] : [`${excerpt(JSON.stringify(value), 80)}: ${r.error.issues[0]?.message}`]; });
  report.check('signal.valid', wrong.length === 0, 'every signal it sent matches the signal schema', wrong.length ? wrong.slice(0, 3).join('; ') : `${wire.signals.items.length} signals`);
  const eoc = wire.signals.items.some(({ value }) => isEnd(value));
  report.check('signal.end-of-candidates', eoc, 'it signals end-of-candidates (the empty candidate) when its gathering completes', eoc ? undefined : 'none seen');
  const closed = wire.states.filter((s) => s === 'channel:closed' || s === 'pc:closed' || s === 'pc:failed');
  report.check('channel.stays-open', closed.length === 0, 'the connection and its channel stay up through the checks', closed.length ? wire.states.join(' -> ') : undefined);
}

const isEnd = (d: SignalData) => 'type' in d && d.type === 'candidate' && d.candidate.candidate === '';
