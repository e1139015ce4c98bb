// VPC ListTagResources (2016-04-28): tags of VPCs and vSwitches, MaxResults/NextToken paging.
import { listTagResourcesAction } from '../tag-actions.ts';

export default listTagResourcesAction('vpc');
