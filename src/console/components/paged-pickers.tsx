// Pickers over lists that can be long (vSwitches, security groups): one page
// at a time (the first when opened, the next when scrolled to the end) and a
// server-side search (a whole id, or an exact name, as the API filters), never
// every page of the region. The selected item is handed up whole (onPick), so a
// dialog knows its VPC and CIDR blocks without listing anything else.
import { useState } from 'react';
import { Select } from 'antd';
import { searchSecurityGroups, searchVSwitches } from '../api/ecs.ts';
import type { SecurityGroupWire, VSwitchWire } from '../api/wire.ts';
import { loadMoreOnScroll, usePagedSearch } from '../hooks/use-paged-search.ts';
import { useScope } from '../state/scope.tsx';

const searchHint = (what: string, loaded: number, total: number) =>
  loaded < total ? `${loaded} of ${total} shown: scroll for more, or type a whole ${what} ID or exact name` : undefined;

export function VSwitchSelect(props: {
  value?: string;
  onChange?(id: string | undefined): void;
  onPick?(v: VSwitchWire | undefined): void;
  label(v: VSwitchWire): string;
  /** load the first page at once (a dialog that needs to know whether any exists), not on first open */
  eager?: boolean;
  onFirstPage?(total: number): void;
  allowClear?: boolean;
  placeholder?: string;
  'aria-label'?: string;
  /** set by a Form.Item, so its label names the control */
  id?: string;
  style?: React.CSSProperties;
  disabled?: boolean;
}) {
  const scope = useScope();
  const [opened, setOpened] = useState(!!props.eager);
  const search = usePagedSearch(
    async (text, n) => {
      const page = await searchVSwitches(scope, text, n);
      if (n === 1 && text === '') props.onFirstPage?.(page.total);
      return page;
    },
    [scope.regionId, scope.resourceGroupId],
    { enabled: opened },
  );
  return (
    <Select
      id={props.id}
      aria-label={props['aria-label']}
      data-testid="vswitch-select"
      placeholder={props.placeholder ?? 'Choose a vSwitch'}
      allowClear={props.allowClear}
      disabled={props.disabled}
      style={props.style}
      value={props.value}
      loading={search.loading}
      onOpenChange={(o) => o && setOpened(true)}
      showSearch={{ searchValue: search.text, onSearch: search.setText, filterOption: false }}
      onPopupScroll={loadMoreOnScroll(search)}
      onChange={(id?: string) => {
        props.onChange?.(id);
        props.onPick?.(search.items.find((v) => v.VSwitchId === id));
      }}
      options={search.items.map((v) => ({ value: v.VSwitchId, label: props.label(v) }))}
      notFoundContent={
        search.loading ? 'Loading…' : search.text ? `No vSwitch with the ID or name "${search.text.trim()}"` : 'No vSwitches in this region'
      }
      popupRender={(menu) => (
        <>
          {menu}
          {searchHint('vSwitch', search.items.length, search.total) && (
            <div style={{ padding: '4px 12px', fontSize: 12, color: 'rgba(0,0,0,.45)' }}>
              {searchHint('vSwitch', search.items.length, search.total)}
            </div>
          )}
        </>
      )}
    />
  );
}

export function SecurityGroupSelect(props: {
  vpcId: string | undefined;
  value?: string[];
  onChange?(ids: string[]): void;
  maxCount?: number;
  disabled?: boolean;
  notFoundContent?: React.ReactNode;
  placeholder?: string;
  id?: string;
}) {
  const scope = useScope();
  const vpcId = props.vpcId;
  const search = usePagedSearch((text, n) => searchSecurityGroups({ regionId: scope.regionId }, vpcId!, text, n), [scope.regionId, vpcId], {
    enabled: !!vpcId && !props.disabled,
  });
  return (
    <Select
      id={props.id}
      mode="multiple"
      data-testid="security-group-select"
      disabled={props.disabled}
      maxCount={props.maxCount}
      placeholder={props.placeholder ?? 'Choose security groups'}
      value={props.value}
      onChange={props.onChange}
      loading={search.loading}
      showSearch={{ searchValue: search.text, onSearch: search.setText, filterOption: false, autoClearSearchValue: true }}
      onPopupScroll={loadMoreOnScroll(search)}
      options={search.items.map((g: SecurityGroupWire) => ({
        value: g.SecurityGroupId,
        label: `${g.SecurityGroupName || g.SecurityGroupId} (${g.SecurityGroupId})`,
      }))}
      notFoundContent={search.loading ? 'Loading…' : props.notFoundContent}
      popupRender={(menu) => (
        <>
          {menu}
          {searchHint('security group', search.items.length, search.total) && (
            <div style={{ padding: '4px 12px', fontSize: 12, color: 'rgba(0,0,0,.45)' }}>
              {searchHint('security group', search.items.length, search.total)}
            </div>
          )}
        </>
      )}
    />
  );
}
