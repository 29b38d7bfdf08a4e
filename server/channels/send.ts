import nodemailer from 'nodemailer';
import type { ChannelKind, ChannelLanguage, SmtpSettings } from '../contract/channels.ts';
import { postOnce } from './http-post.ts';
import { guardedLookup, pinnedHost, refusedUrl } from './outbound-guard.ts';
import { dingTalkSignedUrl, feishuSignature, standardWebhookHeaders } from './signatures.ts';
import { digestTitle, type Message } from './templates.ts';

/** A channel as the sender needs it (secret included: this never leaves the server). */
export interface SendChannel {
  code: string;
  kind: ChannelKind;
  url: string | null;
  secret: string | null;
  smtp: SmtpSettings | null;
  recipients: string[];
  language: ChannelLanguage;
}

/** What goes out: one notice, or a digest of several; `type` and `data` are the webhook's event. */
export interface Outgoing {
  id: string;
  type: string;
  messages: Message[];
  data: unknown;
}

export interface Outcome {
  ok: boolean;
  status: number | null;
  error: string | null;
  latencyMs: number;
  /** The receiver's Retry-After, in ms. */
  retryAfterMs: number | null;
  /** 410 Gone: the endpoint is no more; the channel is disabled. */
  gone: boolean;
}

export interface SendDeps {
  now: Date;
  allowLoopback: boolean;
  timeoutMs?: number;
}

const TIMEOUT_MS = 10_000;

/** The message body of a robot platform: markdown (WeCom, DingTalk) or plain text (Feishu). */
export function robotText(kind: ChannelKind, language: ChannelLanguage, messages: Message[]): string {
  const more = language === 'en' ? 'Open' : '查看';
  if (kind === 'feishu' || kind === 'email') {
    const lines = messages.map((m) => `${m.title}\n${m.text}\n${m.link}`);
    return messages.length === 1 ? lines[0]! : `${digestTitle(messages.length, language)}\n\n${lines.join('\n\n')}`;
  }
  const item = (m: Message) => `**${m.title}**\n${m.text} [${more}](${m.link})`;
  return messages.length === 1 ? item(messages[0]!) : `**${digestTitle(messages.length, language)}**\n\n${messages.map((m) => `> ${item(m).replaceAll('\n', '\n> ')}`).join('\n\n')}`;
}

function titleOf(language: ChannelLanguage, messages: Message[]): string {
  return messages.length === 1 ? messages[0]!.title : digestTitle(messages.length, language);
}

/** The request body a channel's platform documents, as sent (its byte length is what the limit counts). */
export function requestBody(channel: SendChannel, out: Outgoing, now: Date): string {
  const text = robotText(channel.kind, channel.language, out.messages);
  switch (channel.kind) {
    case 'wecom':
      return JSON.stringify({ msgtype: 'markdown', markdown: { content: text } });
    case 'dingtalk':
      return JSON.stringify({ msgtype: 'markdown', markdown: { title: titleOf(channel.language, out.messages), text } });
    case 'feishu':
      return JSON.stringify({ ...(channel.secret ? feishuSignature(channel.secret, now) : {}), msg_type: 'text', content: { text } });
    case 'webhook':
      return JSON.stringify({ type: out.type, timestamp: now.toISOString(), data: out.data });
    case 'email':
      return text;
  }
}

/** The bytes a platform limits: WeCom's 4096 counts the markdown content. */
export function limitedBytes(channel: SendChannel, messages: Message[]): number {
  return Buffer.byteLength(robotText(channel.kind, channel.language, messages));
}

function retryAfterMs(header: string | null, now: Date): number | null {
  if (!header) return null;
  if (/^\d+$/.test(header.trim())) return Number(header.trim()) * 1000;
  const at = Date.parse(header);
  return Number.isFinite(at) ? Math.max(0, at - now.getTime()) : null;
}

/** The robots answer 200 with an error code of their own when they refuse (bad signature, rate limit). */
function platformError(kind: ChannelKind, text: string): string | null {
  if (kind !== 'wecom' && kind !== 'dingtalk' && kind !== 'feishu') return null;
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return null;
  }
  if (typeof parsed !== 'object' || parsed === null) return null;
  const p = parsed as Record<string, unknown>;
  const code = kind === 'feishu' ? (p.code ?? p.StatusCode) : p.errcode;
  if (code === undefined || code === 0) return null;
  return `${String(code)}: ${String(p.errmsg ?? p.msg ?? p.StatusMessage ?? '')}`.slice(0, 300);
}

