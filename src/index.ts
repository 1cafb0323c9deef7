// The package's entry (`import { defineModel, constant } from 'quorum'`): the vocabulary a model is
// written in. It is kept free of the engine, so a model module (loaded by every worker) stays small;
// the checker functions for tests are `quorum/check`.
export { defineModel, instance, isModelDefinition } from './model/model.js';
export type { ActionDef, Args, MessageView, ModelDefinition, ModelInstance, ModelParts, NodeView, StepResult, TypedInstance } from './model/model.js';
export { constant } from './model/constants.js';
export type { CfgValue, ConstantSchema, ConstantsOf, ConstantType } from './model/constants.js';
export { always, alwaysEventually, eventually, eventuallyAlways, leadsTo, sometimes } from './model/properties.js';
export type { Fairness, Property, StatePredicate } from './model/properties.js';
export { interned } from './model/intern.js';
export { QuorumError } from './model/errors.js';
export type { ErrorCode } from './model/errors.js';
