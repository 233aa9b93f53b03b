/**
 * Runtime validation of every client -> server payload. Schemas are strict: unknown keys are
 * rejected, so a typo in a client shows as `bad-request` instead of being silently ignored.
 */
import { z } from 'zod';
export declare const ROOM_PATTERN: RegExp;
export declare const roomName: z.ZodString;
export declare const PEER_ID_PATTERN: RegExp;
export declare const peerId: z.ZodString;
/** Display names: at most 64 characters, no control characters. */
export declare const displayName: z.ZodString;
export declare const joinRequest: z.ZodObject<{
    room: z.ZodString;
    name: z.ZodOptional<z.ZodString>;
    token: z.ZodOptional<z.ZodString>;
    resume: z.ZodOptional<z.ZodObject<{
        peerId: z.ZodString;
        key: z.ZodString;
    }, z.core.$strict>>;
}, z.core.$strict>;
/** Bounds of an ICE candidate's fields (also read by the hot-path pre-check, fast-candidate.ts). */
export declare const CANDIDATE_MAX: {
    readonly candidate: 1024;
    readonly sdpMid: 64;
    readonly sdpMLineIndex: 1024;
    readonly usernameFragment: 256;
};
/**
 * What `signal.data` may carry: exactly the messages simple-peer (and any plain RTCPeerConnection
 * client) exchanges. Anything else is `bad-request`.
 */
export declare const signalData: z.ZodUnion<readonly [z.ZodObject<{
    type: z.ZodEnum<{
        offer: "offer";
        answer: "answer";
        pranswer: "pranswer";
        rollback: "rollback";
    }>;
    sdp: z.ZodOptional<z.ZodString>;
}, z.core.$strict>, z.ZodObject<{
    type: z.ZodLiteral<"candidate">;
    candidate: z.ZodObject<{
        candidate: z.ZodString;
        sdpMid: z.ZodOptional<z.ZodNullable<z.ZodString>>;
        sdpMLineIndex: z.ZodOptional<z.ZodNullable<z.ZodNumber>>;
        usernameFragment: z.ZodOptional<z.ZodNullable<z.ZodString>>;
    }, z.core.$strict>;
}, z.core.$strict>, z.ZodObject<{
    type: z.ZodOptional<z.ZodLiteral<"renegotiate">>;
    renegotiate: z.ZodLiteral<true>;
}, z.core.$strict>, z.ZodObject<{
    type: z.ZodOptional<z.ZodLiteral<"transceiverRequest">>;
    transceiverRequest: z.ZodObject<{
        kind: z.ZodEnum<{
            audio: "audio";
            video: "video";
        }>;
        init: z.ZodOptional<z.ZodObject<{
            direction: z.ZodOptional<z.ZodEnum<{
                sendrecv: "sendrecv";
                sendonly: "sendonly";
                recvonly: "recvonly";
                inactive: "inactive";
            }>>;
        }, z.core.$strict>>;
    }, z.core.$strict>;
}, z.core.$strict>]>;
export declare const signalRequest: z.ZodObject<{
    to: z.ZodString;
    data: z.ZodCustom<{
        type: "offer" | "answer" | "pranswer" | "rollback";
        sdp?: string | undefined;
    } | {
        type: "candidate";
        candidate: {
            candidate: string;
            sdpMid?: string | null | undefined;
            sdpMLineIndex?: number | null | undefined;
            usernameFragment?: string | null | undefined;
        };
    } | {
        renegotiate: true;
        type?: "renegotiate" | undefined;
    } | {
        transceiverRequest: {
            kind: "audio" | "video";
            init?: {
                direction?: "sendrecv" | "sendonly" | "recvonly" | "inactive" | undefined;
            } | undefined;
        };
        type?: "transceiverRequest" | undefined;
    }, {
        type: "offer" | "answer" | "pranswer" | "rollback";
        sdp?: string | undefined;
    } | {
        type: "candidate";
        candidate: {
            candidate: string;
            sdpMid?: string | null | undefined;
            sdpMLineIndex?: number | null | undefined;
            usernameFragment?: string | null | undefined;
        };
    } | {
        renegotiate: true;
        type?: "renegotiate" | undefined;
    } | {
        transceiverRequest: {
            kind: "audio" | "video";
            init?: {
                direction?: "sendrecv" | "sendonly" | "recvonly" | "inactive" | undefined;
            } | undefined;
        };
        type?: "transceiverRequest" | undefined;
    }>;
}, z.core.$strict>;
/** `leave` and `ice-servers` carry no payload (or an empty object). */
export declare const emptyRequest: z.ZodUnion<readonly [z.ZodUndefined, z.ZodNull, z.ZodObject<{}, z.core.$strict>]>;
export type JoinRequest = z.infer<typeof joinRequest>;
export type SignalData = z.infer<typeof signalData>;
export type SignalRequest = z.infer<typeof signalRequest>;
