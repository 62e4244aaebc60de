import { randomUUID } from 'node:crypto';
import { apiTimestamp, RequestContext, Route } from './context';
import { userIdOf } from './credentials';
import { prepareResources } from './resources';
import type { OrderRecord, Store } from './store';
import { buildVault, checkBackupPolicy, orderId, productId } from './vaults';
import { ORDER_VAULT } from '../api/cbr/vaults';
import { ApiError } from '../api/errors';
import { isAbsent, validateRequest } from '../api/table';

/**
 * 4.5.14 Creating a Yearly/Monthly Vault (`POST /v3/{project_id}/vaults/order`), per the web copy
 * of the section (seed 003) and 4.5.14 of the reference.
 *
 * The call places an order and answers at once with its CbcOrderResult (orderId and the
 * pre-generated vault id, resourceId); the vault appears when the order completes, a short while
 * later (`orderDelayMs`, 200 ms by default), as the billing center's payment would make it.
 * Until then its resources are taken (6103 for anyone else), and GET on the vault id answers 6105.
 *
 * Decisions where the document is silent or contradicts itself:
 * - billing.charging_mode must be pre_paid: the API exists to create yearly/monthly vaults (both
 *   examples set it), although BillingCreate's own default is post_paid. 9900 otherwise.
 * - Table 4-270 types error_code as String ("0"), the example shows a number (0); the SDK's
 *   response model has a string, so "0" is sent.
 * - The 004 copy's second example sends bind_rules as an array; the table (4-261 / Table 9 of 003)
 *   makes it a VaultBindRules object, which is what is accepted.
 * - combined_order_ecs_num says "Maximum ECSs allowed in the current batch: 500" but "Maximum:
 *   1000"; the table's 1 - 1000 is enforced.
 * - name is optional here (unlike 4.5.1); a vault ordered without one is named `vault-<first 8 of its id>`.
 */

function orderVault(ctx: RequestContext) {
  const input = validateRequest(ctx.body, ORDER_VAULT).vault;
  const resourceId = randomUUID();
  // Checked now (6302, 6103); the records are built again when the order completes.
  prepareResources(ctx.store, input.resources, 'vault.resources', resourceId);
  if (!isAbsent(input.backup_policy_id)) {
    checkBackupPolicy(ctx.store, ctx.params.project_id, input.backup_policy_id as string, input.billing as Record<string, unknown>);
  }
  const order: OrderRecord = {
    order_id: orderId(ctx.now),
    resource_id: resourceId,
    project_id: ctx.params.project_id,
    user_id: userIdOf(ctx.caller!),
    status: 'pending',
    created_at: apiTimestamp(ctx.now),
    vault: JSON.parse(JSON.stringify(input)),
  };
  ctx.store.data.orders.push(order);
  return {
    status: 200,
    body: {
      orders: [{ orderId: order.order_id, cloudServiceId: 'cbr', subscribeResult: 1, resourceId }],
      retCode: 0,
      errText: 'success',
      error_code: '0',
    },
  };
}

/**
 * Completes a pending order: the vault (with the pre-generated id) is created with its resources
 * and backup policy. A resource taken meanwhile fails the order (status failed, no vault); a
 * backup policy deleted meanwhile is simply not applied. Returns whether anything changed.
 */
export function completeOrder(store: Store, orderIdToComplete: string, now: Date): boolean {
  const order = store.data.orders.find((o) => o.order_id === orderIdToComplete);
  if (!order || order.status !== 'pending') return false;
  const input = order.vault;
  order.status = 'completed';
  order.completed_at = apiTimestamp(now);
  let records;
  try {
    records = prepareResources(store, input.resources, 'vault.resources', order.resource_id);
  } catch (e) {
    order.status = 'failed';
    order.failure = e instanceof ApiError ? e.message : String(e);
    return true;
  }
  const vault = buildVault({
    id: order.resource_id,
    projectId: order.project_id,
    userId: order.user_id,
    now,
    input,
    resources: records,
    orderId: order.order_id,
    productId: productId(),
    name: (input.name as string | undefined) ?? `vault-${order.resource_id.slice(0, 8)}`,
  });
  store.data.vaults.push(vault);
  const policyId = input.backup_policy_id as string | undefined;
  if (!isAbsent(policyId) && store.policy(order.project_id, policyId)) {
    store.data.associations.push({ vault_id: vault.id, policy_id: policyId });
  }
  return true;
}

export const orderRoutes: Route[] = [
  { method: 'POST', pattern: '/v3/{project_id}/vaults/order', auth: 'cbr', hasBody: true, handle: orderVault },
];
