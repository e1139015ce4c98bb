// Windows: nothing in Debian runs PowerShell or netsh, so the script is held
// to what can be checked here: a PowerShell grammar (tree-sitter-powershell)
// finds no syntax error, and every cmdlet and parameter used is one Microsoft
// documents (a list kept below, from the NetTCPIP/DnsClient/NetAdapter
// references), so a typo such as New-NetIPAdress fails. The netsh batch is
// compared with reviewed golden files and every netsh line with the
// documented `netsh interface ipv4|ipv6` syntax.

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import Parser from 'tree-sitter';
import PowerShell from 'tree-sitter-powershell';
import fc from 'fast-check';
import { render } from '../../src/osconfig/index.ts';
import { canonicalIp } from '../../src/osconfig/ip.ts';
import { eniFactsArb, LAB_SECONDARY, SEED_FACTS } from './support/facts-arb.ts';
import { fileContent, netmaskToPrefix } from './support/parsers.ts';

const parser = new Parser();
parser.setLanguage(PowerShell as Parser.Language);

const COMMON = ['ErrorAction', 'Confirm', 'WhatIf', 'Verbose'];
/** cmdlet -> documented parameters we may use (learn.microsoft.com, module NetTCPIP etc.) */
const CMDLETS: Record<string, string[]> = {
  'Get-NetAdapter': ['Name', 'InterfaceIndex', 'InterfaceDescription'],
  'Where-Object': ['FilterScript'],
  'ForEach-Object': ['Process'],
  'Get-NetIPAddress': ['InterfaceIndex', 'IPAddress', 'AddressFamily', 'PrefixLength'],
  'New-NetIPAddress': ['InterfaceIndex', 'IPAddress', 'PrefixLength', 'AddressFamily', 'SkipAsSource', 'DefaultGateway'],
  'Set-NetIPAddress': ['InterfaceIndex', 'IPAddress', 'PrefixLength', 'SkipAsSource'],
  'Remove-NetIPAddress': ['InterfaceIndex', 'IPAddress', 'PrefixLength'],
  'Get-NetRoute': ['InterfaceIndex', 'DestinationPrefix', 'NextHop'],
  'New-NetRoute': ['InterfaceIndex', 'DestinationPrefix', 'NextHop', 'RouteMetric'],
  'Set-NetIPInterface': ['InterfaceIndex', 'AddressFamily', 'Dhcp', 'InterfaceMetric'],
  'Set-DnsClientServerAddress': ['InterfaceIndex', 'ServerAddresses'],
  'Out-Null': [],
  'Out-File': ['FilePath', 'Encoding'],
  'Write-Output': ['InputObject'],
  'Test-Path': ['Path'],
  'New-Item': ['ItemType', 'Force', 'Path'],
};
/** external programs the commands call */
const PROGRAMS = ['netsh', 'powershell', 'ipconfig'];

interface Node {
  type: string;
  text: string;
  namedChildren: Node[];
  childForFieldName?(n: string): Node | null;
  hasError?: boolean;
}

function collect(node: Node, type: string, out: Node[] = []): Node[] {
  if (node.type === type) out.push(node);
  for (const c of node.namedChildren) collect(c, type, out);
  return out;
}

/** syntax errors, then each command with a name or parameter nobody documents */
function checkPowerShell(source: string): string[] {
  const tree = parser.parse(source);
  if (tree.rootNode.hasError) return ['syntax error'];
  const root = tree.rootNode as unknown as Node;
  // functions the script defines, with the parameters of their param() block
  const own: Record<string, string[]> = {};
  for (const fn of collect(root, 'function_statement')) {
    const name = collect(fn, 'function_name')[0].text;
    own[name] = collect(fn, 'script_parameter').map((p) => collect(p, 'variable')[0].text.slice(1));
  }
  const problems: string[] = [];
  for (const cmd of collect(root, 'command')) {
    const name = collect(cmd, 'command_name')[0]?.text ?? '';
    if (PROGRAMS.includes(name)) continue;
    const allowed = CMDLETS[name] ?? own[name];
    if (!allowed) {
      problems.push(`unknown command ${name}`);
      continue;
    }
    for (const p of collect(cmd, 'command_parameter')) {
      const param = p.text.replace(/^-/, '').replace(/:.*$/, '');
      if (!allowed.includes(param) && !COMMON.includes(param)) problems.push(`${name} has no parameter -${param}`);
    }
  }
  return problems;
}

/** documented `netsh interface <family> <verb> <object>` forms and their keys */
const NETSH: Record<string, string[]> = {
  'ipv4 set address': ['name', 'source', 'address', 'mask', 'gateway', 'gwmetric'],
  'ipv4 add address': ['name', 'address', 'mask', 'skipassource'],
  'ipv4 set interface': ['interface', 'metric'],
  'ipv4 set dnsservers': ['name', 'source', 'address', 'register', 'validate'],
  'ipv4 add dnsservers': ['name', 'address', 'index', 'validate'],
  'ipv6 add address': ['interface', 'address', 'skipassource'],
  'ipv6 add route': ['prefix', 'interface', 'nexthop'],
  'ipv6 set dnsservers': ['name', 'source', 'address', 'register', 'validate'],
  'ipv6 add dnsservers': ['name', 'address', 'index', 'validate'],
};

