// Create Security Group (CreateSecurityGroup): VPC, name, type, description.
import { Alert, App, Form, Input, Modal, Radio, Select } from 'antd';
import { createSecurityGroup, listVpcs } from '../api/ecs.ts';
import { useAsync } from '../hooks/use-async.ts';
import { useScope } from '../state/scope.tsx';
import { ApiErrorAlert } from '../components/api-error-alert.tsx';
import { Link } from '../router.tsx';
import { descriptionRule } from './form-rules.ts';
import { useSubmit } from '../hooks/use-submit.ts';

interface Values {
  vpcId: string;
  name?: string;
  description?: string;
  type: 'normal' | 'enterprise';
}

export function CreateSecurityGroupDialog({ onClose, onCreated }: { onClose(): void; onCreated(id: string): void }) {
  const scope = useScope();
  const { message } = App.useApp();
  const [form] = Form.useForm<Values>();
  const vpcs = useAsync(() => listVpcs(scope), [scope.regionId, scope.resourceGroupId]);
  const {
    busy,
    error,
    run: submit,
  } = useSubmit(async (v: Values) => {
    const r = await createSecurityGroup(scope, v);
    message.success(`Created ${r.SecurityGroupId}`);
    onCreated(r.SecurityGroupId);
    onClose();
  });
  const none = vpcs.data && vpcs.data.length === 0;
  return (
    <Modal
      open
      title="Create Security Group"
      okText="Create"
      onOk={() => form.submit()}
      okButtonProps={{ loading: busy, disabled: none }}
      onCancel={onClose}
      destroyOnHidden
    >
      <ApiErrorAlert error={error} title="Creating the security group was refused" />
      {none && (
        <Alert
          type="info"
          showIcon
          style={{ marginBottom: 16 }}
          title={
            <span>
              No VPC in this region yet. <Link to="/vpcs">Create a VPC</Link> first.
            </span>
          }
        />
      )}
      <Form form={form} layout="vertical" onFinish={(v) => void submit(v)} disabled={busy} initialValues={{ type: 'normal' }}>
        <Form.Item label="VPC" name="vpcId" rules={[{ required: true, message: 'Choose the VPC' }]}>
          <Select
            placeholder="Choose a VPC"
            loading={vpcs.loading}
            options={(vpcs.data ?? []).map((v) => ({ value: v.VpcId, label: `${v.VpcName || v.VpcId} · ${v.CidrBlock}` }))}
          />
        </Form.Item>
        <Form.Item label="Name" name="name">
          <Input placeholder="optional, e.g. app-sg" />
        </Form.Item>
        <Form.Item label="Type" name="type" extra="Basic groups hold up to 2,000 private IPs across their ENIs; enterprise groups 65,536.">
          <Radio.Group
            options={[
              { value: 'normal', label: 'Basic' },
              { value: 'enterprise', label: 'Enterprise' },
            ]}
          />
        </Form.Item>
        <Form.Item label="Description" name="description" rules={[descriptionRule]}>
          <Input.TextArea rows={2} placeholder="optional" />
        </Form.Item>
      </Form>
    </Modal>
  );
}
