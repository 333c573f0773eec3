import { runbookError } from '../../errors.js';

/** The points of an ask where interceptors run, in the order they happen. */
export const interceptPoints = ['beforeAsk', 'beforeTurn', 'beforeToolCall', 'afterToolCall', 'beforeResponse'] as const;
export type InterceptPoint = (typeof interceptPoints)[number];

/** Middleware: change `ctx`, then `await next()` to continue, or return without calling it to short-circuit. */
export type Interceptor<C extends object = Record<string, unknown>> = (ctx: C, next: () => Promise<void>) => unknown;

/**
 * Koa-style middleware chains, one per intercept point. The last link of each
 * chain is the real work (the API call, the tool call…), so an interceptor
 * that does not call `next()` skips it.
 */
export class InterceptorChain {
  #chains = new Map<InterceptPoint, Interceptor<any>[]>();

  add(point: string, interceptor: Interceptor<any>): () => void {
    if (!(interceptPoints as readonly string[]).includes(point)) {
      throw runbookError(
        'RUNBOOK_UNKNOWN_INTERCEPT_POINT',
        `Unknown intercept point ${JSON.stringify(point)}. Valid points: ${interceptPoints.join(', ')}.`,
      );
    }
    if (typeof interceptor !== 'function') {
      throw runbookError(
        'RUNBOOK_INVALID_OPTIONS',
        `intercept('${point}', fn) needs a function (ctx, next) => …, got ${interceptor === null ? 'null' : typeof interceptor}.`,
      );
    }
    const list = this.#chains.get(point as InterceptPoint) ?? [];
    list.push(interceptor);
    this.#chains.set(point as InterceptPoint, list);
    return () => {
      const index = list.indexOf(interceptor);
      if (index >= 0) list.splice(index, 1);
    };
  }

  count(point: InterceptPoint): number {
    return this.#chains.get(point)?.length ?? 0;
  }

  /** Runs the interceptors of `point` around `core`; resolves with `ctx` whether or not `core` ran. */
  async run<C extends object>(point: InterceptPoint, ctx: C, core: (ctx: C) => unknown = () => {}): Promise<C> {
    const list = [...(this.#chains.get(point) ?? [])];
    const dispatch = async (index: number): Promise<void> => {
      if (index === list.length) {
        await core(ctx);
        return;
      }
      let called = false;
      await list[index](ctx, async () => {
        if (called) {
          throw runbookError('RUNBOOK_INTERCEPTOR_NEXT_TWICE', `A ${point} interceptor called next() twice; call it at most once.`);
        }
        called = true;
        await dispatch(index + 1);
      });
    };
    await dispatch(0);
    return ctx;
  }
}
