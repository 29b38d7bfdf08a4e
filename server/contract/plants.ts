import * as z from 'zod/mini';

/** PUT /plants/{code}: a new plant, or a new name or time zone for one. */
export const PlantBody = z.object({
  name: z.string().check(z.minLength(1), z.maxLength(120)),
  timeZone: z.string().check(z.minLength(1), z.maxLength(64)),
});
export type PlantBody = z.infer<typeof PlantBody>;

export const PlantView = z.object({ code: z.string(), name: z.string(), timeZone: z.string() });
export type PlantView = z.infer<typeof PlantView>;
