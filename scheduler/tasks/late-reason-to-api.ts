import type { LateReason as ApiLateReason } from '../../server/contract/schedule.ts';
import type { LateReason } from '../engine/model.ts';

const iso = (instant: number) => new Date(instant).toISOString();

/** The engine speaks epoch milliseconds; the API speaks ISO instants. The one bridge between the two types. */
export function lateReasonToApi(reason: LateReason): ApiLateReason {
  switch (reason.kind) {
    case 'queued':
    case 'waiting':
    case 'work':
      return reason;
    case 'down':
    case 'held':
    case 'closed':
      return { ...reason, until: iso(reason.until) };
    case 'released':
      return { ...reason, at: iso(reason.at) };
    case 'overdue':
      return { ...reason, dueAt: iso(reason.dueAt) };
    default: {
      // A kind added to the engine must be added to the contract and here.
      const unknown: never = reason;
      throw new Error(`late reason without an API form: ${JSON.stringify(unknown)}`);
    }
  }
}
