// Tag.N rules as the actions document them, and ClientToken retries whose tags come in another order.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { wireFixture } from '../support/wire-fixture.ts';

const { h, net } = wireFixture();

const create = (extra: Record<string, string>) =>
  h.call('CreateNetworkInterface', { VSwitchId: net.vSwitchId, SecurityGroupId: net.securityGroupId, ...extra });

describe('CreateNetworkInterface Tag.N', () => {
  it('allows aliyun and acs: at the start of a value (only keys are reserved), and reads them back', async () => {
    const r = await create({
      'Tag.1.Key': 'owner',
      'Tag.1.Value': 'aliyun-team',
      'Tag.2.Key': 'scope',
      'Tag.2.Value': 'acs:ecs',
      'Tag.3.Key': 'empty',
      'Tag.3.Value': '',
    });
    assert.equal(r.status, 200, JSON.stringify(r.body));
    const d = await h.call('DescribeNetworkInterfaceAttribute', { NetworkInterfaceId: r.body.NetworkInterfaceId });
    const tags = (d.body.Tags.Tag as { TagKey: string; TagValue: string }[]).map((t) => `${t.TagKey}=${t.TagValue}`).sort();
    assert.deepEqual(tags, ['empty=', 'owner=aliyun-team', 'scope=acs:ecs']);
  });

  it('refuses reserved or URL keys and URL or over-long values', async () => {
    for (const key of ['aliyunx', 'ACS:x', 'see http://x', 'https://x', 'k'.repeat(129), '']) {
      const r = await create({ 'Tag.1.Key': key, 'Tag.1.Value': 'v' });
      assert.equal(r.body.Code, 'InvalidTagKey.Malformed', key);
      assert.equal(r.status, 400);
    }
    for (const value of ['see http://x', 'https://x', 'v'.repeat(129)]) {
      const r = await create({ 'Tag.1.Key': 'k', 'Tag.1.Value': value });
      assert.equal(r.body.Code, 'InvalidTagValue.Malformed', value);
    }
  });

  it('a ClientToken retry with its tags in another order is the same request; other tags are a mismatch', async () => {
    const first = await create({ ClientToken: 'tag-order-1', 'Tag.1.Key': 'a', 'Tag.1.Value': '1', 'Tag.2.Key': 'b', 'Tag.2.Value': '2' });
    assert.equal(first.status, 200, JSON.stringify(first.body));
    const again = await create({ ClientToken: 'tag-order-1', 'Tag.1.Key': 'b', 'Tag.1.Value': '2', 'Tag.2.Key': 'a', 'Tag.2.Value': '1' });
    assert.equal(again.status, 200, JSON.stringify(again.body));
    assert.equal(again.body.NetworkInterfaceId, first.body.NetworkInterfaceId);
    const other = await create({ ClientToken: 'tag-order-1', 'Tag.1.Key': 'b', 'Tag.1.Value': '1', 'Tag.2.Key': 'a', 'Tag.2.Value': '2' });
    assert.equal(other.body.Code, 'IdempotentParameterMismatch');
  });
});
