// Create VPC (CreateVpc): CIDR block, name, description, IPv6.
import { AutoComplete, Checkbox, Form, Input } from 'antd';
import { createVpc } from '../api/ecs.ts';
import { useScope } from '../state/scope.tsx';
import { ApiErrorAlert } from '../components/api-error-alert.tsx';
import { CreateFirstAlert, CreateModal, DescriptionField, useCreate, type CreateDialogProps } from './create-dialog.tsx';

interface Values {
  cidrBlock: string;
  name?: string;
  description?: string;
  enableIpv6: boolean;
}

export function CreateVpcDialog({ onClose, onCreated }: CreateDialogProps) {
  const scope = useScope();
  const [form] = Form.useForm<Values>();
  const submit = useCreate(async (v: Values) => (await createVpc(scope, { ...v, cidrBlock: v.cidrBlock.trim() })).VpcId, {
    onClose,
    onCreated,
  });
  return (
    <CreateModal title="Create VPC" what="the VPC" submit={submit} onOk={() => form.submit()} onClose={onClose}>
      <Form
        form={form}
        layout="vertical"
        onFinish={(v) => void submit.run(v)}
        disabled={submit.busy}
        initialValues={{ cidrBlock: '192.168.0.0/16', enableIpv6: true }}
      >
        <Form.Item
          label="IPv4 CIDR block"
          name="cidrBlock"
          rules={[{ required: true, message: 'Enter the VPC CIDR block' }]}
          extra="Mask 8 to 28, e.g. 192.168.0.0/16, 172.16.0.0/12 or 10.0.0.0/8."
        >
          <AutoComplete options={['192.168.0.0/16', '172.16.0.0/12', '10.0.0.0/8'].map((value) => ({ value }))} />
        </Form.Item>
        <Form.Item name="enableIpv6" valuePropName="checked" extra="Gives the VPC an IPv6 /56; its vSwitches can then take IPv6 /64s.">
          <Checkbox>Enable IPv6</Checkbox>
        </Form.Item>
        <Form.Item label="Name" name="name">
          <Input placeholder="optional" />
        </Form.Item>
        <DescriptionField />
      </Form>
    </CreateModal>
  );
}
