// English names for Alibaba Cloud's region ids, as the international console
// shows them; the server's own names (often Chinese) are the fallback.
const REGIONS: Record<string, string> = {
  'cn-hangzhou': 'China (Hangzhou)',
  'cn-shanghai': 'China (Shanghai)',
  'cn-beijing': 'China (Beijing)',
  'cn-qingdao': 'China (Qingdao)',
  'cn-zhangjiakou': 'China (Zhangjiakou)',
  'cn-huhehaote': 'China (Hohhot)',
  'cn-wulanchabu': 'China (Ulanqab)',
  'cn-shenzhen': 'China (Shenzhen)',
  'cn-heyuan': 'China (Heyuan)',
  'cn-guangzhou': 'China (Guangzhou)',
  'cn-chengdu': 'China (Chengdu)',
  'cn-hongkong': 'China (Hong Kong)',
  'ap-southeast-1': 'Singapore',
  'ap-southeast-3': 'Malaysia (Kuala Lumpur)',
  'ap-southeast-5': 'Indonesia (Jakarta)',
  'ap-northeast-1': 'Japan (Tokyo)',
  'ap-northeast-2': 'South Korea (Seoul)',
  'us-west-1': 'US (Silicon Valley)',
  'us-east-1': 'US (Virginia)',
  'eu-central-1': 'Germany (Frankfurt)',
  'eu-west-1': 'UK (London)',
  'me-east-1': 'UAE (Dubai)',
};

export function regionName(regionId: string, localName: string): string {
  return REGIONS[regionId] ?? localName;
}

/** "cn-hangzhou-h" → "Hangzhou Zone H" for known regions, else the server's name. */
export function zoneName(regionId: string, zoneId: string, localName: string): string {
  const region = REGIONS[regionId];
  const suffix = zoneId.startsWith(`${regionId}-`) ? zoneId.slice(regionId.length + 1) : '';
  if (!region || !/^[a-z]$/.test(suffix)) return localName;
  const city = /\(([^)]+)\)/.exec(region)?.[1] ?? region;
  return `${city} Zone ${suffix.toUpperCase()}`;
}
