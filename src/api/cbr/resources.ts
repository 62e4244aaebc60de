import * as z from 'zod/mini';
import { RESOURCE_TYPES, RESOURCE_TYPES_BY_OBJECT_TYPE } from './catalog';
import { ApiError, CBR_ERRORS } from '../errors';
import { array, object, required, string } from '../table';

/** The most resources one call takes (4.5.7 resources, 4.5.14 resources: "Array Length: 1 - 256"). */
export const MAX_RESOURCES_PER_CALL = 256;

/** Tables 4-155/4-223 ResourceCreate and 4-156/4-224 ResourceExtraInfo. */
export const RESOURCE_CREATE = object({
  extra_info: object({ exclude_volumes: array(string()) }),
  id: required(string()),
  type: required(string({ enum: RESOURCE_TYPES })),
  name: string({ min: 0, max: 255 }),
});
export type ResourceCreate = z.input<typeof RESOURCE_CREATE>;

/** 6102 when a resource type does not fit the vault's object type (only for the mapped object types). */
export function checkResourceTypes(inputs: readonly ResourceCreate[], objectType: string, path: string): void {
  const allowed = RESOURCE_TYPES_BY_OBJECT_TYPE[objectType];
  if (!allowed) return;
  inputs.forEach((r, i) => {
    if (!allowed.includes(r.type)) {
      throw new ApiError(CBR_ERRORS.RESOURCE_TYPE_NOT_SUPPORTED,
        `${path}[${i}].type ${JSON.stringify(r.type)} cannot be held by a vault of object_type ${JSON.stringify(objectType)}.`);
    }
  });
}

/** Table 4-222 (4.5.7): `{ resources: [ResourceCreate] }`, 1 to 256. */
export const ADD_RESOURCES = object({
  resources: required(array(RESOURCE_CREATE, { min: 1, max: MAX_RESOURCES_PER_CALL, code: CBR_ERRORS.MAX_VAULT_RESOURCES })),
});

/** resource_ids of Tables 4-218 (1 to 256), 4-248 and 4-256 (no length given: the same). */
const RESOURCE_IDS = required(array(string({ min: 1 }), { min: 1, max: MAX_RESOURCES_PER_CALL }));

/** Table 4-218 (4.5.6): `{ resource_ids: [string] }`, 1 to 256. */
export const REMOVE_RESOURCES = object({ resource_ids: RESOURCE_IDS });

/** Table 4-248 (4.5.11). */
export const MIGRATE_RESOURCES = object({ destination_vault_id: required(string({ min: 1 })), resource_ids: RESOURCE_IDS });

/** Table 4-256 (4.5.13). */
export const SET_RESOURCES = object({ resource_ids: RESOURCE_IDS, action: required(string({ enum: ['suspend', 'unsuspend'] })) });
