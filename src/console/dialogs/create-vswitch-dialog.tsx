// Create vSwitch (CreateVSwitch): VPC, zone, IPv4 CIDR block (a free /24 is
// suggested), and an IPv6 /64 of the VPC's /56 when the VPC has IPv6.
import { useEffect } from 'react';
import { Checkbox, Form, Input, InputNumber, Select } from 'antd';
import { createVSwitch, listVSwitches, listVpcs } from '../api/ecs.ts';
import { useAsync } from '../hooks/use-async.ts';
import { useScope } from '../state/scope.tsx';
import { ApiErrorAlert } from '../components/api-error-alert.tsx';
import { CreateFirstAlert, CreateModal, DescriptionField, useCreate, type CreateDialogProps } from './create-dialog.tsx';
import { suggestIpv6Index, suggestVSwitchCidr, vSwitchCidrProblem } from '../logic/cidr-suggest.ts';
import { Link } from '../router.tsx';
import { zoneName } from '../logic/region-names.ts';

interface Values {
  vpcId: string;
  zoneId: string;
  cidrBlock: string;
  enableIpv6: boolean;
  ipv6Index?: number;
  name?: string;
  description?: string;
}

export function CreateVSwitchDialog({ onClose, onCreated }: CreateDialogProps) {
  const scope = useScope();
  const [form] = Form.useForm<Values>();
  const data = useAsync(async () => {
    const [vpcs, vsws] = await Promise.all([listVpcs(scope), listVSwitches({ regionId: scope.regionId })]);
    return { vpcs, vsws };
  }, [scope.regionId, scope.resourceGroupId]);
  const vpcId = Form.useWatch('vpcId', form);
  const enableIpv6 = Form.useWatch('enableIpv6', form);
  const vpc = data.data?.vpcs.find((v) => v.VpcId === vpcId);
  const siblings = (data.data?.vsws ?? []).filter((s) => s.VpcId === vpcId);

  useEffect(() => {
    if (!vpc) return;
    form.setFieldsValue({
      cidrBlock:
        suggestVSwitchCidr(
          vpc.CidrBlock,
          siblings.map((s) => s.CidrBlock),
        ) ?? '',
      enableIpv6: !!vpc.Ipv6CidrBlock,
      ipv6Index: vpc.Ipv6CidrBlock
        ? suggestIpv6Index(
            vpc.Ipv6CidrBlock,
            siblings.map((s) => s.Ipv6CidrBlock),
          )
        : undefined,
    });
  }, [vpcId, data.data]);

  const submit = useCreate(
    async (v: Values) =>
      (await createVSwitch(scope, { ...v, cidrBlock: v.cidrBlock.trim(), ipv6Index: v.enableIpv6 ? (v.ipv6Index ?? 0) : undefined }))
        .VSwitchId,
    { onClose, onCreated },
  );
  const none = data.data && data.data.vpcs.length === 0;
  return (
    <CreateModal
      title="Create vSwitch"
      what="the vSwitch"
      submit={submit}
      disabled={none}
      width={580}
      onOk={() => form.submit()}
      onClose={onClose}
    >
      <ApiErrorAlert error={data.error} title="Loading VPCs failed" />
      {none && (
        <CreateFirstAlert
          title={
            <span>
              No VPC in this region yet. <Link to="/vpcs">Create a VPC</Link> first.
            </span>
          }
        />
      )}
      <Form
        form={form}
        layout="vertical"
        onFinish={(v) => void submit.run(v)}
        disabled={submit.busy}
        initialValues={{ zoneId: scope.region.zones[0]?.zoneId, enableIpv6: false }}
      >
        <Form.Item label="VPC" name="vpcId" rules={[{ required: true, message: 'Choose the VPC' }]}>
          <Select
            placeholder="Choose a VPC"
            loading={data.loading}
            options={(data.data?.vpcs ?? []).map((v) => ({
              value: v.VpcId,
              label: `${v.VpcName || v.VpcId} · ${v.CidrBlock}${v.Ipv6CidrBlock ? ` · ${v.Ipv6CidrBlock}` : ''}`,
            }))}
          />
        </Form.Item>
        <Form.Item label="Zone" name="zoneId" rules={[{ required: true }]} extra="ENIs can only be bound to instances in the same zone.">
          <Select
            options={scope.region.zones.map((z) => ({
              value: z.zoneId,
              label: `${zoneName(scope.regionId, z.zoneId, z.localName)} (${z.zoneId})`,
            }))}
          />
        </Form.Item>
        <Form.Item
          label="IPv4 CIDR block"
          name="cidrBlock"
          extra={vpc ? `Inside ${vpc.CidrBlock}, mask 16 to 29. The first and the last three addresses are reserved.` : undefined}
          rules={[
            { required: true, message: 'Enter the CIDR block' },
            {
              validator: async (_r, value?: string) => {
                if (!value) return;
                const why = vSwitchCidrProblem(
                  value,
                  vpc?.CidrBlock,
                  siblings.map((s) => ({ id: s.VSwitchId, cidr: s.CidrBlock })),
                );
                if (why) throw new Error(why);
              },
            },
          ]}
        >
          <Input placeholder="e.g. 192.168.1.0/24" style={{ fontFamily: 'ui-monospace, monospace' }} />
        </Form.Item>
        <Form.Item
          name="enableIpv6"
          valuePropName="checked"
          extra={vpc && !vpc.Ipv6CidrBlock ? 'The VPC has no IPv6 block (create the VPC with IPv6 enabled).' : undefined}
        >
          <Checkbox disabled={!vpc?.Ipv6CidrBlock}>Enable IPv6</Checkbox>
        </Form.Item>
        {enableIpv6 && vpc?.Ipv6CidrBlock && (
          <Form.Item
            label="IPv6 /64 number"
            name="ipv6Index"
            extra={`Which /64 of ${vpc.Ipv6CidrBlock} (0 to 255).`}
            rules={[{ required: true }]}
          >
            <InputNumber min={0} max={255} />
          </Form.Item>
        )}
        <Form.Item label="Name" name="name">
          <Input placeholder="optional" />
        </Form.Item>
        <DescriptionField />
      </Form>
    </CreateModal>
  );
}
