import { createHmac, randomBytes } from 'node:crypto';

/**
 * Each platform's signature, exactly as its documentation gives it.
 *
 * DingTalk custom robot: sign = urlEncode(base64(HmacSHA256(key = secret, message = timestamp + "\n" + secret))),
 * timestamp in milliseconds; both added to the robot's URL as query parameters.
 */
export function dingTalkSignedUrl(url: string, secret: string, now: Date): string {
  const timestamp = String(now.getTime());
  const sign = createHmac('sha256', secret).update(`${timestamp}\n${secret}`).digest('base64');
  const signed = new URL(url);
  signed.searchParams.set('timestamp', timestamp);
  signed.searchParams.set('sign', sign);
  return signed.toString();
}

/**
 * Feishu / Lark custom bot: the string timestamp + "\n" + secret is the HMAC-SHA256 *key* over an
 * empty message; sign = base64 of that, timestamp in seconds; both go in the JSON body.
 */
export function feishuSignature(secret: string, now: Date): { timestamp: string; sign: string } {
  const timestamp = String(Math.floor(now.getTime() / 1000));
  const sign = createHmac('sha256', `${timestamp}\n${secret}`).update('').digest('base64');
  return { timestamp, sign };
}

/**
 * Standard Webhooks: webhook-signature = "v1," + base64(HMAC-SHA256(key = base64-decoded part of
 * whsec_..., message = id + "." + timestamp + "." + body)), timestamp in seconds.
 */
export function standardWebhookHeaders(secret: string, id: string, now: Date, body: string): Record<string, string> {
  const timestamp = String(Math.floor(now.getTime() / 1000));
  const key = Buffer.from(secret.slice('whsec_'.length), 'base64');
  const signature = createHmac('sha256', key).update(`${id}.${timestamp}.${body}`).digest('base64');
  return { 'webhook-id': id, 'webhook-timestamp': timestamp, 'webhook-signature': `v1,${signature}` };
}

/** A Standard Webhooks secret: whsec_ and base64 of 24 to 64 random bytes. */
export const WEBHOOK_SECRET = /^whsec_[A-Za-z0-9+/]{32,88}={0,2}$/;

export function newWebhookSecret(): string {
  return `whsec_${randomBytes(32).toString('base64')}`;
}
