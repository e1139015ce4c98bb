// Audit trail: the signed-in account's mutating calls and console sign-ins
// (time, AccessKey, source address, action, what it touched, RequestId,
// result), newest first, with filters and keyset paging (server side).
import { useState } from 'react';
import { Button, Card, Flex, Input, Select, Space, Table, Tag, Typography } from 'antd';
import { LeftOutlined, ReloadOutlined, RightOutlined } from '@ant-design/icons';
import { consoleApi } from '../../api/rpc.ts';
import { useAsync } from '../../hooks/use-async.ts';
import { ApiErrorAlert } from '../../components/api-error-alert.tsx';
import { PageHeader } from '../../components/page-header.tsx';
import { auditPath, type AuditFilters } from '../../logic/audit-query.ts';

export interface AuditEventView {
  time: string;
  accessKeyId: string;
  sourceIp: string;
  action: string;
  resources: string[];
  requestId: string;
  result: string;
}

interface AuditPage {
  events: AuditEventView[];
  nextToken: string;
  actions: string[];
}

const PAGE_SIZES = [10, 20, 50, 100];

export function AuditPage() {
  const [draft, setDraft] = useState<AuditFilters>({});
  const [filters, setFilters] = useState<AuditFilters>({});
  const [pageSize, setPageSize] = useState(20);
  // tokens[i] starts page i+1 ('' for the first page)
  const [tokens, setTokens] = useState<string[]>(['']);
  const token = tokens[tokens.length - 1];
  const list = useAsync(() => consoleApi<AuditPage>('GET', auditPath(filters, pageSize, token)), [filters, pageSize, token]);
  const apply = (next: AuditFilters) => {
    setFilters(next);
    setTokens(['']);
  };
  const set = (patch: Partial<AuditFilters>) => setDraft((d) => ({ ...d, ...patch }));
  const page = tokens.length;

  return (
    <div>
      <PageHeader
        title="Audit trail"
        subtitle="Every call that changed something in this account, and every console sign-in, newest first. Kept 90 days."
        extra={
          <Button icon={<ReloadOutlined />} onClick={() => void list.reload()}>
            Refresh
          </Button>
        }
      />
      <ApiErrorAlert error={list.error} title="Listing the audit trail failed" />
      <Card>
        <Flex gap={8} wrap style={{ marginBottom: 12 }} data-testid="audit-filters">
          <Select
            aria-label="Action"
            placeholder="Any action"
            allowClear
            showSearch
            style={{ width: 260 }}
            value={draft.action}
            onChange={(v: string | undefined) => set({ action: v })}
            options={(list.data?.actions ?? []).map((a) => ({ value: a, label: a }))}
          />
          <Input
            aria-label="Resource ID"
            placeholder="Resource ID or address"
            allowClear
            style={{ width: 240 }}
            value={draft.resourceId}
            onChange={(e) => set({ resourceId: e.target.value })}
            onPressEnter={() => apply(draft)}
          />
          <Select
            aria-label="Result"
            placeholder="Any result"
            allowClear
            style={{ width: 150 }}
            value={draft.result}
            onChange={(v: string | undefined) => set({ result: v })}
            options={[
              { value: 'Success', label: 'Success' },
              { value: 'Failed', label: 'Failed' },
            ]}
          />
          <Space.Compact>
            <Input
              aria-label="From"
              type="datetime-local"
              style={{ width: 200 }}
              value={draft.from ?? ''}
              onChange={(e) => set({ from: e.target.value || undefined })}
            />
            <Input
              aria-label="To"
              type="datetime-local"
              style={{ width: 200 }}
              value={draft.to ?? ''}
              onChange={(e) => set({ to: e.target.value || undefined })}
            />
          </Space.Compact>
          <Button type="primary" onClick={() => apply(draft)}>
            Search
          </Button>
          <Button
            onClick={() => {
              setDraft({});
              apply({});
            }}
          >
            Reset
          </Button>
        </Flex>
        <Table<AuditEventView>
          rowKey={(e) => `${e.requestId}/${e.time}`}
          data-testid="audit-table"
          size="small"
          loading={list.loading}
          dataSource={list.data?.events ?? []}
          pagination={false}
          columns={[
            { title: 'Time', dataIndex: 'time', render: (t: string) => <span title={t}>{new Date(t).toLocaleString()}</span> },
            { title: 'AccessKey', dataIndex: 'accessKeyId' },
            { title: 'Source address', dataIndex: 'sourceIp' },
            { title: 'Action', dataIndex: 'action' },
            {
              title: 'Resources and addresses',
              dataIndex: 'resources',
              render: (rs: string[]) =>
                rs.length === 0 ? (
                  <Typography.Text type="secondary">none</Typography.Text>
                ) : (
                  <Flex gap={4} wrap>
                    {rs.map((r) => (
                      <Tag
                        key={r}
                        style={{ cursor: 'pointer' }}
                        title="Show only calls that touched this"
                        onClick={() => {
                          const next = { ...draft, resourceId: r };
                          setDraft(next);
                          apply(next);
                        }}
                      >
                        {r}
                      </Tag>
                    ))}
                  </Flex>
                ),
            },
            {
              title: 'RequestId',
              dataIndex: 'requestId',
              render: (id: string) => (
                <Typography.Text copyable style={{ fontSize: 12 }}>
                  {id}
                </Typography.Text>
              ),
            },
            {
              title: 'Result',
              dataIndex: 'result',
              render: (r: string) => (
                <Tag color={r === 'Success' ? 'green' : 'red'} data-result={r}>
                  {r}
                </Tag>
              ),
            },
          ]}
          locale={{ emptyText: 'No audit records match.' }}
        />
        <Flex justify="flex-end" align="center" gap={12} style={{ marginTop: 12 }} data-testid="audit-pager">
          <Typography.Text type="secondary">page {page}</Typography.Text>
          <Button
            size="small"
            icon={<LeftOutlined />}
            aria-label="Previous page"
            disabled={page <= 1 || list.loading}
            onClick={() => setTokens((t) => t.slice(0, -1))}
          />
          <Button
            size="small"
            icon={<RightOutlined />}
            aria-label="Next page"
            disabled={!list.data?.nextToken || list.loading}
            onClick={() => setTokens((t) => [...t, list.data!.nextToken])}
          />
          <Select
            size="small"
            aria-label="Records per page"
            value={pageSize}
            onChange={(n: number) => {
              setPageSize(n);
              setTokens(['']);
            }}
            style={{ width: 110 }}
            options={PAGE_SIZES.map((n) => ({ value: n, label: `${n} / page` }))}
          />
        </Flex>
      </Card>
    </div>
  );
}
