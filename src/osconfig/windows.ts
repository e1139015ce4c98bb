// Windows Server 2016/2019/2022: a PowerShell script (the commands run it) and
// the same steps as a netsh batch file for cmd.exe, an alternative to run
// instead. Both find the adapter by MAC, since Windows names ("Ethernet",
// "Ethernet 2") are not the Linux names in the facts. Order matters: with
// DHCP switched off the DHCP address is gone, so the primary address and the
// gateway go back in straight away (the seed's warning); run it as one script.
//
// Windows has no source-based policy routing. A secondary ENI gets its own
// default gateway but a high interface metric: Windows' strong host model
// sends a reply only through the adapter owning its source address, so
// replies use that gateway, and everything else keeps the primary ENI's route.

import { dnsByFamily, planEni, type EniPlan } from './eni-plan.ts';
import type { EniFacts } from './facts.ts';
import type { OsEntry } from './os-catalog.ts';
import type { RenderedCommand, Rendering } from './rendering.ts';

const DIR = 'C:\\ProgramData\\eniplane';
/** interface metric of a secondary ENI; automatic metrics of fast links are 5..50 */
const SECONDARY_ENI_METRIC_BASE = 100;

const windowsMac = (mac: string) => mac.toUpperCase().replace(/:/g, '-');
const psList = (items: string[]) => `@(${items.map((s) => `'${s}'`).join(', ')})`;

function powershellScript(plan: EniPlan): string {
  const { facts, policy } = plan;
  const mac = windowsMac(facts.macAddress);
  const v6Prefix = facts.ipv6?.prefixLength;
  const L: string[] = [
    `# Written by eniplane for ${plan.label}.`,
    '# Run as Administrator, as one script (powershell -ExecutionPolicy Bypass -File <this file>):',
    '# switching IPv4 to static drops the DHCP address for a moment, which can cut a remote',
    '# desktop session; the script carries on and puts the primary address back at once.',
    "$ErrorActionPreference = 'Stop'",
    `$adapter = Get-NetAdapter | Where-Object { $_.MacAddress -eq '${mac}' }`,
    `if (-not $adapter) { throw 'No network adapter has MAC ${mac}' }`,
    '$index = $adapter.ifIndex',
    '',
    '# Adds one address, or keeps it when it is there already with the same prefix length.',
    'function Add-EniAddress {',
    '    param([string]$IPAddress, [int]$PrefixLength, [bool]$SkipAsSource)',
    '    $current = Get-NetIPAddress -InterfaceIndex $index -IPAddress $IPAddress -ErrorAction SilentlyContinue',
    '    if ($current -and $current.PrefixLength -ne $PrefixLength) {',
    '        Remove-NetIPAddress -InterfaceIndex $index -IPAddress $IPAddress -Confirm:$false',
    '        $current = $null',
    '    }',
    '    if ($current) {',
    '        Set-NetIPAddress -InterfaceIndex $index -IPAddress $IPAddress -SkipAsSource $SkipAsSource',
    '    } else {',
    '        New-NetIPAddress -InterfaceIndex $index -IPAddress $IPAddress -PrefixLength $PrefixLength -SkipAsSource $SkipAsSource | Out-Null',
    '    }',
    '}',
    '',
    'function Add-EniDefaultRoute {',
    '    param([string]$DestinationPrefix, [string]$NextHop)',
    '    $current = Get-NetRoute -InterfaceIndex $index -DestinationPrefix $DestinationPrefix -ErrorAction SilentlyContinue |',
    '        Where-Object { $_.NextHop -eq $NextHop }',
    '    if (-not $current) {',
    '        New-NetRoute -InterfaceIndex $index -DestinationPrefix $DestinationPrefix -NextHop $NextHop | Out-Null',
    '    }',
    '}',
    '',
    '# IPv4 to static: DHCP off, then at once the primary address and the gateway.',
    'Set-NetIPInterface -InterfaceIndex $index -AddressFamily IPv4 -Dhcp Disabled',
    `Add-EniAddress -IPAddress '${plan.v4[0]}' -PrefixLength ${plan.v4Prefix} -SkipAsSource $false`,
    `Add-EniDefaultRoute -DestinationPrefix '0.0.0.0/0' -NextHop '${facts.ipv4.gateway}'`,
  ];
  if (policy) {
    L.push(
      `# Secondary ENI: no policy routing on Windows; a high metric keeps other traffic on the primary ENI.`,
      `Set-NetIPInterface -InterfaceIndex $index -InterfaceMetric ${SECONDARY_ENI_METRIC_BASE + facts.deviceIndex}`,
    );
  }
  L.push('', '# Secondary addresses; SkipAsSource stops Windows from using them as the source of new connections.');
  for (const a of plan.v4.slice(1)) L.push(`Add-EniAddress -IPAddress '${a}' -PrefixLength ${plan.v4Prefix} -SkipAsSource $true`);
  const dns = dnsByFamily(facts);
  if (!policy && facts.dnsServers.length > 0) {
    L.push(
      '',
      '# DNS: with DHCP off the DHCP-supplied servers are gone.',
      `Set-DnsClientServerAddress -InterfaceIndex $index -ServerAddresses ${psList([...dns.v4, ...dns.v6])}`,
    );
  }
  if (facts.ipv6) {
    L.push('', '# IPv6 addresses (the first is the source address) and the IPv6 default route.');
    plan.v6.forEach((a, i) =>
      L.push(`Add-EniAddress -IPAddress '${a}' -PrefixLength ${v6Prefix} -SkipAsSource $${i === 0 ? 'false' : 'true'}`),
    );
    L.push(`Add-EniDefaultRoute -DestinationPrefix '::/0' -NextHop '${facts.ipv6.gateway}'`);
  }
  L.push(
    '',
    '# Check that every address is there.',
    `$want = ${psList([...plan.v4, ...plan.v6])}`,
    '$have = @(Get-NetIPAddress -InterfaceIndex $index | ForEach-Object { $_.IPAddress })',
    '$missing = @($want | Where-Object { $have -notcontains $_ })',
    `if ($missing.Count -gt 0) { throw "Missing addresses: $($missing -join ', ')" }`,
    'Write-Output "All $($want.Count) addresses are on $($adapter.Name)"',
  );
  return L.join('\r\n') + '\r\n';
}

