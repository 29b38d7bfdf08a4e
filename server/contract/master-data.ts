import * as z from 'zod/mini';
import { Code, Minutes } from './common.ts';
import { BomLineBody } from './materials.ts';

const HourMinute = z.string().check(z.regex(/^([01]\d|2[0-3]):[0-5]\d$/));
const LocalDateTime = z.string().check(z.regex(/^\d{4}-\d{2}-\d{2}T([01]\d|2[0-3]):[0-5]\d$/));

export const WeeklyShiftBody = z.object({
  weekday: z.int().check(z.gte(1), z.lte(7)),
  start: HourMinute,
  end: HourMinute,
});

export const CalendarExceptionBody = z.object({
  from: LocalDateTime,
  to: LocalDateTime,
  working: z.boolean(),
  note: z.optional(z.string().check(z.maxLength(200))),
});

export const CalendarBody = z.object({
  name: z.optional(z.string().check(z.maxLength(120))),
  timeZone: z.string().check(z.minLength(1), z.maxLength(64)),
  shifts: z.array(WeeklyShiftBody).check(z.maxLength(100)),
  exceptions: z._default(z.array(CalendarExceptionBody).check(z.maxLength(1000)), []),
});
export type CalendarBody = z.infer<typeof CalendarBody>;
/** A calendar as the API returns it: the name defaults to the code. */
export const Calendar = z.object({ ...CalendarBody.shape, code: z.string(), name: z.string() });
export type Calendar = z.infer<typeof Calendar>;

export const DEFAULT_LATE_START_MINUTES = 15;

export const SetupMatrixEntryBody = z.object({ from: Code, to: Code, minutes: Minutes });

export const WorkCenterBody = z.object({
  name: z.string().check(z.minLength(1), z.maxLength(120)),
  line: z.string().check(z.minLength(1), z.maxLength(64)),
  machines: z.int().check(z.gte(1), z.lte(100)),
  calendar: Code,
  setupMatrix: z._default(z.array(SetupMatrixEntryBody).check(z.maxLength(400)), []),
  /** The kanban's limit on jobs at the work center (running plus queued); absent or null: none. */
  wipLimit: z.optional(z.nullable(z.int().check(z.gte(1), z.lte(1000)))),
  /** A not-started operation is told late this many minutes after its planned start; absent: 15. */
  lateStartMinutes: z.optional(z.int().check(z.gte(1), z.lte(1440))),
});
export type WorkCenterBody = z.infer<typeof WorkCenterBody>;
/** A work center as the API returns it: no WIP limit is null. */
export const WorkCenter = z.object({ ...WorkCenterBody.shape, code: z.string(), wipLimit: z.nullable(z.number()), lateStartMinutes: z.number() });
export type WorkCenter = z.infer<typeof WorkCenter>;

export const RoutingStepBody = z.object({
  seq: z.int().check(z.gte(1), z.lte(100)),
  workCenter: Code,
  setupMinutes: Minutes,
  runMinutesPerUnit: z.number().check(z.gt(0), z.lte(10_000)),
  minTransferMinutes: z._default(Minutes, 0),
  description: z.optional(z.string().check(z.maxLength(200))),
});

export const ProductBody = z.object({
  name: z.string().check(z.minLength(1), z.maxLength(120)),
  family: z.optional(Code),
  routing: z.array(RoutingStepBody).check(z.minLength(1), z.maxLength(100)),
  /** The bill of materials; absent: the product keeps the one it has. */
  bom: z.optional(z.array(BomLineBody).check(z.maxLength(500))),
});
export type ProductBody = z.infer<typeof ProductBody>;
/** A product as the API returns it: an absent family or step description is null. */
export const Product = z.object({
  ...ProductBody.shape,
  code: z.string(),
  family: z.nullable(z.string()),
  routing: z.array(z.object({ ...RoutingStepBody.shape, description: z.nullable(z.string()) })),
  bom: z.array(BomLineBody),
});
export type Product = z.infer<typeof Product>;
