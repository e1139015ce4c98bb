import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { DEFAULT_VPC_IPV6_POOL, ipv6InCidr, parseIpv6Cidr, randomVpcIpv6Block } from '../../src/ipam/index.ts';
import { assertDomainError, scriptedRng, seededRng } from './helpers.ts';

describe('randomVpcIpv6Block', () => {
  it('defaults to a /56 inside the documentation prefix 2001:db8::/32', () => {
    assert.equal(DEFAULT_VPC_IPV6_POOL, '2001:db8::/32');
    const rng = scriptedRng([0xabcdef]);
    assert.deepEqual({ ...randomVpcIpv6Block(rng) }, { prefix: '2001:db8:abcd:ef00::', prefixLength: 56 });
    assert.deepEqual(rng.asked, [2 ** 24], '24 random bits between /32 and /56');
  });

  it('always gives a valid /56 inside the pool (property)', () => {
    fc.assert(
      fc.property(
        fc.integer(),
        fc.constantFrom('2001:db8::/32', '2001:db8:1200::/40', 'fd00::/8', '::/0', '2001:db8:0:100::/56'),
        (seed, pool) => {
          const block = randomVpcIpv6Block(seededRng(seed), pool);
          assert.equal(block.prefixLength, 56);
          assert.deepEqual({ ...parseIpv6Cidr(`${block.prefix}/56`) }, { ...block });
          const [poolPrefix] = pool.split('/');
          assert.ok(
            ipv6InCidr({ prefix: poolPrefix!, prefixLength: Number(pool.split('/')[1]) }, block.prefix),
            `${block.prefix} in ${pool}`,
          );
        },
      ),
    );
  });

  it('a /56 pool has one block; a /0 pool draws 56 bits in two draws', () => {
    assert.equal(randomVpcIpv6Block(scriptedRng([]), '2001:DB8:0:100::/56').prefix, '2001:db8:0:100::');
    const rng = scriptedRng([0xffffffff, 0xffffff]);
    assert.equal(randomVpcIpv6Block(rng, '::/0').prefix, 'ffff:ffff:ffff:ff00::');
    assert.deepEqual(rng.asked, [2 ** 32, 2 ** 24]);
  });

  it('spreads blocks over seeds', () => {
    const seen = new Set<string>();
    for (let seed = 0; seed < 100; seed++) seen.add(randomVpcIpv6Block(seededRng(seed)).prefix);
    assert.ok(seen.size >= 99);
  });

  it('rejects a bad pool with Ipv6CidrInvalid {cidr}', () => {
    for (const bad of ['2001:db8::/57', '2001:db8::1/32', '2001:db8::', '10.0.0.0/8', 'junk']) {
      assertDomainError(() => randomVpcIpv6Block(seededRng(1), bad), 'Ipv6CidrInvalid', { cidr: bad });
    }
  });
});
