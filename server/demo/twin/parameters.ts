/**
 * The demo factory's stochastic behaviour, one object, so the digital twin (simulated clock) and the
 * wall-clock demo simulator tell the same story. Times are in factory minutes unless named hours/days.
 * The arrival rate is not a parameter: server/demo/twin/capacity.ts derives it from the routings, the
 * mix, the lot sizes, the calendar and `targetBottleneckLoad`.
 */
export const twinParameters = {
  /**
   * Relative order frequency per product. Uniform, the gear housings load the mills to the limit
   * while the fabrication line stands idle half the day; a real shop sells what its machines are
   * sized for. This mix (found by balancing the per-machine loads, then rounded) makes the paint line
   * the bottleneck with mills, drills and lathes at 75-85 % of it and no work center idle for long.
   */
  productMix: {
    'SHAFT-20': 1,
    'SHAFT-35': 0.5,
    'FLANGE-A': 2,
    'HOUSING-S': 0.5,
    'HOUSING-L': 0.25,
    BRACKET: 2,
    CABINET: 1.5,
    FRAME: 0.5,
    'PUMP-UNIT': 1.5,
    COVER: 2,
  } as Record<string, number>,

  /**
   * Load of the bottleneck (expected work content / available machine time, after breakdowns). The
   * bottleneck, not the average: the bottleneck's queue decides whether open orders stay bounded, and
   * with an unbalanced plant an 85 % average would mean a bottleneck above 100 % (orders pile up
   * forever). Above ~90 % queues explode under the noise below; under ~75 % the floor looks empty.
   */
  targetBottleneckLoad: 0.85,

  /** Orders already open when the twin starts (as the seed's sixty): the floor is busy from minute one. */
  openingOrders: 40,

  /**
   * Due dates. Most customers order 5-15 days out (calendar days), which the plant meets; a share is
   * tight (8-40 hours), and under queues at the bottleneck some of those end late, with reasons.
   */
  due: { daysMin: 5, daysMax: 15, tightShare: 0.15, tightHoursMin: 8, tightHoursMax: 40 },

  /**
   * Material for a regular order is bought when the order comes in and arrives 1-3 days later (its
   * release); tight orders are cut from stock and released at once. Without it every order would be
   * on the floor the hour it arrives and, at this rate (about 12 a day), only some 25 would be open:
   * flow time x arrival rate (Little's law). With it, about 45.
   */
  release: { materialDaysMin: 1, materialDaysMax: 3 },

  /**
   * Actual run minutes per unit = routing standard x log-normal noise of mean exactly 1
   * (mu = -sigma^2/2), so the routing stays the honest average and the load above holds.
   * Sigma per work center: automated cutting repeats well, manual welding, assembly and testing
   * (rework, fault finding) vary the most.
   */
  runNoiseSigma: {
    SAW: 0.08,
    LATHE: 0.12,
    MILL: 0.15,
    DRILL: 0.1,
    LASER: 0.06,
    BRAKE: 0.12,
    WELD: 0.25,
    PAINT: 0.1,
    DEBURR: 0.2,
    ASSY: 0.25,
    TEST: 0.3,
    PACK: 0.15,
  } as Record<string, number>,
  /** Setup noise: setups vary more than runs (finding the fixture, first-piece check). */
  setupNoiseSigma: 0.3,

  /**
   * Breakdowns of one machine: mean working hours between failures per work center and mean minutes
   * to repair, both exponential. CNC machines and the paint line fail about once a fortnight of
   * two-shift work and take a couple of hours; simple stations rarely and briefly. Availability stays
   * around 97-99 %, which the arrival rate accounts for.
   */
  breakdown: {
    SAW: { mtbfHours: 120, mttrMinutes: 45 },
    LATHE: { mtbfHours: 150, mttrMinutes: 120 },
    MILL: { mtbfHours: 150, mttrMinutes: 150 },
    DRILL: { mtbfHours: 200, mttrMinutes: 45 },
    LASER: { mtbfHours: 160, mttrMinutes: 120 },
    BRAKE: { mtbfHours: 200, mttrMinutes: 90 },
    WELD: { mtbfHours: 250, mttrMinutes: 40 },
    PAINT: { mtbfHours: 120, mttrMinutes: 90 },
    DEBURR: { mtbfHours: 300, mttrMinutes: 30 },
    ASSY: { mtbfHours: 400, mttrMinutes: 30 },
    TEST: { mtbfHours: 200, mttrMinutes: 60 },
    PACK: { mtbfHours: 400, mttrMinutes: 30 },
  } as Record<string, { mtbfHours: number; mttrMinutes: number }>,

  /**
   * Material shortage: a job about to start finds its material missing (3 % of starts); it is held
   * until the material comes, exponential with a mean of 3 hours, and the machine takes its next job.
   */
  material: { shortageShare: 0.03, meanDelayMinutes: 180 },

  /**
   * Quality stop: a running job is stopped for a first-piece or in-process deviation, about once per
   * 150 running hours of a job; it goes back to the queue held until quality releases it (mean 90 min).
   */
  quality: { meanRunningHoursBetween: 150, meanReleaseMinutes: 90 },

  /**
   * Simulated leads: they acknowledge an alert within minutes (exponential, mean 6) and give an
   * estimate when they raise it: the mean repair or delay of its kind, as a lead would from
   * experience. The truth (drawn above) is what ends it.
   */
  lead: { meanAcknowledgeMinutes: 6 },
} as const;

export type TwinParameters = typeof twinParameters;