function netshBatch(plan: EniPlan): string {
  const { facts, policy } = plan;
  const mac = windowsMac(facts.macAddress);
  const n = 'name="%IFNAME%"';
  const L: string[] = [
    '@echo off',
    `REM Written by eniplane for ${plan.label}.`,
    'REM The cmd.exe alternative to the PowerShell script: run one or the other, as Administrator.',
    'setlocal',
    'set "IFNAME="',
    `for /f "tokens=1,3 delims=," %%a in ('getmac /v /fo csv /nh') do if /i "%%~b"=="${mac}" set "IFNAME=%%~a"`,
    `if not defined IFNAME (echo No network adapter has MAC ${mac} & exit /b 1)`,
    'REM IPv4 to static with the primary address and the gateway in one command (the seed: the primary must be set too)',
    `netsh interface ipv4 set address ${n} source=static address=${plan.v4[0]} mask=${plan.v4Netmask} gateway=${facts.ipv4.gateway} gwmetric=0`,
  ];
  if (policy) {
    L.push(
      'REM secondary ENI: no policy routing on Windows; a high metric keeps other traffic on the primary ENI',
      `netsh interface ipv4 set interface interface="%IFNAME%" metric=${SECONDARY_ENI_METRIC_BASE + facts.deviceIndex}`,
    );
  }
  L.push('REM secondary addresses; skipassource stops Windows from using them as the source of new connections');
  for (const a of plan.v4.slice(1)) L.push(`netsh interface ipv4 add address ${n} address=${a} mask=${plan.v4Netmask} skipassource=true`);
  const dns = dnsByFamily(facts);
  if (!policy) {
    dns.v4.forEach((s, i) =>
      L.push(
        i === 0
          ? `netsh interface ipv4 set dnsservers ${n} source=static address=${s} register=primary validate=no`
          : `netsh interface ipv4 add dnsservers ${n} address=${s} index=${i + 1} validate=no`,
      ),
    );
    dns.v6.forEach((s, i) =>
      L.push(
        i === 0
          ? `netsh interface ipv6 set dnsservers ${n} source=static address=${s} register=primary validate=no`
          : `netsh interface ipv6 add dnsservers ${n} address=${s} index=${i + 1} validate=no`,
      ),
    );
  }
  if (facts.ipv6) {
    plan.v6.forEach((a, i) =>
      L.push(
        `netsh interface ipv6 add address interface="%IFNAME%" address=${a}/${facts.ipv6!.prefixLength}${i === 0 ? '' : ' skipassource=true'}`,
      ),
    );
    L.push(`netsh interface ipv6 add route prefix=::/0 interface="%IFNAME%" nexthop=${facts.ipv6.gateway}`);
  }
  L.push('ipconfig');
  return L.join('\r\n') + '\r\n';
}

