import { page } from '$app/state';
import { afterNavigate, replaceState } from '$app/navigation';
import { resolve } from '$app/paths';
import { adoptScreenToken, type ScreenKind } from '$lib/auth/credentials.ts';
import { adoptPlantTimeZone } from '$lib/api/plant-time-zone.ts';
import { locale } from '$lib/i18n/locale.svelte.ts';

/**
 * What every floor screen does first (call it during component init): take the token from the URL
 * (or the remembered one) and honour `?lang=zh-CN|en`, so a TV configured once by URL never needs a
 * keyboard. After the first navigation (the router must be up) the token leaves the address bar;
 * it stays in localStorage for reloads.
 */
export function setUpScreen(kind: ScreenKind, url: URL): string | null {
  const lang = url.searchParams.get('lang');
  if (lang === 'zh-CN' || lang === 'en') locale.set(lang);
  const token = adoptScreenToken(kind, url);
  void adoptPlantTimeZone();
  if (url.searchParams.has('token')) {
    let done = false;
    afterNavigate(() => {
      if (done) return;
      done = true;
      const params = new URLSearchParams(page.url.search);
      params.delete('token');
      const search = params.size > 0 ? `?${params}` : '';
      // The current page's own path: a route that exists by construction.
      replaceState(resolve(`${page.url.pathname}${search}` as '/display/board'), page.state);
    });
  }
  return token;
}
