// VPC TagResources (2016-04-28): adds tags to VPCs and vSwitches (ResourceType VPC, VSWITCH).
import { tagResourcesAction } from '../tag-actions.ts';

export default tagResourcesAction('vpc');
