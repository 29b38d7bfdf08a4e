import { locale } from '$lib/i18n/locale.svelte.ts';
import { api } from './endpoints.ts';

const ZONE_KEY = 'takt.plant-time-zone';

/**
 * Every screen shows plant time: once the caller's plant is known its time zone becomes the zone of
 * every formatted time. A failure keeps the browser's zone; the screen itself reports API errors.
 */
export async function adoptPlantTimeZone(): Promise<void> {
  // Offline after a reload the API cannot say; the zone this device last saw is the plant's.
  locale.timeZone ??= localStorage.getItem(ZONE_KEY) ?? undefined;
  try {
    const [plant] = await api.plants();
    if (plant) {
      locale.timeZone = plant.timeZone;
      localStorage.setItem(ZONE_KEY, plant.timeZone);
    }
  } catch {
    // not signed in yet, or offline: keep the zone remembered from the last time
  }
}
