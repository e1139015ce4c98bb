// VPC UnTagResources (2016-04-28, capital T): removes tags from VPCs and vSwitches.
import { untagResourcesAction } from '../tag-actions.ts';

export default untagResourcesAction('vpc');
