// Form rules that match the API's own checks on names and descriptions
// (api/action.ts readName/readDescription), so the form says it first.
import type { FormRule as Rule } from 'antd';

export const nameRule: Rule = {
  validator: async (_r, v?: string) => {
    if (!v) return;
    if (v.length < 2 || v.length > 128 || !/^\p{L}/u.test(v) || /^https?:\/\//.test(v)) {
      throw new Error('2 to 128 characters, starting with a letter, not with http:// or https://.');
    }
  },
};

export const descriptionRule: Rule = {
  validator: async (_r, v?: string) => {
    if (!v) return;
    if (v.length < 2 || v.length > 256 || /^https?:\/\//.test(v))
      throw new Error('2 to 256 characters, not starting with http:// or https://.');
  },
};
