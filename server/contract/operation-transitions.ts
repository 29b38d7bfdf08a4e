import type { FloorEventType } from './floor-events.ts';

export const operationStatuses = ['pending', 'running', 'paused', 'completed'] as const;
export type OperationStatus = (typeof operationStatuses)[number];

/**
 * The operation state machine, the only one: which statuses each floor event may start from and
 * where it leads. The server refuses anything else with 409; the station enables exactly the
 * buttons this table allows, so a press the server would refuse is never offered.
 */
export const operationTransitions: Record<FloorEventType, { from: readonly OperationStatus[]; to: (current: OperationStatus) => OperationStatus }> = {
  'operation.started': { from: ['pending', 'paused'], to: () => 'running' },
  'operation.progress': { from: ['pending', 'running', 'paused'], to: (s) => (s === 'pending' ? 'running' : s) },
  'operation.paused': { from: ['running'], to: () => 'paused' },
  'operation.completed': { from: ['pending', 'running', 'paused'], to: () => 'completed' },
};

/** May `event` be applied to an operation in `status`? */
export function canApply(event: FloorEventType, status: OperationStatus): boolean {
  return operationTransitions[event].from.includes(status);
}
