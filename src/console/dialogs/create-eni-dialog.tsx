// Create ENI (CreateNetworkInterface): vSwitch, security groups, name,
// description, an optional primary IP and optional secondary addresses.
import { useState } from 'react';
import { Form, Input, InputNumber } from 'antd';
import { createEni } from '../api/ecs.ts';
import type { VSwitchWire } from '../api/wire.ts';
import { useScope } from '../state/scope.tsx';
import { SecurityGroupSelect, VSwitchSelect } from '../components/paged-pickers.tsx';
import { useSignedIn } from '../state/session.tsx';
import { canonicalAddress, vSwitchProblem } from '../logic/ip-rows.ts';
import { ApiErrorAlert } from '../components/api-error-alert.tsx';
import { CreateFirstAlert, CreateModal, DescriptionField, useCreate, type CreateDialogProps } from './create-dialog.tsx';
import { Link } from '../router.tsx';
import { nameRule } from './form-rules.ts';

interface Values {
  vSwitchId: string;
  securityGroupIds: string[];
  name?: string;
  description?: string;
  primaryIp?: string;
  secondaryCount?: number;
  ipv6Count?: number;
}

export function CreateEniDialog({ onClose, onCreated }: CreateDialogProps) {
  const scope = useScope();
  const { limits } = useSignedIn();
  const [form] = Form.useForm<Values>();
  // The vSwitch picker pages and searches the region's vSwitches; the groups are those of the chosen vSwitch's VPC.
  const [vsw, setVsw] = useState<VSwitchWire>();
  const [vSwitchTotal, setVSwitchTotal] = useState<number>();

  const submit = useCreate(
    async (v: Values) => (await createEni(scope, { ...v, primaryIp: v.primaryIp?.trim() || undefined })).NetworkInterfaceId,
    { onClose, onCreated },
  );

  const none = vSwitchTotal === 0;
  return (
    <CreateModal title="Create ENI" what="the ENI" submit={submit} disabled={none} width={620} onOk={() => form.submit()} onClose={onClose}>
      {none && (
        <CreateFirstAlert
          title="This region has no vSwitch yet."
          description={
            <span>
              An ENI takes its addresses from a vSwitch. Create a <Link to="/vpcs">VPC</Link>, then a <Link to="/vswitches">vSwitch</Link>{' '}
              and a <Link to="/security-groups">security group</Link>.
            </span>
          }
        />
      )}
      <Form
        form={form}
        layout="vertical"
        onFinish={(v) => void submit.run(v)}
        disabled={submit.busy}
        initialValues={{ secondaryCount: 0, ipv6Count: 0 }}
      >
        <Form.Item
          label="vSwitch"
          name="vSwitchId"
          rules={[{ required: true, message: 'Choose the vSwitch the ENI takes its addresses from' }]}
        >
          <VSwitchSelect
            eager
            onFirstPage={setVSwitchTotal}
            onPick={(v) => {
              setVsw(v);
              form.setFieldsValue({ securityGroupIds: [] });
            }}
            label={(v) =>
              `${v.VSwitchName || v.VSwitchId} · ${v.CidrBlock}${v.Ipv6CidrBlock ? ' + IPv6' : ''} · ${v.ZoneId} · ${v.AvailableIpAddressCount} free`
            }
          />
        </Form.Item>
        <Form.Item
          label="Security groups"
          name="securityGroupIds"
          extra={
            vsw
              ? `Groups of ${vsw.VpcId}, at most ${limits.securityGroupsPerEni}.`
              : 'Choose the vSwitch first: the groups must be in its VPC.'
          }
          rules={[{ required: true, type: 'array', min: 1, message: 'Choose at least one security group' }]}
        >
          <SecurityGroupSelect
            vpcId={vsw?.VpcId}
            disabled={!vsw}
            maxCount={limits.securityGroupsPerEni}
            notFoundContent={
              vsw ? (
                <span>
                  No security group in {vsw.VpcId}. <Link to="/security-groups">Create one</Link>.
                </span>
              ) : undefined
            }
          />
        </Form.Item>
        <Form.Item label="Name" name="name" rules={[nameRule]}>
          <Input placeholder="optional, e.g. app-failover-eni" />
        </Form.Item>
        <DescriptionField />
        <Form.Item
          label="Primary private IP"
          name="primaryIp"
          extra={vsw ? `Leave empty to pick a free address of ${vsw.CidrBlock} at random.` : undefined}
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
          <Input placeholder="optional" style={{ fontFamily: 'ui-monospace, monospace' }} />
        </Form.Item>
        <Form.Item
          label="Secondary private IPv4 addresses"
          name="secondaryCount"
          extra={`Auto-assigned. An Available ENI holds at most ${limits.availableEniMaxIpv4} including the primary.`}
        >
          <InputNumber min={0} max={limits.availableEniMaxIpv4 - 1} />
        </Form.Item>
        <Form.Item
          label="IPv6 addresses"
          name="ipv6Count"
          extra={
            vsw && !vsw.Ipv6CidrBlock ? 'This vSwitch has no IPv6 CIDR block.' : `Auto-assigned, at most ${limits.availableEniMaxIpv6}.`
          }
        >
          <InputNumber min={0} max={limits.availableEniMaxIpv6} disabled={!vsw?.Ipv6CidrBlock} />
        </Form.Item>
      </Form>
    </CreateModal>
  );
}
