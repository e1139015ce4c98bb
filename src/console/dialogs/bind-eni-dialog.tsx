// Bind a secondary ENI to an instance (AttachNetworkInterface). The call
// answers at once; the list then shows Attaching → InUse as it happens.
import { useState } from 'react';
import { App, Form, Modal } from 'antd';
import { attachEni } from '../api/ecs.ts';
import type { EniWire } from '../api/wire.ts';
import { useScope } from '../state/scope.tsx';
import { ApiErrorAlert } from '../components/api-error-alert.tsx';
import { InstancePicker } from './instance-picker.tsx';
import { markTransition } from '../state/pending-transitions.ts';
import { useSubmit } from '../hooks/use-submit.ts';

export function BindEniDialog({ eni, onClose, onDone }: { eni: EniWire; onClose(): void; onDone(): void }) {
  const scope = useScope();
  const { message } = App.useApp();
  const [instanceId, setInstanceId] = useState<string>();
  const {
    busy,
    error,
    run: ok,
  } = useSubmit(async () => {
    if (!instanceId) return;
    await attachEni(scope.regionId, eni.NetworkInterfaceId, instanceId);
    markTransition(eni, 'Attaching', instanceId);
    message.info(`Binding ${eni.NetworkInterfaceId} to ${instanceId}`);
    onDone();
    onClose();
  });
  return (
    <Modal
      open
      title={`Bind ${eni.NetworkInterfaceId} to an instance`}
      okText="Bind"
      onOk={() => void ok()}
      okButtonProps={{ disabled: !instanceId, loading: busy }}
      onCancel={onClose}
      destroyOnHidden
    >
      <ApiErrorAlert error={error} title="Binding refused" />
      <Form layout="vertical">
        <Form.Item label="Instance" required>
          <InstancePicker regionId={scope.regionId} eni={eni} value={instanceId} onChange={setInstanceId} />
        </Form.Item>
      </Form>
    </Modal>
  );
}
