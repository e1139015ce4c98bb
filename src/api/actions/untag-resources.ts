// ECS UntagResources: removes tags (TagKey.N, or All) from instances, ENIs or security groups.
import { untagResourcesAction } from '../tag-actions.ts';

export default untagResourcesAction('ecs');
