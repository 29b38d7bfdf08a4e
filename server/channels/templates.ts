import type { ChannelLanguage } from '../contract/channels.ts';
import type { NoticeFacts } from './facts.ts';

/** One message as people read it: a title, a line or two naming order, work center, reason and minutes late, and a link into the console. */
export interface Message {
  title: string;
  text: string;
  link: string;
}

const andonReasons: Record<ChannelLanguage, Record<string, string>> = {
  'zh-CN': { material: '缺料', quality: '质量', breakdown: '设备故障', safety: '安全', other: '其他' },
  en: { material: 'material', quality: 'quality', breakdown: 'breakdown', safety: 'safety', other: 'other' },
};

const lateReasons: Record<ChannelLanguage, Record<string, string>> = {
  'zh-CN': { queued: '排队', waiting: '等待', down: '设备停机', held: '暂停', closed: '非工作时间', released: '未下达', work: '工时不足', overdue: '已过交期' },
  en: { queued: 'queued', waiting: 'waiting', down: 'machine down', held: 'held', closed: 'closed hours', released: 'not released', work: 'not enough time', overdue: 'already overdue' },
};

/** Plant time, short: "12-03 14:05". */
function plantTime(iso: string | null, timeZone: string): string {
  if (!iso) return '-';
  const parts = new Intl.DateTimeFormat('en-GB', { timeZone, month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).formatToParts(new Date(iso));
  const part = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
  return `${part('month')}-${part('day')} ${part('hour')}:${part('minute')}`;
}

function linkOf(f: NoticeFacts, publicUrl: string): string {
  if (f.kind.startsWith('andon.')) return `${publicUrl}/console/andon`;
  if (f.kind === 'material.shortage') return `${publicUrl}/console/purchasing`;
  return f.order ? `${publicUrl}/console/orders/${encodeURIComponent(f.order)}` : `${publicUrl}/console`;
}

function zh(f: NoticeFacts): Omit<Message, 'link'> {
  const reason = f.reason ? (andonReasons['zh-CN'][f.reason] ?? lateReasons['zh-CN'][f.reason] ?? f.reason) : '';
  const order = f.order ? `订单 ${f.order}` : '';
  const t = (iso: string | null) => plantTime(iso, f.timeZone);
  switch (f.kind) {
    case 'andon.raised':
      return { title: `安灯：${f.workCenter} ${reason}`, text: [order, `${f.notify ? `通知 ${f.notify}` : ''}`].filter(Boolean).join('，') || `${f.workCenter} ${reason}` };
    case 'andon.escalated':
      return { title: `安灯升级 ${f.level} 级：${f.workCenter} ${reason}`, text: [`已 ${f.minutesLate} 分钟未响应`, order, f.notify ? `通知 ${f.notify}` : ''].filter(Boolean).join('，') };
    case 'andon.resolved':
      return { title: `安灯解除：${f.workCenter} ${reason}`, text: [order, `历时 ${f.minutesLate} 分钟`].filter(Boolean).join('，') };
    case 'order.late':
      return { title: `订单延期：${f.order} 晚 ${f.minutesLate} 分钟`, text: `交期 ${t(f.dueAt)}，预计 ${t(f.eta)}${reason ? `，原因：${reason}` : ''}` };
    case 'order.eta_moved':
      return { title: `延期订单 ${f.order} 预计完工变动：晚 ${f.minutesLate} 分钟`, text: `交期 ${t(f.dueAt)}，预计 ${t(f.eta)}${reason ? `，原因：${reason}` : ''}` };
    case 'operation.late_start':
      return { title: `晚开工：${f.workCenter} 订单 ${f.order} 第 ${f.seq} 道`, text: `计划 ${t(f.eta)} 开工，已晚 ${f.minutesLate} 分钟` };
    case 'material.shortage':
      return { title: `缺料预警：${f.component} 缺 ${f.shortBy} ${f.unit}`, text: `${t(f.dueAt)} 需要${f.workCenter ? `，${f.workCenter}` : ''}${order ? `，${order}` : ''}` };
    case 'quote.confirmed':
      return { title: `报价已下单：订单 ${f.order}`, text: `${f.customers[0] ? `客户 ${f.customers[0]}，` : ''}数量 ${f.quantity}，承诺交期 ${t(f.dueAt)}` };
  }
}

function en(f: NoticeFacts): Omit<Message, 'link'> {
  const reason = f.reason ? (andonReasons.en[f.reason] ?? lateReasons.en[f.reason] ?? f.reason) : '';
  const order = f.order ? `order ${f.order}` : '';
  const t = (iso: string | null) => plantTime(iso, f.timeZone);
  switch (f.kind) {
    case 'andon.raised':
      return { title: `Andon: ${f.workCenter} ${reason}`, text: [order, f.notify ? `notify ${f.notify}` : ''].filter(Boolean).join(', ') || `${f.workCenter} ${reason}` };
    case 'andon.escalated':
      return { title: `Andon level ${f.level}: ${f.workCenter} ${reason}`, text: [`unanswered for ${f.minutesLate} min`, order, f.notify ? `notify ${f.notify}` : ''].filter(Boolean).join(', ') };
    case 'andon.resolved':
      return { title: `Andon resolved: ${f.workCenter} ${reason}`, text: [order, `took ${f.minutesLate} min`].filter(Boolean).join(', ') };
    case 'order.late':
      return { title: `Order ${f.order} late by ${f.minutesLate} min`, text: `due ${t(f.dueAt)}, ETA ${t(f.eta)}${reason ? `, reason: ${reason}` : ''}` };
    case 'order.eta_moved':
      return { title: `Late order ${f.order}: ETA moved, late by ${f.minutesLate} min`, text: `due ${t(f.dueAt)}, ETA ${t(f.eta)}${reason ? `, reason: ${reason}` : ''}` };
    case 'operation.late_start':
      return { title: `Late start: ${f.workCenter} order ${f.order} op ${f.seq}`, text: `planned ${t(f.eta)}, ${f.minutesLate} min late` };
    case 'material.shortage':
      return { title: `Shortage: ${f.component} short by ${f.shortBy} ${f.unit}`, text: `needed ${t(f.dueAt)}${f.workCenter ? `, ${f.workCenter}` : ''}${order ? `, ${order}` : ''}` };
    case 'quote.confirmed':
      return { title: `Quote ordered: order ${f.order}`, text: `${f.customers[0] ? `customer ${f.customers[0]}, ` : ''}quantity ${f.quantity}, promised ${t(f.dueAt)}` };
  }
}

export function messageOf(facts: NoticeFacts, language: ChannelLanguage, publicUrl: string): Message {
  return { ...(language === 'en' ? en(facts) : zh(facts)), link: linkOf(facts, publicUrl) };
}

/** The title of a digest: what the rate limit rolled into one message. */
export function digestTitle(count: number, language: ChannelLanguage): string {
  return language === 'en' ? `${count} notices` : `${count} 条通知`;
}

/** The message a channel test sends. */
export function testMessage(channel: string, language: ChannelLanguage, publicUrl: string): Message {
  return language === 'en'
    ? { title: `Takt test message`, text: `Channel ${channel} is connected.`, link: `${publicUrl}/console/channels` }
    : { title: `Takt 测试消息`, text: `通道 ${channel} 已接通。`, link: `${publicUrl}/console/channels` };
}
