// Create VPC (CreateVpc): CIDR block, name, description, IPv6.
import { App, AutoComplete, Checkbox, Form, Input, Modal } from 'antd';
import { createVpc } from '../api/ecs.ts';
import { useScope } from '../state/scope.tsx';
import { ApiErrorAlert } from '../components/api-error-alert.tsx';
import { descriptionRule } from './form-rules.ts';
import { useSubmit } from '../hooks/use-submit.ts';

interface Values {
  cidrBlock: string;
  name?: string;
  description?: string;
  enableIpv6: boolean;
}

export function CreateVpcDialog({ onClose, onCreated }: { onClose(): void; onCreated(id: string): void }) {
  const scope = useScope();
  const { message } = App.useApp();
  const [form] = Form.useForm<Values>();
  const {
    busy,
    error,
    run: submit,
  } = useSubmit(async (v: Values) => {
    const r = await createVpc(scope, { ...v, cidrBlock: v.cidrBlock.trim() });
    message.success(`Created ${r.VpcId}`);
    onCreated(r.VpcId);
    onClose();
  });
  return (
    <Modal
      open
      title="Create VPC"
      okText="Create"
      onOk={() => form.submit()}
      okButtonProps={{ loading: busy }}
      onCancel={onClose}
      destroyOnHidden
    >
      <ApiErrorAlert error={error} title="Creating the VPC was refused" />
      <Form
        form={form}
        layout="vertical"
        onFinish={(v) => void submit(v)}
        disabled={busy}
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
        <Form.Item label="Description" name="description" rules={[descriptionRule]}>
          <Input.TextArea rows={2} placeholder="optional" />
        </Form.Item>
      </Form>
    </Modal>
  );
}
