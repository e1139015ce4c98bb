// ECS TagResources: adds tags to instances, ENIs or security groups (ResourceType instance, eni, securitygroup).
import { tagResourcesAction } from '../tag-actions.ts';

export default tagResourcesAction('ecs');
