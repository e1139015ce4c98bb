// A resource's id (copyable, optionally a link) with its name under it.
import { Typography } from 'antd';
import { Link } from '../router.tsx';

export function ResourceId({ id, name, to }: { id: string; name?: string; to?: string }) {
  if (!id) return <Typography.Text type="secondary">-</Typography.Text>;
  return (
    <div style={{ lineHeight: 1.4 }}>
      <Typography.Text copyable={{ text: id }} style={{ fontFamily: 'ui-monospace, monospace', fontSize: 12.5 }}>
        {to ? <Link to={to}>{id}</Link> : id}
      </Typography.Text>
      {name ? <div style={{ color: 'rgba(0,0,0,0.55)', fontSize: 12 }}>{name}</div> : null}
    </div>
  );
}
