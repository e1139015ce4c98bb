// Modify an ENI (ModifyNetworkInterfaceAttribute): name, description, and the
// security groups (the set is replaced; the ENI's addresses move to the new groups' counts).
import { App, Form, Input, Modal } from 'antd';
import { modifyEni } from '../api/ecs.ts';
import type { EniWire } from '../api/wire.ts';
import { useScope } from '../state/scope.tsx';
import { SecurityGroupSelect } from '../components/paged-pickers.tsx';
import { useSignedIn } from '../state/session.tsx';
import { ApiErrorAlert } from '../components/api-error-alert.tsx';
import { descriptionRule, nameRule } from './form-rules.ts';
import { useSubmit } from '../hooks/use-submit.ts';

interface Values {
  name?: string;
  description?: string;
  securityGroupIds: string[];
}

export function ModifyEniDialog({ eni, onClose, onDone }: { eni: EniWire; onClose(): void; onDone(): void }) {
  const scope = useScope();
  const { limits } = useSignedIn();
  const { message } = App.useApp();
  const [form] = Form.useForm<Values>();
  const {
    busy,
    error,
    run: submit,
  } = useSubmit(async (v: Values) => {
    const sameGroups = v.securityGroupIds.join() === eni.SecurityGroupIds.SecurityGroupId.join();
    await modifyEni(scope.regionId, eni.NetworkInterfaceId, {
      name: v.name && v.name !== eni.NetworkInterfaceName ? v.name : undefined,
      description: v.description && v.description !== eni.Description ? v.description : undefined,
      securityGroupIds: sameGroups ? undefined : v.securityGroupIds,
    });
    message.success(`Modified ${eni.NetworkInterfaceId}`);
    onDone();
    onClose();
  });
  return (
    <Modal
      open
      title={`Modify ${eni.NetworkInterfaceId}`}
      okText="Save"
      onOk={() => form.submit()}
      okButtonProps={{ loading: busy }}
      onCancel={onClose}
      destroyOnHidden
    >
      <ApiErrorAlert error={error} title="The change was refused" />
      <Form
        form={form}
        layout="vertical"
        disabled={busy}
        onFinish={(v) => void submit(v)}
        initialValues={{
          name: eni.NetworkInterfaceName,
          description: eni.Description,
          securityGroupIds: eni.SecurityGroupIds.SecurityGroupId,
        }}
      >
        <Form.Item label="Name" name="name" rules={[nameRule]}>
          <Input />
        </Form.Item>
        <Form.Item label="Description" name="description" rules={[descriptionRule]}>
          <Input.TextArea rows={2} />
        </Form.Item>
        <Form.Item
          label="Security groups"
          name="securityGroupIds"
          extra={`Groups of ${eni.VpcId}, 1 to ${limits.securityGroupsPerEni}.`}
          rules={[{ required: true, type: 'array', min: 1, message: 'Keep at least one security group' }]}
        >
          <SecurityGroupSelect vpcId={eni.VpcId} maxCount={limits.securityGroupsPerEni} />
        </Form.Item>
      </Form>
    </Modal>
  );
}
