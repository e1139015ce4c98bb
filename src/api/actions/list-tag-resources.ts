// ECS ListTagResources: tags of the given resources or of the resources carrying the given tags, paged by NextToken.
import { listTagResourcesAction } from '../tag-actions.ts';

export default listTagResourcesAction('ecs');
