// The ENI's tags: shown as key: value, removed one at a time, added (or a
// value changed) through TagResources. The same rules as the API, checked
// before sending so the common mistakes read as a hint, not a refusal.
import { useState } from 'react';
import { Button, Card, Empty, Flex, Form, Input, Tag, Typography } from 'antd';
import { tagEni, untagEni } from '../../api/ecs.ts';
import type { EniWire } from '../../api/wire.ts';
import { ApiErrorAlert } from '../../components/api-error-alert.tsx';
import { useSubmit } from '../../hooks/use-submit.ts';
import {
  MAX_TAG_KEY_LENGTH,
  MAX_TAG_VALUE_LENGTH,
  MAX_TAGS_PER_RESOURCE,
  validTagKey,
  validTagValue,
  ECS_TAG_RULES,
} from '../../../domain/tags.ts';

export function EniTags({ regionId, eni, onChanged }: { regionId: string; eni: EniWire; onChanged(): void }) {
  const tags = eni.Tags.Tag;
  const [key, setKey] = useState('');
  const [value, setValue] = useState('');
  // One change at a time: add (or change a value), or remove one key.
  const change = useSubmit(async (c: { add: { key: string; value: string } } | { remove: string }) => {
    if ('add' in c) {
      await tagEni(regionId, eni.NetworkInterfaceId, [c.add]);
      setKey('');
      setValue('');
    } else {
      await untagEni(regionId, eni.NetworkInterfaceId, [c.remove]);
    }
    onChanged();
  });
  const { busy, error } = change;
  const k = key.trim();
  const exists = tags.some((t) => t.TagKey === k);
  const keyProblem =
    k === ''
      ? undefined
      : !validTagKey(k)
        ? `1–${MAX_TAG_KEY_LENGTH} characters, not starting with aliyun or acs:, no http:// or https://`
        : undefined;
  const valueProblem = !validTagValue(value, ECS_TAG_RULES)
    ? `at most ${MAX_TAG_VALUE_LENGTH} characters, no http:// or https://`
    : undefined;
  const full = !exists && tags.length >= MAX_TAGS_PER_RESOURCE;

  return (
    <Card title={`Tags (${tags.length})`} style={{ marginBottom: 16 }} data-testid="eni-tags">
      <ApiErrorAlert error={error} title="The tag change was refused" />
      {tags.length === 0 ? (
        <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description="No tags" style={{ margin: '8px 0' }} />
      ) : (
        <Flex wrap gap={6} style={{ marginBottom: 12 }}>
          {tags.map((t) => (
            <Tag
              key={t.TagKey}
              closable={!busy}
              closeIcon={<span aria-label={`Remove tag ${t.TagKey}`}>×</span>}
              onClose={(e) => {
                e.preventDefault();
                void change.run({ remove: t.TagKey });
              }}
              data-testid="eni-tag"
            >
              {t.TagKey}: {t.TagValue || <Typography.Text type="secondary">(empty)</Typography.Text>}
            </Tag>
          ))}
        </Flex>
      )}
      <Form layout="inline" onFinish={() => void change.run({ add: { key: k, value } })}>
        <Form.Item label="Tag key" validateStatus={keyProblem ? 'error' : undefined} help={keyProblem}>
          <Input
            aria-label="Tag key"
            value={key}
            onChange={(e) => setKey(e.target.value)}
            maxLength={MAX_TAG_KEY_LENGTH + 1}
            style={{ width: 200 }}
          />
        </Form.Item>
        <Form.Item label="Tag value" validateStatus={valueProblem ? 'error' : undefined} help={valueProblem}>
          <Input
            aria-label="Tag value"
            value={value}
            onChange={(e) => setValue(e.target.value)}
            maxLength={MAX_TAG_VALUE_LENGTH + 1}
            style={{ width: 200 }}
          />
        </Form.Item>
        <Form.Item help={full ? `At most ${MAX_TAGS_PER_RESOURCE} tags an ENI` : undefined}>
          <Button htmlType="submit" loading={busy} disabled={k === '' || !!keyProblem || !!valueProblem || full}>
            {exists ? 'Change value' : 'Add tag'}
          </Button>
        </Form.Item>
      </Form>
    </Card>
  );
}
