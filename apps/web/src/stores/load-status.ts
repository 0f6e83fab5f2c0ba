/** The life of anything the UI loads: nothing asked yet, in flight, failed, or here. */
export type LoadStatus = 'idle' | 'loading' | 'error' | 'ready';
