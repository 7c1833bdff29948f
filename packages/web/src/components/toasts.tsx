import { EuiGlobalToastList, type EuiGlobalToastListProps } from '@elastic/eui';
import { createContext, type ReactNode, useCallback, useContext, useMemo, useState } from 'react';

type Toast = NonNullable<EuiGlobalToastListProps['toasts']>[number];
type ToastInput = {
  title: string;
  text?: string;
  color: 'success' | 'danger' | 'warning' | 'primary';
};

const ToastContext = createContext<(toast: ToastInput) => void>(() => {});

/** Success and error messages in plain words, stacked in the corner. */
export function ToastProvider({ children }: { children: ReactNode }) {
  const [toasts, setToasts] = useState<Toast[]>([]);
  const addToast = useCallback((toast: ToastInput) => {
    const id = `${Date.now()}-${Math.random()}`;
    setToasts((current) => [
      ...current,
      { id, title: toast.title, text: toast.text, color: toast.color },
    ]);
  }, []);
  const dismiss = useCallback(
    (removed: Toast) => setToasts((current) => current.filter((t) => t.id !== removed.id)),
    [],
  );
  const value = useMemo(() => addToast, [addToast]);
  return (
    <ToastContext.Provider value={value}>
      {children}
      <EuiGlobalToastList toasts={toasts} dismissToast={dismiss} toastLifeTimeMs={8000} />
    </ToastContext.Provider>
  );
}

export function useToasts() {
  return useContext(ToastContext);
}