function checkNetshLine(line: string): string | undefined {
  const m = /^netsh interface (ipv4|ipv6) (\w+) (\w+) (.*)$/.exec(line);
  if (!m) return `not a netsh interface command: ${line}`;
  const keys = NETSH[`${m[1]} ${m[2]} ${m[3]}`];
  if (!keys) return `undocumented form: netsh interface ${m[1]} ${m[2]} ${m[3]}`;
  for (const arg of m[4].match(/\w+=("[^"]*"|\S+)/g) ?? []) {
    const [key, value] = [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)];
    if (!keys.includes(key)) return `${m[1]} ${m[2]} ${m[3]} has no ${key}=`;
    if (['address', 'gateway', 'nexthop'].includes(key) && !canonicalIp(value.split('/')[0])) return `bad address ${value}`;
    if (key === 'mask') netmaskToPrefix(value);
  }
  if ((m[4].match(/\w+=("[^"]*"|\S+)/g) ?? []).join(' ') !== m[4].trim()) return `stray words in: ${line}`;
  return undefined;
}

function checkNetsh(batch: string): string[] {
  return batch
    .split('\r\n')
    .filter((l) => l.startsWith('netsh '))
    .map(checkNetshLine)
    .filter((p): p is string => p !== undefined);
}

describe('Windows PowerShell script', () => {
  it('parses with no error and uses only documented cmdlets and parameters, over random ENIs', () => {
    fc.assert(
      fc.property(eniFactsArb, (facts) => {
        const r = render('windows-2022', facts);
        assert.deepEqual(checkPowerShell(fileContent(r, '.ps1')), []);
        for (const c of r.commands) assert.deepEqual(checkPowerShell(c.run), [], c.run);
        for (const v of r.verify) assert.deepEqual(checkPowerShell(v), [], v);
      }),
      { numRuns: 40 },
    );
  });

  it('the checks catch a broken script and a misspelt cmdlet or parameter', () => {
    const good = fileContent(render('windows-2019', SEED_FACTS), '.ps1');
    assert.deepEqual(checkPowerShell(good), []);
    assert.deepEqual(checkPowerShell(good.replace('-ErrorAction SilentlyContinue', "-ErrorAction 'SilentlyContinue")), ['syntax error']);
    assert.deepEqual(checkPowerShell(good.replace(/\}\r\n\r\nfunction/, '\r\n\r\nfunction')), ['syntax error']);
    assert.deepEqual(checkPowerShell(good.replace('New-NetIPAddress', 'New-NetIPAdress')), ['unknown command New-NetIPAdress']);
    assert.deepEqual(checkPowerShell(good.replace('-Dhcp Disabled', '-DHCPEnabled Disabled')), [
      'Set-NetIPInterface has no parameter -DHCPEnabled',
    ]);
  });

  it('switches to static with the primary address and the gateway before anything else', () => {
    const script = fileContent(render('windows-2022', SEED_FACTS), '.ps1').split('\r\n');
    const at = (re: RegExp) => script.findIndex((l) => re.test(l));
    const dhcpOff = at(/^Set-NetIPInterface .*-Dhcp Disabled$/);
    assert.ok(dhcpOff > 0);
    assert.equal(at(/^Add-EniAddress /), dhcpOff + 1);
    assert.match(script[dhcpOff + 1], /-IPAddress '192\.168\.1\.201' -PrefixLength 24 -SkipAsSource \$false$/);
    assert.match(script[dhcpOff + 2], /^Add-EniDefaultRoute -DestinationPrefix '0\.0\.0\.0\/0' -NextHop '192\.168\.1\.253'$/);
    for (const a of ['192.168.1.202', '192.168.1.203']) {
      assert.ok(
        at(new RegExp(`^Add-EniAddress -IPAddress '${a.replace(/\./g, '\\.')}' -PrefixLength 24 -SkipAsSource \\$true$`)) > dhcpOff + 2,
      );
    }
  });
});

describe('Windows netsh batch', () => {
  const GOLDEN = new URL('./golden/', import.meta.url);
  for (const [name, facts] of [
    ['windows-seed-netsh.cmd', SEED_FACTS],
    ['windows-secondary-eni-netsh.cmd', LAB_SECONDARY],
  ] as const) {
    it(`matches the reviewed golden file ${name}`, () => {
      const got = fileContent(render('windows-2022', facts), '-netsh.cmd');
      // ENIPLANE_UPDATE_GOLDEN=1 rewrites the file; review the diff before committing it
      if (process.env.ENIPLANE_UPDATE_GOLDEN === '1') writeFileSync(new URL(name, GOLDEN), got);
      assert.equal(got, readFileSync(new URL(name, GOLDEN), 'utf8'));
    });
  }

  it('every netsh line has the documented syntax, over random ENIs', () => {
    fc.assert(
      fc.property(eniFactsArb, (facts) => {
        assert.deepEqual(checkNetsh(fileContent(render('windows-2016', facts), '-netsh.cmd')), []);
      }),
      { numRuns: 40 },
    );
    assert.notDeepEqual(checkNetsh('netsh interface ipv4 add address name="x" adress=10.0.0.1 mask=255.255.255.0\r\n'), []);
  });
});
