// Create Security Group (CreateSecurityGroup): VPC, name, type, description.
import { Form, Input, Radio, Select } from 'antd';
import { createSecurityGroup, listVpcs } from '../api/ecs.ts';
import { useAsync } from '../hooks/use-async.ts';
import { useScope } from '../state/scope.tsx';
import { ApiErrorAlert } from '../components/api-error-alert.tsx';
import { CreateFirstAlert, CreateModal, DescriptionField, useCreate, type CreateDialogProps } from './create-dialog.tsx';
import { Link } from '../router.tsx';

interface Values {
  vpcId: string;
  name?: string;
  description?: string;
  type: 'normal' | 'enterprise';
}

export function CreateSecurityGroupDialog({ onClose, onCreated }: CreateDialogProps) {
  const scope = useScope();
  const [form] = Form.useForm<Values>();
  const vpcs = useAsync(() => listVpcs(scope), [scope.regionId, scope.resourceGroupId]);
  const submit = useCreate(async (v: Values) => (await createSecurityGroup(scope, v)).SecurityGroupId, { onClose, onCreated });
  const none = vpcs.data && vpcs.data.length === 0;
  return (
    <CreateModal
      title="Create Security Group"
      what="the security group"
      submit={submit}
      disabled={none}
      onOk={() => form.submit()}
      onClose={onClose}
    >
      {none && (
        <CreateFirstAlert
          title={
            <span>
              No VPC in this region yet. <Link to="/vpcs">Create a VPC</Link> first.
            </span>
          }
        />
      )}
      <Form form={form} layout="vertical" onFinish={(v) => void submit.run(v)} disabled={submit.busy} initialValues={{ type: 'normal' }}>
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
        <DescriptionField />
      </Form>
    </CreateModal>
  );
}
