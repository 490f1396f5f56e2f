/** Messages between the chaos run and its remote system (a child process). */

export type RemoteMode = { mode: 'normal' } | { mode: 'slow'; delayMs: number } | { mode: 'refuse' };

export interface ReceivedRequest {
  path: string;
  /** The Idempotency-Key header the bus sent. */
  key: string;
  /** The message it is about: `ref` of a delivered message, `messageId` of a callback body. */
  ref: string;
  at: number;
  /** False when the connection went away before the answer was written (the caller never saw it). */
  answered: boolean;
}

export type RemoteCommand = { id: number } & ({ type: 'mode'; set: RemoteMode } | { type: 'report' } | { type: 'reset' });

export type RemoteReply =
  | { type: 'ready'; port: number }
  | { type: 'ok'; id: number }
  | { type: 'report'; id: number; requests: ReceivedRequest[]; inFlight: number };
