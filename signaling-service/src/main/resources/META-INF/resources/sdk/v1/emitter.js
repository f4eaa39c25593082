// A minimal event emitter: handlers run in registration order; one failing handler does not stop the rest.
export class Emitter {
  constructor() { this.handlers = new Map(); }

  /** Registers a handler; returns a function that removes it. */
  on(event, fn) {
    if (!this.handlers.has(event)) this.handlers.set(event, new Set());
    this.handlers.get(event).add(fn);
    return () => this.handlers.get(event).delete(fn);
  }

  emit(event, data) {
    for (const fn of this.handlers.get(event) || []) {
      try { fn(data); } catch (e) { console.error('handler for', event, 'failed', e); }
    }
  }
}
