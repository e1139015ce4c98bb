// Server-side paging with MaxResults/NextToken: previous/next over a stack of
// tokens, so page 400 of 10,000 ENIs costs the same as page 1.
import { Button, Flex, Select, Typography } from 'antd';
import { LeftOutlined, RightOutlined } from '@ant-design/icons';

export interface TokenPagerProps {
  page: number;
  pageSize: number;
  total: number;
  hasNext: boolean;
  loading: boolean;
  onPrev(): void;
  onNext(): void;
  onPageSize(n: number): void;
}

export function TokenPager(p: TokenPagerProps) {
  const pages = Math.max(1, Math.ceil(p.total / p.pageSize));
  const from = p.total === 0 ? 0 : (p.page - 1) * p.pageSize + 1;
  const to = Math.min(p.total, p.page * p.pageSize);
  return (
    <Flex justify="flex-end" align="center" gap={12} style={{ marginTop: 12 }} data-testid="eni-pager">
      <Typography.Text type="secondary">
        {from}–{to} of {p.total.toLocaleString('en-US')} · page {p.page} of {pages.toLocaleString('en-US')}
      </Typography.Text>
      <Button size="small" icon={<LeftOutlined />} disabled={p.page <= 1 || p.loading} onClick={p.onPrev} aria-label="Previous page" />
      <Button size="small" icon={<RightOutlined />} disabled={!p.hasNext || p.loading} onClick={p.onNext} aria-label="Next page" />
      <Select
        size="small"
        aria-label="ENIs per page"
        value={p.pageSize}
        onChange={p.onPageSize}
        style={{ width: 110 }}
        options={[10, 20, 50, 100].map((n) => ({ value: n, label: `${n} / page` }))}
      />
    </Flex>
  );
}
