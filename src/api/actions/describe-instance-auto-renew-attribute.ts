// ECS DescribeInstanceAutoRenewAttribute: the renewal settings RunInstances/CreateInstance stored for
// subscription (PrePaid) instances; pay-as-you-go ones have none and are left out. Terraform's
// alicloud_instance refresh calls it for PrePaid instances. Nothing is ever renewed or charged.
import { defineAction, ECS_VERSION, readIdList } from '../action.ts';
import { wireErrors } from '../errors.ts';
import { describeInstances } from '../../service/instances.ts';

const STATUSES = ['AutoRenewal', 'Normal', 'NotRenewal'];

export default defineAction({
  action: 'DescribeInstanceAutoRenewAttribute',
  version: ECS_VERSION,
  use: { honoured: ['RegionId', 'InstanceId', 'RenewalStatus', 'PageNumber', 'PageSize'] },
  async handle({ deps, caller }, p) {
    const status = p.str('RenewalStatus');
    if (status !== undefined && !STATUSES.includes(status)) throw wireErrors.invalidParameter('RenewalStatus');
    const pageNumber = p.int('PageNumber', { min: 1 }) ?? 1;
    const pageSize = p.int('PageSize', { min: 1, max: 100 }) ?? 10;
    const ids = readIdList(p, 'InstanceId');
    if (ids && ids.length > 100) throw wireErrors.invalidParameter('InstanceId', 'At most 100 ids.');
    // Every filter in the query (PrePaid, RenewalStatus): TotalCount and the page are exact at any size.
    const page = await describeInstances(
      deps,
      caller,
      {
        regionId: p.str('RegionId'),
        ids,
        instanceChargeType: 'PrePaid',
        autoRenew: status === undefined ? undefined : status === 'AutoRenewal',
        matchNothing: status === 'NotRenewal',
      },
      { offset: (pageNumber - 1) * pageSize, limit: pageSize },
    );
    return {
      InstanceRenewAttributes: {
        InstanceRenewAttribute: page.items.map(({ instance: i }) => ({
          InstanceId: i.id,
          AutoRenewEnabled: i.billing.autoRenew,
          RenewalStatus: i.billing.autoRenew ? 'AutoRenewal' : 'Normal',
          Duration: i.billing.autoRenewPeriod ?? 1,
          PeriodUnit: i.billing.periodUnit ?? 'Month',
          EnableExpectedRenewDay: false,
        })),
      },
      TotalCount: page.totalCount,
      PageNumber: pageNumber,
      PageSize: pageSize,
    };
  },
});
