import { locale } from './locale.svelte.ts';

/** A stock quantity with its unit, at most three decimals: "12.5 m", "1,200 pcs". */
export function formatQuantity(value: number, unit: string): string {
  const number = value.toLocaleString(locale.current, { maximumFractionDigits: 3 });
  return unit ? `${number} ${unit}` : number;
}
