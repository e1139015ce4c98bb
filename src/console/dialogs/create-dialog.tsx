// What the create dialogs (VPC, vSwitch, security group, ENI, instance) share:
// the submit that announces the new id and closes, the modal with its Create
// button and the API's refusal on top, the "create that first" notice, and the
// optional description field.
import type { ReactNode } from 'react';
import { Alert, App, Form, Input, Modal } from 'antd';
import { ApiErrorAlert } from '../components/api-error-alert.tsx';
import { useSubmit, type SubmitState } from '../hooks/use-submit.ts';
import { descriptionRule } from './form-rules.ts';

export interface CreateDialogProps {
  onClose(): void;
  onCreated(id: string): void;
}

/** Runs `create` (which answers the new resource's id); on success says "Created <id>", hands the id on and closes. */
export function useCreate<V>(create: (v: V) => Promise<string>, { onClose, onCreated }: CreateDialogProps): SubmitState<[V]> {
  const { message } = App.useApp();
  return useSubmit(async (v: V) => {
    const id = await create(v);
    message.success(`Created ${id}`);
    onCreated(id);
    onClose();
  });
}

/** The modal of a create dialog: "Create" runs `onOk` (the form's submit); `what` names the resource in the refusal's title. */
export function CreateModal(props: {
  title: string;
  /** e.g. "the VPC": "Creating the VPC was refused" */
  what: string;
  submit: { busy: boolean; error: unknown };
  /** nothing can be created yet (no VPC, no vSwitch) */
  disabled?: boolean;
  width?: number;
  onOk(): void;
  onClose(): void;
  children: ReactNode;
}) {
  return (
    <Modal
      open
      title={props.title}
      okText="Create"
      onOk={props.onOk}
      okButtonProps={{ loading: props.submit.busy, disabled: props.disabled }}
      onCancel={props.onClose}
      destroyOnHidden
      width={props.width}
    >
      <ApiErrorAlert error={props.submit.error} title={`Creating ${props.what} was refused`} />
      {props.children}
    </Modal>
  );
}

/** What is missing before this can be created, and where to make it. */
export function CreateFirstAlert({ title, description }: { title: ReactNode; description?: ReactNode }) {
  return <Alert type="info" showIcon style={{ marginBottom: 16 }} title={title} description={description} />;
}

/** The optional Description field, checked as the API checks it. */
export function DescriptionField() {
  return (
    <Form.Item label="Description" name="description" rules={[descriptionRule]}>
      <Input.TextArea rows={2} placeholder="optional" />
    </Form.Item>
  );
}
