/**
 * Public surface of src/template: rendering of playbook strings (handlebars) and the `when`
 * expression language. Other folders import from here only.
 */
export type { TemplateVars } from './render-state.js';
export type { TemplateWhere } from './template-error.js';
export { renderString, renderDeep, isTemplate, clearTemplateCache, templateCacheSize } from './render.js';
export { truthy, PUBLIC_HELPER_NAMES } from './helpers.js';
export type { Expression } from './expression.js';
export { compileExpression, evaluate, evaluateCondition, clearExpressionCache, expressionCacheSize } from './expression.js';
export { MAX_EXPRESSION_LENGTH, MAX_EXPRESSION_DEPTH } from './expression-parser.js';
