/** Tests check plans with the engine's independent rule checks (scheduler/engine/constraints.ts). */
export { hardViolations as planViolations } from '../../scheduler/engine/constraints.ts';
