import { locale } from '$lib/i18n/locale.svelte.ts';
import { api } from './endpoints.ts';

/**
 * Every screen shows plant time: once the caller's plant is known its time zone becomes the zone of
 * every formatted time. A failure keeps the browser's zone; the screen itself reports API errors.
 */
export async function adoptPlantTimeZone(): Promise<void> {
  try {
    const [plant] = await api.plants();
    if (plant) locale.timeZone = plant.timeZone;
  } catch {
    // not signed in yet, or offline: try again on the next screen set-up
  }
}
