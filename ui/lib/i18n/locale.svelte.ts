import { en, zhCN, type MessageKey } from './messages.ts';

export const locales = ['zh-CN', 'en'] as const;
export type Locale = (typeof locales)[number];

const STORAGE_KEY = 'takt.locale';
const dictionaries: Record<Locale, Record<MessageKey, string>> = { 'zh-CN': zhCN, en };

function detect(): Locale {
  if (typeof localStorage !== 'undefined') {
    const saved = localStorage.getItem(STORAGE_KEY);
    if (saved === 'zh-CN' || saved === 'en') return saved;
  }
  const language = typeof navigator === 'undefined' ? 'en' : navigator.language;
  return language.toLowerCase().startsWith('zh') ? 'zh-CN' : 'en';
}

class LocaleState {
  current = $state<Locale>(detect());
  /** The plant's IANA time zone once known: every time on every screen is plant time, so a
   *  planner abroad and the TV on the floor show the same 14:20. Undefined: the browser's zone. */
  timeZone = $state<string | undefined>(undefined);

  set(locale: Locale): void {
    this.current = locale;
    localStorage.setItem(STORAGE_KEY, locale);
    document.documentElement.lang = locale;
  }
}

export const locale = new LocaleState();

export type MessageParams = Record<string, string | number>;

/** Looks up a string in the current locale; reading `locale.current` makes templates re-render on switch. */
export function t(key: MessageKey, params?: MessageParams): string {
  const text = dictionaries[locale.current][key];
  if (!params) return text;
  return text.replace(/\{(\w+)\}/g, (whole, name: string) => (name in params ? String(params[name]) : whole));
}
