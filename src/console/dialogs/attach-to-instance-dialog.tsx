// From an instance: bind one of the Available secondary ENIs of its VPC and
// zone (AttachNetworkInterface). Status changes show live in the instance's ENI list.
import { useState } from 'react';
import { App, Form, Modal, Select, Typography } from 'antd';
import { attachEni, describeEnis } from '../api/ecs.ts';
import type { InstanceWire } from '../api/wire.ts';
import { useAsync } from '../hooks/use-async.ts';
import { useScope } from '../state/scope.tsx';
import { ApiErrorAlert } from '../components/api-error-alert.tsx';
import { markTransition } from '../state/pending-transitions.ts';
import { useSubmit } from '../hooks/use-submit.ts';
import { eniFitsInstance } from '../logic/attach-eligibility.ts';

export function AttachToInstanceDialog({ instance, onClose, onDone }: { instance: InstanceWire; onClose(): void; onDone(): void }) {
  const scope = useScope();
  const { message } = App.useApp();
  const [eniId, setEniId] = useState<string>();
  const vpcId = instance.VpcAttributes.VpcId;
  const enis = useAsync(async () => {
    const r = await describeEnis({ regionId: scope.regionId }, { vpcId, status: 'Available', type: 'Secondary' }, { maxResults: 100 });
    return r.NetworkInterfaceSets.NetworkInterfaceSet.filter((e) => eniFitsInstance(e, instance));
  }, [scope.regionId, vpcId, instance.ZoneId]);

  const {
    busy,
    error,
    run: ok,
  } = useSubmit(async () => {
    if (!eniId) return;
    await attachEni(scope.regionId, eniId, instance.InstanceId);
    const eni = enis.data?.find((e) => e.NetworkInterfaceId === eniId);
    if (eni) markTransition(eni, 'Attaching', instance.InstanceId);
    message.info(`Binding ${eniId} to ${instance.InstanceId}`);
    onDone();
    onClose();
  });
  return (
    <Modal
      open
      title={`Bind an ENI to ${instance.InstanceId}`}
      okText="Bind"
      onOk={() => void ok()}
      okButtonProps={{ disabled: !eniId, loading: busy }}
      onCancel={onClose}
      destroyOnHidden
    >
      <ApiErrorAlert error={error} title="Binding refused" />
      <ApiErrorAlert error={enis.error} title="Listing ENIs failed" />
      <Form layout="vertical">
        <Form.Item label="Secondary ENI" required>
          <Select
            aria-label="Secondary ENI"
            data-testid="eni-picker"
            showSearch={{ optionFilterProp: 'label' }}
            placeholder="Choose an Available secondary ENI"
            loading={enis.loading}
            value={eniId}
            onChange={setEniId}
            options={(enis.data ?? []).map((e) => ({
              value: e.NetworkInterfaceId,
              label: `${e.NetworkInterfaceId}${e.NetworkInterfaceName ? ` (${e.NetworkInterfaceName})` : ''} · ${e.PrivateIpAddress} · +${e.PrivateIpSets.PrivateIpSet.length - 1} IPv4, ${e.Ipv6Sets.Ipv6Set.length} IPv6`,
            }))}
            notFoundContent={
              enis.loading
                ? 'Loading…'
                : `No Available secondary ENI in ${vpcId} / ${instance.ZoneId}. Create one on the Elastic Network Interfaces page.`
            }
          />
        </Form.Item>
      </Form>
      <Typography.Text type="secondary" style={{ fontSize: 12 }}>
        Only Available secondary ENIs of the instance&apos;s VPC ({vpcId}) and zone ({instance.ZoneId}) are listed.
      </Typography.Text>
    </Modal>
  );
}
