import type { SubscriptionFilter, SubscribableKind } from '../contract/channels.ts';
import { inWholeFeed } from '../contract/notifications.ts';
import type { NoticeFacts } from './facts.ts';

const meets = (wanted: readonly string[] | undefined, actual: readonly string[]) => !wanted?.length || wanted.some((w) => actual.includes(w));

/**
 * Whether a subscription picks a notice. A filter on a fact the notice does not carry (minutes late of
 * a shortage) does not pick it: a manager asking for "15 minutes late or more" wants nothing else.
 * Without a department filter an andon is told once, as the floor's (QC's copy of a quality alert is
 * the same alert), the whole feed's rule.
 */
export function subscriptionPicks(subscription: { kinds: readonly SubscribableKind[]; filter: SubscriptionFilter }, facts: NoticeFacts): boolean {
  const { kinds, filter } = subscription;
  if (!kinds.includes(facts.kind)) return false;
  if (filter.departments?.length) {
    if (!filter.departments.includes(facts.department)) return false;
  } else if (!inWholeFeed({ kind: facts.kind, audience: facts.department })) return false;
  if (!meets(filter.lines, facts.lines) || !meets(filter.workCenters, facts.workCenters) || !meets(filter.customers, facts.customers)) return false;
  if (filter.minMinutesLate !== undefined && (facts.minutesLate === null || facts.minutesLate < filter.minMinutesLate)) return false;
  return true;
}
