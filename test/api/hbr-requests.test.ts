import { RpcError } from '../../src/api/hbr/errors';
import { decodeCreateClients, decodeDescribeBackupClients, decodeUpgradeBackupClients } from '../../src/api/hbr/requests';
import { flattenParams } from '../../src/runtime/hbr/client';

/** The requests the hook's client encodes read back, through src/api, as the same requests. */
describe('HBR requests round-trip between the client and the decoders', () => {
  test('CreateClients: ClientInfo as JSON, UseHttps as text', () => {
    const clientInfo = [{ instanceId: 'i-1', accessKeyId: '', accessKeySecret: '', clusterId: 'c-1', sourceTypes: ['FILE'] }];
    const wire = flattenParams({ VaultId: 'v-0001', AlertSetting: 'INHERITED', ClientInfo: JSON.stringify(clientInfo), UseHttps: true });
    expect(decodeCreateClients(wire)).toEqual({ VaultId: 'v-0001', AlertSetting: 'INHERITED', UseHttps: true, ResourceGroupId: undefined, ClientInfo: clientInfo });
  });

  test('DescribeBackupClients: lists as JSON, tags as Tag.N, the documented page defaults', () => {
    const wire = flattenParams({ ClientType: 'ECS_CLIENT', InstanceIds: ['i-1', 'i-2'], Tag: [{ Key: 'team', Value: 'a' }, { Key: 'env' }] });
    expect(decodeDescribeBackupClients(wire)).toEqual({
      ClientType: 'ECS_CLIENT',
      PageNumber: 1,
      PageSize: 10,
      ClientIds: undefined,
      InstanceIds: ['i-1', 'i-2'],
      Tag: [{ Key: 'team', Value: 'a' }, { Key: 'env' }],
      CrossAccountType: 'SELF_ACCOUNT',
      CrossAccountUserId: undefined,
      CrossAccountRoleName: undefined,
      ClusterId: undefined,
    });
  });

  test('fails when UpgradeBackupClients names no target', () => {
    const err = (() => { try { decodeUpgradeBackupClients(flattenParams({ InstanceIds: [] })); } catch (e) { return e; } return undefined; })();
    expect(err).toBeInstanceOf(RpcError);
    expect(err).toMatchObject({ status: 400, code: 'MissingInstanceIds', message: 'InstanceIds or ClientIds is mandatory for this action.' });
  });
});
