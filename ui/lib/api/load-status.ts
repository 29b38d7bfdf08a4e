import { ApiError } from './api-error.ts';

/** What a screen's state class says about its data besides the data: has it arrived, why did the last fetch fail. */
export interface LoadStatus {
  loaded: boolean;
  error: ApiError | null;
  /** When the data was last read whole (epoch ms), for a screen's data age: as fresh as this or the stream's last message. */
  fetchedAt?: number | null;
}

/**
 * Runs one fetch for a state class. On success the data is current: `loaded`, no error. On failure
 * the last data stays on screen and `error` says why. Never rejects, so a caller may `void` it.
 */
export async function loadInto(status: LoadStatus, fetch: () => Promise<void>): Promise<boolean> {
  try {
    await fetch();
    status.loaded = true;
    if ('fetchedAt' in status) status.fetchedAt = Date.now();
    status.error = null;
    return true;
  } catch (error) {
    status.error = ApiError.from(error);
    return false;
  }
}
