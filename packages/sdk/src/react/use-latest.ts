import { useRef } from 'react';

/**
 * A ref that always holds the latest value, so stable callbacks (made once) call the
 * options of the latest render, e.g. a new `onSuccess` closure.
 */
export function useLatest<T>(value: T): { readonly current: T } {
  const ref = useRef(value);
  ref.current = value;
  return ref;
}
