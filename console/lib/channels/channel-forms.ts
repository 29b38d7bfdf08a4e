import type { ChannelBody, ChannelKind, ChannelLanguage, ChannelView, SubscribableKind, SubscriptionBody, SubscriptionView } from '$contract/channels.ts';
import type { NotificationAudience } from '$contract/notifications.ts';
import { defaultSubscriptions } from '$contract/channels.ts';
import type * as z from 'zod/mini';

/** What the channel editor holds: text fields as typed; the secret blank means "keep the stored one". */
export interface ChannelDraft {
  code: string;
  kind: ChannelKind;
  url: string;
  secret: string;
  clearSecret: boolean;
  smtpHost: string;
  smtpPort: number;
  smtpUser: string;
  smtpFrom: string;
  smtpRequireTls: boolean;
  smtpAllowSelfSigned: boolean;
  to: string;
  language: ChannelLanguage;
  enabled: boolean;
}

export function newChannelDraft(): ChannelDraft {
  return { code: '', kind: 'wecom', url: '', secret: '', clearSecret: false, smtpHost: '', smtpPort: 587, smtpUser: '', smtpFrom: '', smtpRequireTls: true, smtpAllowSelfSigned: false, to: '', language: 'zh-CN', enabled: true };
}

/** The editor opened on a stored channel: never its secret (the API does not give it). */
export function draftOf(c: ChannelView): ChannelDraft {
  return {
    ...newChannelDraft(),
    code: c.code,
    kind: c.kind,
    url: c.url ?? '',
    smtpHost: c.smtp?.host ?? '',
    smtpPort: c.smtp?.port ?? 587,
    smtpUser: c.smtp?.user ?? '',
    smtpFrom: c.smtp?.from ?? '',
    smtpRequireTls: c.smtp?.requireTls ?? true,
    smtpAllowSelfSigned: c.smtp?.allowSelfSigned ?? false,
    to: c.to.join(', '),
    language: c.language,
    enabled: c.enabled,
  };
}

/** Comma, semicolon, space or newline separated, blanks dropped. */
export const listOf = (text: string) => text.split(/[\s,;，；]+/).filter((s) => s !== '');

/** The PUT body: only the fields the kind takes; a blank secret is left out so the stored one is kept. */
export function channelBodyOf(d: ChannelDraft): z.input<typeof ChannelBody> {
  const secret = d.clearSecret ? { secret: null } : d.secret.trim() ? { secret: d.secret.trim() } : {};
  const common = { kind: d.kind, language: d.language, enabled: d.enabled };
  if (d.kind === 'email') {
    return {
      ...common,
      ...secret,
      smtp: { host: d.smtpHost.trim(), port: Number(d.smtpPort), requireTls: d.smtpRequireTls, allowSelfSigned: d.smtpAllowSelfSigned, from: d.smtpFrom.trim(), ...(d.smtpUser.trim() ? { user: d.smtpUser.trim() } : {}) },
      to: listOf(d.to),
    };
  }
  return { ...common, url: d.url.trim(), ...(d.kind === 'wecom' ? {} : secret) };
}

export interface SubscriptionDraft {
  code: string;
  channel: string;
  kinds: SubscribableKind[];
  lines: string;
  workCenters: string;
  customers: string;
  departments: NotificationAudience[];
  /** Blank: any. */
  minMinutesLate: string;
  /** E-mail channels: this subscription's own sender and recipients (blank: the channel's). */
  from: string;
  to: string;
  enabled: boolean;
}

export type DepartmentPreset = keyof typeof defaultSubscriptions;
export const departmentPresets = Object.keys(defaultSubscriptions) as DepartmentPreset[];

/** A department's subscription out of the box, attached to a channel: the code says whose it is. */
export function presetDraft(department: DepartmentPreset, channel: string): SubscriptionDraft {
  const preset = defaultSubscriptions[department];
  return {
    code: `${channel}-${department}`.toUpperCase(),
    channel,
    kinds: [...preset.kinds],
    lines: (preset.filter.lines ?? []).join(', '),
    workCenters: (preset.filter.workCenters ?? []).join(', '),
    customers: (preset.filter.customers ?? []).join(', '),
    departments: [...(preset.filter.departments ?? [])],
    minMinutesLate: preset.filter.minMinutesLate === undefined ? '' : String(preset.filter.minMinutesLate),
    from: '',
    to: '',
    enabled: true,
  };
}

export function subscriptionDraftOf(s: SubscriptionView): SubscriptionDraft {
  return {
    code: s.code,
    channel: s.channel,
    kinds: [...s.kinds],
    lines: (s.filter.lines ?? []).join(', '),
    workCenters: (s.filter.workCenters ?? []).join(', '),
    customers: (s.filter.customers ?? []).join(', '),
    departments: [...(s.filter.departments ?? [])],
    minMinutesLate: s.filter.minMinutesLate === undefined ? '' : String(s.filter.minMinutesLate),
    from: s.from ?? '',
    to: (s.to ?? []).join(', '),
    enabled: s.enabled,
  };
}

/** The PUT body: empty lists are left out (they filter nothing); customers may hold spaces, so only commas split them. */
export function subscriptionBodyOf(d: SubscriptionDraft): z.input<typeof SubscriptionBody> {
  const lines = listOf(d.lines);
  const workCenters = listOf(d.workCenters);
  const customers = d.customers.split(/[,;，；\n]+/).map((c) => c.trim()).filter((c) => c !== '');
  const minutes = d.minMinutesLate.trim();
  const to = listOf(d.to);
  return {
    channel: d.channel,
    kinds: d.kinds,
    enabled: d.enabled,
    ...(d.from.trim() ? { from: d.from.trim() } : {}),
    ...(to.length ? { to } : {}),
    filter: {
      ...(lines.length ? { lines } : {}),
      ...(workCenters.length ? { workCenters } : {}),
      ...(customers.length ? { customers } : {}),
      ...(d.departments.length ? { departments: d.departments } : {}),
      ...(minutes !== '' ? { minMinutesLate: Number(minutes) } : {}),
    },
  };
}
