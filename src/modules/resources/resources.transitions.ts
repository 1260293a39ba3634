import { ResourceStatus } from './resources.types';

/** A resource's life, written once: every status change goes through `canMoveResource`. */
export const RESOURCE_TRANSITIONS: Readonly<Record<ResourceStatus, readonly ResourceStatus[]>> = {
  [ResourceStatus.ACTIVE]: [ResourceStatus.PAUSED, ResourceStatus.CLOSED],
  [ResourceStatus.PAUSED]: [ResourceStatus.ACTIVE, ResourceStatus.CLOSED],
  [ResourceStatus.CLOSED]: [],
};

export function canMoveResource(from: ResourceStatus, to: ResourceStatus): boolean {
  return RESOURCE_TRANSITIONS[from].includes(to);
}