/** Sends one outgoing message; never throws (a failure is an outcome, recorded as an attempt). */
export async function send(channel: SendChannel, out: Outgoing, deps: SendDeps): Promise<Outcome> {
  const started = performance.now();
  const failed = (error: string, status: number | null = null): Outcome => ({ ok: false, status, error, latencyMs: Math.round(performance.now() - started), retryAfterMs: null, gone: false });
  if (channel.kind === 'email') return await sendMail(channel, out, deps, started);
  if (!channel.url) return failed('no url');
  const refused = await refusedUrl(channel.url, deps.allowLoopback);
  if (refused) return failed(`url refused: ${refused}`);
  const body = requestBody(channel, out, deps.now);
  let url = channel.url;
  const headers: Record<string, string> = { 'content-type': 'application/json', 'user-agent': 'Takt' };
  if (channel.kind === 'dingtalk' && channel.secret) url = dingTalkSignedUrl(url, channel.secret, deps.now);
  if (channel.kind === 'webhook' && channel.secret) Object.assign(headers, standardWebhookHeaders(channel.secret, out.id, deps.now, body));
  try {
    // Redirects are not followed (the next address would escape the check); the socket's own lookup
    // checks the address it connects to, so a name re-pointed at loopback since the check is refused too.
    const timeoutMs = deps.timeoutMs ?? TIMEOUT_MS;
    const answer = await postOnce(url, headers, body, { timeoutMs, lookup: guardedLookup(deps.allowLoopback), maxChars: 2000 });
    const { status, text } = answer;
    const latencyMs = Math.round(performance.now() - started);
    if (status >= 200 && status < 300) {
      const refusal = platformError(channel.kind, text);
      return { ok: refusal === null, status, error: refusal, latencyMs, retryAfterMs: null, gone: false };
    }
    return { ok: false, status, error: `HTTP ${status}${text ? `: ${text.slice(0, 200)}` : ''}`, latencyMs, retryAfterMs: retryAfterMs(answer.retryAfter, deps.now), gone: status === 410 };
  } catch (e) {
    const error = e instanceof Error ? `${e.message}${e.cause instanceof Error ? `: ${e.cause.message}` : ''}` : String(e);
    return failed(error);
  }
}

async function sendMail(channel: SendChannel, out: Outgoing, deps: SendDeps, started: number): Promise<Outcome> {
  const latencyMs = () => Math.round(performance.now() - started);
  const smtp = channel.smtp;
  if (!smtp || channel.recipients.length === 0) return { ok: false, status: null, error: 'no smtp settings or recipients', latencyMs: latencyMs(), retryAfterMs: null, gone: false };
  // Resolved and checked once, then connected to that very address (TLS still verifies the name).
  const pinned = await pinnedHost(smtp.host, deps.allowLoopback);
  if (pinned.refused !== null) return { ok: false, status: null, error: `smtp host refused: ${pinned.refused}`, latencyMs: latencyMs(), retryAfterMs: null, gone: false };
  const timeout = deps.timeoutMs ?? TIMEOUT_MS;
  const transport = nodemailer.createTransport({
    host: pinned.address,
    // The name TLS verifies the certificate against (and sends as SNI, which an IP may not be).
    ...(pinned.name !== null ? { servername: pinned.name } : {}),
    port: smtp.port,
    secure: smtp.secure,
    requireTLS: !smtp.secure && smtp.requireTls,
    auth: smtp.user ? { user: smtp.user, pass: channel.secret ?? '' } : undefined,
    tls: { rejectUnauthorized: !smtp.allowSelfSigned },
    connectionTimeout: timeout,
    greetingTimeout: timeout,
    socketTimeout: timeout,
  });
  try {
    const info = await transport.sendMail({
      from: smtp.from,
      to: channel.recipients,
      subject: titleOf(channel.language, out.messages),
      text: robotText('email', channel.language, out.messages),
      messageId: `<${out.id}@takt>`,
    });
    const code = /^(\d{3})/.exec(info.response)?.[1];
    return { ok: true, status: code ? Number(code) : null, error: null, latencyMs: latencyMs(), retryAfterMs: null, gone: false };
  } catch (e) {
    const err = e as { responseCode?: number; message?: string };
    return { ok: false, status: err.responseCode ?? null, error: err.message ?? String(e), latencyMs: latencyMs(), retryAfterMs: null, gone: false };
  } finally {
    transport.close();
  }
}