export function renderWindows(facts: EniFacts, os: OsEntry): Rendering {
  const plan = planEni(facts);
  const script = `${DIR}\\configure-${plan.ifname}.ps1`;
  const batch = `${DIR}\\configure-${plan.ifname}-netsh.cmd`;
  const backup = (fam: 'ipv4' | 'ipv6'): RenderedCommand => ({
    run: `if (-not (Test-Path '${DIR}\\backup-${fam}.txt')) { netsh interface ${fam} dump | Out-File -Encoding ascii '${DIR}\\backup-${fam}.txt' }`,
    why: `back up the ${fam === 'ipv4' ? 'IPv4' : 'IPv6'} configuration of every adapter (restore with "netsh -f ${DIR}\\backup-${fam}.txt"); the first backup is kept`,
    stage: 'prepare',
  });
  const warnings = [
    'Run the script from the VNC console or accept a short break: the remote desktop session may drop while IPv4 switches to static.',
  ];
  if (plan.policy) {
    warnings.push(
      `Windows has no source-based policy routing: this secondary ENI gets its own default gateway with interface metric ${SECONDARY_ENI_METRIC_BASE + facts.deviceIndex}; Windows' strong host model sends replies from its addresses through it, other traffic keeps the primary ENI's lower-metric route.`,
    );
  }
  if (plan.localRoutes.length > 0) {
    warnings.push(
      `IP prefixes (${plan.localRoutes.map((r) => r.cidr).join(', ')}): Windows has no local routes; add each address you use from a prefix with "New-NetIPAddress ... -SkipAsSource $true", as for the secondary addresses.`,
    );
  }
  return {
    osId: os.id,
    target: os.target,
    files: [
      {
        path: script,
        content: powershellScript(plan),
        description:
          'PowerShell: static primary address and gateway first, then the secondary addresses (New-NetIPAddress each), DNS, IPv6, a final check',
      },
      {
        path: batch,
        content: netshBatch(plan),
        description: 'the same with netsh for cmd.exe: an alternative to the PowerShell script, run one or the other',
      },
    ],
    commands: [
      {
        run: `New-Item -ItemType Directory -Force -Path '${DIR}' | Out-Null`,
        why: 'the folder for the scripts and the backups',
        stage: 'prepare',
      },
      backup('ipv4'),
      ...(facts.ipv6 ? [backup('ipv6')] : []),
      {
        run: `powershell -NoProfile -ExecutionPolicy Bypass -File '${script}'`,
        why: 'applies the configuration; it checks every address at the end',
        stage: 'apply',
      },
    ],
    warnings,
    verify: ['ipconfig', `Get-NetAdapter | Where-Object { $_.MacAddress -eq '${windowsMac(facts.macAddress)}' } | Get-NetIPAddress`],
    shell: 'powershell',
  };
}
