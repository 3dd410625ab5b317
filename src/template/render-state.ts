/**
 * The state of the one render in progress: the variables (for did-you-mean hints and the
 * `hostvars` / `group` helpers) and whether a Secret flowed into the output. Rendering is
 * synchronous and helpers never render, so a module-level slot is safe; `withRenderState`
 * restores the previous slot so nested calls (renderDeep -> renderString) stay correct.
 * Nothing else may keep per-render state.
 */
export type TemplateVars = Record<string, unknown>;

export interface RenderState {
  readonly vars: TemplateVars;
  /** Set when a Secret was revealed into the text being built. */
  tainted: boolean;
  /** The value of a whole-string `{{ expr }}` (see render.ts). */
  captured: unknown;
}

let active: RenderState | null = null;

export function withRenderState<T>(vars: TemplateVars, fn: (state: RenderState) => T): T {
  const previous = active;
  const state: RenderState = { vars, tainted: false, captured: undefined };
  active = state;
  try {
    return fn(state);
  } finally {
    active = previous;
  }
}

export function currentState(): RenderState {
  if (!active) throw new Error('template helper called outside renderString (bug)');
  return active;
}
