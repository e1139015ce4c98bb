// Create instance (RunInstances, the network subset): type, vSwitch, security
// groups, name, optional primary private IP. It comes with its primary ENI.
import { useState } from 'react';
import { Form, Input, Select } from 'antd';
import { listInstanceTypes, runInstance } from '../api/ecs.ts';
import type { VSwitchWire } from '../api/wire.ts';
import { SecurityGroupSelect, VSwitchSelect } from '../components/paged-pickers.tsx';
import { useAsync } from '../hooks/use-async.ts';
import { useScope } from '../state/scope.tsx';
import { ApiErrorAlert } from '../components/api-error-alert.tsx';
import { CreateFirstAlert, CreateModal, DescriptionField, useCreate, type CreateDialogProps } from './create-dialog.tsx';
import { canonicalAddress, vSwitchProblem } from '../logic/ip-rows.ts';
import { Link } from '../router.tsx';

interface Values {
  instanceType: string;
  vSwitchId: string;
  securityGroupIds: string[];
  name?: string;
  privateIp?: string;
}

export function CreateInstanceDialog({ onClose, onCreated }: CreateDialogProps) {
  const scope = useScope();
  const [form] = Form.useForm<Values>();
  const data = useAsync(async () => ({ types: await listInstanceTypes() }), [scope.regionId, scope.resourceGroupId]);
  // the vSwitch and group pickers page and search their lists (never every page)
  const [vsw, setVsw] = useState<VSwitchWire>();
  const [vSwitchTotal, setVSwitchTotal] = useState<number>();

  const submit = useCreate(
    async (v: Values) => (await runInstance(scope, { ...v, privateIp: v.privateIp?.trim() || undefined })).InstanceIdSets.InstanceIdSet[0],
    { onClose, onCreated },
  );
  const none = vSwitchTotal === 0;
  return (
    <CreateModal
      title="Create instance"
      what="the instance"
      submit={submit}
      disabled={none}
      width={620}
      onOk={() => form.submit()}
      onClose={onClose}
    >
      <ApiErrorAlert error={data.error} title="Loading failed" />
      {none && (
        <CreateFirstAlert
          title={
            <span>
              No vSwitch in this region yet: create a <Link to="/vpcs">VPC</Link> and a <Link to="/vswitches">vSwitch</Link> first.
            </span>
          }
        />
      )}
      <Form
        form={form}
        layout="vertical"
        onFinish={(v) => void submit.run(v)}
        disabled={submit.busy}
        initialValues={{ instanceType: 'ecs.g7.large' }}
      >
        <Form.Item
          label="Instance type"
          name="instanceType"
          rules={[{ required: true }]}
          extra="The type decides how many ENIs the instance takes and how many addresses each ENI may hold while bound."
        >
          <Select
            showSearch={{ optionFilterProp: 'label' }}
            loading={data.loading}
            options={(data.data?.types ?? []).map((t) => ({
              value: t.InstanceTypeId,
              label: `${t.InstanceTypeId} · ${t.CpuCoreCount} vCPU ${t.MemorySize} GiB · ${t.EniQuantity} ENIs · ${t.EniPrivateIpAddressQuantity} IPv4 / ${t.EniIpv6AddressQuantity} IPv6 per ENI`,
            }))}
          />
        </Form.Item>
        <Form.Item label="vSwitch" name="vSwitchId" rules={[{ required: true, message: 'Choose a vSwitch' }]}>
          <VSwitchSelect
            eager
            onFirstPage={setVSwitchTotal}
            onPick={(v) => {
              setVsw(v);
              form.setFieldsValue({ securityGroupIds: [] });
            }}
            label={(v) => `${v.VSwitchName || v.VSwitchId} · ${v.CidrBlock} · ${v.ZoneId} · ${v.AvailableIpAddressCount} free`}
          />
        </Form.Item>
        <Form.Item
          label="Security groups"
          name="securityGroupIds"
          rules={[{ required: true, type: 'array', min: 1, message: 'Choose at least one security group' }]}
        >
          <SecurityGroupSelect
            vpcId={vsw?.VpcId}
            disabled={!vsw}
            placeholder={vsw ? 'Choose security groups' : 'Choose the vSwitch first'}
          />
        </Form.Item>
        <Form.Item label="Name" name="name">
          <Input placeholder="optional, e.g. web-standby" />
        </Form.Item>
        <Form.Item
          label="Primary private IP"
          name="privateIp"
          rules={[
            {
              validator: async (_r, value?: string) => {
                const t = value?.trim();
                if (!t) return;
                const c = canonicalAddress(4, t);
                if (!c) throw new Error(`"${t}" is not an IPv4 address.`);
                const why = vsw ? vSwitchProblem(4, vsw.CidrBlock, c) : undefined;
                if (why) throw new Error(`InvalidVSwitchId.IpInvalid: ${why}`);
              },
            },
          ]}
        >
          <Input placeholder="optional: a free address of the vSwitch is picked" />
        </Form.Item>
      </Form>
    </CreateModal>
  );
}
