/** Reason codes the station offers; sent as-is (`scrapReason`, `pauseReason`), labelled via i18n. */
export const scrapReasons = ['dimension', 'surface', 'material', 'setup', 'damage', 'other'] as const;
export type ScrapReason = (typeof scrapReasons)[number];

export const pauseReasons = ['break', 'material', 'changeover', 'maintenance', 'shiftEnd', 'other'] as const;
export type PauseReason = (typeof pauseReasons)[number];

export type LeadAction = 'acknowledge' | 'resolve' | 'cancel';
