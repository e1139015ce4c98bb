// The default regions and zones (configurable). Id prefixes follow the real
// cloud's resource ids: "bp" for Hangzhou, "uf" for Shanghai, "2z" for Beijing.
import type { Region } from './model.ts';

export const DEFAULT_REGIONS: readonly Region[] = [
  {
    id: 'cn-hangzhou',
    localName: '华东1（杭州）',
    idPrefix: 'bp',
    zones: [
      { id: 'cn-hangzhou-h', localName: '杭州 可用区H' },
      { id: 'cn-hangzhou-i', localName: '杭州 可用区I' },
      { id: 'cn-hangzhou-j', localName: '杭州 可用区J' },
    ],
  },
  {
    id: 'cn-shanghai',
    localName: '华东2（上海）',
    idPrefix: 'uf',
    zones: [
      { id: 'cn-shanghai-l', localName: '上海 可用区L' },
      { id: 'cn-shanghai-m', localName: '上海 可用区M' },
    ],
  },
  {
    id: 'cn-beijing',
    localName: '华北2（北京）',
    idPrefix: '2z',
    zones: [
      { id: 'cn-beijing-h', localName: '北京 可用区H' },
      { id: 'cn-beijing-i', localName: '北京 可用区I' },
    ],
  },
];

export const DEFAULT_REGION_ID = 'cn-hangzhou';
