// Parameter-name checking (api/params.ts): which names an action accepts, and
// that remembering the valid ones changes no answer.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { list, objectList, object, str, unknownParams, type ParamSpec } from '../../src/api/params.ts';

const spec: ParamSpec = { NetworkInterfaceId: str(true), PrivateIpAddress: list(), Tag: objectList('Key', 'Value'), Conf: object('Mode') };
const other: ParamSpec = { InstanceId: str(true) };
const names = (...keys: string[]) => new Map(keys.map((k) => [k, 'x']));

test('accepts scalars, List.N, Objects.N.Field, Object.Field and the common params; refuses the rest', () => {
  assert.deepEqual(
    unknownParams(
      names('NetworkInterfaceId', 'PrivateIpAddress.1', 'PrivateIpAddress.10', 'Tag.2.Key', 'Conf.Mode', 'RegionId', 'Signature'),
      spec,
    ),
    [],
  );
  assert.deepEqual(
    unknownParams(
      names('PrivateIpAddress', 'Tag.1', 'Tag.1.Colour', 'PrivateIpAddress.1.Key', 'Conf.Other', 'Nope', 'constructor', '__proto__'),
      spec,
    ),
    ['PrivateIpAddress', 'Tag.1', 'Tag.1.Colour', 'PrivateIpAddress.1.Key', 'Conf.Other', 'Nope', 'constructor', '__proto__'],
  );
});

test('the same answers the second time (names remembered as valid), and per action', () => {
  for (let i = 0; i < 3; i++) {
    assert.deepEqual(unknownParams(names('NetworkInterfaceId', 'PrivateIpAddress.3', 'Bogus'), spec), ['Bogus']);
    assert.deepEqual(
      unknownParams(names('NetworkInterfaceId', 'PrivateIpAddress.3', 'InstanceId'), other),
      ['NetworkInterfaceId', 'PrivateIpAddress.3'],
      'valid for one action, unknown to another',
    );
  }
  // Past the bound nothing more is remembered, and answers stay the same.
  for (let i = 0; i < 5000; i++) assert.deepEqual(unknownParams(names(`PrivateIpAddress.${i + 1}`), spec), []);
  assert.deepEqual(unknownParams(names('PrivateIpAddress.999999', 'Bogus.1'), spec), ['Bogus.1']);
});
