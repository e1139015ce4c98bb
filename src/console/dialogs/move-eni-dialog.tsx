// Failover in one dialog (the seed's use case): unbind a secondary ENI from
// its instance and bind it to a standby in the same VPC and zone. The steps
// and the ENI's status are shown live; each step is the plain API action, so
// a refusal stops the run and says where it stopped.
import { useEffect, useRef, useState } from 'react';
import { Alert, Button, Form, Modal, Space, Steps, Typography } from 'antd';
import { attachEni, describeEni, detachEni } from '../api/ecs.ts';
import type { EniWire } from '../api/wire.ts';
import { useScope } from '../state/scope.tsx';
import { ApiErrorAlert } from '../components/api-error-alert.tsx';
import { StatusTag } from '../components/status-tag.tsx';
import { InstancePicker } from './instance-picker.tsx';
import { markTransition } from '../state/pending-transitions.ts';

const POLL_MS = 200;
const WAIT_LIMIT_MS = 120_000;

type Phase = 'choose' | 'detaching' | 'attaching' | 'done' | 'failed';

export function MoveEniDialog({ eni, onClose, onProgress }: { eni: EniWire; onClose(): void; onProgress(): void }) {
  const scope = useScope();
  const from = eni.InstanceId;
  const [target, setTarget] = useState<string>();
  const [phase, setPhase] = useState<Phase>('choose');
  const [status, setStatus] = useState<string>(eni.Status);
  const [seen, setSeen] = useState<string[]>([eni.Status]);
  const [error, setError] = useState<unknown>();
  const alive = useRef(true);
  useEffect(
    () => () => {
      alive.current = false;
    },
    [],
  );

  const observe = (s: string) => {
    setStatus(s);
    setSeen((l) => (l[l.length - 1] === s ? l : [...l, s]));
  };

  const waitFor = async (want: string) => {
    const start = Date.now();
    for (;;) {
      const e = await describeEni(scope.regionId, eni.NetworkInterfaceId);
      if (!alive.current) throw new Error('closed');
      observe(e.Status);
      onProgress();
      if (e.Status === want) return;
      if (Date.now() - start > WAIT_LIMIT_MS) throw new Error(`The ENI did not become ${want} within ${WAIT_LIMIT_MS / 1000} s.`);
      await new Promise((r) => setTimeout(r, POLL_MS));
    }
  };

  const run = async () => {
    if (!target) return;
    setError(undefined);
    try {
      // Start from where the ENI is now, so Retry continues rather than repeats.
      const now = await describeEni(scope.regionId, eni.NetworkInterfaceId);
      observe(now.Status);
      setPhase('detaching');
      if (now.Status === 'InUse' && now.InstanceId === from) {
        await detachEni(scope.regionId, eni.NetworkInterfaceId, from);
        markTransition(now, 'Detaching', from);
        observe('Detaching');
      }
      if (now.Status !== 'Available') await waitFor('Available');
      setPhase('attaching');
      await attachEni(scope.regionId, eni.NetworkInterfaceId, target);
      markTransition(eni, 'Attaching', target);
      observe('Attaching');
      await waitFor('InUse');
      setPhase('done');
    } catch (e) {
      if (!alive.current) return;
      setError(e);
      setPhase('failed');
    }
  };

  const current = phase === 'choose' ? 0 : phase === 'detaching' ? 1 : phase === 'attaching' ? 2 : phase === 'done' ? 3 : undefined;
  const running = phase === 'detaching' || phase === 'attaching';
  return (
    <Modal
      open
      title={`Move ${eni.NetworkInterfaceId} to another instance`}
      onCancel={running ? undefined : onClose}
      maskClosable={false}
      destroyOnHidden
      footer={
        <Space>
          <Button onClick={onClose} disabled={running}>
            {phase === 'done' ? 'Close' : 'Cancel'}
          </Button>
          {phase !== 'done' && (
            <Button type="primary" onClick={() => void run()} disabled={!target || running} loading={running}>
              {phase === 'failed' ? 'Retry' : 'Move'}
            </Button>
          )}
        </Space>
      }
    >
      <Typography.Paragraph>
        Unbinds the ENI from <b>{from}</b> and binds it to the standby instance you choose. Its MAC address, primary and secondary private
        IPs move with it, so traffic to them reaches the standby.
      </Typography.Paragraph>
      <ApiErrorAlert error={error} title="Stopped" />
      <Form layout="vertical">
        <Form.Item label="Standby instance" required>
          <InstancePicker
            regionId={scope.regionId}
            eni={eni}
            value={target}
            onChange={setTarget}
            exclude={from}
            disabled={phase !== 'choose' && phase !== 'failed'}
          />
        </Form.Item>
      </Form>
      <Steps
        size="small"
        current={current}
        status={phase === 'failed' ? 'error' : undefined}
        items={[
          { title: 'Choose' },
          { title: `Unbind from ${from}`, content: 'Detaching → Available' },
          { title: `Bind to ${target ?? 'standby'}`, content: 'Attaching → InUse' },
          { title: 'Done' },
        ]}
      />
      <div style={{ marginTop: 16 }} data-testid="move-status">
        Status now: <StatusTag status={status} /> <Typography.Text type="secondary">seen: {seen.join(' → ')}</Typography.Text>
      </div>
      {phase === 'done' && (
        <Alert
          type="success"
          showIcon
          style={{ marginTop: 12 }}
          title={`${eni.NetworkInterfaceId} is InUse on ${target}. Configure the OS of ${target} for its addresses (ENI details → Configure the OS).`}
        />
      )}
    </Modal>
  );
}
